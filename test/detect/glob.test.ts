import { describe, expect, it } from 'vitest';
import { globToRegExp, selectFiles } from '../../src/catalog/glob.js';

const matches = (pattern: string, path: string) => globToRegExp(pattern).test(path);

describe('catalog globs with Python glob(recursive=True) semantics', () => {
  it('`dir/**` takes every file below dir at any depth, but no hidden name', () => {
    expect(matches('Modules/expat/**', 'Modules/expat/expat.h')).toBe(true);
    expect(matches('Modules/expat/**', 'Modules/expat/sub/deep/x.c')).toBe(true);
    expect(matches('Modules/expat/**', 'Modules/expat/.gitignore')).toBe(false);
    expect(matches('Modules/expat/**', 'Modules/expat/.hidden/x.c')).toBe(false);
    expect(matches('Modules/expat/**', 'Modules/expatx/expat.h')).toBe(false);
    expect(matches('Modules/expat/**', 'Modules/expat')).toBe(false);
  });

  it('`**` in the middle spans zero or more directories', () => {
    expect(matches('Lib/**/x.py', 'Lib/x.py')).toBe(true);
    expect(matches('Lib/**/x.py', 'Lib/a/b/x.py')).toBe(true);
    expect(matches('Lib/**/x.py', 'Lib/.a/x.py')).toBe(false);
  });

  it('`*`, `?` and `[...]` stay inside one segment and skip hidden names', () => {
    expect(matches('Modules/_blake2/impl/*.c', 'Modules/_blake2/impl/blake2b.c')).toBe(true);
    expect(matches('Modules/_blake2/impl/*.c', 'Modules/_blake2/impl/sub/blake2b.c')).toBe(false);
    expect(matches('Modules/*.c', 'Modules/.x.c')).toBe(false);
    expect(matches('Modules/.*.c', 'Modules/.x.c')).toBe(true);
    expect(matches('a/b?.c', 'a/b1.c')).toBe(true);
    expect(matches('a/b?.c', 'a/b/.c')).toBe(false);
    expect(matches('a/[!x]y', 'a/zy')).toBe(true);
    expect(matches('a/[!x]y', 'a/xy')).toBe(false);
    expect(matches('a/[a-c].h', 'a/b.h')).toBe(true);
  });

  it('takes what picomatch would expand (braces, extglobs, `!`) literally, as Python does', () => {
    expect(matches('a/{b,c}.h', 'a/{b,c}.h')).toBe(true);
    expect(matches('a/{b,c}.h', 'a/b.h')).toBe(false);
    expect(matches('a/+(b).h', 'a/+(b).h')).toBe(true);
    expect(matches('!a/b.h', 'a/b.h')).toBe(false);
    expect(matches('a/[b.h', 'a/[b.h')).toBe(true);
  });

  it('selects included paths minus excluded exact paths, sorted', () => {
    const paths = ['Modules/expat/z.c', 'Modules/expat/refresh.sh', 'Modules/expat/a.h', 'Modules/other.c'];
    expect(selectFiles(paths, { include: ['Modules/expat/**'], exclude: ['Modules/expat/refresh.sh', 'Modules/expat/*.c'] })).toEqual([
      'Modules/expat/a.h',
      'Modules/expat/z.c',
    ]);
  });
});
