import { spawn } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { writeFilesAtomic } from '../../src/util/atomic-write.js';
import { REPO, run, runBinary, tempDir } from '../support/cli.js';

/** Named explicitly: without SOURCE, generate adds a note line about the sample to stderr. */
const SAMPLE = join(REPO, 'fixtures', 'sample-cpython');

const dir = tempDir('cpython-sbom-outputs-');
let counter = 0;
const fresh = (): string => {
  const path = join(dir, `case-${++counter}`);
  mkdirSync(path);
  return path;
};

describe('--output: regular files are replaced, special files written in place (class 1)', () => {
  it('writes into a FIFO without replacing it', async () => {
    const where = fresh();
    const fifo = join(where, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // A reader opened non-blocking first, so the writer finds one.
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const result = await run(['generate', SAMPLE, '--output', fifo]);
      expect(result.code).toBe(0);
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      const buffer = Buffer.alloc(1 << 16);
      const read = readSync(reader, buffer, 0, buffer.length, null);
      expect(JSON.parse(buffer.subarray(0, read).toString('utf8')).spdxVersion).toBe('SPDX-2.3');
    } finally {
      closeSync(reader);
    }
    expect(readdirSync(where)).toEqual(['pipe']);
  });

  it('refuses a FIFO nobody reads at once, with one line, instead of hanging', async () => {
    const fifo = join(fresh(), 'pipe');
    execFileSync('mkfifo', [fifo]);
    const result = await run(['generate', SAMPLE, '--output', fifo]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('no reader');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('writes through a symbolic link: the link is kept, the file it names replaced', async () => {
    const where = fresh();
    writeFileSync(join(where, 'real.json'), 'old');
    symlinkSync('real.json', join(where, 'link.json'));
    const result = await run(['generate', SAMPLE, '--output', join(where, 'link.json')]);
    expect(result.code).toBe(0);
    expect(lstatSync(join(where, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(where, 'link.json'))).toBe('real.json');
    expect(JSON.parse(readFileSync(join(where, 'real.json'), 'utf8')).spdxVersion).toBe('SPDX-2.3');
    expect(readdirSync(where).sort()).toEqual(['link.json', 'real.json']);
  });

  it('writes through a dangling symbolic link to the file it names', async () => {
    const where = fresh();
    mkdirSync(join(where, 'sub'));
    symlinkSync('sub/target.json', join(where, 'link.json'));
    expect((await run(['generate', SAMPLE, '--output', join(where, 'link.json')])).code).toBe(0);
    expect(lstatSync(join(where, 'link.json')).isSymbolicLink()).toBe(true);
    expect(statSync(join(where, 'sub', 'target.json')).isFile()).toBe(true);
  });

  it('writes to a character device in place (/dev/null stays a device)', async () => {
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    const result = await run(['generate', SAMPLE, '--output', '/dev/null']);
    expect(result.code).toBe(0);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(readdirSync('/dev').filter((name) => name.startsWith('.null.'))).toEqual([]);
  });

  it('/dev/stdout when standard output is a pipe: written in place through the link', () => {
    const result = runBinary(['generate', SAMPLE, '--output', '/dev/stdout']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).spdxVersion).toBe('SPDX-2.3');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('refuses a directory as the output', async () => {
    const where = fresh();
    const result = await run(['generate', SAMPLE, '--output', where]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is a directory');
  });
});

describe('--out-dir: every target is checked before the first rename (class 4)', () => {
  it('leaves an existing earlier target untouched when a later one is a directory', async () => {
    const out = fresh();
    writeFileSync(join(out, 'sample-cpython.spdx.json'), 'keep me');
    mkdirSync(join(out, 'sample-cpython.cdx.xml'));
    const result = await run(['generate', SAMPLE, '--format', 'spdx-json,cyclonedx-json,cyclonedx-xml', '--out-dir', out]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('sample-cpython.cdx.xml: is a directory');
    expect(readFileSync(join(out, 'sample-cpython.spdx.json'), 'utf8')).toBe('keep me');
    expect(existsSync(join(out, 'sample-cpython.cdx.json'))).toBe(false);
    expect(readdirSync(out).sort()).toEqual(['sample-cpython.cdx.xml', 'sample-cpython.spdx.json']);
  });

  it('writeFilesAtomic: a FIFO without reader among the targets stops everything before any rename', async () => {
    const where = fresh();
    writeFileSync(join(where, 'a'), 'old a');
    execFileSync('mkfifo', [join(where, 'b')]);
    await expect(
      writeFilesAtomic([
        { path: join(where, 'a'), data: 'new a' },
        { path: join(where, 'b'), data: 'new b' },
      ]),
    ).rejects.toThrow(/no reader/);
    expect(readFileSync(join(where, 'a'), 'utf8')).toBe('old a');
    expect(readdirSync(where).sort()).toEqual(['a', 'b']);
  });

  it('the built binary writes to a FIFO read by another process', async () => {
    const where = fresh();
    const fifo = join(where, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const cat = spawn('cat', [fifo]);
    let got = '';
    cat.stdout.on('data', (chunk: Buffer) => (got += chunk.toString()));
    const closed = new Promise((resolve) => cat.on('close', resolve));
    // cat opens the FIFO asynchronously; wait until it has.
    for (let i = 0; i < 100; i++) {
      const result = await run(['generate', SAMPLE, '--output', fifo]);
      if (result.code === 0) break;
      await new Promise((wait) => setTimeout(wait, 20));
    }
    await closed;
    expect(JSON.parse(got).spdxVersion).toBe('SPDX-2.3');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});
