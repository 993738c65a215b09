import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { scanDirectory } from '../../src/source/directory.js';
import { checkoutIgnoreRules } from '../../src/source/gitignore.js';
import { writeTree } from '../support/cli.js';

const made: string[] = [];
const PLACE = process.env.CPYTHON_SBOM_READ;
afterEach(() => {
  if (PLACE === undefined) delete process.env.CPYTHON_SBOM_READ;
  else process.env.CPYTHON_SBOM_READ = PLACE;
  for (const dir of made.splice(0)) {
    chmodSync(dir, 0o755);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A tree from `{ 'a/b.txt': 'text' }`; made readable again after each test (one is made unreadable). */
function tree(files: Record<string, string>): string {
  const root = writeTree(files, 'walk-');
  made.push(root);
  return root;
}

const git = (root: string, ...args: string[]) =>
  execFileSync('git', ['-C', root, '-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], { stdio: 'pipe' });

describe('scanning a directory', () => {
  it('lists every regular file once, sorted by code point, with its hashes', async () => {
    const root = tree({ 'b.txt': 'b', 'a-c/x': 'x', 'a/b': '', '.hidden/y': 'y', 'Z.txt': 'z' });
    const scan = await scanDirectory(root);
    expect(scan.files.map((file) => file.path)).toEqual(['.hidden/y', 'Z.txt', 'a-c/x', 'a/b', 'b.txt']);
    const empty = scan.files.find((file) => file.path === 'a/b');
    expect(empty).toMatchObject({ size: 0, sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' });
    expect(scan.kind).toBe('directory');
  });

  it('never follows a symbolic link, and says what it passed over', async () => {
    const root = tree({ 'Lib/os.py': 'os' });
    symlinkSync('.', join(root, 'Lib', 'loop'));
    symlinkSync('/etc', join(root, 'outside'));
    symlinkSync('os.py', join(root, 'Lib', 'alias.py'));
    const scan = await scanDirectory(root);
    expect(scan.files.map((file) => file.path)).toEqual(['Lib/os.py']);
    expect(scan.skipped).toEqual(
      expect.arrayContaining([
        { path: 'Lib/loop', reason: 'symlink to .' },
        { path: 'outside', reason: 'symlink to /etc' },
        { path: 'Lib/alias.py', reason: 'symlink to os.py' },
      ]),
    );
  });

  it('skips .git and, in a git checkout, what git ignores (tracked files stay)', async () => {
    const root = tree({
      '.gitignore': '*.o\nbuild/\n',
      'Modules/main.c': 'c',
      'Modules/main.o': 'object',
      'build/lib/x.so': 'so',
      'kept.o': 'tracked although it matches',
    });
    git(root, 'init', '-q');
    git(root, 'add', '.gitignore', 'Modules/main.c');
    git(root, 'add', '-f', 'kept.o');
    git(root, 'commit', '-qm', 'init');
    const scan = await scanDirectory(root);
    expect(scan.files.map((file) => file.path)).toEqual(['.gitignore', 'Modules/main.c', 'kept.o']);
    const all = await scanDirectory(root, { respectGitignore: false });
    expect(all.files.map((file) => file.path)).toEqual(['.gitignore', 'Modules/main.c', 'Modules/main.o', 'build/lib/x.so', 'kept.o']);
  });

  it('applies .gitignore rules, nested and negated, without an index', () => {
    const root = tree({ '.gitignore': '*.o\n!keep.o\ncache/\n', 'sub/.gitignore': '*.txt\n' });
    const ignored = checkoutIgnoreRules(root, { useIndex: false });
    expect(ignored.ignores('a.o', false)).toBe(true);
    expect(ignored.ignores('keep.o', false)).toBe(false);
    expect(ignored.ignores('cache', true)).toBe(true);
    expect(ignored.ignores('cache/inner/file.c', false)).toBe(true);
    expect(ignored.ignores('sub/notes.txt', false)).toBe(true);
    expect(ignored.ignores('notes.txt', false)).toBe(false);
  });

  it('refuses a file that became a link or a FIFO after it was listed, instead of following or waiting on it', async () => {
    const outside = tree({ 'secret.txt': 'outside the tree' });
    // Read on the main thread, one file after the other: the reading thread a content reader
    // otherwise brings reads ahead of the reader (tree-read-thread.test.ts swaps a file before
    // any is read, on both).
    process.env.CPYTHON_SBOM_READ = 'main';
    for (const swap of ['link', 'fifo'] as const) {
      const root = tree({ 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c' });
      // Shown a.txt, the reader swaps b.txt, which the listing already found regular.
      const readContent = {
        wants: (path: string) => path === 'a.txt',
        see: () => {
          rmSync(join(root, 'b.txt'));
          if (swap === 'link') symlinkSync(join(outside, 'secret.txt'), join(root, 'b.txt'));
          else execFileSync('mkfifo', [join(root, 'b.txt')]);
        },
      };
      const scanned = scanDirectory(root, { readContent });
      await expect(scanned, swap).rejects.toThrow(InputError);
      await expect(scanned.catch((error: Error) => error.message)).resolves.toMatch(/b\.txt: no longer a regular file \(it changed while the tree was read\)$/);
    }
  });

  it('streams a file past the whole-read limit through the hashes, opened as the listing found it', async () => {
    // 16 MiB and one byte: read through a stream, not whole.
    const big = Buffer.alloc(16 * 1024 * 1024 + 1, 'x');
    const root = tree({ 'big.bin': '', 'small.txt': 's' });
    writeFileSync(join(root, 'big.bin'), big);
    const scan = await scanDirectory(root);
    expect(scan.files.find((file) => file.path === 'big.bin')).toMatchObject({
      size: big.length,
      sha1: createHash('sha1').update(big).digest('hex'),
      sha256: createHash('sha256').update(big).digest('hex'),
    });
  });

  it('reads each file whole by its descriptor: its bytes kept or shown as they are, and a kept file past the content limit refused', async () => {
    const root = tree({ 'kept.txt': 'kept bytes\n', 'shown.txt': 'shown bytes\n', 'big.txt': 'x'.repeat(5000), 'empty.txt': '' });
    const seen = new Map<string, string>();
    const scan = await scanDirectory(root, {
      wantContent: (path) => path === 'kept.txt' || path === 'empty.txt',
      readContent: { wants: (path) => path === 'shown.txt', see: (path, bytes) => seen.set(path, bytes.toString()) },
    });
    expect(scan.contents.get('kept.txt')?.toString()).toBe('kept bytes\n');
    expect(scan.contents.get('empty.txt')?.length).toBe(0);
    expect(seen.get('shown.txt')).toBe('shown bytes\n');
    expect(scan.files.find((file) => file.path === 'big.txt')).toMatchObject({
      size: 5000,
      sha256: createHash('sha256').update('x'.repeat(5000)).digest('hex'),
    });
    const limited = scanDirectory(root, { wantContent: (path) => path === 'big.txt', limits: { maxContentBytes: 4096 } });
    await expect(limited.catch((error: Error) => error.message)).resolves.toMatch(/big\.txt: 5000 bytes, more than the 4096 this tool reads$/);
  });

  it('refuses a directory it cannot read, naming it', async () => {
    if (process.getuid?.() === 0) {
      // root reads everything: simulate with a path that is not a directory at all
      await expect(scanDirectory(join(tree({ f: '' }), 'missing'))).rejects.toThrow(InputError);
      return;
    }
    const root = tree({ 'locked/x': 'x' });
    chmodSync(join(root, 'locked'), 0o000);
    made.push(join(root, 'locked'));
    await expect(scanDirectory(root)).rejects.toThrow(/cannot read .*locked/);
  });

  it('stops at the entry limit, counting directories too', async () => {
    const root = tree({ a: '', b: '', c: '', d: '' });
    await expect(scanDirectory(root, { limits: { maxEntries: 2 } })).rejects.toThrow(/more than 2 entries/);
    await expect(scanDirectory(root, { limits: { maxEntries: 4 } })).resolves.toMatchObject({ files: { length: 4 } });
    const empty = tree({});
    for (let i = 0; i < 5; i++) mkdirSync(join(empty, `d${i}`, 'e'), { recursive: true });
    await expect(scanDirectory(empty, { limits: { maxEntries: 8 } })).rejects.toThrow(/more than 8 entries/);
  });
});
