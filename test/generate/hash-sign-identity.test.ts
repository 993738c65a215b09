import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readZip } from '../../src/util/zip.js';
import { FIXED_EPOCH, SAMPLE, run, tempDir } from '../support/cli.js';

/**
 * `generate --hash sha512`, `--sign KEY.pem` and the complete profile's content-derived identity,
 * end to end through the command line on the sample tree.
 */

interface Checksum {
  algorithm: string;
  checksumValue: string;
}
interface Spdx {
  documentNamespace: string;
  packages: { name: string; checksums?: Checksum[] }[];
  files: { fileName: string; checksums: Checksum[] }[];
}

const dir = tempDir('cpython-sbom-hash-sign-');
const keyPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const privateKey = join(dir, 'key.pem');
const publicKey = join(dir, 'key.pub.pem');
writeFileSync(privateKey, keyPair.privateKey.export({ type: 'pkcs8', format: 'pem' }));
writeFileSync(publicKey, keyPair.publicKey.export({ type: 'spki', format: 'pem' }));
const sha512 = (bytes: Buffer) => createHash('sha512').update(bytes).digest('hex');
const env = { SOURCE_DATE_EPOCH: FIXED_EPOCH };

describe('generate --hash sha512', () => {
  it('gives every file, wheel member included, the SHA-512 of its bytes, and the wheels their packages', async () => {
    const result = await run(['generate', SAMPLE, '--hash', 'sha512', '--output', '-'], env);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as Spdx;
    const wheel = 'Lib/ensurepip/_bundled/pip-24.0-py3-none-any.whl';
    const members = new Map((await readZip({ path: join(SAMPLE, wheel) }, wheel)).map((member) => [`${wheel}/${member.name}`, member]));
    let fromTree = 0;
    let fromWheel = 0;
    for (const file of doc.files) {
      const digest = file.checksums.find((c) => c.algorithm === 'SHA512')?.checksumValue;
      const path = file.fileName.replace(/^\.\//, '');
      if (existsSync(join(SAMPLE, path))) {
        expect(digest, path).toBe(sha512(readFileSync(join(SAMPLE, path))));
        fromTree++;
      } else {
        // A member of a bundled wheel: inflated and hashed in the reader's one pass.
        const member = members.get(path);
        expect(member, path).toBeDefined();
        expect(digest, path).toHaveLength(128);
        expect(file.checksums.find((c) => c.algorithm === 'SHA256')?.checksumValue).toBe(member?.sha256);
        fromWheel++;
      }
    }
    expect(fromTree).toBeGreaterThan(10);
    expect(fromWheel).toBeGreaterThan(0);
    const pip = doc.packages.find((p) => p.name === 'pip');
    expect(pip?.checksums?.find((c) => c.algorithm === 'SHA512')?.checksumValue).toBe(sha512(readFileSync(join(SAMPLE, wheel))));
  });

  it('is not written without the flag', async () => {
    const result = await run(['generate', SAMPLE, '--output', '-'], env);
    expect(result.stdout).not.toContain('SHA512');
  });
});

describe('generate --sign KEY.pem', () => {
  it('signs every format: CycloneDX JSON inside, the others in FILE.sig; verify --signature holds each', async () => {
    const out = join(dir, 'signed');
    const result = await run(['generate', SAMPLE, '-d', out, '-f', 'spdx-json,cyclonedx-json,cyclonedx-xml,spdx3-json', '--sign', privateKey], env);
    expect(result.code, result.stderr).toBe(0);
    const written = readdirSync(out).sort();
    expect(written.filter((name) => name.endsWith('.sig')).sort()).toEqual([
      'sample-cpython.cdx.xml.sig',
      'sample-cpython.spdx.json.sig',
      'sample-cpython.spdx3.json.sig',
    ]);
    expect((JSON.parse(readFileSync(join(out, 'sample-cpython.cdx.json'), 'utf8')) as { signature?: { algorithm: string } }).signature?.algorithm).toBe(
      'ES256',
    );
    for (const name of written.filter((file) => !file.endsWith('.sig'))) {
      const verified = await run(['verify', join(out, name), SAMPLE, '--signature', publicKey]);
      expect(verified.code, `${name}: ${verified.stderr}`).toBe(0);
      expect(verified.stdout + verified.stderr).toMatch(/signature of .*: OK/);
    }
    // One changed byte: the signature no longer holds (exit 1).
    const spdx = join(out, 'sample-cpython.spdx.json');
    writeFileSync(spdx, `${readFileSync(spdx, 'utf8')} `);
    const tampered = await run(['verify', spdx, '--signature', publicKey]);
    expect(tampered.code).toBe(1);
    expect(tampered.stdout + tampered.stderr).toContain('FAILED');
  });

  it('refuses a missing key before the scan, and a detached signature with nowhere to go; nothing written', async () => {
    const out = join(dir, 'refused');
    const missing = await run(['generate', SAMPLE, '-d', out, '--sign', join(dir, 'no-such-key.pem')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('no-such-key.pem');
    expect(existsSync(out)).toBe(false);
    const piped = await run(['generate', SAMPLE, '--output', '-', '--sign', privateKey], env);
    expect(piped.code).toBe(2);
    expect(piped.stdout).toBe('');
    expect(piped.stderr).toContain('--sign: spdx-json goes to stdout');
  });
});

describe('document identity', () => {
  it('follows the content and the profile under the complete profile; python.org keeps its own; an overlay namespace is kept', async () => {
    const namespaceOf = async (args: string[], epoch = FIXED_EPOCH) => {
      const result = await run(['generate', ...args, '--output', '-'], { SOURCE_DATE_EPOCH: epoch });
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as Spdx).documentNamespace;
    };
    const complete = await namespaceOf([SAMPLE]);
    expect(complete).toMatch(/^https:\/\/spdx\.org\/spdxdocs\/cpython-sbom\/sample-cpython-complete-[0-9a-f]{32}$/);
    // Another creation time is the same document.
    expect(await namespaceOf([SAMPLE], '1800000000')).toBe(complete);
    // Other content (a creator, SHA-512 digests), another identity.
    expect(await namespaceOf([SAMPLE, '--creator', 'Organization: Example'])).not.toBe(complete);
    expect(await namespaceOf([SAMPLE, '--hash', 'sha512'])).not.toBe(complete);
    const pythonOrg = await namespaceOf([SAMPLE, '--profile', 'python.org']);
    expect(pythonOrg).not.toBe(complete);
    expect(pythonOrg).not.toContain('-complete-');
    const overlay = join(dir, 'overlay.yaml');
    writeFileSync(overlay, 'supplier: Example Distro\npackage: {name: python3, version: 3.13.0-1}\nnamespace: https://example.org/sbom/python3-3.13.0-1\n');
    expect(await namespaceOf([SAMPLE, '--overlay', overlay])).toBe('https://example.org/sbom/python3-3.13.0-1');
  });
});
