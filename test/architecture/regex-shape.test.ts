import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/cli.js';
import { checkPattern, regexSites } from '../support/regex-lint.js';

// Issue 23, class 4: no regular expression with nested or adjacent unbounded repetitions runs over
// input. A static check (no timing): every regex literal and `new RegExp` of src/, and every pattern
// of the catalog, goes through the analyser in src/util/regex-shape.ts.

/** Literals the analyser flags that are linear all the same, with the reason. */
const REVIEWED: Record<string, string> = {
  // `\1` is one of `=-~^*#_+`, never a blank: the analyser treats a back-reference as any character.
  '^[ \\t]*([=\\-~^*#_+])\\1{3,}[ \\t]*$': 'back-reference to a punctuation character, disjoint from [ \\t]',
  // The XML tokenizer: every attribute repetition needs `=` and a quoted value, so the blanks before
  // one attribute cannot be taken by another or by the `\s*` before `>`.
  [String.raw`<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>`]:
    'attribute repetitions fenced by = and quotes',
};

/** `new RegExp(expression)` sites whose pattern is not a literal, by file and expression, with why each is safe. */
const DYNAMIC: Record<string, string> = {
  'catalog/catalog.ts source.regex': 'catalog version patterns: linted below',
  'catalog/glob.ts `^${source}$`': 'catalog globs: [^/]* segments joined by literal slashes',
  'complete/attribution.ts `^(?:${pattern})$`': 'catalog section titles: linted below',
  'complete/attribution.ts item.marker': 'catalog markers: linted below',
  'complete/snippet-range.ts start': 'catalog snippet bounds: linted below',
  'complete/snippet-range.ts end': 'catalog snippet bounds: linted below',
  'detect/catalog-detector.ts (component.checksum as { regex: string }).regex': 'catalog checksum patterns: linted below',
  'detect/externals.ts regex': 'SET_LIBRARIES or the catalog externals pattern: linted below',
  'platforms/artifact.ts `^python-${VERSION}-([a-z0-9_]+-linux-android(?:eabi)?)\\\\.tar\\\\.gz$`': 'the VERSION literal and fixed artifact names',
  'platforms/artifact.ts `^python-${VERSION}-iOS-XCframework\\\\.(tar\\\\.gz|zip)$`': 'the VERSION literal and fixed artifact names',
  'platforms/artifact.ts `^python-${VERSION}-macos(?:x?\\\\d+(?:\\\\.\\\\d+)?)?\\\\.pkg$`': 'the VERSION literal and fixed artifact names',
  'formats/cyclonedx/schema.ts TAG.source': 'the TAG literal, linted (and reviewed) above',
  "generate/output-targets.ts `^(${OUTPUT_FORMATS.join('|')})=(.+)$`": 'fixed format names',
  "license/file-scan.ts word.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&')": 'an escaped literal word',
  'regen/checks.ts pattern.regex': 'from the checkout script: checked with checkPattern at run time, not run when flagged',
  'regen/pyglob.ts `^(?:${fnmatchSegment(pattern)})$`': 'fnmatchRegex: used on fixed patterns; globs over the disk use the linear compileFnmatch',
  'regen/pyliteral.ts `^${name}\\\\s*(?::[^=\\\\n]*)?=\\\\s*`': 'fixed variable names',
  'util/exclude-glob.ts `^${out}$`': "the overlay's own exclude globs (the user's file, not the tree)",
  'util/regex-shape.ts `^(?:${src})$`': 'the analyser itself: one atom of a pattern, tried on one character',
  'windows/artifact-name.ts `^python-${VERSION}(t?)(?:-(amd64|arm64|win32))?\\\\.exe$`': 'fixed pattern',
  'windows/artifact-name.ts `^python-${VERSION}(t?)(?:-(embed|test))?-(amd64|arm64|win32)\\\\.zip$`': 'fixed pattern',
};

describe('the regex shape analyser', () => {
  it.each([
    ['(a+)+'],
    ['(\\w+\\s?)*'],
    ['\\s*\\S*\\s*$'],
    ['\\d+\\.?\\d+'],
    ['.*.*'],
    ['^License-File:\\s*(.+?)\\s*$'],
    ['^Name:[ \\t]*(.*?)\\s*$'],
    ['SPDX-License-Identifier:\\s*([A-Za-z0-9.+()\\- ]+?)\\s*(?:\\*\\/|-->|$)'],
    ['XML_MAJOR_VERSION\\s+(\\d+)[\\s\\S]*?XML_MINOR_VERSION'],
    ['(?:(?:[^/]*)*/)*x'],
  ])('flags %s', (pattern) => {
    expect(checkPattern(pattern)).not.toEqual([]);
  });

  it.each([['^[a-z]+$'], ['(?:,[^,]+)*'], ['^\\s*,\\s*$'], ['^\\s*(\\S.*)$'], ['libffi-([0-9]+(?:\\.[0-9]+)+) was released'], ['a{0,256}?b']])(
    'passes %s',
    (pattern) => {
      expect(checkPattern(pattern)).toEqual([]);
    },
  );

  it('refuses a very long pattern rather than analysing it', () => {
    expect(checkPattern('a'.repeat(5000))[0]).toMatch(/more than 2000/);
  });
});

describe('every regular expression of src/', () => {
  const sites = regexSites(join(REPO, 'src'));

  it('finds the literals (the scan itself works)', () => {
    expect(sites.length).toBeGreaterThan(300);
  });

  it('has no nested or adjacent unbounded repetition, or is reviewed', () => {
    const flagged = sites
      .filter((site) => site.dynamic === undefined && REVIEWED[site.source] === undefined)
      .flatMap((site) => checkPattern(site.source, site.flags).map((problem) => `${site.file}:${site.line} /${site.source}/: ${problem}`));
    expect(flagged).toEqual([]);
  });

  it('builds a pattern from an expression only where listed, with the reason', () => {
    const dynamic = sites.filter((site) => site.dynamic !== undefined).map((site) => `${site.file} ${site.dynamic}`);
    expect(dynamic.filter((key) => DYNAMIC[key] === undefined)).toEqual([]);
    // A listed site that went away is taken off the list.
    expect(Object.keys(DYNAMIC).filter((key) => !dynamic.includes(key))).toEqual([]);
  });
});

describe('every pattern of the catalog', () => {
  it('has no nested or adjacent unbounded repetition', () => {
    const catalog = parse(readFileSync(join(REPO, 'catalog', 'components.yaml'), 'utf8')) as unknown;
    const patterns: string[] = [];
    const walk = (value: unknown, key: string): void => {
      if (typeof value === 'string' && ['regex', 'marker', 'sections', 'start', 'end'].includes(key)) patterns.push(value);
      else if (Array.isArray(value)) for (const item of value) walk(item, key);
      else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
    };
    walk(catalog, '');
    expect(patterns.length).toBeGreaterThan(40);
    expect(patterns.flatMap((pattern) => checkPattern(pattern).map((problem) => `/${pattern}/: ${problem}`))).toEqual([]);
  });
});
