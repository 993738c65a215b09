/**
 * Detached signatures for documents that cannot carry one (SPDX JSON, CycloneDX XML): `FILE.sig`
 * beside FILE, holding the base64 (RFC 4648, padded) of the raw signature over FILE's exact bytes
 * and a newline. The algorithm follows the key as for JSF (RSA PKCS #1 v1.5 with SHA-512, ECDSA
 * with the curve's hash, Ed25519), ECDSA signatures DER-encoded, so OpenSSL checks them too:
 *   base64 -d FILE.sig > sig.bin && openssl dgst -sha512 -verify public.pem -signature sig.bin FILE
 * (`-sha256`/`-sha384` for P-256/P-384 keys; Ed25519: `openssl pkeyutl -verify -pubin -inkey
 * public.pem -rawin -in FILE -sigfile sig.bin`).
 */
import { constants, sign, verify } from 'node:crypto';
import type { LoadedKey } from './keys.js';
import { hashOf } from './jsf.js';

/** The signature file's name for a document. */
export function signatureFileName(documentPath: string): string {
  return `${documentPath}.sig`;
}

function options(algorithm: string, key: LoadedKey['key']) {
  return algorithm.startsWith('PS') ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : { key };
}

/** The text of FILE.sig for these bytes. */
export function signDetached(bytes: Uint8Array, signer: LoadedKey): string {
  return `${sign(hashOf(signer.algorithm), bytes, options(signer.algorithm, signer.key)).toString('base64')}\n`;
}

/** Whether FILE.sig's text is a signature of these bytes by this public key. */
export function verifyDetached(bytes: Uint8Array, signatureText: string, publicKey: LoadedKey): boolean {
  const encoded = signatureText.trim();
  if (!/^[A-Za-z0-9+/=\s]+$/.test(encoded)) return false;
  try {
    return verify(hashOf(publicKey.algorithm), bytes, options(publicKey.algorithm, publicKey.key), Buffer.from(encoded, 'base64'));
  } catch {
    return false;
  }
}
