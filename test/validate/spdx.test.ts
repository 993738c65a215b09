import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFile, validateText } from '../../src/validate/index.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'validate');
const spdx = (name: string) => join(FIXTURES, 'spdx', `${name}.spdx.json`);
const good = () => JSON.parse(readFileSync(spdx('good'), 'utf8')) as Record<string, any>;
const check = (doc: unknown) => validateText(JSON.stringify(doc), 'doc.spdx.json');

describe('validate: SPDX documents that must be accepted', () => {
  it('accepts the synthetic python.org-shaped document with no findings', async () => {
    const result = await validateFile(spdx('good'));
    expect(result).toMatchObject({ format: 'spdx-2.3-json', valid: true, errors: [], warnings: [] });
  });

  it('accepts the SPDX specification’s own 2.3 and 2.2 examples', async () => {
    for (const name of ['SPDXJSONExample-v2.3.spdx.json', 'SPDXJSONExample-v2.2.spdx.json']) {
      const result = await validateFile(join(FIXTURES, 'real', name));
      expect(result.errors, name).toEqual([]);
      expect(result.valid).toBe(true);
    }
  });

  it('accepts PACKAGE_MANAGER (python.org style) with a warning naming the place', async () => {
    const result = await validateFile(spdx('package-manager-underscore'));
    expect(result.valid).toBe(true);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]?.path).toBe('/packages/1/externalRefs/0/referenceCategory');
    expect(result.warnings[0]?.message).toMatch(/PACKAGE_MANAGER.*2\.3\.1 errata/);
  });
});

describe('validate: one planted fault per fixture is refused, naming the place', () => {
  const cases: [string, string, RegExp][] = [
    ['missing-required-field', '/packages/1/name', /required property 'name' is missing/],
    ['dangling-relationship', '/relationships/3/relatedSpdxElement', /SPDXRef-PACKAGE-libmpdec.*does not resolve/],
    ['duplicate-id', '/files/2/SPDXID', /duplicate SPDX ID "SPDXRef-FILE-Lib-os.py": already used at \/files\/0\/SPDXID/],
    ['unknown-license', '/packages/1/licenseConcluded', /unknown license id 'Expat-Special-1.0'/],
    ['wrong-checksum-length', '/files/1/checksums/1/checksumValue', /expected 64 hex digits for SHA256; found 60/],
    ['wrong-verification-code', '/packages/0/packageVerificationCode/packageVerificationCodeValue', /expected [0-9a-f]{40} .*found [0-9a-f]{40}/],
    ['malformed-spdx-id', '/packages/1/SPDXID', /malformed SPDX ID "SPDXRef-PACKAGE_expat\/2.6"/],
    ['bad-timestamp', '/creationInfo/created', /expected an ISO 8601 UTC time.*found "2024-01-01 00:00:00\+01:00"/],
  ];
  it.each(cases)('%s', async (name, path, message) => {
    const result = await validateFile(spdx(name));
    expect(result.valid).toBe(false);
    expect(result.unreadable).toBe(false);
    expect(result.errors).toContainEqual({ path, message: expect.stringMatching(message) });
  });
});

describe('validate: SPDX semantics', () => {
  it('requires the document to describe something', async () => {
    const doc = good();
    doc.relationships = doc.relationships.filter((r: any) => r.relationshipType !== 'DESCRIBES');
    const result = await check(doc);
    expect(result.errors).toEqual([{ path: '/relationships', message: expect.stringMatching(/DESCRIBES nothing/) }]);
    doc.documentDescribes = ['SPDXRef-PACKAGE-cpython'];
    expect((await check(doc)).valid).toBe(true);
  });

  it('refuses files in a filesAnalyzed: false package', async () => {
    const doc = good();
    doc.packages[1].filesAnalyzed = false;
    const result = await check(doc);
    expect(result.errors.map((e) => e.path)).toEqual(['/relationships/2', '/packages/1/packageVerificationCode']);
  });

  it('wants LicenseRefs declared and DocumentRefs declared', async () => {
    const doc = good();
    doc.packages[0].licenseConcluded = 'PSF-2.0 AND LicenseRef-Custom';
    doc.relationships.push({ spdxElementId: 'SPDXRef-PACKAGE-cpython', relationshipType: 'OTHER', relatedSpdxElement: 'DocumentRef-up:SPDXRef-X' });
    let result = await check(doc);
    expect(result.errors).toEqual([
      { path: '/relationships/5/relatedSpdxElement', message: expect.stringMatching(/DocumentRef-up, which externalDocumentRefs does not declare/) },
      { path: '/packages/0/licenseConcluded', message: expect.stringMatching(/LicenseRef-Custom is not declared/) },
    ]);
    doc.hasExtractedLicensingInfos = [{ licenseId: 'LicenseRef-Custom', extractedText: 'text' }];
    doc.externalDocumentRefs = [
      { externalDocumentId: 'DocumentRef-up', spdxDocument: 'https://example.org/up', checksum: { algorithm: 'SHA1', checksumValue: 'a'.repeat(40) } },
    ];
    result = await check(doc);
    expect(result.errors).toEqual([]);
  });

  it('accepts NOASSERTION, NONE, WITH exceptions and relationships to NONE', async () => {
    const doc = good();
    doc.packages[0].licenseDeclared = 'NOASSERTION';
    doc.packages[1].licenseConcluded = '(MIT OR GPL-2.0-or-later WITH Classpath-exception-2.0)';
    doc.relationships.push({ spdxElementId: 'SPDXRef-PACKAGE-expat', relationshipType: 'GENERATED_FROM', relatedSpdxElement: 'NONE' });
    expect((await check(doc)).errors).toEqual([]);
  });

  it('refuses an expression that does not parse, and an unknown exception', async () => {
    const doc = good();
    doc.packages[0].licenseConcluded = 'MIT AND';
    doc.packages[1].licenseConcluded = 'MIT WITH Not-An-Exception';
    const result = await check(doc);
    expect(result.errors).toEqual([
      { path: '/packages/0/licenseConcluded', message: expect.stringMatching(/not a valid SPDX license expression/) },
      { path: '/packages/1/licenseConcluded', message: expect.stringMatching(/unknown license exception 'Not-An-Exception'/) },
    ]);
  });

  it('checks file SHA-1 presence, hex digits and dates that are not real', async () => {
    const doc = good();
    doc.files[0].checksums = doc.files[0].checksums.slice(1);
    doc.files[1].checksums[0].checksumValue = 'z'.repeat(40);
    doc.creationInfo.created = '2024-02-30T00:00:00Z';
    const result = await check(doc);
    expect(result.errors.map((e) => e.path)).toEqual(['/creationInfo/created', '/files/0/checksums', '/files/1/checksums/0/checksumValue']);
  });

  it('validates SPDX-2.2 documents against the 2.2 schema', async () => {
    const doc = good();
    doc.spdxVersion = 'SPDX-2.2';
    const result = await check(doc);
    expect(result.format).toBe('spdx-2.2-json');
    // 2.2 requires copyrightText and licenseDeclared on packages, which 2.3 made optional.
    expect(result.errors).toContainEqual({ path: '/packages/0/copyrightText', message: "required property 'copyrightText' is missing" });
  });

  it('reports a document that is only invalid under the errata schema as an error, not a warning', async () => {
    const doc = good();
    doc.packages[1].externalRefs[0].referenceCategory = 'PACKAGE_MANAGER';
    delete doc.documentNamespace; // required by both
    const result = await check(doc);
    expect(result.errors).toEqual([{ path: '/documentNamespace', message: "required property 'documentNamespace' is missing" }]);
    expect(result.warnings.map((w) => w.path)).toEqual(['/packages/1/externalRefs/0/referenceCategory']);
  });
});

describe('validate: unreadable input', () => {
  it.each([
    ['not-an-sbom.txt', /not JSON or XML/],
    ['truncated.spdx.json', /not valid JSON/],
    ['no-such-file.json', /no such file or directory/],
  ])('%s', async (name, message) => {
    const result = await validateFile(join(FIXTURES, name));
    expect(result.unreadable).toBe(true);
    expect(result.errors[0]?.message).toMatch(message);
  });

  it("checks generate's own rendering alike, without the depth scan, and a broken one is unreadable, not a crash", async () => {
    const text = JSON.stringify(good());
    expect(await validateText(text, 'doc.spdx.json', { ownRendering: true })).toEqual(await validateText(text, 'doc.spdx.json'));
    const broken = await validateText(text.slice(0, -10), 'doc.spdx.json', { ownRendering: true });
    expect(broken.unreadable).toBe(true);
    expect(broken.errors[0]?.message).toMatch(/^doc\.spdx\.json: not valid JSON \(.* at line 1\)$/);
    // Input from outside is held to the depth bound.
    const deep = `{"spdxVersion": "SPDX-2.3", "x": ${'['.repeat(200)}${']'.repeat(200)}}`;
    expect((await validateText(deep, 'deep.spdx.json')).errors[0]?.message).toMatch(/nested deeper than/);
  });

  it('refuses JSON that is neither SPDX nor CycloneDX', async () => {
    const result = await validateText('{"name": "x"}', 'x.json');
    expect(result.unreadable).toBe(true);
    expect(result.errors[0]?.message).toBe('x.json: neither an SPDX nor a CycloneDX document');
  });
});
