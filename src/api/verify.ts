import { readSbomFile } from '../formats/registry.js';
import { verifySbomSignature } from '../sign/index.js';
import type { SignatureCheck } from '../sign/types.js';
import { type VerifyReport, verifySource } from '../verify/index.js';
import { withRunBudget } from '../util/zip.js';
import { checkOptions, checkPathArgument } from './options.js';

export type { VerifyReport, ChangedFile, ArtifactCheck } from '../verify/index.js';
export type { SignatureCheck } from '../sign/types.js';

export interface VerifyOptions {
  /** Globs of tree paths the SBOM leaves out on purpose (an overlay's `debian/**`). */
  exclude?: readonly string[];
  /** Called as the scan advances (files or bytes done, out of total). */
  onProgress?: (done: number, total: number) => void;
  /**
   * A PEM public key: also check the SBOM's signature (CycloneDX JSON's own JSF signature, else
   * the detached `SBOM.sig`); `ok` is then false unless it verifies.
   */
  signature?: string;
}

/**
 * Holds a release tarball or source directory against an SBOM (path; SPDX or CycloneDX) that lists
 * its files with hashes. Mismatches are in the report (`ok: false`); an unreadable SBOM or source,
 * or an SBOM without files, throws an InputError.
 */
export async function verify(sbom: string, source: string, options: VerifyOptions = {}): Promise<VerifyReport & { signature?: SignatureCheck }> {
  checkPathArgument('verify', 'SBOM', sbom);
  checkPathArgument('verify', 'SOURCE', source);
  checkOptions('verify', options, { exclude: 'strings', onProgress: 'function', signature: 'string' });
  // One bound for everything the run inflates, across all its wheels and archives.
  return withRunBudget(() => verifyOnce(sbom, source, options));
}

async function verifyOnce(sbom: string, source: string, options: VerifyOptions): Promise<VerifyReport & { signature?: SignatureCheck }> {
  const signature = options.signature === undefined ? undefined : await verifySbomSignature(sbom, options.signature);
  const document = await readSbomFile(sbom);
  const report = await verifySource(document, source, {
    exclude: [...(options.exclude ?? [])],
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return signature ? { ...report, ok: report.ok && signature.ok, signature } : report;
}

/**
 * Checks only an SBOM's signature with a PEM public key (`verify SBOM --signature PUBKEY`): the
 * JSF signature of a CycloneDX JSON document, else the detached `SBOM.sig` beside it. A missing,
 * wrong or tampered signature is `ok: false`; an unreadable SBOM or key throws an InputError.
 */
export async function verifySignature(sbom: string, publicKey: string): Promise<SignatureCheck> {
  return verifySbomSignature(sbom, publicKey);
}
