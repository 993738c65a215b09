import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readXar } from '../../src/util/xar.js';
import { REPO, run, tempDir } from '../support/cli.js';
import { androidStandIn, buildXar, iosStandIn, iosZipStandIn, macosStandIn, xarHeader } from '../support/platform-standins.js';

/**
 * python.org's Android, iOS and macOS artifacts, as stand-ins built here from the layouts CPython's
 * build scripts make (real ones are not available): read, every member hashed and owned, and what
 * is corrupt or unknown refused with one line.
 */

interface Spdx {
  name: string;
  packages: { SPDXID: string; name: string; versionInfo: string; downloadLocation: string; checksums?: { algorithm: string; checksumValue: string }[] }[];
  files: { SPDXID: string; fileName: string; checksums: { algorithm: string; checksumValue: string }[] }[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
}

const work = tempDir('platform-artifacts-');
const tree = join(work, 'tree');
cpSync(join(REPO, 'fixtures', 'platforms', 'tree'), tree, { recursive: true });
const version = '3.14.0'; // the synthetic tree's Include/patchlevel.h
let android = '';
let ios = '';
let pkg = '';

beforeAll(() => {
  android = androidStandIn(work, version);
  ios = iosStandIn(work, version);
  pkg = macosStandIn(work, version);
});

async function generate(artifact: string, extra: string[] = []): Promise<{ code: number; stderr: string; doc?: Spdx }> {
  const result = await run(['generate', artifact, '--source', tree, '--output', '-', ...extra]);
  return { code: result.code, stderr: result.stderr, ...(result.code === 0 ? { doc: JSON.parse(result.stdout) as Spdx } : {}) };
}

/** Package name -> the member paths it CONTAINS. */
function owners(doc: Spdx): Map<string, string[]> {
  const names = new Map(doc.packages.map((p) => [p.SPDXID, p.name]));
  const files = new Map(doc.files.map((f) => [f.SPDXID, f.fileName]));
  const owned = new Map<string, string[]>();
  for (const r of doc.relationships) {
    if (r.relationshipType !== 'CONTAINS' || !files.has(r.relatedSpdxElement)) continue;
    const name = names.get(r.spdxElementId) as string;
    owned.set(name, [...(owned.get(name) ?? []), files.get(r.relatedSpdxElement) as string].sort());
  }
  return owned;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('Android package (python-X.Y.Z-HOST.tar.gz)', () => {
  it('hashes every member, gives the libraries their files and the artifact its SHA-256', async () => {
    const { code, stderr, doc } = await generate(android);
    expect(code, stderr).toBe(0);
    const spdx = doc as Spdx;
    expect(spdx.files.find((f) => f.fileName === 'prefix/lib/libssl_python.so')?.checksums.find((c) => c.algorithm === 'SHA256')?.checksumValue).toBe(
      sha256(Buffer.from('ELF libssl\n')),
    );
    const owned = owners(spdx);
    expect(owned.get('OpenSSL')).toEqual(['prefix/include/openssl/ssl.h', 'prefix/lib/libcrypto_python.so', 'prefix/lib/libssl_python.so']);
    expect(owned.get('SQLite')).toEqual(['prefix/include/sqlite3.h', 'prefix/lib/libsqlite3_python.so']);
    expect(owned.get('CPython')).toContain('prefix/lib/libpython3.14.so');
    expect(owned.get('bzip2')).toBeUndefined();
    const cpython = spdx.packages.find((p) => p.name === 'CPython');
    expect(cpython?.downloadLocation).toBe(`https://www.python.org/ftp/python/${version}/python-${version}-aarch64-linux-android.tar.gz`);
    expect(cpython?.checksums).toEqual([{ algorithm: 'SHA256', checksumValue: sha256(readFileSync(android)) }]);
    // The host comes from the name: the recipe's downloads for that host.
    expect(spdx.packages.find((p) => p.name === 'OpenSSL')?.downloadLocation).toMatch(/openssl-3\.0\.99-1-aarch64-linux-android\.tar\.gz$/);
  });

  it('verify holds the artifact against its SBOM, and names a changed member', async () => {
    const sbom = join(work, 'android.spdx.json');
    const generated = await run(['generate', android, '--source', tree, '--output', sbom]);
    expect(generated.code, generated.stderr).toBe(0);
    const ok = await run(['verify', sbom, android]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/files: (\d+) listed, \1 present with the recorded hash/);
  });

  it('refuses a corrupt tarball and a tree of another version, with one line each', async () => {
    const broken = join(work, `python-${version}-x86_64-linux-android.tar.gz`);
    writeFileSync(broken, readFileSync(android).subarray(0, 200));
    const corrupt = await generate(broken);
    expect(corrupt.code).toBe(2);
    expect(corrupt.stderr.trim().split('\n')).toHaveLength(1);
    const wrong = join(work, 'python-3.13.0-aarch64-linux-android.tar.gz');
    writeFileSync(wrong, readFileSync(android));
    const mismatch = await generate(wrong);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain('the tree is CPython 3.14.0 but python-3.13.0-aarch64-linux-android.tar.gz is 3.13.0');
  });
});

describe('iOS XCframework (python-X.Y.Z-iOS-XCframework.tar.gz)', () => {
  it('hashes every member; the statically linked libraries own none and say so', async () => {
    const { code, stderr, doc } = await generate(ios);
    expect(code, stderr).toBe(0);
    const spdx = doc as Spdx;
    expect(spdx.files.map((f) => f.fileName)).toContain('Python.xcframework/ios-arm64/Python.framework/Python');
    expect(owners(spdx).get('CPython')).toHaveLength(5);
    expect(spdx.packages.map((p) => p.name).sort()).toEqual(['CPython', 'bzip2', 'libffi', 'mpdecimal']);
  });

  it('reads the zip form the same way, member for member', async () => {
    const zip = await iosZipStandIn(work, version);
    const fromZip = (await generate(zip)).doc as Spdx;
    const fromTar = (await generate(ios)).doc as Spdx;
    const hashes = (doc: Spdx) => doc.files.map((f) => `${f.fileName} ${f.checksums.find((c) => c.algorithm === 'SHA256')?.checksumValue}`).sort();
    expect(hashes(fromZip)).toEqual(hashes(fromTar));
    expect(fromZip.packages.find((p) => p.name === 'CPython')?.downloadLocation).toMatch(/python-3\.14\.0-iOS-XCframework\.zip$/);
  });
});

describe('macOS installer (python-X.Y.Z-macosNN.pkg, a xar archive)', () => {
  it('lists and hashes the payloads as extracted', async () => {
    const { code, stderr, doc } = await generate(pkg);
    expect(code, stderr).toBe(0);
    const spdx = doc as Spdx;
    expect(spdx.files.map((f) => f.fileName).sort()).toEqual([
      'Distribution',
      'PythonApplications-3.14.pkg/Payload',
      'PythonFramework-3.14.pkg/Bom',
      'PythonFramework-3.14.pkg/PackageInfo',
      'PythonFramework-3.14.pkg/Payload',
      'Resources/ReadMe.rtf',
    ]);
    // A compressed member is hashed as extracted.
    const distribution = spdx.files.find((f) => f.fileName === 'Distribution');
    expect(distribution?.checksums.find((c) => c.algorithm === 'SHA256')?.checksumValue).toBe(sha256(Buffer.from('<installer-gui-script/>\n')));
    expect(spdx.packages.map((p) => p.name)).toContain('Tcl');
  });

  it('refuses a .pkg whose table of contents does not match its checksum', async () => {
    const badDir = join(work, 'bad');
    mkdirSync(badDir);
    const bad = macosStandIn(badDir, version, { corruptTocChecksum: true });
    const result = await generate(bad);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('does not match its checksum');
  });

  it('refuses --profile python.org for platform artifacts with one line', async () => {
    const result = await generate(pkg, ['--profile', 'python.org']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^cpython-sbom: --profile python.org: python.org publishes no SBOM for its Android, iOS or macOS artifacts/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('the xar reader refuses what it does not understand', () => {
  const write = (name: string, bytes: Buffer): string => {
    const path = join(work, name);
    writeFileSync(path, bytes);
    return path;
  };
  const refusal = (path: string): string => {
    try {
      readXar(path);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as Error).message;
    }
    throw new Error('expected a refusal');
  };
  const good = () => buildXar([{ path: 'a/Payload', bytes: Buffer.from('payload') }]);

  it('reads a good archive', () => {
    expect(readXar(write('good.xar', good()))).toEqual([
      { path: 'a/Payload', size: 7, sha1: createHash('sha1').update('payload').digest('hex'), sha256: sha256(Buffer.from('payload')) },
    ]);
  });

  it('no magic, a truncated table, a table larger than the bound', () => {
    expect(refusal(write('zip.pkg', Buffer.from('PK\x03\x04 not xar at all......')))).toContain('not a xar archive');
    expect(refusal(write('short.pkg', good().subarray(0, 40)))).toContain('runs past the end of the file');
    const huge = good();
    huge.writeBigUInt64BE(BigInt(1) << BigInt(40), 16);
    expect(refusal(write('huge.pkg', huge))).toContain('more than the');
  });

  it('a member outside the file, a name leaving the archive, an encoding it does not extract', () => {
    const outside = (xml: string) => {
      const toc = deflateSync(Buffer.from(xml));
      return Buffer.concat([xarHeader(toc.length, Buffer.byteLength(xml), 0), toc, Buffer.from('x')]);
    };
    const file = (name: string, data: string) => `<xar><toc><file id="1"><name>${name}</name><type>file</type><data>${data}</data></file></toc></xar>`;
    expect(refusal(write('far.pkg', outside(file('p', '<offset>0</offset><length>999</length><size>999</size>'))))).toContain(
      "member 'p' lies outside the file",
    );
    expect(refusal(write('dotdot.pkg', outside(file('..', '<offset>0</offset><length>1</length><size>1</size>'))))).toContain('leaves the archive');
    expect(refusal(write('bz.pkg', outside(file('p', '<offset>0</offset><length>1</length><size>1</size><encoding style="application/x-bzip2"/>'))))).toContain(
      'encoded as application/x-bzip2',
    );
    expect(refusal(write('dtd.pkg', outside(`<!DOCTYPE x [<!ENTITY a "b">]>${file('p', '')}`)))).toContain('DOCTYPE');
  });

  it('a member whose bytes do not match its archived checksum', () => {
    const bytes = good();
    bytes[bytes.length - 1] = 0x21; // last byte of the payload
    expect(refusal(write('tampered.pkg', bytes))).toContain('does not match its archived checksum');
  });
});
