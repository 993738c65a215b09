import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { readAllWheelMembers, readWheelMembers } from '../../src/detect/wheel.js';
import { SAMPLE, run, runBinary, tempDir } from '../support/cli.js';
import { tarHeader } from '../support/tar-header.js';

const dir = tempDir('cpython-sbom-inputs-');
let counter = 0;

function copySample(): string {
  const target = join(dir, `tree-${++counter}`);
  cpSync(SAMPLE, target, { recursive: true });
  return target;
}

function expectOneLine(result: { code: number; stderr: string }, ...fragments: string[]): void {
  expect(result.code).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/internal error|please report|\n\s+at /);
  for (const fragment of fragments) expect(result.stderr).toContain(fragment);
}

function tarMember(name: Buffer | string, type: '0' | '5', body: Buffer, size = body.length): Buffer {
  const padded = Buffer.alloc(Math.ceil(body.length / 512) * 512);
  body.copy(padded);
  return Buffer.concat([tarHeader(name, type, size), padded]);
}

/** A gzip'd tarball of `members` (name, type, body) under Python-3.13.0/, with a patchlevel.h. */
function tarball(members: Buffer[], name = `t${++counter}.tgz`): string {
  const path = join(dir, name);
  const patchlevel = Buffer.from('#define PY_VERSION "3.13.0"\n');
  writeFileSync(
    path,
    gzipSync(
      Buffer.concat([
        tarMember('Python-3.13.0/', '5', Buffer.alloc(0)),
        tarMember('Python-3.13.0/Include/patchlevel.h', '0', patchlevel),
        ...members,
        Buffer.alloc(1024),
      ]),
    ),
  );
  return path;
}

describe('tarballs (classes 2, 9)', () => {
  it('a directory member with a non-zero size is an error naming it: generate and verify exit 2', async () => {
    const bad = tarball([tarMember('Python-3.13.0/Lib/', '5', Buffer.alloc(1000, 0x78), 1000)]);
    expectOneLine(runBinary(['generate', bad, '--output', '-']), 'Python-3.13.0/Lib/', 'non-zero size');
    const sbom = join(dir, 'sample.spdx.json');
    expect((await run(['generate', SAMPLE, '--output', sbom])).code).toBe(0);
    expectOneLine(runBinary(['verify', sbom, bad]), 'Python-3.13.0/Lib/', 'non-zero size');
  });

  it('a member given twice is an error naming it', () => {
    const twice = tarMember('Python-3.13.0/README.rst', '0', Buffer.from('one\n'));
    const again = tarMember('Python-3.13.0/README.rst', '0', Buffer.from('two\n'));
    expectOneLine(runBinary(['generate', tarball([twice, again]), '--output', '-']), "member 'Python-3.13.0/README.rst' appears more than once");
  });

  it('two tarballs concatenated: the first repeated member is named', () => {
    const body = [tarMember('Python-3.13.0/README.rst', '0', Buffer.from('hello\n'))];
    const one = gzipSync(
      Buffer.concat([
        tarHeader('Python-3.13.0/', '5', 0),
        tarMember('Python-3.13.0/Include/patchlevel.h', '0', Buffer.from('#define PY_VERSION "3.13.0"\n')),
        ...body,
        Buffer.alloc(1024),
      ]),
    );
    const path = join(dir, 'concatenated.tgz');
    writeFileSync(path, gzipSync(Buffer.concat([gunzip(one), gunzip(one)])));
    expectOneLine(runBinary(['generate', path, '--output', '-']), 'appears more than once');
  });

  it('an absurd PY_VERSION is an error naming Include/patchlevel.h', async () => {
    for (const version of ['3'.repeat(2000), '3.13.0\\n<script>', 'x.y.z']) {
      const tree = copySample();
      const path = join(tree, 'Include', 'patchlevel.h');
      writeFileSync(path, readFileSync(path, 'utf8').replace('"3.13.0"', `"${version}"`));
      const result = await run(['generate', tree, '--output', '-']);
      expectOneLine(result, 'Include/patchlevel.h', 'is not a CPython version');
      expect(result.stderr.length).toBeLessThan(400);
    }
  });

  it('a development version (3.14.0a1+) is still accepted', async () => {
    const tree = copySample();
    const path = join(tree, 'Include', 'patchlevel.h');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"3.13.0"', '"3.14.0a1+"'));
    expect((await run(['generate', tree, '--output', '-', '--allow-drift'])).code).toBe(0);
  });

  it("a manifest file identifier that is the document's own, or given twice, is an error naming Misc/sbom.spdx.json", async () => {
    for (const [from, to] of [
      [/"SPDXID": "SPDXRef-FILE-[^"]*"/, '"SPDXID": "SPDXRef-DOCUMENT"'],
      [/"SPDXID": "SPDXRef-FILE-[^"]*"/, '"SPDXID": "SPDXRef-FILE-a b"'],
    ] as const) {
      const tree = copySample();
      const path = join(tree, 'Misc', 'sbom.spdx.json');
      writeFileSync(path, readFileSync(path, 'utf8').replace(from, to));
      expectOneLine(await run(['generate', tree, '--output', '-']), 'Misc/sbom.spdx.json', 'not a valid file identifier');
    }
    const tree = copySample();
    const path = join(tree, 'Misc', 'sbom.spdx.json');
    const ids = [...readFileSync(path, 'utf8').matchAll(/"SPDXID": "(SPDXRef-FILE-[^"]*)"/g)].map((match) => match[1] as string);
    expect(ids.length).toBeGreaterThan(1);
    writeFileSync(path, readFileSync(path, 'utf8').replace(`"SPDXID": "${ids[1]}"`, `"SPDXID": "${ids[0]}"`));
    expectOneLine(await run(['generate', tree, '--output', '-']), 'Misc/sbom.spdx.json', `${ids[0]} is given to both`);
  });

  it('two pip wheels in Lib/ensurepip/_bundled are an error naming both', async () => {
    const tree = copySample();
    const bundled = join(tree, 'Lib', 'ensurepip', '_bundled');
    cpSync(join(bundled, 'pip-24.0-py3-none-any.whl'), join(bundled, 'pip-25.0-py3-none-any.whl'));
    expectOneLine(await run(['generate', tree, '--output', '-']), 'pip-24.0-py3-none-any.whl', 'pip-25.0-py3-none-any.whl', 'two pip wheels');
  });
});

function gunzip(bytes: Buffer): Buffer {
  // The raw tar of one archive, without its gzip wrapper.
  return gunzipSync(bytes);
}

describe('file names that are not UTF-8 are refused, shown escaped (class 11)', () => {
  const name = Buffer.concat([Buffer.from('Python-3.13.0/Lib/caf'), Buffer.from([0xe9]), Buffer.from('.py')]);

  it('in a tarball', () => {
    const path = tarball([tarMember(name, '0', Buffer.from('x = 1\n'))]);
    expectOneLine(runBinary(['generate', path, '--output', '-']), "'Python-3.13.0/Lib/caf\\xe9.py'", 'is not UTF-8');
  });

  it('in a directory', async () => {
    const tree = copySample();
    writeFileSync(Buffer.concat([Buffer.from(`${tree}/Lib/caf`), Buffer.from([0xe9]), Buffer.from('.py')]), 'x = 1\n');
    expectOneLine(await run(['generate', tree, '--output', '-']), "'Lib/caf\\xe9.py'", 'is not UTF-8');
  });

  it('a real U+FFFD in a UTF-8 name is fine', async () => {
    const tree = copySample();
    writeFileSync(join(tree, 'Lib', 'odd\uFFFDname.py'), 'x = 1\n');
    const result = await run(['generate', tree, '--output', '-']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('odd\\ufffdname.py');
  });
});

/** A wheel (zip) with the given members, in order; names may repeat. */
function zip(members: [string, string][]): Promise<Buffer> {
  const archive = new yazl.ZipFile();
  for (const [name, text] of members) archive.addBuffer(Buffer.from(text), name, { mtime: new Date(0), compress: false });
  archive.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    archive.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    archive.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    archive.outputStream.on('error', reject);
  });
}

/** Offsets of every central directory record (PK\x01\x02) of a zip. */
function centralRecords(bytes: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = bytes.indexOf('PK\x01\x02'); at !== -1; at = bytes.indexOf('PK\x01\x02', at + 4)) offsets.push(at);
  return offsets;
}

describe('wheels (class 12)', () => {
  const VENDOR = 'pip/_vendor/vendor.txt';

  it('a member name given twice is an error naming it', async () => {
    const wheel = await zip([
      [VENDOR, 'requests==2.31.0\n'],
      [VENDOR, 'evil==6.6.6\n'],
    ]);
    await expect(readWheelMembers(wheel, 'pip.whl', [VENDOR])).rejects.toThrow(`pip.whl: corrupt zip (member ${VENDOR} appears more than once)`);
  });

  it('a member whose CRC-32 is wrong is an error naming it', async () => {
    const wheel = await zip([[VENDOR, 'requests==2.31.0\n']]);
    const [record] = centralRecords(wheel);
    wheel.writeUInt32LE((wheel.readUInt32LE((record as number) + 16) ^ 0xffffffff) >>> 0, (record as number) + 16);
    await expect(readWheelMembers(wheel, 'pip.whl', [VENDOR])).rejects.toThrow(`member ${VENDOR} fails its CRC-32 check`);
  });

  it('an encrypted member is reported as encrypted, not as a size mismatch', async () => {
    const wheel = await zip([[VENDOR, 'requests==2.31.0\n']]);
    const [record] = centralRecords(wheel);
    wheel.writeUInt16LE(wheel.readUInt16LE((record as number) + 8) | 1, (record as number) + 8);
    wheel.writeUInt16LE(wheel.readUInt16LE(6) | 1, 6);
    await expect(readWheelMembers(wheel, 'pip.whl', [VENDOR])).rejects.toThrow(`member ${VENDOR} is encrypted`);
  });

  it('through the CLI: a pip wheel with two vendor.txt members, exit 2 naming it', async () => {
    const tree = copySample();
    const path = join(tree, 'Lib', 'ensurepip', '_bundled', 'pip-24.0-py3-none-any.whl');
    writeFileSync(
      path,
      await zip([
        [VENDOR, 'requests==2.31.0\n'],
        [VENDOR, 'requests==2.31.0\n'],
      ]),
    );
    expectOneLine(await run(['generate', tree, '--output', '-']), 'pip-24.0-py3-none-any.whl', `${VENDOR} appears more than once`);
  });

  it('reading every member (the complete profile) checks each CRC-32 and refuses a name given twice', async () => {
    const wheel = await zip([
      [VENDOR, 'requests==2.31.0\n'],
      ['pip/__init__.py', ''],
    ]);
    expect((await readAllWheelMembers(wheel, 'pip.whl', () => false)).map((member) => member.name)).toEqual([VENDOR, 'pip/__init__.py']);
    const [, second] = centralRecords(wheel);
    wheel.writeUInt32LE((wheel.readUInt32LE((second as number) + 16) ^ 0xffffffff) >>> 0, (second as number) + 16);
    await expect(readAllWheelMembers(wheel, 'pip.whl', () => false)).rejects.toThrow('member pip/__init__.py fails its CRC-32 check');
    const twice = await zip([
      ['a', '1'],
      ['a', '1'],
    ]);
    await expect(readAllWheelMembers(twice, 'pip.whl', () => false)).rejects.toThrow('member a appears more than once');
  });

  it('an intact wheel still reads', async () => {
    const wheel = await zip([
      ['a', '1'],
      [VENDOR, 'requests==2.31.0\n'],
      ['b', '2'],
    ]);
    const found = await readWheelMembers(wheel, 'pip.whl', [VENDOR]);
    expect(found.get(VENDOR)?.toString()).toBe('requests==2.31.0\n');
  });
});
