import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cpe22Problem, cpe23Problem, cpeProblem, purlProblem } from '../../src/validate/identifiers.js';
import { SAMPLE, run, tempDir } from '../support/cli.js';

/**
 * `validate` checks identifiers: purls through packageurl-js, CPEs against the CPE 2.3
 * formatted-string and CPE 2.2 URI grammars, in SPDX and in CycloneDX JSON and XML.
 *
 * The oracle for the CPE cases is the pattern NIST publishes for these bindings in its CPE naming
 * schemas (cpe-naming_2.3.xsd: `cpe23Type`; the 2.2 schema: `cpe22Type`), which other validators
 * apply as it stands (spdx/tools-python among them). Our scanner must agree with it on every case.
 */
const NIST_CPE23 = new RegExp(
  String.raw`^cpe:2\.3:[aho\*\-](:(((\?*|\*?)([a-zA-Z0-9\-\._]|(\\[\\\*\?!"#$$%&'\(\)\+,/:;<=>@\[\]\^` +
    '`' +
    String.raw`\{\|}~]))+(\?*|\*?))|[\*\-])){5}(:(([a-zA-Z]{2,3}(-([a-zA-Z]{2}|[0-9]{3}))?)|[\*\-]))(:(((\?*|\*?)([a-zA-Z0-9\-\._]|(\\[\\\*\?!"#$$%&'\(\)\+,/:;<=>@\[\]\^` +
    '`' +
    String.raw`\{\|}~]))+(\?*|\*?))|[\*\-])){4}$`,
);
const NIST_CPE22 = /^[c][pP][eE]:\/[AHOaho]?(:[A-Za-z0-9._\-~%]*){0,6}$/;

const CPE23_VALID = [
  'cpe:2.3:a:python:python:3.13.15:*:*:*:*:*:*:*',
  'cpe:2.3:a:kjd:internationalized_domain_names_in_applications:3.11:*:*:*:*:*:*:*',
  'cpe:2.3:a:libexpat_project:libexpat:2.8.2:*:*:*:*:*:*:*',
  'cpe:2.3:a:hacl-star:hacl-star:8ba599b2f6c9701b3dc961db895b0856a2210f76:*:*:*:*:*:*:*',
  'cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*',
  'cpe:2.3:a:python:python:3.13.*:*:*:*:*:*:*:*',
  'cpe:2.3:a:python:python:3.13.5:*:*:en-us:*:*:*:*',
  'cpe:2.3:a:foo\\!bar:x:1.0:*:*:*:*:*:*:*',
  'cpe:2.3:a:foo:bar:1.0\\:2:*:*:*:*:*:*:*', // a quoted colon is part of the value
  'cpe:2.3:o:-:-:-:-:-:-:-:-:-:-',
  'cpe:2.3:h:??vendor:product?:1:*:*:*:*:*:*:*',
];
const CPE23_INVALID = [
  'cpe:2.3:a:python:python:3.13.5', // too few attributes
  'cpe:2.3:a:python:python:3.13.5:*:*:*:*:*:*:*:*', // too many
  'cpe:2.3:x:python:python:3.13.5:*:*:*:*:*:*:*', // no such part
  'cpe:2.3:a:python software foundation:python:3.13.5:*:*:*:*:*:*:*', // unquoted space
  'cpe:2.3:a:py*thon:python:3.13.5:*:*:*:*:*:*:*', // wildcard inside a value
  'cpe:2.3:a:python:python::*:*:*:*:*:*:*', // empty version
  'cpe:2.3:a:python:python:3.13.5:*:*:english:*:*:*:*', // not a language tag
  'cpe:2.2:a:python:python:3.13.5:*:*:*:*:*:*:*', // not a 2.3 formatted string
  'cpe:2.3:a:a\\b:x:1:*:*:*:*:*:*:*', // a letter is not quoted
  'cpe:2.3:a:python:python:3.13.5(final):*:*:*:*:*:*:*', // parentheses unquoted
  'cpe:2.3:a:**:x:1:*:*:*:*:*:*:*',
];
const CPE22_VALID = ['cpe:/a:python:python:3.13.5', 'cpe:/o:microsoft:windows_xp::sp2', 'cpe:/a:foo%21bar:x', 'cPE:/H:cisco'];
const CPE22_INVALID = ['cpe:/x:python:python', 'cpe:/a:python software:python', 'cpe:/a:a:b:c:d:e:f:g', 'cpe:a:python:python', 'CPE:/h:cisco'];

describe('CPE syntax', () => {
  it.each(CPE23_VALID)('2.3 %s is well formed', (cpe) => {
    expect(NIST_CPE23.test(cpe)).toBe(true);
    expect(cpe23Problem(cpe)).toBeUndefined();
    expect(cpeProblem(cpe)).toBeUndefined();
  });

  it.each(CPE23_INVALID)('2.3 %s is not', (cpe) => {
    expect(NIST_CPE23.test(cpe)).toBe(false);
    expect(cpe23Problem(cpe)).toMatch(/^not a valid CPE 2\.3 name: /);
  });

  it.each(CPE22_VALID)('2.2 %s is well formed', (cpe) => {
    expect(NIST_CPE22.test(cpe)).toBe(true);
    expect(cpe22Problem(cpe)).toBeUndefined();
    expect(cpeProblem(cpe)).toBeUndefined(); // CycloneDX's cpe takes either binding
  });

  it.each(CPE22_INVALID)('2.2 %s is not', (cpe) => {
    expect(NIST_CPE22.test(cpe)).toBe(false);
    expect(cpe22Problem(cpe) ?? cpeProblem(cpe)).toMatch(/^not a valid CPE 2\.[23] name: /);
  });

  it('says which attribute is wrong, and why', () => {
    expect(cpe23Problem('cpe:2.3:a:python software:python:3:*:*:*:*:*:*:*')).toBe(
      'not a valid CPE 2.3 name: vendor has the character " ", which must be quoted with a backslash; found "cpe:2.3:a:python software:python:3:*:*:*:*:*:*:*"',
    );
    expect(cpe23Problem('cpe:2.3:a:python:python:3:*:*:*:*:*:*')).toMatch(/expected 11 attributes after "cpe:2\.3:" \(part through other\), found 10/);
  });

  it('stays linear on long hostile input', () => {
    expect(cpe23Problem(`cpe:2.3:a:${'?'.repeat(3000)}x${'\\'.repeat(1001)}:p:1:*:*:*:*:*:*:*`)).toMatch(/^not a valid CPE 2\.3 name/);
    expect(cpe23Problem(`cpe:2.3:a:${'a'.repeat(5000)}`)).toMatch(/longer than 4096/);
  });
});

describe('purl syntax (packageurl-js)', () => {
  it.each([
    'pkg:pypi/requests@2.31.0',
    'pkg:github/libexpat/libexpat@R_2_8_2',
    'pkg:generic/cpython@3.13.15?download_url=https%3A%2F%2Fwww.python.org%2Fftp%2Fpython%2F3.13.15%2FPython-3.13.15.tar.xz',
    'pkg:npm/%40cyclonedx/cyclonedx-library@10.3.0',
  ])('%s is well formed', (purl) => {
    expect(purlProblem(purl)).toBeUndefined();
  });

  it.each([
    ['pypi/requests@2.31.0', /"pkg" scheme/],
    ['pkg:pypi', /"name" is a required component/],
    ['pkg:py pi/requests', /illegal character/],
    ['pkg:maven/commons-lang3@3.12', /maven requires a "namespace"/],
    ['pkg:pypi/requests?1st=x', /cannot start with a number/],
    ['pkg:pypi/re%ZZquests', /unable to decode/],
  ])('%s is not', (purl, reason) => {
    expect(purlProblem(purl)).toMatch(/^not a valid package URL \(/);
    expect(purlProblem(purl)).toMatch(reason);
  });
});

describe('validate reports bad identifiers as errors, with their place', () => {
  async function sampleDocument(format: string, name: string): Promise<string> {
    const path = join(tempDir('identifiers-'), name);
    const result = await run(['generate', SAMPLE, '--format', format, '--output', path]);
    expect(result.code, result.stderr).toBe(0);
    return path;
  }

  it('SPDX: purl and cpe23Type external references', async () => {
    const path = await sampleDocument('spdx-json', 'sample.spdx.json');
    const doc = JSON.parse(readFileSync(path, 'utf8')) as {
      packages: { name: string; externalRefs?: { referenceType: string; referenceLocator: string }[] }[];
    };
    const expat = doc.packages.findIndex((pkg) => pkg.name === 'expat');
    const refs = doc.packages[expat]?.externalRefs ?? [];
    const cpe = refs.findIndex((ref) => ref.referenceType === 'cpe23Type');
    const purl = refs.findIndex((ref) => ref.referenceType === 'purl');
    expect([cpe, purl].every((index) => index >= 0)).toBe(true);
    (refs[cpe] as { referenceLocator: string }).referenceLocator = 'cpe:2.3:a:libexpat project:libexpat:2.6.3:*:*:*:*:*:*:*';
    (refs[purl] as { referenceLocator: string }).referenceLocator = 'pkg:/libexpat@2.6.3';
    writeFileSync(path, JSON.stringify(doc));
    const result = await run(['validate', path, '--format', 'json']);
    expect(result.code).toBe(1);
    const [report] = JSON.parse(result.stdout) as { valid: boolean; errors: { path: string; message: string }[] }[];
    expect(report?.errors).toHaveLength(2);
    expect(report?.errors).toEqual(
      expect.arrayContaining([
        {
          path: `/packages/${expat}/externalRefs/${cpe}/referenceLocator`,
          message: expect.stringMatching(/^not a valid CPE 2\.3 name: vendor has the character " "/),
        },
        {
          path: `/packages/${expat}/externalRefs/${purl}/referenceLocator`,
          message: expect.stringMatching(/^not a valid package URL \(type "libexpat@2\.6\.3" contains an illegal character\)/),
        },
      ]),
    );
  });

  it('CycloneDX JSON: component purl and cpe', async () => {
    const path = await sampleDocument('cyclonedx-json', 'sample.cdx.json');
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { components: { name: string; purl?: string; cpe?: string }[] };
    const expat = doc.components.findIndex((component) => component.name === 'expat');
    (doc.components[expat] as { cpe: string }).cpe = 'cpe:2.3:a:libexpat_project:libexpat:2.6.3';
    (doc.components[expat] as { purl: string }).purl = 'pkg:github/libexpat/libexpat?1=x';
    writeFileSync(path, JSON.stringify(doc));
    const result = await run(['validate', path, '--format', 'json']);
    expect(result.code).toBe(1);
    const [report] = JSON.parse(result.stdout) as { errors: { path: string; message: string }[] }[];
    expect(report?.errors.map((error) => error.path)).toEqual([`/components/${expat}/purl`, `/components/${expat}/cpe`]);
  });

  it('CycloneDX XML: component purl and cpe', async () => {
    const path = await sampleDocument('cyclonedx-xml', 'sample.cdx.xml');
    const text = readFileSync(path, 'utf8');
    const broken = text
      .replace(/<cpe>cpe:2\.3:a:libexpat_project:libexpat:([^<]*)<\/cpe>/, '<cpe>cpe:2.3:a:libexpat_project:lib*expat:$1</cpe>')
      .replace(/<purl>pkg:github\/libexpat\/libexpat@([^<]*)<\/purl>/, '<purl>pkg:github/libexpat/libexpat@$1?1x=y</purl>');
    expect(broken).not.toBe(text);
    writeFileSync(path, broken);
    const result = await run(['validate', path]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/ {2}error \/bom\/components\/component\[\d+\]\/purl: not a valid package URL/);
    expect(result.stdout).toMatch(/ {2}error \/bom\/components\/component\[\d+\]\/cpe: not a valid CPE 2\.3 name: product has an unquoted \*/);
  });
});
