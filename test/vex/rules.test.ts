import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { vex, type VexResult } from '../../src/api/vex.js';
import { NewsIndex, parseRenderedNews, parseReleaseNewsFile, parseNextNewsFile, releaseOfNewsFile } from '../../src/vex/news.js';
import { byAdvisory, sampleTreeWith, SYNTHETIC, VEX_FIXTURES } from './support.js';

const CREATED = '2024-01-01T00:00:00Z';

describe('NEWS parsing', () => {
  const rendered = readFileSync(join(VEX_FIXTURES, 'news', 'rendered', 'Misc', 'NEWS'), 'utf8');

  it("reads Misc/NEWS's releases, sections and entries, each with the issue it is filed under", () => {
    const entries = parseRenderedNews(rendered);
    expect(entries.map((entry) => [entry.line, entry.release, entry.section, entry.ids.map((id) => `${id.tracker}-${id.number}`).join()])).toEqual([
      [13, 'Python 3.13.0 final', 'Security', 'gh-900001'],
      [18, 'Python 3.13.0 final', 'Security', 'bpo-800001'],
      [23, 'Python 3.13.0 final', 'Library', 'gh-900001'],
      [25, 'Python 3.13.0 final', 'Library', 'gh-900002'],
      [27, 'Python 3.13.0 final', 'Library', 'gh-900004'],
      [29, 'Python 3.13.0 final', 'Library', 'gh-900005'],
      [31, 'Python 3.13.0 final', 'Library', 'gh-900006'],
      [42, 'Python 3.13.0 release candidate 1', 'Core and Builtins', 'gh-900008'],
      [44, 'Python 3.13.0 release candidate 1', 'Core and Builtins', ''],
    ]);
    // A two-paragraph entry stays one entry; its text is collapsed to one line.
    expect(entries[0]?.text).toBe(
      'gh-900001: Fix a made-up overflow in the sample module (GH-900050). Patch by a made-up contributor. A second paragraph of the same entry.',
    );
    expect(entries[0]?.ghMentions).toContain(900050);
    expect(entries[5]?.cves).toEqual(['CVE-2099-1111']);
    expect(entries[6]?.cves).toEqual(['CVE-2099-2222']);
    expect(entries[8]?.bpoMentions).toEqual([800002]);
  });

  it("reads Misc/NEWS.d's release files (metadata records) and unreleased entries (issue in the file name)", () => {
    const text = readFileSync(join(VEX_FIXTURES, 'news', 'checkout', 'Misc', 'NEWS.d', '3.13.0.rst'), 'utf8');
    const entries = parseReleaseNewsFile(text, 'Misc/NEWS.d/3.13.0.rst');
    expect(entries.map((entry) => [entry.line, entry.release, entry.section, entry.ids, entry.text])).toEqual([
      [1, 'Python 3.13.0 final', 'Security', [{ tracker: 'gh', number: 900001 }], 'Fix a made-up overflow in the sample module (GH-900050).'],
      [11, 'Python 3.13.0 final', 'Security', [{ tracker: 'bpo', number: 800001 }], 'An entry filed under a bugs.python.org issue.'],
      [20, 'Python 3.13.0 final', 'Library', [{ tracker: 'gh', number: 900004 }], 'Revert GH-900060, which broke the made-up module.'],
    ]);
    expect(releaseOfNewsFile('Misc/NEWS.d/3.12.0a1.rst')).toBe('Python 3.12.0 alpha 1');
    expect(releaseOfNewsFile('Misc/NEWS.d/3.13.0rc3.rst')).toBe('Python 3.13.0 release candidate 3');
    expect(releaseOfNewsFile('Misc/NEWS.d/3.14.0b2.rst')).toBe('Python 3.14.0 beta 2');
    expect(releaseOfNewsFile('Misc/NEWS.d/notes.rst')).toBeUndefined();
    const next = parseNextNewsFile('Fix it.\n', 'Misc/NEWS.d/next/Core_and_Builtins/2024-10-11-10-10-10.bpo-800003.EfGhIj.rst');
    expect(next).toMatchObject([{ release: 'unreleased', section: 'Core and Builtins', ids: [{ tracker: 'bpo', number: 800003 }], text: 'Fix it.' }]);
  });

  it('looks entries up by filing issue, by mention and by CVE', () => {
    const news = new NewsIndex();
    news.add('Misc/NEWS', rendered);
    expect(news.filedUnder({ tracker: 'gh', number: 900001 }).map((entry) => entry.line)).toEqual([13, 23]);
    expect(news.filedUnder({ tracker: 'gh', number: 900003 })).toEqual([]);
    expect(news.mentioning({ tracker: 'gh', number: 900003 }).map((entry) => entry.line)).toEqual([25]);
    expect(news.naming('cve-2099-2222').map((entry) => entry.line)).toEqual([31]);
  });

  it('does not take bare numbers, other projects or malformed headers for entries', () => {
    const entries = parseRenderedNews(
      [
        "What's New in Python 3.13.1 final?",
        '==================================',
        '',
        'Library',
        '-------',
        '',
        "- gh-116117: Backport libb2's PR #42 to fix compiling on 32-bit.",
        '- gh-12345678901: Too many digits for an issue number.',
        '- Fix something (#2159).',
        '',
      ].join('\n'),
    );
    expect(entries.map((entry) => entry.ids.length)).toEqual([1, 0, 0]);
    expect(entries[0]?.ghMentions).toEqual([116117]);
    expect(entries[2]?.ghMentions).toEqual([]);
  });
});

describe('vex on a tree with a synthetic changelog and synthetic advisories (one rule each)', () => {
  let rendered: VexResult;
  let checkout: VexResult;
  beforeAll(async () => {
    rendered = await vex(sampleTreeWith('rendered'), { advisories: SYNTHETIC, created: CREATED });
    checkout = await vex(sampleTreeWith('checkout'), { advisories: SYNTHETIC, created: CREATED });
  });

  it('counts what it read: 25 files, 6 skipped with a warning each, 1 withdrawn; 17 of 18 advisories concern the tree', () => {
    expect(rendered.advisories).toMatchObject({ files: 25, skipped: 6, withdrawn: 1, duplicates: 0 });
    expect(rendered.summary).toEqual({ advisories: 18, concerning: 17, fixed: 6, underInvestigation: 11 });
    const skipped = rendered.warnings.filter((warning) => warning.endsWith('; skipped'));
    expect(skipped.map((warning) => warning.split(':')[0]).sort()).toEqual([
      'array.json',
      'bad-reference.json',
      'broken-syntax.json',
      'deep.json',
      'not-osv.json',
      'wrong-types.json',
    ]);
    expect(skipped.find((warning) => warning.startsWith('deep.json'))).toContain('nested deeper than 32 levels');
    expect(skipped.find((warning) => warning.startsWith('wrong-types.json'))).toContain('/aliases: expected an array, found a string');
    expect(skipped.find((warning) => warning.startsWith('bad-reference.json'))).toContain('/references/0/url: expected a string, found a number');
    expect(skipped.find((warning) => warning.startsWith('broken-syntax.json'))).toContain('not valid JSON');
    expect(skipped.find((warning) => warning.startsWith('not-osv.json'))).toContain('/id: expected a string, found nothing (not an OSV record?)');
  });

  it("issue rule: an entry filed under the advisory's issue makes it fixed, citing the Security entry first", () => {
    const statement = byAdvisory(rendered.statements).get('SYNTH-ISSUE');
    expect(statement).toMatchObject({ id: 'CVE-2099-0001', aliases: ['SYNTH-ISSUE'], state: 'fixed', affects: ['cpython'] });
    expect(statement?.source).toEqual({ name: 'NVD', url: 'https://nvd.nist.gov/vuln/detail/CVE-2099-0001' });
    expect(statement?.detail).toContain(
      "SYNTH-ISSUE: fixed in this tree. Misc/NEWS has an entry filed under gh-900001, the advisory's REPORT reference " +
        '(https://github.com/python/cpython/issues/900001): Misc/NEWS:13, Python 3.13.0 final, Security: gh-900001: Fix a made-up overflow',
    );
    expect(statement?.detail).toContain('(1 more entry names');
    expect(statement?.references).toContain('https://github.com/python/cpython/issues/900001');
  });

  it('bpo rule: bugs.python.org issues, short and long URL forms', () => {
    const statements = byAdvisory(rendered.statements);
    expect(statements.get('SYNTH-BPO')).toMatchObject({ id: 'CVE-2099-0002', state: 'fixed' });
    expect(statements.get('SYNTH-BPO')?.detail).toContain(
      'Misc/NEWS:18, Python 3.13.0 final, Security: bpo-800001: An entry filed under a bugs.python.org issue.',
    );
    // No CVE alias: the advisory's own id is the statement's, defined by OSV.
    expect(statements.get('SYNTH-BPO-LONG-FORM')).toMatchObject({ id: 'SYNTH-BPO-LONG-FORM', aliases: [], state: 'fixed', source: { name: 'OSV' } });
  });

  it('pull request rule: an entry naming the pull request (GH-N) makes it fixed; one that reverts it does not', () => {
    const statements = byAdvisory(rendered.statements);
    expect(statements.get('SYNTH-PULL')).toMatchObject({ id: 'CVE-2099-0003', state: 'fixed' });
    expect(statements.get('SYNTH-PULL')?.detail).toContain('Misc/NEWS names pull request #900050');
    expect(statements.get('SYNTH-PULL')?.detail).toContain('Misc/NEWS:13, Python 3.13.0 final, Security: gh-900001');
    expect(statements.get('SYNTH-PULL-REVERTED')).toMatchObject({ id: 'CVE-2099-0004', state: 'under_investigation' });
  });

  it('no-match rule: under investigation, saying what was looked for; commits and INTRODUCED references are not evidence', () => {
    const statements = byAdvisory(rendered.statements);
    const none = statements.get('SYNTH-NO-MATCH');
    expect(none).toMatchObject({ id: 'CVE-2099-0006', aliases: ['SYNTH-NO-MATCH', 'GHSA-2222-3333-4444'], state: 'under_investigation' });
    expect(none?.detail).toBe(
      "SYNTH-NO-MATCH: under investigation. Looked for the advisory's fix references gh-999999 (REPORT) in Misc/NEWS: not found. " +
        'Its fix commits (commit fedcba9876) cannot be checked in a source tree.',
    );
    // Mentioned in another entry's text only: not evidence (it may be a follow-up or a revert).
    expect(statements.get('SYNTH-MENTION-ONLY')).toMatchObject({ state: 'under_investigation' });
    expect(statements.get('SYNTH-NO-REFERENCES')?.detail).toBe(
      'SYNTH-NO-REFERENCES: under investigation. The advisory names no CPython issue or pull request to look for in Misc/NEWS.',
    );
    // A CVE id NEWS names is reported, not taken for a fix.
    const mentioned = statements.get('SYNTH-CVE-MENTIONED');
    expect(mentioned?.state).toBe('under_investigation');
    expect(mentioned?.detail).toContain(
      'NEWS mentions CVE-2099-2222 (not taken as evidence of the fix): Misc/NEWS:31, Python 3.13.0 final, Library: gh-900006: libfoo 1.2 has CVE-2099-2222',
    );
  });

  it('reads the 3.11-era `gh-issue-N:` spelling', () => {
    expect(byAdvisory(rendered.statements).get('SYNTH-GH-ISSUE-SPELLING')).toMatchObject({ state: 'fixed' });
  });

  it('leaves out advisories about other projects and withdrawn ones', () => {
    const ids = rendered.statements.map((statement) => statement.id);
    expect(ids).not.toContain('CVE-2099-0010');
    expect(ids).not.toContain('CVE-2099-0011');
  });

  it('matches bundled components by purl (package purl, GIT repository, PyPI name) and says so', () => {
    const statements = byAdvisory(rendered.statements);
    expect(statements.get('SYNTH-VENDORED')).toMatchObject({ id: 'CVE-2099-1111', state: 'fixed', affects: ['expat'] });
    expect(statements.get('SYNTH-VENDORED')?.detail).toContain('Concerns the bundled expat (matched by purl).');
    const byRepo = statements.get('SYNTH-VENDORED-BY-REPO');
    expect(byRepo).toMatchObject({ state: 'under_investigation', affects: ['expat'] });
    expect(byRepo?.detail).toContain("References in other projects' trackers (1) are not recorded in CPython's NEWS.");
    expect(statements.get('SYNTH-PIP')).toMatchObject({ id: 'CVE-2099-1113', state: 'under_investigation', affects: ['pip'] });
  });

  it('two advisories for one CVE that disagree: neither says fixed, and a warning says why', () => {
    const shared = rendered.statements.filter((statement) => statement.id === 'CVE-2099-3333');
    expect(shared.map((statement) => statement.state)).toEqual(['under_investigation', 'under_investigation']);
    expect(shared.map((statement) => statement.aliases)).toEqual([['SYNTH-SHARED-A'], ['SYNTH-SHARED-B']]);
    expect(shared[0]?.detail).toContain('Not claimed fixed: SYNTH-SHARED-A and SYNTH-SHARED-B all name CVE-2099-3333');
    expect(rendered.warnings).toContain(
      "CVE-2099-3333: advisories SYNTH-SHARED-A and SYNTH-SHARED-B give it different fixes and the tree's NEWS names only some; all are under investigation",
    );
  });

  it('checkouts: cites Misc/NEWS.d release files and unreleased entries', () => {
    const statements = byAdvisory(checkout.statements);
    expect(statements.get('SYNTH-ISSUE')?.detail).toContain(
      'Misc/NEWS.d/3.13.0.rst:1, Python 3.13.0 final, Security: gh-900001: Fix a made-up overflow in the sample module (GH-900050).',
    );
    expect(statements.get('SYNTH-UNRELEASED')?.detail).toContain(
      'Misc/NEWS.d/next/Security/2024-10-10-10-10-10.gh-issue-900007.YzAbCd.rst:1, unreleased, Security: gh-900007: Fix a made-up problem that is not yet in a release.',
    );
    expect(statements.get('SYNTH-UNRELEASED-BPO')).toMatchObject({ state: 'fixed' });
    expect(statements.get('SYNTH-GH-ISSUE-SPELLING')?.detail).toContain(
      'Misc/NEWS.d/3.13.0rc1.rst:1, Python 3.13.0 release candidate 1, Core and Builtins: gh-900008',
    );
    expect(statements.get('SYNTH-PULL-REVERTED')?.state).toBe('under_investigation');
    // The rendered tree has no unreleased entries: the same advisory is under investigation there.
    expect(byAdvisory(rendered.statements).get('SYNTH-UNRELEASED')?.detail).toBe(
      "SYNTH-UNRELEASED: under investigation. Looked for the advisory's fix references gh-900007 (REPORT) in Misc/NEWS: not found.",
    );
    expect(byAdvisory(checkout.statements).get('SYNTH-NO-MATCH')?.detail).toContain('in 4 files of Misc/NEWS.d: not found');
  });

  it('never says fixed without citing a NEWS entry, and never says affected or not affected', () => {
    for (const result of [rendered, checkout]) {
      for (const statement of result.statements) {
        expect(['fixed', 'under_investigation']).toContain(statement.state);
        if (statement.state === 'fixed') expect(statement.detail).toMatch(/: Misc\/NEWS(\.d\/[^:]+)?:\d+, (Python \d|unreleased)/);
      }
    }
  });

  it('without a changelog every statement is under investigation, and a warning says why', async () => {
    const result = await vex(sampleTreeWith('none'), { advisories: SYNTHETIC, created: CREATED });
    expect(result.summary.fixed).toBe(0);
    expect(result.warnings).toContain('the tree has no Misc/NEWS or Misc/NEWS.d: every VEX statement is under investigation');
    expect(byAdvisory(result.statements).get('SYNTH-ISSUE')?.detail).toContain('in the tree has no Misc/NEWS or Misc/NEWS.d: not found');
  });
});
