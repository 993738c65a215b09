import { MANIFEST_PATH } from '../cpython/paths.js';
import { InputError } from '../errors.js';
import { spdxToModel } from '../formats/spdx/read.js';
import type { Package } from '../model/types.js';
import { type DetectContext, type Detection, type Detector, type Finding, emptyDetection } from './types.js';
import { parseJsonBounded } from '../util/bounded-json.js';

export interface Manifest extends Detection {
  /** SPDX ids of the manifest's files, to keep them as CPython wrote them. */
  fileIds: Map<string, string>;
  /** Files an older manifest gave to pip (the wheel); pip's package from the wheel takes them. */
  pipFiles: string[];
}

/**
 * CPython's own partial SBOM: the vendored packages with hand-edited metadata and the files
 * each contains. Every listed file must be in the tree with the SHA-256 recorded there (as
 * python.org's release tooling insists); a difference is a finding naming the file.
 * A pip package in an older manifest is left out: pip is described from its wheel instead.
 */
export function readManifest(context: DetectContext): Manifest | undefined {
  const bytes = context.content(MANIFEST_PATH);
  if (!bytes) return undefined;
  const json = parseJsonBounded(bytes.toString('utf8'), MANIFEST_PATH);
  if (!json || typeof json !== 'object' || !Array.isArray((json as { packages?: unknown }).packages)) {
    throw new InputError(`${MANIFEST_PATH}: not an SPDX document with packages`);
  }
  const document = spdxToModel(json, MANIFEST_PATH);
  const findings: Finding[] = [];
  const fileIds = new Map<string, string>();
  const recorded = new Map(document.files.map((file) => [file.path, file]));

  const pip = document.packages.find((pkg) => pkg.name === 'pip');
  const dropped = new Set<string>(pip ? [pip.ref, ...pip.dependsOn] : []);
  const packages: Package[] = [];
  for (const pkg of document.packages) {
    if (dropped.has(pkg.ref)) continue;
    const ref = pkg.name;
    packages.push({ ...pkg, ref, dependsOn: [], files: pkg.files.filter((path) => recorded.has(path)) });
  }

  // Its file identifiers are kept as written, so they must be ones the SPDX document can carry:
  // well-formed, not the document's own, and each used once.
  const owners = new Map<string, string>();
  for (const file of document.files) {
    if (!file.spdxId) continue;
    if (!/^SPDXRef-[A-Za-z0-9.-]+$/.test(file.spdxId) || file.spdxId === 'SPDXRef-DOCUMENT') {
      throw new InputError(
        `${MANIFEST_PATH}: file ${JSON.stringify(file.path)} has the SPDX identifier ${JSON.stringify(file.spdxId.slice(0, 100))}, which is not a valid file identifier`,
      );
    }
    const other = owners.get(file.spdxId);
    if (other !== undefined && other !== file.path) {
      throw new InputError(`${MANIFEST_PATH}: the SPDX identifier ${file.spdxId} is given to both ${JSON.stringify(other)} and ${JSON.stringify(file.path)}`);
    }
    owners.set(file.spdxId, file.path);
  }
  for (const file of document.files) {
    if (file.spdxId) fileIds.set(file.path, file.spdxId);
    const scanned = context.files.get(file.path);
    if (!scanned) {
      findings.push({ kind: 'manifest-missing-file', path: file.path, message: `${file.path}: listed in ${MANIFEST_PATH} but not in the tree` });
      continue;
    }
    const expected = file.checksums.SHA256;
    if (!expected) {
      findings.push({ kind: 'other', path: file.path, message: `${file.path}: ${MANIFEST_PATH} records no SHA256 for it` });
    } else if (expected !== scanned.sha256) {
      findings.push({
        kind: 'manifest-hash',
        path: file.path,
        message: `${file.path}: SHA-256 ${scanned.sha256} differs from ${expected} recorded in ${MANIFEST_PATH}`,
      });
    }
  }
  // Files of a dropped pip package stay with pip (the wheel), as python.org's tooling keeps them.
  return { packages, findings, warnings: [], fileIds, pipFiles: pip ? pip.files : [] };
}

/** The manifest as a detector of the registry; `read` gives what describe.ts needs besides packages. */
export interface ManifestDetector extends Detector {
  read(context: DetectContext): Manifest | undefined;
}

export function manifestDetector(): ManifestDetector {
  return {
    name: 'manifest',
    wants: (path) => path === MANIFEST_PATH,
    detect: (context) => readManifest(context) ?? emptyDetection(),
    read: readManifest,
  };
}
