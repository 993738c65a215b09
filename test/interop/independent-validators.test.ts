import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSpdx3 } from '../../src/formats/spdx3/index.js';
import { generate } from '../../src/index.js';
import { richDocument } from '../formats/spdx3/helpers.js';
import { REPO, SAMPLE } from '../support/cli.js';
import { pythonWithJsonschema, xmllint } from '../support/external-tools.js';
import { REAL, realPath } from '../support/real.js';

/**
 * Our documents through validators that share no code with ours: Python's jsonschema against the
 * official SPDX 2.3 schema and the CycloneDX library's JSON schema, and libxml2's xmllint against
 * the CycloneDX XSD. What other tools accept, not what our own validator accepts.
 */

const CDX_SCHEMAS = join(REPO, 'node_modules', '@cyclonedx', 'cyclonedx-library', 'res', 'schema');
const CHECK_SCRIPT = join(REPO, 'test', 'support', 'jsonschema_check.py');
const python = pythonWithJsonschema();
const lint = xmllint();

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cpython-sbom-interop-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function jsonschemaCheck(schema: string, document: string, timeout = 120_000): { status: number | null; output: string } {
  const result = spawnSync(python as string, [CHECK_SCRIPT, schema, document], { encoding: 'utf8', timeout });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function xsdCheck(document: string, version: string): { status: number | null; output: string } {
  const xsd = join(CDX_SCHEMAS, `bom-${version}.SNAPSHOT.xsd`);
  const result = spawnSync(lint as string, ['--noout', '--nonet', '--schema', xsd, document], { encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

async function writeDocuments(source: string, name: string, cyclonedxVersion: '1.6' | '1.7' = '1.6') {
  const result = await generate(source, {
    format: ['spdx-json', 'cyclonedx-json', 'cyclonedx-xml'],
    cyclonedxVersion,
    created: '2024-01-01T00:00:00Z',
  });
  expect(result.ok).toBe(true);
  const paths = { spdx: join(work, `${name}.spdx.json`), cdxJson: join(work, `${name}.cdx.json`), cdxXml: join(work, `${name}.cdx.xml`) };
  writeFileSync(paths.spdx, result.documents['spdx-json'] as string);
  writeFileSync(paths.cdxJson, result.documents['cyclonedx-json'] as string);
  writeFileSync(paths.cdxXml, result.documents['cyclonedx-xml'] as string);
  return paths;
}

describe.skipIf(!python)('Python jsonschema accepts our JSON documents', () => {
  it('SPDX against the official SPDX 2.3 schema, CycloneDX 1.6 and 1.7 against the CycloneDX schemas', async () => {
    const docs = await writeDocuments(SAMPLE, 'sample');
    const spdx = jsonschemaCheck(join(REPO, 'schemas', 'spdx-2.3.schema.json'), docs.spdx);
    expect(spdx.output).toContain('valid against spdx-2.3.schema.json');
    expect(spdx.status).toBe(0);
    const cdx = jsonschemaCheck(join(CDX_SCHEMAS, 'bom-1.6.SNAPSHOT.schema.json'), docs.cdxJson);
    expect(cdx.output).toContain('valid against bom-1.6.SNAPSHOT.schema.json');
    expect(cdx.status).toBe(0);
    const docs17 = await writeDocuments(SAMPLE, 'sample-1.7', '1.7');
    expect(jsonschemaCheck(join(CDX_SCHEMAS, 'bom-1.7.SNAPSHOT.schema.json'), docs17.cdxJson).status).toBe(0);
    // A distributor build (pedigree with patches, excluded components), as our writer renders it.
    const distributor = join(REPO, 'fixtures', 'formats', 'cyclonedx', 'distributor.cdx.json');
    expect(jsonschemaCheck(join(CDX_SCHEMAS, 'bom-1.6.SNAPSHOT.schema.json'), distributor).status).toBe(0);
  });

  it('and the check can fail: a document with a wrong field is refused', () => {
    const broken = join(work, 'broken.spdx.json');
    writeFileSync(broken, JSON.stringify({ spdxVersion: 'SPDX-2.3', SPDXID: 'SPDXRef-DOCUMENT', packages: 'not a list' }));
    const result = jsonschemaCheck(join(REPO, 'schemas', 'spdx-2.3.schema.json'), broken);
    expect(result.status).toBe(1);
    expect(result.output).toMatch(/\/packages: 'not a list' is not of type 'array'/);
  });
});

describe.skipIf(!python)('Python jsonschema accepts our SPDX 3.0.1 JSON-LD', () => {
  // The official SPDX 3.0.1 schema matches every element against every class, which Python's
  // jsonschema takes ~0.8 s of CPU per element for (35 s for this document; minutes of wall time
  // on a loaded machine): a small document with every kind of fact we write (snippet, patches,
  // file licenses, annotation, agents) instead of a whole release.
  const SLOW = 900_000;
  it(
    'against the official SPDX 3.0.1 schema',
    () => {
      const path = join(work, 'rich.spdx3.json');
      writeFileSync(path, writeSpdx3(richDocument()));
      const result = jsonschemaCheck(join(REPO, 'schemas', 'spdx-3.0.1.schema.json'), path, SLOW);
      expect(result.output).toContain('valid against spdx-3.0.1.schema.json');
      expect(result.status).toBe(0);
    },
    SLOW + 60_000,
  );

  it(
    'and the check can fail: a relationship without `to`, a hash algorithm SPDX 3 does not name',
    () => {
      const info = { type: 'CreationInfo', '@id': '_:c', specVersion: '3.0.1', created: '2024-01-01T00:00:00Z', createdBy: ['urn:x:agent'] };
      const agent = { type: 'Organization', spdxId: 'urn:x:agent', creationInfo: '_:c', name: 'X' };
      const file = {
        type: 'software_File',
        spdxId: 'urn:x:file',
        creationInfo: '_:c',
        name: 'a.py',
        verifiedUsing: [{ type: 'Hash', algorithm: 'sha1', hashValue: '0'.repeat(40) }],
      };
      const relationship = {
        type: 'Relationship',
        spdxId: 'urn:x:rel',
        creationInfo: '_:c',
        from: 'urn:x:file',
        relationshipType: 'contains',
        to: ['urn:x:agent'],
      };
      const check = (name: string, elements: object[]) => {
        const path = join(work, `${name}.spdx3.json`);
        writeFileSync(path, JSON.stringify({ '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld', '@graph': [info, agent, ...elements] }));
        return jsonschemaCheck(join(REPO, 'schemas', 'spdx-3.0.1.schema.json'), path, SLOW);
      };
      // The same small document passes as it is, so each failure below is its planted fault.
      expect(check('control', [file, relationship]).status).toBe(0);
      const badHash = { ...file, verifiedUsing: [{ type: 'Hash', algorithm: 'sha-1', hashValue: '0'.repeat(40) }] };
      const { to: _to, ...noTo } = relationship;
      for (const [name, elements] of [
        ['hash', [badHash, relationship]],
        ['to', [file, noTo]],
      ] as const) {
        const result = check(name, [...elements]);
        expect(result.status, result.output).toBe(1);
        expect(result.output).toMatch(/\d+ error\(s\)/);
      }
    },
    3 * SLOW,
  );
});

describe.skipIf(!lint)('xmllint accepts our CycloneDX XML', () => {
  it('against the CycloneDX 1.6 XSD', async () => {
    const docs = await writeDocuments(SAMPLE, 'sample-xml');
    const result = xsdCheck(docs.cdxXml, '1.6');
    expect(result.output).toContain('validates');
    expect(result.status).toBe(0);
    expect(xsdCheck(join(REPO, 'fixtures', 'formats', 'cyclonedx', 'distributor.cdx.xml'), '1.6').status).toBe(0);
  });

  it('and the check can fail: an unknown element is refused', () => {
    const broken = join(work, 'broken.cdx.xml');
    writeFileSync(broken, '<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1"><nonsense/></bom>\n');
    const result = xsdCheck(broken, '1.6');
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('fails to validate');
  });

  // Python's jsonschema needs ~40 s per 3 MB document on a loaded 2-core machine; libxml2 is fast
  // enough to check a whole release here.
  const real = realPath(REAL.py31315);
  it.skipIf(!real)('on Python-3.13.15.tar.xz', async () => {
    const result = await generate(real as string, { format: ['cyclonedx-xml'], created: '2024-01-01T00:00:00Z' });
    const path = join(work, 'real.cdx.xml');
    writeFileSync(path, result.documents['cyclonedx-xml'] as string);
    expect(xsdCheck(path, '1.6')).toMatchObject({ status: 0 });
  });
});
