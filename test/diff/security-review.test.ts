import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { diffDocuments } from '../../src/diff/compare.js';
import { failsOn, kindsPresent, parseFailOn } from '../../src/diff/fail-on.js';
import { relocationKey } from '../../src/diff/package-files.js';
import { renderMarkdown } from '../../src/diff/render-markdown.js';
import { renderText } from '../../src/diff/render-text.js';
import { emptyDocument } from '../../src/model/document.js';
import type { FileEntry, Package, SbomDocument, Snippet, VulnerabilityStatement } from '../../src/model/types.js';

/**
 * The security-review parts of `diff` on documents built in the model, one rule per test: code
 * changed in place, wheel members paired across a renamed wheel, snippets, per-file licenses and
 * VEX statements.
 */

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const file = (path: string, content: string, extra: Partial<FileEntry> = {}): FileEntry => ({ path, checksums: { SHA256: sha(content) }, ...extra });

function pkg(ref: string, version: string, files: string[], extra: Partial<Package> = {}): Package {
  return { ref, name: ref, version, checksums: {}, files, dependsOn: [], ...extra };
}

function doc(packages: Package[], files: FileEntry[], extra: Partial<SbomDocument> = {}): SbomDocument {
  return { ...emptyDocument(), name: 'doc', packages, files, ...extra };
}

const compare = (before: SbomDocument, after: SbomDocument, format = 'spdx-2.3') =>
  diffDocuments({ file: 'old.json', format, document: before }, { file: 'new.json', format, document: after });

const MIMALLOC = ['Objects/mimalloc/alloc.c', 'Objects/mimalloc/heap.c', 'Include/internal/mimalloc/mimalloc.h'];

function mimallocPair(edit: (files: FileEntry[]) => FileEntry[], newVersion = '2.1.2') {
  const files = MIMALLOC.map((path) => file(path, `original ${path}`));
  const before = doc([pkg('cpython', '3.14.0', ['Python/ceval.c']), pkg('mimalloc', '2.1.2', MIMALLOC)], [...files, file('Python/ceval.c', 'ceval')]);
  const edited = edit(files.map((entry) => ({ ...entry })));
  const after = doc(
    [
      pkg('cpython', '3.14.0', ['Python/ceval.c']),
      pkg(
        'mimalloc',
        newVersion,
        edited.map((entry) => entry.path),
      ),
    ],
    [...edited, file('Python/ceval.c', 'ceval')],
  );
  return compare(before, after).diff;
}

describe('diff: code changed in place', () => {
  it('names a vendored file edited under an unchanged version, and --fail-on changed-in-place fails', () => {
    const diff = mimallocPair((files) => files.map((entry) => (entry.path.endsWith('heap.c') ? file(entry.path, 'patched heap') : entry)));
    const mimalloc = diff.packages.changed.find((change) => change.name === 'mimalloc');
    expect(mimalloc?.fields).toEqual(['files']);
    expect(mimalloc?.inPlace).toEqual({ added: [], removed: [], changed: ['Objects/mimalloc/heap.c'] });
    expect(mimalloc?.fileChanges).toEqual({ added: 0, removed: 0, changed: 1 });
    expect(kindsPresent(diff).has('changed-in-place')).toBe(true);
    expect(failsOn(diff, parseFailOn('changed-in-place'))).toBe(true);
    expect(failsOn(diff, parseFailOn('version,downgrade,suspicious'))).toBe(false);
  });

  it('counts a file added to or removed from vendored code under the same version as in place', () => {
    const added = mimallocPair((files) => [...files, file('Objects/mimalloc/new.c', 'new code')]);
    expect(added.packages.changed[0]?.inPlace).toEqual({ added: ['Objects/mimalloc/new.c'], removed: [], changed: [] });
    const removed = mimallocPair((files) => files.slice(1));
    expect(removed.packages.changed[0]?.inPlace).toEqual({ added: [], removed: ['Objects/mimalloc/alloc.c'], changed: [] });
  });

  it('is not in place when the version moved with the files', () => {
    const diff = mimallocPair((files) => files.map((entry) => file(entry.path, `v2.1.7 ${entry.path}`)), '2.1.7');
    const mimalloc = diff.packages.changed.find((change) => change.name === 'mimalloc');
    expect(mimalloc?.versionChange).toBe('upgrade');
    expect(mimalloc?.inPlace).toBeUndefined();
    expect(failsOn(diff, parseFailOn('changed-in-place'))).toBe(false);
  });

  it('is not in place when a file only moved between packages with its content', () => {
    // The same bytes, now counted as CPython's (a catalog that narrowed mimalloc's paths).
    const before = doc(
      [pkg('cpython', '3.14.0', ['Python/ceval.c']), pkg('mimalloc', '2.1.2', MIMALLOC)],
      [...MIMALLOC.map((path) => file(path, path)), file('Python/ceval.c', 'ceval')],
    );
    const after = doc(
      [
        pkg('cpython', '3.14.0', ['Python/ceval.c', 'Objects/mimalloc/heap.c']),
        pkg(
          'mimalloc',
          '2.1.2',
          MIMALLOC.filter((path) => !path.endsWith('heap.c')),
        ),
      ],
      [...MIMALLOC.map((path) => file(path, path)), file('Python/ceval.c', 'ceval')],
    );
    const { diff } = compare(before, after);
    const mimalloc = diff.packages.changed.find((change) => change.name === 'mimalloc');
    expect(mimalloc?.fileChanges).toEqual({ added: 0, removed: 1, changed: 0 });
    expect(mimalloc?.inPlace).toBeUndefined();
    expect(diff.packages.changed.find((change) => change.name === 'cpython')?.inPlace).toBeUndefined();
  });

  it('reports files of a component that records no version apart, under their own kind', () => {
    const before = doc([pkg('dtoa', '', ['Python/dtoa.c'])], [file('Python/dtoa.c', 'a')]);
    const after = doc([pkg('dtoa', '', ['Python/dtoa.c'])], [file('Python/dtoa.c', 'b')]);
    const { diff } = compare(before, after);
    expect(diff.packages.changed[0]?.unversioned).toEqual({ added: [], removed: [], changed: ['Python/dtoa.c'] });
    expect(diff.packages.changed[0]?.inPlace).toBeUndefined();
    expect(failsOn(diff, parseFailOn('changed-in-place'))).toBe(false);
    expect(failsOn(diff, parseFailOn('changed-unversioned'))).toBe(true);
  });

  it('shows the in-place change first in text and Markdown, with its paths', () => {
    const result = compare(
      doc(
        [pkg('mimalloc', '2.1.2', MIMALLOC)],
        MIMALLOC.map((path) => file(path, path)),
      ),
      doc(
        [pkg('mimalloc', '2.1.2', MIMALLOC)],
        MIMALLOC.map((path) => file(path, path.endsWith('alloc.c') ? 'edited' : path)),
      ),
    );
    const text = renderText(result.diff, result.details, { colour: false });
    expect(text).toContain('Review:\n  Changed in place (files changed, version did not)\n    mimalloc 2.1.2: 1 changed\n      ~ Objects/mimalloc/alloc.c\n');
    expect(text).toContain('      changed in place: files changed but the version did not');
    const markdown = renderMarkdown(result.diff, result.details);
    expect(markdown).toContain('#### For review');
    expect(markdown).toContain(
      '**Changed in place (files changed, version did not)** (`--fail-on changed-in-place`)\n\n- **mimalloc 2.1.2**: 1 changed\n  - changed `Objects/mimalloc/alloc.c`\n',
    );
    expect(markdown.indexOf('#### For review')).toBeLessThan(markdown.indexOf('**Packages:**'));
  });
});

describe('diff: wheel members across a renamed wheel', () => {
  const OLD_WHEEL = 'Lib/ensurepip/_bundled/pip-25.1.1-py3-none-any.whl';
  const NEW_WHEEL = 'Lib/ensurepip/_bundled/pip-26.2.1-py3-none-any.whl';
  const member = (wheel: string, path: string) => `${wheel}/pip/_vendor/${path}`;

  it('pairs members by their place in the wheel', () => {
    expect(relocationKey(member(OLD_WHEEL, 'rich/console.py'))).toBe('Lib/ensurepip/_bundled/pip.whl/pip/_vendor/rich/console.py');
    expect(relocationKey(member(NEW_WHEEL, 'rich/console.py'))).toBe(relocationKey(member(OLD_WHEEL, 'rich/console.py')));
    expect(relocationKey('Modules/expat/xmlparse.c')).toBe('Modules/expat/xmlparse.c');
    expect(relocationKey(OLD_WHEEL)).toBe(OLD_WHEEL); // the wheel itself is a file of CPython, not moved
  });

  it('says "moved" for identical members and "changed in place" for an edited one under the same version', () => {
    const members = ['rich/__init__.py', 'rich/console.py'];
    const before = doc(
      [
        pkg(
          'rich',
          '14.2.0',
          members.map((path) => member(OLD_WHEEL, path)),
          { purl: 'pkg:pypi/rich@14.2.0' },
        ),
      ],
      members.map((path) => file(member(OLD_WHEEL, path), path)),
    );
    const same = doc(
      [
        pkg(
          'rich',
          '14.2.0',
          members.map((path) => member(NEW_WHEEL, path)),
          { purl: 'pkg:pypi/rich@14.2.0' },
        ),
      ],
      members.map((path) => file(member(NEW_WHEEL, path), path)),
    );
    const moved = compare(before, same).diff.packages.changed[0];
    expect(moved?.fileChanges).toEqual({ added: 0, removed: 0, changed: 0, moved: 2 });
    expect(moved?.inPlace).toBeUndefined();
    expect(moved?.filePaths?.moved).toEqual(members.map((path) => ({ from: member(OLD_WHEEL, path), to: member(NEW_WHEEL, path), changed: false })));

    const edited = structuredClone(same);
    (edited.files[1] as FileEntry).checksums = { SHA256: sha('edited') };
    const change = compare(before, edited).diff.packages.changed[0];
    expect(change?.fileChanges).toEqual({ added: 0, removed: 0, changed: 1, moved: 1 });
    expect(change?.inPlace).toEqual({ added: [], removed: [], changed: [member(NEW_WHEEL, 'rich/console.py')] });
  });
});

describe('diff: licenses and copyrights', () => {
  it('compares package copyright text, whitespace-insensitive, unknown values alike', () => {
    const before = doc(
      [pkg('expat', '2.7.1', [], { copyrightText: 'Copyright (c) 2001-2024 Expat maintainers' }), pkg('zlib', '1.3', [], { copyrightText: 'NOASSERTION' })],
      [],
    );
    const after = doc([pkg('expat', '2.7.1', [], { copyrightText: 'Copyright (c) 2001-2025  Expat\nmaintainers' }), pkg('zlib', '1.3', [])], []);
    const { diff } = compare(before, after);
    expect(diff.packages.changed.map((change) => [change.name, change.fields])).toEqual([['expat', ['copyright']]]);
    expect(diff.packages.changed[0]?.new.copyright).toBe('Copyright (c) 2001-2025 Expat maintainers');
    expect(failsOn(diff, parseFailOn('copyright'))).toBe(true);
    expect(failsOn(diff, parseFailOn('licenses'))).toBe(false);
  });

  it('lists files whose own license findings or copyright changed', () => {
    const before = doc(
      [],
      [file('Python/pyhash.c', 'x', { licenseInfoInFiles: ['MIT'], copyrightText: 'Copyright (c) 2013 Marek Majkowski' }), file('a.c', 'a')],
    );
    const after = doc(
      [],
      [
        file('Python/pyhash.c', 'x', { licenseInfoInFiles: ['MIT', 'Apache-2.0'], copyrightText: 'Copyright (c) 2013 Marek Majkowski' }),
        file('a.c', 'a', { licenseInfoInFiles: ['NOASSERTION'] }),
      ],
    );
    const { diff } = compare(before, after);
    expect(diff.fileLicenses).toEqual([
      {
        path: 'Python/pyhash.c',
        old: { licenses: ['MIT'], copyright: 'Copyright (c) 2013 Marek Majkowski' },
        new: { licenses: ['Apache-2.0', 'MIT'], copyright: 'Copyright (c) 2013 Marek Majkowski' },
        fields: ['licenses'],
      },
    ]);
    expect(failsOn(diff, parseFailOn('file-licenses'))).toBe(true);
  });
});

describe('diff: snippets', () => {
  const snippet = (name: string, path: string, bytes: [number, number], lines: [number, number], extra: Partial<Snippet> = {}): Snippet => ({
    ref: `snippet:${name}`,
    name,
    file: path,
    byteRange: bytes,
    lineRange: lines,
    licenseInfoInSnippet: ['MIT'],
    ...extra,
  });

  it('pairs by name and file and says what the file digests allow about content', () => {
    const before = doc([], [file('Python/pyhash.c', 'v1'), file('Modules/selectmodule.c', 's1'), file('Modules/_randommodule.c', 'r1')], {
      snippets: [
        snippet('SipHash', 'Python/pyhash.c', [100, 599], [10, 40]),
        snippet('kqueue', 'Modules/selectmodule.c', [1000, 1999], [100, 200]),
        snippet('Mersenne Twister', 'Modules/_randommodule.c', [1, 50], [1, 5]),
        snippet('cfuhash', 'Modules/old.c', [1, 10], [1, 2]),
      ],
    });
    const after = doc([], [file('Python/pyhash.c', 'v2'), file('Modules/selectmodule.c', 's2'), file('Modules/_randommodule.c', 'r1')], {
      snippets: [
        snippet('SipHash', 'Python/pyhash.c', [100, 649], [10, 42]), // longer: content changed
        snippet('kqueue', 'Modules/selectmodule.c', [1100, 2099], [104, 204]), // same length, file changed
        snippet('Mersenne Twister', 'Modules/_randommodule.c', [1, 50], [1, 5], { copyrightText: 'Copyright (C) 1997 - 2002, Makoto Matsumoto' }),
        snippet('zstd bindings', 'Modules/_zstd/x.c', [1, 10], [1, 2]),
      ],
    });
    const { diff, details } = compare(before, after);
    expect(diff.snippets.added.map((item) => item.name)).toEqual(['zstd bindings']);
    expect(diff.snippets.removed.map((item) => item.name)).toEqual(['cfuhash']);
    const byName = new Map(diff.snippets.changed.map((change) => [change.name, change]));
    expect(byName.get('SipHash')).toMatchObject({ content: 'changed', fields: ['lines', 'bytes', 'content'] });
    expect(byName.get('SipHash')?.old.bytes).toBe(500);
    expect(byName.get('kqueue')).toMatchObject({ content: 'file-changed', fields: ['lines', 'content'] });
    expect(byName.get('Mersenne Twister')).toMatchObject({ content: 'unchanged', fields: ['copyright'] });
    expect(details.unchangedSnippets).toBe(0);
    expect(failsOn(diff, parseFailOn('snippets'))).toBe(true);
    const text = renderText(diff, details, { colour: false });
    expect(text).toContain('Snippets: 1 added, 1 removed, 3 changed, 0 unchanged');
    expect(text).toContain("kqueue: lines 100-200 → 104-204; its file Modules/selectmodule.c changed (the snippet's length did not)");
    expect(text).toContain('SipHash: lines 10-40 → 10-42; content changed (500 → 550 bytes)');
  });

  it('follows a snippet to another file by name, and leaves an identical one alone', () => {
    const before = doc([], [file('a.c', 'a'), file('b.c', 'b')], {
      snippets: [snippet('SipHash', 'a.c', [1, 10], [1, 2]), snippet('same', 'b.c', [1, 5], [1, 1])],
    });
    const after = doc([], [file('a.c', 'a'), file('b.c', 'b'), file('c.c', 'c')], {
      snippets: [snippet('SipHash', 'c.c', [1, 10], [1, 2]), snippet('same', 'b.c', [1, 5], [1, 1])],
    });
    const { diff, details } = compare(before, after);
    expect(diff.snippets.added).toEqual([]);
    expect(diff.snippets.changed).toHaveLength(1);
    expect(diff.snippets.changed[0]).toMatchObject({ name: 'SipHash', fields: ['file', 'content'], content: 'file-changed' });
    expect(details.unchangedSnippets).toBe(1);
  });
});

describe('diff: VEX statements', () => {
  const statement = (id: string, state: VulnerabilityStatement['state'], extra: Partial<VulnerabilityStatement> = {}): VulnerabilityStatement => ({
    id,
    aliases: [],
    affects: ['cpython'],
    state,
    ...extra,
  });
  const withStatements = (statements: VulnerabilityStatement[]) => doc([pkg('cpython', '3.13.5', [], { ref: 'cpython' })], [], { vulnerabilities: statements });

  it('shows which were fixed between OLD and NEW, which are new, gone, or changed otherwise', () => {
    const before = withStatements([
      statement('PSF-2025-1', 'under_investigation', { aliases: ['CVE-2025-0001'] }),
      statement('PSF-2025-2', 'fixed', { detail: 'Misc/NEWS: gh-1' }),
      statement('PSF-2025-3', 'under_investigation'),
      statement('PSF-2024-9', 'under_investigation'),
    ]);
    const after = withStatements([
      statement('CVE-2025-0001', 'fixed', { detail: 'Misc/NEWS 3.13.6: gh-135462' }), // paired by alias
      statement('PSF-2025-2', 'affected'),
      statement('PSF-2025-3', 'under_investigation'),
      statement('PSF-2026-1', 'under_investigation'),
    ]);
    const { diff, details } = compare(before, after);
    expect(diff.vulnerabilities.fixed).toEqual([
      {
        id: 'CVE-2025-0001',
        aliases: [],
        affects: ['cpython'],
        old: { state: 'under_investigation' },
        new: { state: 'fixed', detail: 'Misc/NEWS 3.13.6: gh-135462' },
      },
    ]);
    expect(diff.vulnerabilities.changed).toEqual([
      { id: 'PSF-2025-2', aliases: [], affects: ['cpython'], old: { state: 'fixed', detail: 'Misc/NEWS: gh-1' }, new: { state: 'affected' } },
    ]);
    expect(diff.vulnerabilities.added.map((item) => item.id)).toEqual(['PSF-2026-1']);
    expect(diff.vulnerabilities.removed.map((item) => item.id)).toEqual(['PSF-2024-9']);
    expect(details.unchangedVulnerabilities).toBe(1);
    expect(failsOn(diff, parseFailOn('vulnerabilities'))).toBe(true);
    expect(failsOn(diff, parseFailOn('vulnerabilities-affected'))).toBe(true); // PSF-2025-2 regressed
    const markdown = renderMarkdown(diff, details);
    expect(markdown).toContain('**Vulnerabilities fixed (VEX state became fixed)** (`--fail-on vulnerabilities`)');
    expect(markdown).toContain('| CVE-2025-0001 | cpython | under_investigation | fixed | Misc/NEWS 3.13.6: gh-135462 |');
    expect(markdown).toContain('| PSF-2024-9 | cpython | under_investigation | | |');
  });

  it('is quiet when the statements agree, and does not call "fixed" "affected"', () => {
    const same = withStatements([statement('PSF-2025-1', 'fixed')]);
    const { diff, details } = compare(same, structuredClone(same));
    expect(diff.vulnerabilities).toEqual({ fixed: [], added: [], removed: [], changed: [] });
    expect(details.unchangedVulnerabilities).toBe(1);
    const newlyFixed = compare(withStatements([statement('A', 'under_investigation')]), withStatements([statement('A', 'fixed')])).diff;
    expect(failsOn(newlyFixed, parseFailOn('vulnerabilities-affected'))).toBe(false);
  });
});
