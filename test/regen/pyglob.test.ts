import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fnmatchRegex, pythonGlob } from '../../src/regen/pyglob.js';
import { tempDir } from '../support/cli.js';

const root = tempDir('cpython-sbom-pyglob-');
for (const path of ['v/a.c', 'v/b.h', 'v/.hidden', 'v/sub/c.c', 'v/.git/config', 'v/sub/.x/d.c', 'w/x.c']) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), path);
}
mkdirSync(join(root, 'v/empty'));
mkdirSync(join(root, 'loop/sub'), { recursive: true });
symlinkSync('..', join(root, 'loop/sub/up'));

const sorted = (paths: string[]) => [...paths].sort();

describe('pythonGlob (glob.glob(..., recursive=True))', () => {
  it('`dir/**` yields the directory itself, then everything below that is not hidden', () => {
    expect(sorted(pythonGlob('v/**', root))).toEqual(
      sorted(['v/', 'v/a.c', 'v/b.h', 'v/sub', 'v/sub/c.c', 'v/empty']),
    );
  });

  it('`*` and `?` do not match hidden names; a pattern starting with a dot does', () => {
    expect(sorted(pythonGlob('v/*', root))).toEqual(['v/a.c', 'v/b.h', 'v/empty', 'v/sub']);
    expect(pythonGlob('v/.h*', root)).toEqual(['v/.hidden']);
    expect(sorted(pythonGlob('v/?.?', root))).toEqual(['v/a.c', 'v/b.h']);
  });

  it('matches magic in directory parts and `**` in the middle', () => {
    expect(sorted(pythonGlob('*/x.c', root))).toEqual(['w/x.c']);
    expect(sorted(pythonGlob('v/**/*.c', root))).toEqual(['v/a.c', 'v/sub/c.c']);
  });

  it('yields a literal path only when it exists, and nothing for a missing directory', () => {
    expect(pythonGlob('v/a.c', root)).toEqual(['v/a.c']);
    expect(pythonGlob('v/none.c', root)).toEqual([]);
    expect(pythonGlob('gone/**', root)).toEqual([]);
  });

  it('follows a symbolic link to a directory once, and does not loop forever on a cycle', () => {
    // Python recurses until the path is too long; the first round is the same.
    expect(sorted(pythonGlob('loop/**', root))).toEqual(['loop/', 'loop/sub', 'loop/sub/up']);
  });
});

describe('fnmatchRegex', () => {
  it('translates character classes, negation and literal brackets', () => {
    expect(fnmatchRegex('[ab].c').test('a.c')).toBe(true);
    expect(fnmatchRegex('[!ab].c').test('a.c')).toBe(false);
    expect(fnmatchRegex('[!ab].c').test('z.c')).toBe(true);
    expect(fnmatchRegex('x[').test('x[')).toBe(true);
    expect(fnmatchRegex('a.c').test('abc')).toBe(false);
    expect(fnmatchRegex('*.c').test('.c')).toBe(true);
  });
});
