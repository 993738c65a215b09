import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SAMPLE, run, tempDir } from '../support/cli.js';

// Issue 23, "Hostile input, round three": classes 2–8 (class 1 is in git-checkout.test.ts).

const dir = tempDir('cpython-sbom-round3-');
let counter = 0;

function expectOneLine(result: { code: number; stderr: string }, ...fragments: string[]): void {
  expect(result.code).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/internal error|please report|\n\s+at /);
  for (const fragment of fragments) expect(result.stderr).toContain(fragment);
}

function tarHeader(name: string, type: '0' | '5', size: number): Buffer {
  const block = Buffer.alloc(512);
  Buffer.from(name).copy(block, 0, 0, 100);
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136);
  block.write('        ', 148);
  block.write(type, 156);
  block.write('ustar\0', 257);
  block.write('00', 263);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

function tarMember(name: string, body: Buffer | string): Buffer {
  const bytes = Buffer.from(body);
  const padded = Buffer.alloc(Math.ceil(bytes.length / 512) * 512);
  bytes.copy(padded);
  return Buffer.concat([tarHeader(name, '0', bytes.length), padded]);
}

function tarball(members: Buffer[]): string {
  const path = join(dir, `t${++counter}.tgz`);
  writeFileSync(path, gzipSync(Buffer.concat([
    tarHeader('Python-3.13.0/', '5', 0),
    tarMember('Python-3.13.0/Include/patchlevel.h', '#define PY_VERSION "3.13.0"\n'),
    ...members,
    Buffer.alloc(1024),
  ])));
  return path;
}

describe('class 3: tar member names are normalised before any check', () => {
  for (const spelling of ['Python-3.13.0/Modules/expat/./xmlparse.c', 'Python-3.13.0/Modules//expat/xmlparse.c', './Python-3.13.0/Modules/expat/xmlparse.c']) {
    it(`${spelling} after Modules/expat/xmlparse.c is a duplicate`, async () => {
      const bad = tarball([tarMember('Python-3.13.0/Modules/expat/xmlparse.c', 'clean\n'), tarMember(spelling, 'evil\n')]);
      expectOneLine(await run(['generate', bad, '--output', '-']), 'appears more than once', spelling);
    });
  }

  it('a lone ./-spelled member is recorded under its normal name', async () => {
    const ok = tarball([tarMember('Python-3.13.0/Lib/./x.py', 'x = 1\n')]);
    const result = await run(['generate', ok, '--output', '-']);
    expect(result.code).toBe(0);
    const names = (JSON.parse(result.stdout) as { files: { fileName: string }[] }).files.map((f) => f.fileName);
    expect(names).toContain('Lib/x.py');
    expect(names.some((n) => n.includes('/./'))).toBe(false);
  });
});
