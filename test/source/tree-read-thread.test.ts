import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { scanDirectory } from '../../src/source/directory.js';
import { startReadingThread } from '../../src/source/tree-read-thread.js';
import type { ScanOptions } from '../../src/source/types.js';
import { writeTree } from '../support/cli.js';

/**
 * A source directory read and hashed on a thread of its own (tree-read-worker.ts), as a scan with
 * a content reader does, against the main thread reading it alone (`CPYTHON_SBOM_READ=main`):
 * the same files, digests, kept and shown bytes in the same order, and the same failures.
 */
const PLACE = process.env.CPYTHON_SBOM_READ;
afterEach(() => {
  if (PLACE === undefined) delete process.env.CPYTHON_SBOM_READ;
  else process.env.CPYTHON_SBOM_READ = PLACE;
});

const WORKER = join(import.meta.dirname, '..', '..', 'dist', 'source', 'tree-read-worker.js');

const tree = (files: Record<string, Buffer | string>): string => writeTree(files, 'read-thread-');

/** A scan with a reader that records what it was shown, in order. */
async function scanned(root: string, place: 'main' | 'thread', options: Omit<ScanOptions, 'readContent'> & { shows: (path: string) => boolean }) {
  if (place === 'main') process.env.CPYTHON_SBOM_READ = 'main';
  else delete process.env.CPYTHON_SBOM_READ;
  const shown: [string, string][] = [];
  const { shows, ...rest } = options;
  const scan = await scanDirectory(root, {
    ...rest,
    readContent: { wants: shows, see: (path, bytes) => shown.push([path, createHash('sha256').update(bytes).digest('hex')]) },
  });
  const contents = [...scan.contents].map(([path, bytes]) => [path, bytes.toString('base64')]);
  return { files: scan.files, contents, shown };
}

async function failure(root: string, place: 'main' | 'thread', options: ScanOptions): Promise<Error> {
  if (place === 'main') process.env.CPYTHON_SBOM_READ = 'main';
  else delete process.env.CPYTHON_SBOM_READ;
  return scanDirectory(root, options).then(
    () => new Error('the scan did not fail'),
    (error: Error) => error,
  );
}

describe('reading a tree on a thread of its own', () => {
  it('is built, so that the scans below use it (npm run build makes dist/source/tree-read-worker.js)', () => {
    expect(existsSync(WORKER), `${WORKER} is missing: run npm run build before the tests`).toBe(true);
    delete process.env.CPYTHON_SBOM_READ;
    const thread = startReadingThread();
    expect(thread).toBeDefined();
    thread?.close();
    process.env.CPYTHON_SBOM_READ = 'main';
    expect(startReadingThread()).toBeUndefined();
  });

  it('gives the scan a main-thread read gives: sizes, digests, kept and shown bytes, in order', async () => {
    const files: Record<string, Buffer | string> = { 'empty.txt': '', 'kept.txt': 'kept\n', 'image.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]) };
    // More than the thread may read ahead (8 MiB), so it has to wait for the reader.
    for (let i = 0; i < 24; i++) files[`Lib/part${String(i).padStart(2, '0')}.py`] = Buffer.alloc(512 * 1024 + i, String.fromCharCode(97 + i));
    for (let i = 0; i < 300; i++) files[`Lib/small/m${i}.py`] = `# module ${i}\n`.repeat(i % 7);
    // Past the whole-read limit (16 MiB) and past what a reader is shown (8 MiB): hashed in chunks.
    files['big.bin'] = Buffer.alloc(16 * 1024 * 1024 + 3, 'z');
    const root = tree(files);
    const options = {
      shows: (path: string) => path.endsWith('.py') || path === 'big.bin',
      wantContent: (path: string) => path === 'kept.txt' || path === 'empty.txt',
    };
    const onMain = await scanned(root, 'main', options);
    const onThread = await scanned(root, 'thread', options);
    expect(onThread).toEqual(onMain);
    expect(onMain.files).toHaveLength(Object.keys(files).length);
    expect(onMain.shown.map(([path]) => path)).toEqual(onMain.files.map((file) => file.path).filter((path) => path.endsWith('.py')));
    expect(onMain.contents).toEqual([
      ['empty.txt', ''],
      ['kept.txt', Buffer.from('kept\n').toString('base64')],
    ]);
    const big = onThread.files.find((file) => file.path === 'big.bin');
    expect(big).toMatchObject({
      size: 16 * 1024 * 1024 + 3,
      sha1: createHash('sha1')
        .update(files['big.bin'] as Buffer)
        .digest('hex'),
    });
    // SHA-512 as well when asked for.
    const withSha512 = await scanned(root, 'thread', { ...options, sha512: true });
    expect(withSha512.files.find((file) => file.path === 'kept.txt')?.sha512).toBe(createHash('sha512').update('kept\n').digest('hex'));
    expect(withSha512.files.map(({ sha512: _, ...file }) => file)).toEqual(onMain.files);
  });

  it('fails where a main-thread read fails, with the same message', async () => {
    const root = tree({ 'a.txt': 'a', 'big.txt': 'x'.repeat(5000), 'c.txt': 'c' });
    const limited = {
      wantContent: (path: string) => path === 'big.txt',
      limits: { maxContentBytes: 4096 },
      readContent: { wants: () => true, see: () => undefined },
    };
    const [onMain, onThread] = [await failure(root, 'main', limited), await failure(root, 'thread', limited)];
    expect(onThread).toBeInstanceOf(InputError);
    expect(onThread.message).toMatch(/big\.txt: 5000 bytes, more than the 4096 this tool reads$/);
    expect(onThread.message).toBe(onMain.message);

    const outside = tree({ 'secret.txt': 'outside the tree' });
    for (const swap of ['link', 'fifo'] as const) {
      const messages: string[] = [];
      for (const place of ['main', 'thread'] as const) {
        const swapped = tree({ 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c' });
        // Asked about b.txt once the tree is listed, before any file is read, the reader swaps it.
        const wants = (path: string) => {
          if (path === 'b.txt') {
            rmSync(join(swapped, 'b.txt'));
            if (swap === 'link') symlinkSync(join(outside, 'secret.txt'), join(swapped, 'b.txt'));
            else execFileSync('mkfifo', [join(swapped, 'b.txt')]);
          }
          return true;
        };
        const error = await failure(swapped, place, { readContent: { wants, see: () => undefined } });
        expect(error, `${swap} on ${place}`).toBeInstanceOf(InputError);
        messages.push(error.message.replace(swapped, 'ROOT'));
      }
      expect(messages[0]).toMatch(/b\.txt: no longer a regular file \(it changed while the tree was read\)$/);
      expect(messages[1]).toBe(messages[0]);
    }
  });

  it('stops reading when the scan fails on its own side (a reader that throws)', async () => {
    const root = tree({ 'a.txt': 'a', 'b.txt': 'b' });
    const error = await failure(root, 'thread', {
      readContent: {
        wants: () => true,
        see: () => {
          throw new InputError('a.txt: refused by the reader');
        },
      },
    });
    expect(error.message).toBe('a.txt: refused by the reader');
  });
});
