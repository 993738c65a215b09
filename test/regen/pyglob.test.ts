import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fnmatchRegex, pythonGlob } from '../../src/regen/pyglob.js';
import { compileFnmatch } from '../../src/util/fnmatch.js';
import { tempDir } from '../support/cli.js';

const root = tempDir('cpython-sbom-pyglob-');
for (const path of ['v/a.c', 'v/b.h', 'v/.hidden', 'v/sub/c.c', 'v/.git/config', 'v/sub/.x/d.c', 'w/x.c']) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), path);
}
mkdirSync(join(root, 'v/empty'));
mkdirSync(join(root, 'loop/sub'), { recursive: true });
symlinkSync('..', join(root, 'loop/sub/up'));
mkdirSync(join(root, 'ext'));
symlinkSync('/etc', join(root, 'ext/outside'));

const sorted = (paths: string[]) => [...paths].sort();

describe('pythonGlob (glob.glob(..., recursive=True))', () => {
  it('`dir/**` yields the directory itself, then everything below that is not hidden', () => {
    expect(sorted(pythonGlob('v/**', root))).toEqual(sorted(['v/', 'v/a.c', 'v/b.h', 'v/sub', 'v/sub/c.c', 'v/empty']));
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

  it('refuses to run through a symbolic link to a directory (Python would follow it out of the tree)', () => {
    expect(() => pythonGlob('loop/**', root)).toThrow(/^include 'loop\/\*\*': it runs through loop\/sub\/up, a symbolic link to a directory; refused/);
    expect(() => pythonGlob('loop/*/*/x', root)).toThrow(/loop\/sub\/up, a symbolic link to a directory/);
    expect(() => pythonGlob('ext/outside/**', root)).toThrow(/runs through ext\/outside, a symbolic link/);
    expect(() => pythonGlob('ext/outside/hosts', root)).toThrow(/runs through ext\/outside, a symbolic link/);
    expect(() => pythonGlob('ext/**', root)).toThrow(/runs through ext\/outside, a symbolic link/);
    // A link that is only listed, not entered, is a result like any other name.
    expect(pythonGlob('loop/sub/*', root)).toEqual(['loop/sub/up']);
  });

  it("refuses patterns that climb out with '..' or are absolute", () => {
    expect(() => pythonGlob('Modules/../../etc/*', root)).toThrow(/^include 'Modules\/\.\.\/\.\.\/etc\/\*': a '\.\.' segment climbs out of the tree; refused/);
    expect(() => pythonGlob('..', root)).toThrow(/'\.\.' segment/);
    expect(() => pythonGlob('/etc/hosts', root)).toThrow(/an absolute pattern/);
  });

  it('matches a pathological pattern against long names in linear time (no regex backtracking)', () => {
    const dir = join(root, 'long');
    mkdirSync(dir);
    const name = 'a'.repeat(200);
    writeFileSync(join(dir, name), '');
    writeFileSync(join(dir, `${name}b`), '');
    const pattern = `long/${'*a'.repeat(40)}*b`;
    // A backtracking regex takes astronomically long here; the result proves the call returned.
    expect(pythonGlob(pattern, root)).toEqual([`long/${name}b`]);
    expect(compileFnmatch(`${'*a'.repeat(60)}*b`)('a'.repeat(5000))).toBe(false);
  });
});

describe('compileFnmatch', () => {
  it('agrees with fnmatchRegex on classes, ranges, negation, literal brackets and stars', () => {
    const cases: [string, string][] = [
      ['[ab].c', 'a.c'],
      ['[!ab].c', 'a.c'],
      ['[!ab].c', 'z.c'],
      ['x[', 'x['],
      ['a.c', 'abc'],
      ['*.c', '.c'],
      ['[a-c]x', 'bx'],
      ['[a-c]x', 'dx'],
      ['*a*b', 'xaxb'],
      ['*a*b', 'xaxbc'],
      ['a*', 'a'],
      ['**b', 'ab'],
      ['?', ''],
      ['?', 'é'],
      ['[]]', ']'],
      ['[!]]', 'x'],
      ['*', ''],
      ['a?c*', 'abcdef'],
    ];
    for (const [pattern, name] of cases) expect(compileFnmatch(pattern)(name), `${pattern} ~ ${name}`).toBe(fnmatchRegex(pattern).test(name));
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
