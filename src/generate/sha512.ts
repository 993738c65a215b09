/**
 * `generate --hash sha512`: SHA-512 beside SHA-1 and SHA-256 for every file and for every package
 * whose artifact's bytes are at hand (BSI TR-03183-2 asks for SHA-512). The writers already spell
 * it (SPDX `SHA512`, CycloneDX `SHA-512`) and the readers read it back; what is new is hashing.
 * Every reader hashes with SHA-512 in the same pass as SHA-1 and SHA-256 (a tarball is read once)
 * through src/util/hasher.ts; addSha512() gives the packages theirs.
 */
import { InputError } from '../errors.js';
import type { SbomDocument } from '../model/types.js';
import type { StepAction } from '../steps/types.js';

/** The values `--hash` takes (beyond SHA-1 and SHA-256, which are always there). */
export const EXTRA_HASHES = ['sha512'] as const;
export type ExtraHash = (typeof EXTRA_HASHES)[number];

/** `--hash` values (repeatable or comma-separated). */
export function parseHashOption(values: readonly string[]): ExtraHash[] {
  const out: ExtraHash[] = [];
  for (const value of values) {
    for (const raw of value.split(',')) {
      const name = raw.trim().toLowerCase().replace('-', '');
      if (name === '') continue;
      if (!(EXTRA_HASHES as readonly string[]).includes(name)) {
        throw new InputError(`--hash: unknown algorithm '${raw.trim()}' (choose from ${EXTRA_HASHES.join(', ')}; SHA-1 and SHA-256 are always written)`);
      }
      if (!out.includes(name as ExtraHash)) out.push(name as ExtraHash);
    }
  }
  return out;
}

export interface Sha512Result {
  files: number;
  packages: number;
  /** Packages with an artifact checksum whose bytes were not at hand (a manifest's upstream archive). */
  withoutSha512: string[];
}

/**
 * Puts SHA-512 digests into the model: every file whose path has one in `byPath`; the described
 * package, from `artifactSha512` (the tarball, hashed as it was read); and every other package
 * whose artifact is a file of the document (a bundled wheel: same SHA-256, so same bytes).
 */
export function addSha512(document: SbomDocument, byPath: ReadonlyMap<string, string>, artifactSha512?: string): Sha512Result {
  const bySha256 = new Map<string, string>();
  let files = 0;
  for (const file of document.files) {
    const sha512 = byPath.get(file.path);
    if (sha512 === undefined) continue;
    file.checksums.SHA512 = sha512;
    files++;
    if (file.checksums.SHA256) bySha256.set(file.checksums.SHA256.toLowerCase(), sha512);
  }
  let packages = 0;
  const withoutSha512: string[] = [];
  const primary = document.describes[0];
  for (const pkg of document.packages) {
    if (pkg.checksums.SHA512) continue;
    const sha512 = pkg.ref === primary && artifactSha512 ? artifactSha512 : bySha256.get(pkg.checksums.SHA256?.toLowerCase() ?? '');
    if (sha512) {
      pkg.checksums.SHA512 = sha512;
      packages++;
    } else if (Object.values(pkg.checksums).some(Boolean)) {
      withoutSha512.push(pkg.name);
    }
  }
  return { files, packages, withoutSha512 };
}

/**
 * `--hash sha512` as a step: the scan and the member readers already hashed every file with
 * SHA-512 (the subject was asked to); this gives the packages theirs (the tarball or Windows
 * artifact the document describes, and every package whose artifact is a file of the document)
 * and says which packages keep only the digests their manifest gives.
 */
export function hashStep(extra: readonly ExtraHash[]): StepAction {
  return {
    name: 'hash',
    wants: () => false,
    apply(context) {
      if (!extra.includes('sha512')) return;
      const byPath = new Map<string, string>();
      for (const file of context.document.files) if (file.checksums.SHA512) byPath.set(file.path, file.checksums.SHA512);
      const artifact = context.windows?.sha512 ?? context.detect.scan.artifact?.sha512;
      const result = addSha512(context.document, byPath, artifact);
      if (result.withoutSha512.length > 0) {
        const names = result.withoutSha512;
        const shown = names.slice(0, 8).join(', ') + (names.length > 8 ? `, and ${names.length - 8} more` : '');
        context.notes.push(
          `--hash sha512: ${names.length} package${names.length === 1 ? '' : 's'} keep only the digests their manifest gives (their archives are not in the tree): ${shown}`,
        );
      }
    },
  };
}
