import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HIGH_WATER } from '../../src/source/decompress-worker.js';
import { decompressionPlace, openDecompressed } from '../../src/source/decompressed-stream.js';
import { scanSource } from '../../src/source/index.js';
import { dropPrefetched, prefetchTarball, takePrefetched } from '../../src/source/prefetch.js';
import { makeTar } from '../detect/archive-helpers.js';
import { tempDir } from '../support/cli.js';

/**
 * The decompression thread (decompress-worker.ts) against the main-thread reader it stands in
 * for: the same bytes, digests, members and errors, and bounded memory when the reader is slow.
 */
const PLACE = process.env.CPYTHON_SBOM_DECOMPRESS;
afterEach(() => {
  if (PLACE === undefined) delete process.env.CPYTHON_SBOM_DECOMPRESS;
  else process.env.CPYTHON_SBOM_DECOMPRESS = PLACE;
});

/** A release-shaped tar (members below `Python-3.13.0/`) of the given files. */
function tarOf(files: Record<string, Buffer | string>): Promise<Buffer> {
  return makeTar(Object.entries(files).map(([name, content]) => ({ name: `Python-3.13.0/${name}`, content })));
}

/** The tar compressed as asked, with the system's gzip and xz. */
function compressed(tar: Buffer, kind: 'xz' | 'gzip' | 'none'): string {
  const path = join(tempDir(), `Python-3.13.0.tar${kind === 'xz' ? '.xz' : kind === 'gzip' ? '.gz' : ''}`);
  writeFileSync(path, kind === 'none' ? tar : execFileSync(kind, ['-c'], { input: tar, maxBuffer: 1 << 30 }));
  return path;
}

async function drain(path: string, kind: 'xz' | 'gzip' | 'none', slow = false) {
  const stream = openDecompressed(path, kind);
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream.output) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    if (slow) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return { bytes, sha256: hash.digest('hex'), digests: await stream.done };
}

describe('the decompression thread', () => {
  it('is where a built tree with two cores decompresses', () => {
    // The tests run after `npm run build` (pretest), so the thread's module is there to use.
    expect(existsSync(join(import.meta.dirname, '../../dist/source/decompress-worker.js'))).toBe(true);
    expect(decompressionPlace()).toBe('thread');
    process.env.CPYTHON_SBOM_DECOMPRESS = 'main';
    expect(decompressionPlace()).toBe('main');
  });

  it.each(['xz', 'gzip', 'none'] as const)('gives the bytes and the digests the main thread gives (%s)', async (kind) => {
    const tar = await tarOf({ 'README.rst': 'Python\n', 'Lib/big.bin': randomBytes(3 * 1024 * 1024), 'Lib/a.py': 'x = 1\n' });
    const path = compressed(tar, kind);
    const threaded = await drain(path, kind);
    process.env.CPYTHON_SBOM_DECOMPRESS = 'main';
    const main = await drain(path, kind);
    expect(threaded).toEqual(main);
    expect(threaded.sha256).toBe(createHash('sha256').update(tar).digest('hex'));
    expect(threaded.digests.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
  });

  it('gives SHA-512 of the file when asked', async () => {
    const path = compressed(await tarOf({ 'a.txt': 'a\n' }), 'xz');
    const stream = openDecompressed(path, 'xz', { sha512: true });
    stream.output.resume();
    expect((await stream.done).sha512).toBe(createHash('sha512').update(readFileSync(path)).digest('hex'));
  });

  it.each(['gzip', 'none'] as const)('keeps every byte, in order, for a reader slower than the decompressor, on either thread (%s)', async (kind) => {
    // More than the high-water mark of incompressible bytes (reading pauses past it), read a chunk per millisecond.
    const tar = await tarOf({ 'Lib/noise.bin': randomBytes(HIGH_WATER + 4 * 1024 * 1024) });
    const path = compressed(tar, kind);
    for (const place of ['thread', 'main']) {
      process.env.CPYTHON_SBOM_DECOMPRESS = place;
      const slow = await drain(path, kind, true);
      expect(slow.bytes).toBe(tar.length);
      expect(slow.sha256).toBe(createHash('sha256').update(tar).digest('hex'));
    }
  });

  it.each(['xz', 'gzip'] as const)('fails a truncated %s archive with the message the main thread gives', async (kind) => {
    const whole = readFileSync(compressed(await tarOf({ 'Lib/noise.bin': randomBytes(256 * 1024) }), kind));
    const path = join(tempDir(), kind === 'xz' ? 'Python-3.13.0.tar.xz' : 'Python-3.13.0.tgz');
    writeFileSync(path, whole.subarray(0, whole.length - 100));
    const threaded = await scanSource(path).catch((error: Error) => error.message);
    process.env.CPYTHON_SBOM_DECOMPRESS = 'main';
    const main = await scanSource(path).catch((error: Error) => error.message);
    expect(threaded).toMatch(/truncated or corrupt archive/);
    expect(threaded).toBe(main);
  });

  it('scans a tarball to the same result on either thread', async () => {
    const path = compressed(await tarOf({ 'Include/patchlevel.h': '#define PY_VERSION "3.13.0"\n', 'Lib/a.py': '# Copyright 2020 A\n' }), 'xz');
    const threaded = await scanSource(path, { sha512: true });
    process.env.CPYTHON_SBOM_DECOMPRESS = 'main';
    const main = await scanSource(path, { sha512: true });
    expect(threaded).toEqual(main);
    expect(threaded.artifact?.sha512).toMatch(/^[0-9a-f]{128}$/);
  });
});

describe('a tarball started before the tool loads (generate on the command line)', () => {
  it('is taken by the scan, which gives what a scan started afresh gives', async () => {
    const path = compressed(await tarOf({ 'Include/patchlevel.h': '#define PY_VERSION "3.13.0"\n', 'Lib/a.py': 'x = 1\n' }), 'xz');
    const fresh = await scanSource(path);
    await prefetchTarball(path);
    const early = await scanSource(path);
    expect(early).toEqual(fresh);
    // Taken once: nothing is left for a second scan.
    expect(takePrefetched(path, 'xz', false)).toBeUndefined();
  });

  it('is running before prefetchTarball resolves: the thread has read the first bytes', async () => {
    const path = compressed(await tarOf({ 'Lib/noise.bin': randomBytes(2 * 1024 * 1024) }), 'xz');
    const stream = openDecompressed(path, 'xz');
    let read = 0;
    stream.onRead((bytes) => {
      read = bytes;
    });
    await stream.started;
    expect(read).toBeGreaterThan(0);
    stream.output.resume();
    await stream.done;
    // The command line's early start waits for the same moment.
    const early = await prefetchTarball(path);
    expect(early).toBe('xz');
    const taken = takePrefetched(path, 'xz', false);
    expect(taken).toBeDefined();
    // Already settled: its callback runs before the next turn of the event loop.
    const state = await Promise.race([taken?.started.then(() => 'running'), new Promise((resolve) => setImmediate(() => resolve('waiting')))]);
    expect(state).toBe('running');
    taken?.abort();
  });

  it('does not wait forever for a decompressor that fails at once', async () => {
    // xz's magic, then garbage: the decompressor fails on its first bytes.
    const path = join(tempDir(), 'Python-3.13.0.tar.xz');
    writeFileSync(path, Buffer.concat([Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), randomBytes(4096)]));
    const stream = openDecompressed(path, 'xz');
    stream.output.on('error', () => undefined).resume();
    await stream.started;
    await expect(stream.done).rejects.toThrow(/xz/);
  });

  it('fails the scan with one readable error when the archive fails before the scan takes it', async () => {
    const whole = readFileSync(compressed(await tarOf({ 'Lib/noise.bin': randomBytes(256 * 1024) }), 'gzip'));
    const path = join(tempDir(), 'Python-3.13.0.tgz');
    writeFileSync(path, whole.subarray(0, whole.length - 100));
    await prefetchTarball(path);
    // Let the thread fail while nothing reads its output (the rest of the tool loading): that
    // must not be an uncaught error, which the test runner reports and the CLI would crash on.
    const early = takePrefetched(path, 'gzip', false);
    await expect(early?.done).rejects.toThrow(/unexpected end of file/);
    await new Promise((resolve) => setImmediate(resolve));
    const fresh = await scanSource(path).catch((error: Error) => error.message);
    expect(fresh).toMatch(/truncated or corrupt archive \(unexpected end of file\)$/);
    // And the same when the scan itself takes the failed stream.
    await prefetchTarball(path);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await scanSource(path).catch((error: Error) => error.message)).toBe(fresh);
  });

  it('is dropped, not used, when the scan wants other digests (--hash sha512 guessed wrong)', async () => {
    const path = compressed(await tarOf({ 'a.txt': 'a\n' }), 'gzip');
    await prefetchTarball(path, { sha512: false });
    const scanned = await scanSource(path, { sha512: true });
    expect(scanned.artifact?.sha512).toBe(createHash('sha512').update(readFileSync(path)).digest('hex'));
  });

  it('is not started for what is not a tarball, and stopped when no scan takes it', async () => {
    const notTar = join(tempDir(), 'notes.txt');
    writeFileSync(notTar, 'just text\n');
    await prefetchTarball(notTar);
    expect(takePrefetched(notTar, 'none', false)).toBeUndefined();
    await prefetchTarball(tempDir());
    const path = compressed(await tarOf({ 'a.txt': 'a\n' }), 'xz');
    await prefetchTarball(path);
    dropPrefetched();
    expect(takePrefetched(path, 'xz', false)).toBeUndefined();
  });
});
