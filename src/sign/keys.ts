import { type KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';
import { InputError } from '../errors.js';
import { readInputBytes } from '../util/read-input.js';

/**
 * Signing and verification keys are PEM files (PKCS#8 or PKCS#1/SEC1 private keys, SPKI public
 * keys, or a certificate for verifying). Each key type has one JSF / JWA algorithm: what cdxgen's
 * cdx-sign defaults to for RSA (RS512), the curve's own hash for ECDSA, and EdDSA as such.
 */
export type SignatureAlgorithm = 'RS512' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'Ed25519' | 'Ed448';

/** What a signature's `algorithm` may name when we verify it (HMAC is refused: a public key is no shared secret). */
export const VERIFIABLE_ALGORITHMS = new Set(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'Ed25519', 'Ed448']);

export interface LoadedKey {
  key: KeyObject;
  algorithm: SignatureAlgorithm;
}

/** Keys are small; a larger file is not a key. */
const MAX_KEY_BYTES = 64 * 1024;

const CURVE_ALGORITHM = new Map<string, SignatureAlgorithm>([
  ['prime256v1', 'ES256'],
  ['P-256', 'ES256'],
  ['secp384r1', 'ES384'],
  ['P-384', 'ES384'],
  ['secp521r1', 'ES512'],
  ['P-521', 'ES512'],
]);

/** The algorithm a key signs with; InputError for key types JSF has none for. */
export function algorithmOf(key: KeyObject, path: string): SignatureAlgorithm {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return 'RS512';
    case 'rsa-pss':
      return 'PS512';
    case 'ed25519':
      return 'Ed25519';
    case 'ed448':
      return 'Ed448';
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
      const algorithm = CURVE_ALGORITHM.get(curve);
      if (algorithm) return algorithm;
      throw new InputError(`${path}: EC key on curve ${curve || '(unknown)'}; JSF signs with P-256, P-384 or P-521 only`);
    }
    default:
      throw new InputError(`${path}: a ${key.asymmetricKeyType ?? 'symmetric'} key cannot sign; use an RSA, EC (P-256/384/521) or Ed25519 key`);
  }
}

async function readPem(path: string, what: string): Promise<string> {
  const text = (await readInputBytes(path, MAX_KEY_BYTES)).toString('utf8');
  if (!text.includes('-----BEGIN ')) throw new InputError(`${path}: not a PEM ${what} (no -----BEGIN line)`);
  return text;
}

/** A private key from a PEM file; an encrypted key is refused (no passphrase is ever asked for). */
export async function loadPrivateKey(path: string): Promise<LoadedKey> {
  const pem = await readPem(path, 'private key');
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(pem)) {
    throw new InputError(`${path}: the private key is encrypted; decrypt it first (openssl pkey -in KEY -out PLAIN.pem)`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new InputError(`${path}: not a PEM private key (${(error as Error).message})`);
  }
  return { key, algorithm: algorithmOf(key, path) };
}

/** A public key (or the public half of a private key, or a certificate's key) from a PEM file. */
export async function loadPublicKey(path: string): Promise<LoadedKey> {
  const pem = await readPem(path, 'public key');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new InputError(`${path}: not a PEM public key or certificate (${(error as Error).message})`);
  }
  return { key, algorithm: algorithmOf(key, path) };
}
