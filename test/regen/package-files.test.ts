import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { loadPackageFiles as load, parsePackageToFiles } from '../../src/regen/package-files.js';
import { TINY, treeCopier } from './helpers.js';

const copy = treeCopier();
const loadPackageFiles = (root: string) => load(root, () => Promise.resolve(loadCatalog()));

describe('parsePackageToFiles', () => {
  it('reads the literal as CPython writes it: keywords, positional include, comments, trailing commas', () => {
    const source = [
      'import typing',
      'PACKAGE_TO_FILES = {',
      '    # a comment',
      '    "mpdecimal": PackageFiles(',
      '        include=["Modules/_decimal/libmpdec/**"]',
      '    ),',
      "    'expat': PackageFiles(['Modules/expat/**'], ['Modules/expat/refresh.sh',],),",
      '}',
      'def spdx_id(value): ...',
    ].join('\n');
    const parsed = parsePackageToFiles(source, 'gen.py');
    expect([...parsed.keys()]).toEqual(['mpdecimal', 'expat']);
    expect(parsed.get('mpdecimal')).toEqual({ include: ['Modules/_decimal/libmpdec/**'], exclude: [] });
    expect(parsed.get('expat')).toEqual({ include: ['Modules/expat/**'], exclude: ['Modules/expat/refresh.sh'] });
  });

  it('accepts an annotated assignment', () => {
    const parsed = parsePackageToFiles('PACKAGE_TO_FILES: dict[str, PackageFiles] = {"a": PackageFiles(include=["x/**"])}', 'g.py');
    expect(parsed.get('a')?.include).toEqual(['x/**']);
  });

  const refuse = (source: string, message: RegExp) => {
    expect(() => parsePackageToFiles(source, 'Tools/build/generate_sbom.py')).toThrow(InputError);
    expect(() => parsePackageToFiles(source, 'Tools/build/generate_sbom.py')).toThrow(message);
  };

  it('refuses anything but the literal shape, naming file and line', () => {
    refuse('X = 1\n', /Tools\/build\/generate_sbom\.py: no PACKAGE_TO_FILES = \{\.\.\.\} literal found/);
    refuse('PACKAGE_TO_FILES = {\n  "a": PackageFiles(include=GLOBS),\n}', /generate_sbom\.py:2: PACKAGE_TO_FILES: expected '\[', found 'GLOBS'/);
    refuse('PACKAGE_TO_FILES = {\n  "a": Other(include=["x"]),\n}', /:2: .*expected 'PackageFiles', found 'Other'/);
    refuse('PACKAGE_TO_FILES = {\n\n  "a": PackageFiles(include=[f"x"]),\n}', /:3: PACKAGE_TO_FILES: unsupported string prefix 'f'/);
    refuse('PACKAGE_TO_FILES = {"a": PackageFiles(include=["x" + "y"])}', /unexpected '\+'/);
    refuse('PACKAGE_TO_FILES = {"a": PackageFiles(include=["x\\ty"])}', /unsupported string literal/);
    refuse('PACKAGE_TO_FILES = {"a": PackageFiles(include=["x"]), "a": PackageFiles(include=["y"])}', /'a' is listed twice/);
    refuse('PACKAGE_TO_FILES = {"a": PackageFiles(include=["x"], bogus=["y"])}', /expected 'include=' or 'exclude='/);
    refuse('PACKAGE_TO_FILES = {"a": PackageFiles(include=["x"]),', /the literal is not closed/);
  });

  it("refuses 3.12's run-time pip entry (include=None) instead of guessing", () => {
    refuse('PACKAGE_TO_FILES = {\n  "pip": PackageFiles(include=None),\n}', /:2: .*'pip' has no include list/);
    // A script that fills it in at run time (PyPI era) gets an empty list, filled in later.
    const packages = parsePackageToFiles('PACKAGE_TO_FILES = {\n  "pip": PackageFiles(include=None),\n}', 'x.py', { computedAtRunTime: true });
    expect(packages.get('pip')).toEqual({ include: [], exclude: [] });
  });
});

describe('loadPackageFiles', () => {
  it("prefers the checkout's own script", async () => {
    const source = await loadPackageFiles(TINY);
    expect(source.origin).toBe('Tools/build/generate_sbom.py');
    expect([...source.packages.keys()]).toEqual(['mpdecimal', 'expat', 'hacl-star']);
    expect(source.packages.get('hacl-star')).toEqual({ include: ['Modules/_hacl/**'], exclude: ['Modules/_hacl/refresh.sh'] });
  });

  it('falls back to the catalog for the CPython version in Include/patchlevel.h', async () => {
    const tree = copy(TINY);
    rmSync(join(tree, 'Tools'), { recursive: true });
    const newer = await loadPackageFiles(tree);
    expect(newer.origin).toBe('the built-in catalog (CPython 3.13.15)');
    expect([...newer.packages.keys()].sort()).toEqual(['expat', 'hacl-star', 'libb2', 'macholib', 'mpdecimal']);
    // 3.13.6 stopped counting expat's refresh.sh as expat's own file.
    expect(newer.packages.get('expat')?.exclude).toContain('Modules/expat/refresh.sh');

    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(tree, 'Include/patchlevel.h'), '#define PY_VERSION "3.13.5"\n');
    const older = await loadPackageFiles(tree);
    expect(older.packages.get('expat')?.exclude).not.toContain('Modules/expat/refresh.sh');
    expect(older.packages.get('expat')?.exclude).toContain('Modules/_hacl/refresh.sh');
  });
});
