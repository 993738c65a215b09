import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { globMatcher } from '../../src/util/exclude-glob.js';
import { MAX_EMBEDDED_DIFF, analyzePatch, parseSeries, touchedFiles } from '../../src/overlay/patches.js';
import { REPO } from '../support/cli.js';

const PATCHES = join(REPO, 'fixtures', 'overlay', 'tree', 'debian', 'patches');

describe('quilt series', () => {
  it('skips comments and blank lines, keeps order, reads -pN and ignores other options', () => {
    const entries = parseSeries('# header\n\na.diff\n#b.diff\nc.patch -p0 --fuzz=0\nd.patch -p2 # trailing comment\n');
    expect(entries).toEqual([
      { name: 'a.diff', strip: 1, line: 3 },
      { name: 'c.patch', strip: 0, line: 5 },
      { name: 'd.patch', strip: 2, line: 6 },
    ]);
  });
});

describe('files a patch touches', () => {
  it('strips a/ b/ and orig-directory prefixes and takes the new side, or the old one for a deletion', () => {
    const text = [
      '--- a/Lib/os.py',
      '+++ b/Lib/os.py',
      '@@ -1 +1 @@',
      '-x',
      '+y',
      '--- python3.13-3.13.5.orig/Lib/gone.py\t2024-01-01 00:00:00',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-gone',
      '--- /dev/null',
      '+++ python3.13-3.13.5/Lib/new.py',
      '@@ -0,0 +1 @@',
      '+new',
    ].join('\n');
    expect(touchedFiles(text, 1)).toEqual(['Lib/gone.py', 'Lib/new.py', 'Lib/os.py']);
  });

  it('does not take a removed line that starts with "-- " inside a hunk for a header', () => {
    const text = ['--- a/Doc/sql.txt', '+++ b/Doc/sql.txt', '@@ -1,2 +1,2 @@', '--- a/Lib/not-a-header.py', '+++ b/Lib/not-a-header.py', ' kept'].join('\n');
    // The hunk removes one line ("-- a/…") and adds one ("++ b/…"): neither is a file header.
    expect(touchedFiles(text, 1)).toEqual(['Doc/sql.txt']);
  });

  it('uses Index: and diff --git lines when no ---/+++ pair follows (binary, rename)', () => {
    const text = [
      'Index: python3.13/Lib/data.bin',
      '===================================================================',
      'Cannot display: file marked as a binary type.',
      'diff --git a/Lib/old_name.py b/Lib/new_name.py',
      'similarity index 100%',
      'rename from Lib/old_name.py',
      'rename to Lib/new_name.py',
    ].join('\n');
    expect(touchedFiles(text, 1)).toEqual(['Lib/data.bin', 'Lib/new_name.py']);
  });

  it('falls back to the strip level that names a file of the tree when the series gives none', () => {
    const text = ['--- Lib/os.py.orig', '+++ Lib/os.py', '@@ -1 +1 @@', '-a', '+b'].join('\n');
    expect(touchedFiles(text, 1)).toEqual(['os.py']);
    expect(touchedFiles(text, 1, (path) => path === 'Lib/os.py')).toEqual(['Lib/os.py']);
  });
});

describe('analyzePatch', () => {
  const analyze = (name: string, order = 1) => analyzePatch(readFileSync(join(PATCHES, name)), { path: `debian/patches/${name}`, order, strip: 1 });

  it('records the SHA-256 of the patch file and embeds a small diff', () => {
    const bytes = readFileSync(join(PATCHES, 'deb-paths.diff'));
    const patch = analyze('deb-paths.diff');
    expect(patch.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(patch.diff).toBe(bytes.toString('utf8'));
    expect(patch.touches).toEqual(['Lib/os.py']);
    expect(patch.description).toBe('Debian: install modules into dist-packages');
  });

  it('a distributor-only patch resolves nothing and is unofficial', () => {
    const patch = analyze('deb-paths.diff');
    expect(patch.resolves).toEqual([]);
    expect(patch.type).toBe('unofficial');
  });

  it('reads CVE ids from the name and the subject (also "CVE YYYY-N"), gh-N issues but not GH-N pull requests', () => {
    const patch = analyze('CVE-2099-0001.patch');
    expect(patch.type).toBe('backport');
    expect(patch.resolves).toEqual([
      { id: 'CVE-2099-0001', type: 'security', url: 'https://www.cve.org/CVERecord?id=CVE-2099-0001' },
      { id: 'CVE-2099-0002', type: 'security', url: 'https://www.cve.org/CVERecord?id=CVE-2099-0002' },
      { id: 'gh-12345', type: 'defect', url: 'https://github.com/python/cpython/issues/12345' },
    ]);
    // The diffstat's NEWS entry name (gh-issue-12345) is not a header; the created file counts.
    expect(patch.touches).toEqual(['Misc/NEWS.d/next/Security/2099-01-01-00-00-00.gh-issue-12345.AbCdEf.rst', 'Python/ceval.c']);
    expect(patch.description).toBe('[3.13] gh-12345: Reject negative sizes in the sample');
  });

  it('reads DEP-3 Bug-Debian links, and Origin: backport makes a backport', () => {
    const patch = analyze('fix-expat.patch');
    expect(patch.resolves).toEqual([{ id: 'Debian#999999', type: 'defect', url: 'https://bugs.debian.org/999999' }]);
    expect(patch.type).toBe('backport');
    expect(patch.touches).toEqual(['Modules/expat/xmlparse.c']);
  });

  it('reads every mail of a file that concatenates several format-patch mails, and bpo-N', () => {
    const text = [
      'From 1 Mon Sep 17 00:00:00 2001',
      'Subject: [PATCH 1/2] gh-111: first',
      '',
      '--- a/Lib/a.py',
      '+++ b/Lib/a.py',
      '@@ -1 +1 @@',
      '-a',
      '+b',
      '-- ',
      '2.39.5',
      '',
      'From 2 Mon Sep 17 00:00:00 2001',
      'Subject: [PATCH 2/2] bpo-222: second, see CVE-2020-1234',
      '',
      '--- a/Lib/b.py',
      '+++ b/Lib/b.py',
      '@@ -1 +1 @@',
      '-a',
      '+b',
    ].join('\n');
    const patch = analyzePatch(Buffer.from(text), { path: 'p/two.patch', order: 3, strip: 1 });
    expect(patch.order).toBe(3);
    expect(patch.resolves.map((issue) => issue.id)).toEqual(['CVE-2020-1234', 'gh-111', 'bpo-222']);
    expect(patch.resolves.find((issue) => issue.id === 'bpo-222')?.url).toBe('https://bugs.python.org/issue222');
    expect(patch.touches).toEqual(['Lib/a.py', 'Lib/b.py']);
  });

  it('does not embed a diff larger than the limit', () => {
    const big = `--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+${'b'.repeat(MAX_EMBEDDED_DIFF)}\n`;
    const patch = analyzePatch(Buffer.from(big), { path: 'big.diff', order: 1, strip: 1 });
    expect(patch.diff).toBeUndefined();
    expect(patch.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('exclude globs', () => {
  const excluded = globMatcher(['debian/**', '.pc/**', '*.orig', 'Doc/*.txt']);
  it.each([
    ['debian/patches/series', true],
    ['debian/control', true],
    ['.pc/deb-paths.diff/Lib/os.py', true],
    ['Lib/os.py.orig', true],
    ['Doc/a.txt', true],
    ['Doc/sub/a.txt', false],
    ['debianx/control', false],
    ['Lib/debian/x.py', false],
    ['Lib/os.py', false],
  ])('%s -> %s', (path, expected) => {
    expect(excluded(path)).toBe(expected);
  });
});
