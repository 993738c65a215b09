import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { readCycloneDx, validateCycloneDxSchema, writeCycloneDx } from '../../../src/formats/cyclonedx/index.js';
import type { SbomDocument, VulnerabilityStatement } from '../../../src/model/types.js';
import { validateText } from '../../../src/validate/index.js';
import { loadModel } from './helpers.js';

const STATEMENTS: VulnerabilityStatement[] = [
  {
    id: 'CVE-2024-6232',
    aliases: ['PSF-2024-11', 'GHSA-4p7w-jfw5-f4rw'],
    source: { name: 'NVD', url: 'https://nvd.nist.gov/vuln/detail/CVE-2024-6232' },
    affects: ['cpython'],
    state: 'fixed',
    detail: 'PSF-2024-11: fixed in this tree. Misc/NEWS:1, Python 3.13.0 release candidate 2, Security: gh-121285: "quoted" & <marked up>',
    references: ['https://osv.dev/vulnerability/PSF-2024-11', 'https://github.com/python/cpython/issues/121285'],
  },
  { id: 'PSF-2019-13', aliases: [], source: { name: 'OSV' }, affects: ['cpython', 'expat'], state: 'under_investigation', detail: 'looked for bpo-37463' },
  { id: 'CVE-2099-0001', aliases: [], affects: ['pip/urllib3'], state: 'affected' },
  { id: 'CVE-2099-0002', aliases: [], affects: ['urn:cdx:6cdc433b-ad15-59bd-86e5-45f36690ced0/1#cpython'], state: 'not_affected' },
];

function withStatements(statements = STATEMENTS): SbomDocument {
  return { ...loadModel('model'), vulnerabilities: structuredClone(statements) };
}

describe('CycloneDX vulnerabilities (VEX statements)', () => {
  for (const format of ['json', 'xml'] as const) {
    for (const specVersion of ['1.6', '1.7'] as const) {
      it(`${format} ${specVersion}: written valid against the schema and read back as the same statements`, async () => {
        const text = writeCycloneDx(withStatements(), { format, specVersion });
        expect(await validateCycloneDxSchema(text, format, specVersion)).toEqual([]);
        const checked = await validateText(text, `vex.cdx.${format}`);
        expect(checked.errors).toEqual([]);
        expect(readCycloneDx(text, 'x').document.vulnerabilities).toEqual(STATEMENTS);
      });
    }
  }

  it('maps the statement onto the VEX fields: id, source, references to the aliases, analysis, affects by bom-ref', () => {
    const json = JSON.parse(writeCycloneDx(withStatements(), { format: 'json', specVersion: '1.6' }));
    expect(json.metadata.component['bom-ref']).toBe('cpython');
    const [first, second, third, fourth] = json.vulnerabilities;
    expect(first).toEqual({
      'bom-ref': 'vulnerability:CVE-2024-6232',
      id: 'CVE-2024-6232',
      source: { name: 'NVD', url: 'https://nvd.nist.gov/vuln/detail/CVE-2024-6232' },
      references: [
        { id: 'PSF-2024-11', source: { name: 'OSV', url: 'https://osv.dev/vulnerability/PSF-2024-11' } },
        { id: 'GHSA-4p7w-jfw5-f4rw', source: { name: 'GitHub', url: 'https://github.com/advisories/GHSA-4p7w-jfw5-f4rw' } },
      ],
      advisories: [{ url: 'https://osv.dev/vulnerability/PSF-2024-11' }, { url: 'https://github.com/python/cpython/issues/121285' }],
      analysis: { state: 'resolved', detail: STATEMENTS[0]?.detail },
      affects: [{ ref: 'cpython' }],
    });
    expect(second.analysis.state).toBe('in_triage');
    expect(second.affects).toEqual([{ ref: 'cpython' }, { ref: 'expat' }]);
    expect(third.analysis.state).toBe('exploitable');
    expect(fourth.analysis.state).toBe('not_affected');
    // A BOM-Link into another document is kept as written.
    expect(fourth.affects).toEqual([{ ref: 'urn:cdx:6cdc433b-ad15-59bd-86e5-45f36690ced0/1#cpython' }]);
  });

  it('gives each vulnerability a stable bom-ref, also when two share an id', () => {
    const twice = [STATEMENTS[1] as VulnerabilityStatement, { ...(STATEMENTS[1] as VulnerabilityStatement), detail: 'another advisory' }];
    const first = writeCycloneDx(withStatements(twice), { format: 'json', specVersion: '1.6' });
    expect(writeCycloneDx(withStatements(twice), { format: 'json', specVersion: '1.6' })).toBe(first);
    expect(JSON.parse(first).vulnerabilities.map((v: { 'bom-ref': string }) => v['bom-ref'])).toEqual([
      'vulnerability:PSF-2019-13',
      'vulnerability:PSF-2019-13#2',
    ]);
  });

  it('writes no vulnerabilities when the model has none (SBOMs stay as they were)', () => {
    for (const format of ['json', 'xml'] as const) {
      const text = writeCycloneDx(loadModel('model'), { format, specVersion: '1.6' });
      expect(text).not.toContain('vulnerabilit');
      expect(readCycloneDx(text, 'x').document.vulnerabilities).toBeUndefined();
    }
  });

  it("reads another tool's VEX: unknown states claim nothing, false_positive is not affected, refs kept", () => {
    const foreign = {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      version: 1,
      metadata: { component: { type: 'application', name: 'Acme', 'bom-ref': 'acme-1' } },
      vulnerabilities: [
        { id: 'CVE-2020-25649', analysis: { state: 'false_positive' }, affects: [{ ref: 'acme-1' }] },
        { id: 'CVE-2020-25650', affects: [{ ref: 'elsewhere' }] },
        { id: 'CVE-2020-25651', analysis: { state: 'resolved_with_pedigree', detail: 'patched' }, affects: [] },
      ],
    };
    const statements = readCycloneDx(JSON.stringify(foreign), 'vex.json').document.vulnerabilities;
    expect(statements).toEqual([
      { id: 'CVE-2020-25649', aliases: [], affects: ['acme-1'], state: 'not_affected' },
      { id: 'CVE-2020-25650', aliases: [], affects: ['elsewhere'], state: 'under_investigation' },
      { id: 'CVE-2020-25651', aliases: [], affects: [], state: 'fixed', detail: 'patched' },
    ]);
  });

  it('validate: an affects ref that resolves to nothing is an error (JSON and XML); a BOM-Link is not', async () => {
    const dangling = withStatements([
      { id: 'CVE-2099-0009', aliases: [], affects: ['nowhere', 'urn:cdx:6cdc433b-ad15-59bd-86e5-45f36690ced0/1#x'], state: 'fixed' },
    ]);
    const json = await validateText(writeCycloneDx(dangling, { format: 'json', specVersion: '1.6' }), 'vex.json');
    expect(json.errors).toEqual([
      {
        path: '/vulnerabilities/0/affects/0/ref',
        message: 'affects ref "nowhere" does not resolve: no component or service has that bom-ref, and it is no BOM-Link (urn:cdx:…)',
      },
    ]);
    const xml = await validateText(writeCycloneDx(dangling, { format: 'xml', specVersion: '1.6' }), 'vex.xml');
    expect(xml.errors.map((error) => error.path)).toEqual(['/bom/vulnerabilities/vulnerability[1]/affects/target[1]/ref']);
    const clash = JSON.parse(writeCycloneDx(withStatements(), { format: 'json', specVersion: '1.6' }));
    clash.vulnerabilities[0]['bom-ref'] = 'expat';
    const checked = await validateText(JSON.stringify(clash), 'clash.json');
    expect(checked.errors.map((error) => error.message)).toContain('duplicate bom-ref "expat": already used at /components/0/bom-ref');
  });

  it('refuses wrongly typed vulnerability fields with the JSON pointer, not a crash', () => {
    const bad = { bomFormat: 'CycloneDX', specVersion: '1.6', vulnerabilities: [{ id: 'CVE-1', affects: [{ ref: 7 }] }] };
    expect(() => readCycloneDx(JSON.stringify(bad), 'bad.json')).toThrow(InputError);
    expect(() => readCycloneDx(JSON.stringify(bad), 'bad.json')).toThrow('bad.json: /vulnerabilities/0/affects/0/ref: expected a string, found a number');
    const notArray = { bomFormat: 'CycloneDX', specVersion: '1.6', vulnerabilities: { id: 'CVE-1' } };
    expect(() => readCycloneDx(JSON.stringify(notArray), 'bad.json')).toThrow('/vulnerabilities: expected an array');
  });
});
