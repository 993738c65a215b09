/**
 * Signing generated SBOMs and checking their signatures, with key files and node:crypto alone
 * (nothing leaves the machine). CycloneDX JSON carries a JSF signature (jsf.ts); SPDX JSON and
 * CycloneDX XML get a detached `FILE.sig` (detached.ts).
 */
import { type KeyObject, createPublicKey } from 'node:crypto';
import { access } from 'node:fs/promises';
import { InputError } from '../errors.js';
import type { OutputFormat } from '../formats/registry.js';
import { parseJsonBounded } from '../util/bounded-json.js';
import { readInputBytes } from '../util/read-input.js';
import { gunzipSync } from 'node:zlib';
import { signDetached, signatureFileName, verifyDetached } from './detached.js';
import { signCycloneDxJson, verifyCycloneDxJson } from './jsf.js';
import type { SignatureCheck } from './types.js';
import { type LoadedKey, loadPrivateKey, loadPublicKey } from './keys.js';

export type { SignatureCheck } from './types.js';
export { signatureFileName } from './detached.js';

export interface SignedDocuments {
  /** The documents, CycloneDX JSON now carrying its JSF signature; the others unchanged. */
  documents: Partial<Record<OutputFormat, string>>;
  /** The text of each detached signature (`FILE.sig` beside FILE), for the formats that need one. */
  signatures: Partial<Record<OutputFormat, string>>;
}

/**
 * `generate --sign KEY.pem`: signs every rendered document with the private key in KEY.pem.
 * Run it after the documents are validated; write each signature beside its document, in the same
 * atomic step (a signature without its document, or one over other bytes, is worse than none).
 */
export async function signDocuments(documents: Partial<Record<OutputFormat, string>>, keyPath: string): Promise<SignedDocuments> {
  return (await loadSigner(keyPath)).sign(documents);
}

/** The private key of KEY.pem, read and checked now, to sign documents rendered later. */
export async function loadSigner(keyPath: string): Promise<{ sign(documents: Partial<Record<OutputFormat, string>>): SignedDocuments }> {
  const signer = await loadPrivateKey(keyPath);
  const publicKey = createPublicKey(signer.key);
  return { sign: (documents) => signWith(documents, signer, publicKey) };
}

function signWith(documents: Partial<Record<OutputFormat, string>>, signer: LoadedKey, publicKey: KeyObject): SignedDocuments {
  const out: SignedDocuments = { documents: {}, signatures: {} };
  for (const [format, text] of Object.entries(documents) as [OutputFormat, string][]) {
    if (format === 'cyclonedx-json') out.documents[format] = signCycloneDxJson(text, signer, publicKey);
    else {
      out.documents[format] = text;
      out.signatures[format] = signDetached(Buffer.from(text, 'utf8'), signer);
    }
  }
  return out;
}

/**
 * `verify --signature PUBKEY`: a CycloneDX JSON document's own JSF signature when it has one,
 * else the detached `SBOM.sig` beside it. Not signed at all is a failed check, not an error.
 */
export async function verifySbomSignature(sbomPath: string, publicKeyPath: string): Promise<SignatureCheck> {
  const publicKey = await loadPublicKey(publicKeyPath);
  const bytes = await readInputBytes(sbomPath);
  const sigPath = signatureFileName(sbomPath);
  const detached = sbomPath !== '-' && (await exists(sigPath));
  const bom = embeddedSignatureHolder(bytes, sbomPath);
  if (bom && (bom.signature !== undefined || !detached)) return verifyCycloneDxJson(bom, publicKey);
  if (!detached) return { ok: false, kind: 'detached', reason: `not signed: no embedded signature and no ${sigPath}` };
  const signature = (await readInputBytes(sigPath, 64 * 1024)).toString('utf8');
  return verifyDetached(bytes, signature, publicKey)
    ? { ok: true, kind: 'detached', algorithm: publicKey.algorithm, file: sigPath }
    : { ok: false, kind: 'detached', algorithm: publicKey.algorithm, file: sigPath, reason: `${sigPath} is not a signature of these bytes by this public key` };
}

/** The parsed document when it is CycloneDX JSON (possibly gzip-compressed), else undefined. */
function embeddedSignatureHolder(bytes: Buffer, file: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes, { maxOutputLength: 256 * 1024 * 1024 }) : bytes).toString('utf8').replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
  if (!text.trimStart().startsWith('{')) return undefined;
  let json: unknown;
  try {
    json = parseJsonBounded(text, file);
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
  const record = json as Record<string, unknown> | null;
  return record && typeof record === 'object' && !Array.isArray(record) && record.bomFormat === 'CycloneDX' ? record : undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
