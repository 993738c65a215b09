/**
 * JSON Signature Format (JSF 0.82, what CycloneDX's `signature` holds) for CycloneDX JSON, laid out
 * as cdxgen's `cdx-sign` writes it and `cdx-verify` reads it:
 *
 *   "signature": { "algorithm": "RS512", "publicKey": { JWK }, "value": "<base64url, no padding>" }
 *
 * as the last member of the BOM. The signed bytes are the RFC 8785 canonical JSON (UTF-8) of the
 * BOM without its `signature` member, which is how cdx-sign and cdx-verify compute them; JSF
 * proper also covers the signature object minus `value`, and verification accepts that form too.
 * ECDSA values are R‖S (IEEE P1363), as JWA specifies; RSA is PKCS #1 v1.5 (RS*) or PSS (PS*).
 */
import { type KeyObject, constants, sign, verify } from 'node:crypto';
import { canonicalJson } from '../util/canonical-json.js';
import { type LoadedKey, VERIFIABLE_ALGORITHMS } from './keys.js';
import type { SignatureCheck } from './types.js';

export interface JsfSignature {
  algorithm: string;
  value: string;
  publicKey?: Record<string, unknown>;
  keyId?: string;
  [member: string]: unknown;
}

export type { SignatureCheck } from './types.js';

export function hashOf(algorithm: string): string | null {
  if (algorithm.startsWith('Ed')) return null;
  return `sha${algorithm.slice(2)}`;
}

/**
 * node:crypto options for a JWA algorithm: padding for PS* (the salt as long as the hash when
 * signing, as JWA asks; any length when verifying, as cdxgen signs with), R‖S encoding for ES*.
 */
export function keyOptions(algorithm: string, key: KeyObject, verifying = false) {
  if (algorithm.startsWith('PS')) {
    return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: verifying ? constants.RSA_PSS_SALTLEN_AUTO : constants.RSA_PSS_SALTLEN_DIGEST };
  }
  if (algorithm.startsWith('ES')) return { key, dsaEncoding: 'ieee-p1363' as const };
  return { key };
}

/** A JWK of the public key (`kty`, `crv`, `x`, `y` / `n`, `e`), as JSF's `publicKey`. */
function publicJwk(key: KeyObject): Record<string, unknown> {
  const jwk = key.export({ format: 'jwk' }) as Record<string, unknown>;
  const keep = ['kty', 'crv', 'x', 'y', 'n', 'e'];
  return Object.fromEntries(keep.filter((name) => jwk[name] !== undefined).map((name) => [name, jwk[name]]));
}

/**
 * Signs a CycloneDX JSON document: the same document with a `signature` member (replacing one it
 * had), two-space indented as our writer indents.
 */
export function signCycloneDxJson(text: string, signer: LoadedKey, publicKey: KeyObject): string {
  const bom = JSON.parse(text) as Record<string, unknown>;
  if (bom.bomFormat !== 'CycloneDX') throw new Error('not a CycloneDX JSON document');
  delete bom.signature;
  const payload = Buffer.from(canonicalJson(bom), 'utf8');
  const value = sign(hashOf(signer.algorithm), payload, keyOptions(signer.algorithm, signer.key)).toString('base64url');
  const signature: JsfSignature = { algorithm: signer.algorithm, publicKey: publicJwk(publicKey), value };
  return `${JSON.stringify({ ...bom, signature }, null, 2)}\n`;
}

function verifyOne(bom: Record<string, unknown>, signature: JsfSignature, publicKey: LoadedKey): boolean {
  const { signature: _ignored, ...payload } = bom;
  const check = (data: unknown): boolean => {
    try {
      return verify(
        hashOf(signature.algorithm),
        Buffer.from(canonicalJson(data), 'utf8'),
        keyOptions(signature.algorithm, publicKey.key, true),
        Buffer.from(signature.value, 'base64url'),
      );
    } catch {
      return false;
    }
  };
  if (check(payload)) return true;
  // JSF proper: the signature object without `value` is part of the signed data.
  const { value: _value, ...rest } = signature;
  return check({ ...payload, signature: rest });
}

/**
 * Checks the `signature` of a parsed CycloneDX JSON document with a public key: a single
 * signature, or any one of `signers` / a `chain` made with that key.
 */
export function verifyCycloneDxJson(bom: Record<string, unknown>, publicKey: LoadedKey): SignatureCheck {
  const block = bom.signature;
  if (block === undefined) return { ok: false, kind: 'jsf', reason: 'the document has no signature' };
  if (typeof block !== 'object' || block === null || Array.isArray(block))
    return { ok: false, kind: 'jsf', reason: 'its signature is not a JSF signature object' };
  const record = block as Record<string, unknown>;
  const candidates = (Array.isArray(record.signers) ? record.signers : Array.isArray(record.chain) ? record.chain : [record]) as unknown[];
  const reasons: string[] = [];
  let algorithm: string | undefined;
  for (const candidate of candidates) {
    const signature = candidate as JsfSignature;
    if (typeof signature?.algorithm !== 'string' || typeof signature.value !== 'string') {
      reasons.push('a signature without algorithm or value');
      continue;
    }
    if (!VERIFIABLE_ALGORITHMS.has(signature.algorithm)) {
      reasons.push(`algorithm ${signature.algorithm} cannot be verified with a public key`);
      continue;
    }
    if (kindOf(signature.algorithm) !== kindOf(publicKey.algorithm)) {
      reasons.push(`it is signed with ${signature.algorithm}, the public key is for ${publicKey.algorithm}`);
      continue;
    }
    algorithm = signature.algorithm;
    if (verifyOne(bom, signature, publicKey)) return { ok: true, kind: 'jsf', algorithm: signature.algorithm };
    reasons.push(`the ${signature.algorithm} signature does not match the document and this public key`);
  }
  return { ok: false, kind: 'jsf', ...(algorithm ? { algorithm } : {}), reason: reasons.join('; ') };
}

/** RSA, ECDSA or an EdDSA curve: what a key can check. */
function kindOf(algorithm: string): string {
  return algorithm.startsWith('RS') || algorithm.startsWith('PS') ? 'RSA' : algorithm.startsWith('ES') ? 'EC' : algorithm;
}
