import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { beforeAll, describe, expect, it } from 'vitest';
import { vex, type VexResult } from '../../src/api/vex.js';
import { readCycloneDx } from '../../src/formats/cyclonedx/read.js';
import { validateText } from '../../src/validate/index.js';
import { isIri, validateOpenVex } from '../../src/vex/openvex-schema.js';
import { barePurl } from '../../src/vex/render.js';
import { REPO } from '../support/cli.js';
import { pythonWithJsonschema } from '../support/external-tools.js';
import { sampleTreeWith, scratch, SYNTHETIC } from './support.js';

const CREATED = '2024-01-01T00:00:00Z';

describe('the VEX documents', () => {
  let tree: string;
  let cdx: VexResult;
  let openvex: VexResult;
  beforeAll(async () => {
    tree = sampleTreeWith('rendered');
    cdx = await vex(tree, { advisories: SYNTHETIC, created: CREATED });
    openvex = await vex(tree, { advisories: SYNTHETIC, created: CREATED, format: 'openvex' });
  });

  it("CycloneDX: valid for the CycloneDX library's own JSON validator (1.6 and 1.7) and for ours", async () => {
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(cdx.document)).toBeNull();
    const v17 = await vex(tree, { advisories: SYNTHETIC, created: CREATED, cyclonedxVersion: '1.7' });
    expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot7).validate(v17.document)).toBeNull();
    expect((await validateText(cdx.document, 'vex.cdx.json')).errors).toEqual([]);
  });

  it('CycloneDX: CPython and the components statements name, by their SBOM bom-refs and purls; no files; every affects ref resolves', () => {
    const json = JSON.parse(cdx.document);
    expect(cdx.fileName).toBe('Python-3.13.0.vex.cdx.json');
    expect(json.metadata.component).toMatchObject({ 'bom-ref': 'cpython', name: 'CPython', version: '3.13.0', purl: 'pkg:generic/cpython@3.13.0' });
    expect(json.metadata.component.cpe).toBe('cpe:2.3:a:python:python:3.13.0:*:*:*:*:*:*:*');
    expect(json.components.map((component: { 'bom-ref': string; purl: string }) => [component['bom-ref'], component.purl])).toEqual([
      ['expat', 'pkg:github/libexpat/libexpat@R_2_6_3'],
      ['pip', 'pkg:pypi/pip@24.0'],
    ]);
    expect(JSON.stringify(json)).not.toContain('"type":"file"');
    const refs = new Set(['cpython', 'expat', 'pip']);
    expect(json.vulnerabilities).toHaveLength(cdx.statements.length);
    for (const vulnerability of json.vulnerabilities) {
      for (const affect of vulnerability.affects) expect(refs.has(affect.ref)).toBe(true);
      expect(['resolved', 'in_triage']).toContain(vulnerability.analysis.state);
    }
    // Read back, the document gives the same statements.
    expect(readCycloneDx(cdx.document, 'vex.cdx.json').document.vulnerabilities).toEqual(cdx.statements);
  });

  it('CycloneDX: the same tree and advisories give the same bytes; other statements another serial number', async () => {
    const again = await vex(tree, { advisories: SYNTHETIC, created: CREATED });
    expect(again.document).toBe(cdx.document);
    const fewer = scratch('fewer');
    for (const name of ['SYNTH-ISSUE.json', 'SYNTH-BPO.json']) writeFileSync(join(fewer, name), readFileSync(join(SYNTHETIC, name)));
    const other = await vex(tree, { advisories: fewer, created: CREATED });
    expect(JSON.parse(other.document).serialNumber).not.toBe(JSON.parse(cdx.document).serialNumber);
  });

  it('OpenVEX: valid against the bundled OpenVEX 0.2.0 schema (Ajv)', () => {
    expect(validateOpenVex(JSON.parse(openvex.document))).toEqual([]);
    expect(openvex.fileName).toBe('Python-3.13.0.openvex.json');
  });

  it('OpenVEX: the schema check can fail (no statements, a wrong status, an id that is no IRI)', () => {
    const json = JSON.parse(openvex.document);
    expect(validateOpenVex({ ...json, statements: [] }).map((finding) => finding.path)).toEqual(['/statements']);
    const wrongStatus = structuredClone(json);
    wrongStatus.statements[0].status = 'resolved';
    expect(validateOpenVex(wrongStatus)[0]?.path).toBe('/statements/0/status');
    expect(validateOpenVex({ ...json, '@id': 'not an iri' })[0]?.path).toBe('/@id');
    expect(isIri('pkg:generic/cpython@3.13.15')).toBe(true);
    expect(isIri('https://www.python.org/ftp/python/3.13.15/Python-3.13.15.tar.xz.spdx.json#openvex-0123')).toBe(true);
    expect(isIri('no-scheme')).toBe(false);
  });

  it('OpenVEX: CPython is the product (purl without qualifiers, CPE), the package the vulnerability is in its subcomponent', () => {
    const json = JSON.parse(openvex.document);
    expect(json).toMatchObject({ '@context': 'https://openvex.dev/ns/v0.2.0', author: 'cpython-sbom', timestamp: CREATED, version: 1 });
    const byName = new Map(json.statements.map((statement: { vulnerability: { name: string } }) => [statement.vulnerability.name, statement]));
    const cpython = {
      '@id': 'pkg:generic/cpython@3.13.0',
      identifiers: { purl: 'pkg:generic/cpython@3.13.0', cpe23: 'cpe:2.3:a:python:python:3.13.0:*:*:*:*:*:*:*' },
    };
    expect(byName.get('CVE-2099-0001')).toMatchObject({
      vulnerability: { '@id': 'https://nvd.nist.gov/vuln/detail/CVE-2099-0001', name: 'CVE-2099-0001', aliases: ['SYNTH-ISSUE'] },
      products: [{ ...cpython, subcomponents: [cpython] }],
      status: 'fixed',
    });
    expect((byName.get('CVE-2099-0001') as { status_notes: string }).status_notes).toContain('Misc/NEWS:13, Python 3.13.0 final, Security: gh-900001');
    expect(byName.get('CVE-2099-1111')).toMatchObject({
      products: [
        { ...cpython, subcomponents: [{ '@id': 'pkg:github/libexpat/libexpat@R_2_6_3', identifiers: { purl: 'pkg:github/libexpat/libexpat@R_2_6_3' } }] },
      ],
      status: 'fixed',
    });
    expect(byName.get('CVE-2099-0006')).toMatchObject({ status: 'under_investigation' });
    expect(json.statements).toHaveLength(openvex.statements.length);
    expect(barePurl('pkg:generic/cpython@3.13.15?download_url=https%3A%2F%2Fwww.python.org%2Fx')).toBe('pkg:generic/cpython@3.13.15');
  });

  const python = pythonWithJsonschema();
  it.skipIf(!python)('OpenVEX: valid for Python jsonschema as well (a validator sharing no code with ours)', () => {
    const file = join(scratch('openvex'), 'cpython.openvex.json');
    writeFileSync(file, openvex.document);
    const result = spawnSync(
      python as string,
      [join(REPO, 'test', 'support', 'jsonschema_check.py'), join(REPO, 'schemas', 'openvex-0.2.0.schema.json'), file],
      {
        encoding: 'utf8',
      },
    );
    expect(`${result.stdout}${result.stderr}`).toContain('valid against openvex-0.2.0.schema.json');
    expect(result.status).toBe(0);
  });
});
