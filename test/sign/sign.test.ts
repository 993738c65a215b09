import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../src/index.js';
import { signDocuments } from '../../src/sign/index.js';
import { canonicalJson } from '../../src/util/canonical-json.js';
import { SAMPLE, run } from '../support/cli.js';
import { cdxgenTool } from '../support/external-tools.js';

/**
 * generate's signatures (signDocuments) and `verify --signature`: sign, then verify; a changed byte
 * or another key fails (exit 1); bad key files are errors (exit 2). Cross-checked with cdxgen's
 * cdx-verify / cdx-sign (JSF) and OpenSSL (detached signatures).
 */

let work: string;
let documents: Record<'spdx-json' | 'cyclonedx-json' | 'cyclonedx-xml', string>;
const keys = new Map<string, { priv: string; pub: string }>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cpython-sbom-sign-'));
  const pairs = {
    rsa: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    p256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    p384: generateKeyPairSync('ec', { namedCurve: 'P-384' }),
    ed25519: generateKeyPairSync('ed25519'),
  };
  for (const [name, pair] of Object.entries(pairs)) {
    const priv = join(work, `${name}.pem`);
    const pub = join(work, `${name}.pub.pem`);
    writeFileSync(priv, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    writeFileSync(pub, pair.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    keys.set(name, { priv, pub });
  }
  const result = await generate(SAMPLE, { format: ['spdx-json', 'cyclonedx-json', 'cyclonedx-xml'], created: '2026-01-01T00:00:00Z' });
  documents = result.documents as typeof documents;
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const key = (name: string) => keys.get(name) as { priv: string; pub: string };

async function signedFiles(keyName: string, tag: string) {
  const signed = await signDocuments(documents, key(keyName).priv);
  const paths = { cdx: join(work, `${tag}.cdx.json`), spdx: join(work, `${tag}.spdx.json`), xml: join(work, `${tag}.cdx.xml`) };
  writeFileSync(paths.cdx, signed.documents['cyclonedx-json'] as string);
  writeFileSync(paths.spdx, signed.documents['spdx-json'] as string);
  writeFileSync(`${paths.spdx}.sig`, signed.signatures['spdx-json'] as string);
  writeFileSync(paths.xml, signed.documents['cyclonedx-xml'] as string);
  writeFileSync(`${paths.xml}.sig`, signed.signatures['cyclonedx-xml'] as string);
  return { paths, signed };
}

describe('canonical JSON (RFC 8785)', () => {
  it('sorts members by UTF-16 code units and writes no whitespace', () => {
    expect(canonicalJson({ b: [1, 2.5, 'x'], a: { '\u00e9': true, z: null, '\ud83d\ude00': 1, A: '\u2028' } })).toBe(
      '{"a":{"A":"\u2028","z":null,"\u00e9":true,"\ud83d\ude00":1},"b":[1,2.5,"x"]}',
    );
  });
});

describe('sign, then verify --signature', () => {
  for (const name of ['rsa', 'p256', 'p384', 'ed25519']) {
    it(`${name}: JSF in CycloneDX JSON, detached FILE.sig for SPDX and XML; the signed JSON still validates`, async () => {
      const { paths, signed } = await signedFiles(name, name);
      expect(signed.signatures['cyclonedx-json']).toBeUndefined();
      expect(signed.documents['spdx-json']).toBe(documents['spdx-json']);
      const bom = JSON.parse(signed.documents['cyclonedx-json'] as string) as { signature: { algorithm: string; value: string; publicKey: { kty: string } } };
      expect(bom.signature.algorithm).toBe({ rsa: 'RS512', p256: 'ES256', p384: 'ES384', ed25519: 'Ed25519' }[name]);
      expect(bom.signature.value).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(bom.signature.publicKey.kty).toBe({ rsa: 'RSA', p256: 'EC', p384: 'EC', ed25519: 'OKP' }[name]);
      for (const path of Object.values(paths)) {
        const result = await run(['verify', path, '--signature', key(name).pub]);
        expect(result.stdout, path).toContain(': OK (');
        expect(result.code, path).toBe(0);
      }
      expect((await run(['validate', paths.cdx])).code).toBe(0);
    }, 60_000);
  }

  it('fails (exit 1) on a changed byte, another key, or no signature; reformatting JSON keeps a JSF signature valid', async () => {
    const { paths } = await signedFiles('p256', 'tamper');
    // One character of one value changed.
    const cdx = readFileSync(paths.cdx, 'utf8');
    const changedCdx = cdx.replace('"CPython SBOM"', '"CPython SBOX"');
    expect(changedCdx).not.toBe(cdx);
    writeFileSync(paths.cdx, changedCdx);
    const tampered = await run(['verify', paths.cdx, '--signature', key('p256').pub]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('FAILED (embedded JSF signature, ES256)');
    // A detached signature covers the exact bytes: a trailing newline more fails.
    writeFileSync(paths.spdx, `${readFileSync(paths.spdx, 'utf8')}\n`);
    expect((await run(['verify', paths.spdx, '--signature', key('p256').pub])).code).toBe(1);
    // Another key of the same kind, and a key of another kind.
    const { paths: fresh } = await signedFiles('p256', 'other-key');
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    writeFileSync(join(work, 'other.pub.pem'), other);
    for (const path of [fresh.cdx, fresh.xml]) expect((await run(['verify', path, '--signature', join(work, 'other.pub.pem')])).code).toBe(1);
    expect((await run(['verify', fresh.cdx, '--signature', key('rsa').pub])).stdout).toContain('signed with ES256, the public key is for RS512');
    // Whitespace is not part of what JSF signs.
    writeFileSync(join(work, 'compact.cdx.json'), JSON.stringify(JSON.parse(readFileSync(fresh.cdx, 'utf8'))));
    expect((await run(['verify', join(work, 'compact.cdx.json'), '--signature', key('p256').pub])).code).toBe(0);
    // gzip-compressed signed JSON is read as such.
    writeFileSync(join(work, 'signed.cdx.json.gz'), gzipSync(readFileSync(fresh.cdx)));
    expect((await run(['verify', join(work, 'signed.cdx.json.gz'), '--signature', key('p256').pub])).code).toBe(0);
    // Unsigned.
    writeFileSync(join(work, 'plain.spdx.json'), documents['spdx-json']);
    const unsigned = await run(['verify', join(work, 'plain.spdx.json'), '--signature', key('p256').pub, '--format', 'json']);
    expect(unsigned.code).toBe(1);
    expect(JSON.parse(unsigned.stdout)).toMatchObject({ ok: false, signature: { ok: false, reason: expect.stringContaining('not signed') } });
  }, 60_000);

  it('checks the signature and the tree together, and refuses bad keys and a missing SOURCE (exit 2)', async () => {
    const { paths } = await signedFiles('ed25519', 'with-tree');
    const both = await run(['verify', paths.spdx, SAMPLE, '--signature', key('ed25519').pub]);
    expect(both.stdout).toContain('signature of');
    expect(both.code).toBe(0);
    const wrong = await run(['verify', paths.spdx, SAMPLE, '--signature', key('rsa').pub, '--format', 'json']);
    expect(wrong.code).toBe(1);
    expect(JSON.parse(wrong.stdout)).toMatchObject({ ok: false, signature: { ok: false }, counts: { changed: 0, missing: 0 } });
    expect(await run(['verify', paths.spdx])).toMatchObject({ code: 2, stderr: expect.stringContaining('SOURCE is missing') });
    writeFileSync(join(work, 'not-a-key.pem'), 'hello\n');
    expect(await run(['verify', paths.cdx, '--signature', join(work, 'not-a-key.pem')])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('not a PEM public key'),
    });
    const encrypted = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'x',
    }) as string;
    writeFileSync(join(work, 'encrypted.pem'), encrypted);
    await expect(signDocuments(documents, join(work, 'encrypted.pem'))).rejects.toThrow(/encrypted; decrypt it first/);
    const dsa = generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    writeFileSync(join(work, 'dsa.pem'), dsa);
    await expect(signDocuments(documents, join(work, 'dsa.pem'))).rejects.toThrow(/a dsa key cannot sign/);
  }, 60_000);
});

const cdxVerify = cdxgenTool('cdx-verify');
const cdxSign = cdxgenTool('cdx-sign');

describe.skipIf(!cdxVerify || !cdxSign)("cdxgen's cdx-verify and cdx-sign agree with ours", () => {
  it("cdx-verify accepts our signatures (RSA, EC, Ed25519) and refuses a tampered one; ours accepts cdx-sign's", async () => {
    for (const name of ['rsa', 'p256', 'ed25519']) {
      const { paths } = await signedFiles(name, `cdxgen-${name}`);
      const ok = spawnSync(cdxVerify as string, ['-i', paths.cdx, '--public-key', key(name).pub], { encoding: 'utf8', timeout: 120_000 });
      expect(ok.stdout, name).toContain('Signature is valid');
      expect(ok.status, name).toBe(0);
      writeFileSync(paths.cdx, readFileSync(paths.cdx, 'utf8').replace('"CPython SBOM"', '"CPython SBOX"'));
      const bad = spawnSync(cdxVerify as string, ['-i', paths.cdx, '--public-key', key(name).pub], { encoding: 'utf8', timeout: 120_000 });
      expect(bad.status, `${name}: ${bad.stdout}${bad.stderr}`).toBe(1);
    }
    for (const [name, algorithm] of [
      ['rsa', 'RS512'],
      ['p384', 'ES384'],
      ['ed25519', 'Ed25519'],
    ] as const) {
      const path = join(work, `by-cdx-sign-${name}.cdx.json`);
      writeFileSync(path, documents['cyclonedx-json']);
      const signed = spawnSync(cdxSign as string, ['-i', path, '-k', key(name).priv, '-a', algorithm], { encoding: 'utf8', timeout: 120_000 });
      expect(signed.status, signed.stderr).toBe(0);
      expect((await run(['verify', path, '--signature', key(name).pub])).code, name).toBe(0);
      const stranger = join(work, `stranger-${name}.pub.pem`);
      writeFileSync(stranger, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string);
      expect((await run(['verify', path, '--signature', stranger])).code, name).toBe(1);
    }
  }, 300_000);
});

/** OpenSSL, where installed, checks the detached signatures as the README says to. */
const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
if (!openssl) process.stderr.write('\n*** SKIPPING the OpenSSL check of detached signatures: openssl is not installed ***\n\n');

describe.skipIf(!openssl)('OpenSSL verifies the detached signatures', () => {
  it('RSA and P-256 with openssl dgst, Ed25519 with openssl pkeyutl', async () => {
    for (const [name, digest] of [
      ['rsa', '-sha512'],
      ['p256', '-sha256'],
      ['ed25519', ''],
    ] as const) {
      const { paths } = await signedFiles(name, `openssl-${name}`);
      const sig = join(work, `${name}.sig.bin`);
      writeFileSync(sig, Buffer.from(readFileSync(`${paths.spdx}.sig`, 'utf8'), 'base64'));
      const args = digest
        ? ['dgst', digest, '-verify', key(name).pub, '-signature', sig, paths.spdx]
        : ['pkeyutl', '-verify', '-pubin', '-inkey', key(name).pub, '-rawin', '-in', paths.spdx, '-sigfile', sig];
      const result = spawnSync('openssl', args, { encoding: 'utf8' });
      expect(`${result.stdout}${result.stderr}`, name).toMatch(/Verified OK|Signature Verified Successfully/);
    }
  }, 60_000);
});
