import { describe, expect, it } from 'vitest';
import { diffDocuments } from '../../src/diff/compare.js';
import { emptyDocument } from '../../src/model/document.js';
import type { Package, ReadDocument, Relationship } from '../../src/model/types.js';

function pkg(ref: string, name: string, version: string, extra: Partial<Package> = {}): Package {
  return { ref, name, version, checksums: {}, files: [], dependsOn: [], ...extra };
}

function read(file: string, packages: Package[], relationships: Relationship[] = []): ReadDocument {
  return { file, format: 'spdx-2.3', document: { ...emptyDocument(), name: file, packages, relationships } };
}

describe('diff: matching packages whose names repeat', () => {
  it('pairs 3.11-style setuptools by parent even when only one document repeats the name', () => {
    const old = read('old', [pkg('pip', 'pip', '22.3', { dependsOn: ['st'] }), pkg('st', 'setuptools', '44.0.0')]);
    const next = read('new', [pkg('pip', 'pip', '22.3', { dependsOn: ['pip-st'] }), pkg('pip-st', 'setuptools', '44.1.0'), pkg('st', 'setuptools', '65.5.0')]);
    const { diff } = diffDocuments(old, next);
    expect(diff.packages.added).toEqual([{ name: 'setuptools', version: '65.5.0', parent: '' }]);
    expect(diff.packages.removed).toEqual([]);
    expect(diff.packages.changed.map((c) => [c.name, c.parent, c.old.version, c.new.version, c.versionChange])).toEqual([
      ['setuptools', 'pip', '44.0.0', '44.1.0', 'upgrade'],
    ]);
  });

  it('takes the nesting package as parent when nothing depends on it (CycloneDX nested components)', () => {
    const old = read(
      'old',
      [pkg('pip', 'pip', '1'), pkg('a', 'setuptools', '44.0.0'), pkg('b', 'setuptools', '65.5.0')],
      [{ from: 'pip', type: 'CONTAINS', to: 'a' }],
    );
    const next = read(
      'new',
      [pkg('pip', 'pip', '1'), pkg('x', 'setuptools', '65.5.0'), pkg('y', 'setuptools', '44.0.1')],
      [{ from: 'pip', type: 'CONTAINS', to: 'y' }],
    );
    const { diff } = diffDocuments(old, next);
    expect(diff.packages.added).toEqual([]);
    expect(diff.packages.removed).toEqual([]);
    expect(diff.packages.changed.map((c) => [c.parent, c.old.version, c.new.version])).toEqual([['pip', '44.0.0', '44.0.1']]);
  });

  it('pairs same-name same-parent packages by equal version first', () => {
    const old = read('old', [pkg('a', 'zlib', '1.2.13'), pkg('b', 'zlib', '1.3.1')]);
    const next = read('new', [pkg('c', 'zlib', '1.3.1'), pkg('d', 'zlib', '1.3.2')]);
    const { diff, details } = diffDocuments(old, next);
    expect(details.unchangedPackages).toBe(1);
    expect(diff.packages.changed.map((c) => [c.old.version, c.new.version])).toEqual([['1.2.13', '1.3.2']]);
  });

  it('counts a file without a digest both sides share as changed', () => {
    const old = read('old', []);
    old.document.files = [{ path: 'a', checksums: { SHA1: '1'.repeat(40) } }];
    const next = read('new', []);
    next.document.files = [{ path: 'a', checksums: { SHA256: '2'.repeat(64) } }];
    expect(diffDocuments(old, next).diff.files.changed).toEqual(['a']);
  });
});

describe('diff: scope', () => {
  it('reports a package the build no longer uses as a scope change, and --fail-on scope catches it', async () => {
    const { kindsPresent } = await import('../../src/diff/fail-on.js');
    const old = read('old', [pkg('expat', 'expat', '2.7.1', { scope: 'required' })]);
    const next = read('new', [pkg('expat', 'expat', '2.7.1', { scope: 'excluded' })]);
    const { diff } = diffDocuments(old, next);
    expect(diff.packages.changed.map((c) => [c.name, c.fields, c.old.scope, c.new.scope])).toEqual([['expat', ['scope'], undefined, 'excluded']]);
    expect(kindsPresent(diff).has('scope')).toBe(true);
    expect(diffDocuments(read('a', [pkg('x', 'x', '1')]), read('b', [pkg('x', 'x', '1', { scope: 'required' })])).diff.packages.changed).toEqual([]);
  });
});
