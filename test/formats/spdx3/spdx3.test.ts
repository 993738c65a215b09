import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpdx } from '../../../src/formats/spdx/read.js';
import { writeSpdx } from '../../../src/formats/spdx/write.js';
import { readSpdx3, writeSpdx3 } from '../../../src/formats/spdx3/index.js';
import { OUTPUT_SUFFIX, detectFormat, formatById, parseDocument, parseSbomText } from '../../../src/formats/registry.js';
import { generate } from '../../../src/index.js';
import { validateText } from '../../../src/validate/index.js';
import { SAMPLE, run, tempDir } from '../../support/cli.js';
import { normalise, richDocument } from './helpers.js';

type Json = Record<string, unknown>;
type Graph = { '@context': string; '@graph': Json[] };

const parse = (text: string) => JSON.parse(text) as Graph;
const ofType = (graph: Graph, type: string) => graph['@graph'].filter((element) => element.type === type);

/** The model an SPDX 2.3 document of `document` reads back as, and the one its SPDX 3 twin does. */
function bothWays(document = richDocument()) {
  const spdx2 = readSpdx(writeSpdx(document), 'twin.spdx.json').document;
  const spdx3 = readSpdx3(writeSpdx3(document), 'twin.spdx3.json');
  return { spdx2, spdx3 };
}

describe('SPDX 3.0.1 writer and reader', () => {
  it('writes a document the official SPDX 3.0.1 schema and our semantic checks accept', async () => {
    const text = writeSpdx3(richDocument());
    const result = await validateText(text, 'rich.spdx3.json');
    expect(result.errors).toEqual([]);
    expect(result).toMatchObject({ valid: true, format: 'spdx-3.0.1-json' });
  });

  it('reads back exactly the facts its SPDX 2.3 twin reads back as (snippets, file licenses, patches, annotations, references)', () => {
    const { spdx2, spdx3 } = bothWays();
    expect(spdx3.format).toBe('spdx-3.0.1');
    expect(normalise(spdx3.document)).toEqual(normalise(spdx2));
    // The facts that make the comparison worth something are really there.
    expect(spdx3.document.snippets?.[0]).toMatchObject({ byteRange: [10, 200], lineRange: [2, 9], licenseInfoInSnippet: ['MIT'] });
    expect(spdx3.document.files.find((file) => file.path === 'Lib/a.py')?.licenseInfoInFiles).toEqual(['HPND', 'LicenseRef-public-domain', 'MIT']);
    const cpython = spdx3.document.packages.find((pkg) => pkg.name === 'CPython')!;
    expect(cpython.pedigree?.patches.map((patch) => [patch.path, patch.order, patch.type, patch.resolves.map((r) => r.id)])).toEqual([
      ['debian/patches/fix-cve.diff', 1, 'backport', ['CVE-2024-0002']],
      ['debian/patches/local.diff', 2, 'unofficial', []],
    ]);
    expect(cpython.packageFileName).toBe('Python-3.12.0.tgz');
    expect(spdx3.document.packages.find((pkg) => pkg.name === 'libbar')?.scope).toBe('excluded');
    expect(spdx3.document.licenseListVersion).toBe('3.28');
    // Patches and the distribution artifact are files of the document, not of the tree.
    expect(spdx3.document.files.map((file) => file.path).sort()).toEqual(['Lib/a.py', 'Misc/sha1only.txt', 'Modules/foo/foo.c', 'unowned.txt']);
  });

  it('says it in SPDX 3 terms: ids under the namespace, agents, hashes, license relationships, ranges, an SBOM of type source', () => {
    const graph = parse(writeSpdx3(richDocument()));
    expect(graph['@context']).toBe('https://spdx.org/rdf/3.0.1/spdx-context.jsonld');
    const ns = 'https://example.org/edge#';
    const [document] = ofType(graph, 'SpdxDocument');
    expect(document).toMatchObject({ spdxId: `${ns}SPDXRef-DOCUMENT`, rootElement: [`${ns}SPDXRef-SBOM`] });
    expect(ofType(graph, 'software_Sbom')[0]).toMatchObject({ software_sbomType: ['source'], rootElement: [`${ns}SPDXRef-PACKAGE-cpython`] });
    const info = graph['@graph'].find((node) => node['@id'] === '_:creationinfo')!;
    expect(info).toMatchObject({ specVersion: '3.0.1', created: '2024-01-01T00:00:00Z' });
    expect((info.createdUsing as string[]).length).toBe(1);
    const libfoo = ofType(graph, 'software_Package').find((pkg) => pkg.name === 'libfoo')!;
    expect(libfoo).toMatchObject({ spdxId: `${ns}SPDXRef-PACKAGE-libfoo`, software_packageVersion: '1.2.3' });
    expect(libfoo.verifiedUsing).toContainEqual({ type: 'Hash', algorithm: 'sha512', hashValue: expect.stringMatching(/^[0-9a-f]{128}$/) });
    expect(libfoo.verifiedUsing).toContainEqual({ type: 'PackageVerificationCode', algorithm: 'sha1', hashValue: expect.stringMatching(/^[0-9a-f]{40}$/) });
    const supplier = graph['@graph'].find((node) => node.spdxId === libfoo.suppliedBy)!;
    expect(supplier).toMatchObject({
      type: 'Person',
      name: 'Jane Doe',
      externalIdentifier: [{ externalIdentifierType: 'email', identifier: 'jane@example.org' }],
    });
    const cpython = ofType(graph, 'software_Package').find((pkg) => pkg.name === 'CPython')!;
    expect(cpython.externalIdentifier).toContainEqual({
      type: 'ExternalIdentifier',
      externalIdentifierType: 'cpe23',
      identifier: 'cpe:2.3:a:python:python:3.12.0:*:*:*:*:*:*:*',
    });
    const relationships = [...ofType(graph, 'Relationship'), ...ofType(graph, 'LifecycleScopedRelationship')];
    const from = (id: string, type: string) => relationships.find((rel) => rel.from === id && rel.relationshipType === type);
    const declared = from(`${ns}SPDXRef-PACKAGE-libfoo`, 'hasDeclaredLicense')!;
    const expression = graph['@graph'].find((node) => node.spdxId === (declared.to as string[])[0])!;
    expect(expression).toMatchObject({
      type: 'simplelicensing_LicenseExpression',
      simplelicensing_licenseExpression: 'MIT AND BSD-2-Clause',
      simplelicensing_licenseListVersion: '3.28.0',
    });
    expect(from(`${ns}SPDXRef-PACKAGE-libbar`, 'hasConcludedLicense')?.to).toEqual(['expandedlicensing_NoneLicense']);
    expect(from(`${ns}SPDXRef-PACKAGE-cpython`, 'contains')?.to).toEqual([`${ns}SPDXRef-FILE-a`, `${ns}SPDXRef-FILE-b`]);
    const fileLicenses = from(`${ns}SPDXRef-FILE-a`, 'hasDeclaredLicense')?.to as string[];
    expect(fileLicenses.length).toBe(3);
    // A LicenseRef- points to the element with its text (2.3 hasExtractedLicensingInfos).
    const reference = graph['@graph'].find(
      (node) => fileLicenses.includes(node.spdxId as string) && node.simplelicensing_licenseExpression === 'LicenseRef-public-domain',
    )!;
    const [entry] = reference.simplelicensing_customIdToUri as { key: string; value: string }[];
    expect(entry?.key).toBe('LicenseRef-public-domain');
    expect(graph['@graph'].find((node) => node.spdxId === entry?.value)).toMatchObject({
      type: 'simplelicensing_SimpleLicensingText',
      name: 'Public domain dedication',
      simplelicensing_licenseText: 'In the public domain.',
    });
    // BUILD_DEPENDENCY_OF is dependsOn the other way round, in the build phase.
    expect(from(`${ns}SPDXRef-PACKAGE-cpython`, 'dependsOn')).toBeDefined();
    expect(relationships.find((rel) => rel.type === 'LifecycleScopedRelationship')).toMatchObject({
      relationshipType: 'dependsOn',
      scope: 'build',
      from: `${ns}SPDXRef-PACKAGE-cpython`,
      to: [`${ns}SPDXRef-PACKAGE-libbar`],
    });
    expect(from(`${ns}SPDXRef-PACKAGE-cpython`, 'patchedBy')?.to).toHaveLength(2);
    const snippet = ofType(graph, 'software_Snippet')[0]!;
    expect(snippet).toMatchObject({
      software_snippetFromFile: `${ns}SPDXRef-FILE-a`,
      software_byteRange: { type: 'PositiveIntegerRange', beginIntegerRange: 10, endIntegerRange: 200 },
      software_lineRange: { type: 'PositiveIntegerRange', beginIntegerRange: 2, endIntegerRange: 9 },
    });
    const annotation = ofType(graph, 'Annotation')[0]!;
    expect(annotation).toMatchObject({ annotationType: 'other', subject: `${ns}SPDXRef-PACKAGE-libbar` });
    expect(annotation.creationInfo).not.toBe('_:creationinfo');
    // Every element id is unique, and the document lists every element but itself.
    const ids = graph['@graph'].map((node) => node.spdxId).filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
    expect((document!.element as string[]).length).toBe(ids.length - 1);
  });

  it('the SBOM type is analyzed for a Windows artifact, source for a tarball or tree', () => {
    const windows = richDocument();
    windows.packages.find((pkg) => pkg.name === 'CPython')!.packageFileName = 'python-3.13.15-amd64.exe';
    expect(ofType(parse(writeSpdx3(windows)), 'software_Sbom')[0]!.software_sbomType).toEqual(['analyzed']);
    expect(ofType(parse(writeSpdx3(richDocument())), 'software_Sbom')[0]!.software_sbomType).toEqual(['source']);
    expect(ofType(parse(writeSpdx3(richDocument(), { sbomType: ['build', 'source'] })), 'software_Sbom')[0]!.software_sbomType).toEqual(['build', 'source']);
  });

  it('is deterministic: the same model in another order gives the same bytes', () => {
    const document = richDocument();
    const text = writeSpdx3(document);
    const shuffled = richDocument();
    shuffled.packages.reverse();
    shuffled.files.reverse();
    shuffled.relationships.reverse();
    shuffled.creators.reverse();
    expect(writeSpdx3(shuffled)).toBe(text);
    expect(writeSpdx3(document)).toBe(text);
  });

  it('the registry entry names the format, recognises only SPDX 3 and round-trips through read and write', async () => {
    expect(OUTPUT_SUFFIX['spdx3-json']).toBe('.spdx3.json');
    const text = await formatById('spdx3-json').write(richDocument(), { cycloneDxVersion: '1.6' });
    const sniffed = (body: string) => detectFormat(parseDocument(body, 'x') as NonNullable<ReturnType<typeof parseDocument>>)?.format.id;
    expect(sniffed(text)).toBe('spdx3-json');
    expect(sniffed(writeSpdx(richDocument()))).toBe('spdx-json');
    expect(() => parseDocument('{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", ', 'x')).toThrow();
    expect((await parseSbomText(text, 'x')).document.packages).toHaveLength(6);
    await expect(parseSbomText('{"@context": "https://www.w3.org/ns/activitystreams"}', 'x.json')).rejects.toThrow(
      /x\.json: neither an SPDX nor a CycloneDX document/,
    );
  });
});

describe('validating SPDX 3.0.1: planted faults are found and named', () => {
  const base = () => parse(writeSpdx3(richDocument()));
  const index = (graph: Graph, predicate: (element: Json) => boolean) => graph['@graph'].findIndex(predicate);
  const check = async (graph: Graph) => validateText(JSON.stringify(graph), 'planted.spdx3.json');

  it('a file hash with an algorithm SPDX 3 does not name (schema)', async () => {
    const graph = base();
    const i = index(graph, (e) => e.type === 'software_File');
    ((graph['@graph'][i]!.verifiedUsing as Json[])[0] as Json).algorithm = 'sha-1';
    const result = await check(graph);
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([{ path: `/@graph/${i}/verifiedUsing/0/algorithm`, message: expect.stringContaining('found "sha-1"') }]);
  });

  it('a relationship without `to` (schema)', async () => {
    const graph = base();
    const i = index(graph, (e) => e.type === 'Relationship');
    delete graph['@graph'][i]!.to;
    const result = await check(graph);
    expect(result.errors).toEqual([{ path: `/@graph/${i}/to`, message: "required property 'to' is missing" }]);
  });

  it('a property the class does not have, and a type that is no class (schema)', async () => {
    const graph = base();
    const i = index(graph, (e) => e.type === 'software_Package');
    graph['@graph'][i]!.versionInfo = '1.0';
    const j = index(graph, (e) => e.type === 'software_Snippet');
    graph['@graph'][j]!.type = 'software_Snipet';
    const result = await check(graph);
    expect(result.errors).toEqual([
      { path: `/@graph/${i}/versionInfo`, message: "property 'versionInfo' is not allowed here by the schema" },
      { path: `/@graph/${j}/type`, message: 'expected the name of an SPDX 3.0.1 class; found "software_Snipet"' },
    ]);
  });

  it('a malformed SHA-256 (too short), a dangling reference and an unknown license id (semantics)', async () => {
    const graph = base();
    const i = index(graph, (e) => e.type === 'software_File');
    ((graph['@graph'][i]!.verifiedUsing as Json[]).find((hash) => hash.algorithm === 'sha256') as Json).hashValue = 'abc123';
    const j = index(graph, (e) => e.type === 'Relationship' && e.relationshipType === 'contains');
    (graph['@graph'][j]!.to as string[])[0] = 'https://example.org/edge#SPDXRef-FILE-nowhere';
    const k = index(graph, (e) => e.type === 'simplelicensing_LicenseExpression');
    graph['@graph'][k]!.simplelicensing_licenseExpression = 'MIT OR Made-Up-License';
    const result = await check(graph);
    expect(result.valid).toBe(false);
    const paths = result.errors.map((error) => error.path);
    expect(paths).toContain(
      `/@graph/${i}/verifiedUsing/${(graph['@graph'][i]!.verifiedUsing as Json[]).findIndex((hash) => hash.algorithm === 'sha256')}/hashValue`,
    );
    expect(paths).toContain(`/@graph/${j}/to/0`);
    expect(result.errors.find((error) => error.path === `/@graph/${k}/simplelicensing_licenseExpression`)?.message).toContain(
      "unknown license id 'Made-Up-License'",
    );
  });

  it('an @graph that is no list', async () => {
    const result = await validateText(JSON.stringify({ '@context': 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld', '@graph': 'x' }), 'x.spdx3.json');
    expect(result.errors[0]).toEqual({ path: '/@graph', message: 'expected an array of SPDX 3 elements; found "x"' });
  });

  it('another SPDX 3 version is named as such', async () => {
    const graph = base();
    graph['@context'] = 'https://spdx.org/rdf/3.0.0/spdx-context.jsonld';
    const result = await check(graph);
    expect(result.format).toBe('spdx-3.0.0-json');
    expect(result.errors[0]).toMatchObject({
      path: '/@context',
      message: expect.stringContaining('expected "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"'),
    });
  });
});

describe('the sample tree through generate, validate, diff and verify', () => {
  it('generate --format spdx3-json writes a valid .spdx3.json, byte-identical from run to run', async () => {
    const dir = tempDir('spdx3-');
    const first = await run(['generate', SAMPLE, '--format', 'spdx-json,spdx3-json', '--out-dir', dir, '--no-progress']);
    expect(first.stderr).toContain('sample-cpython.spdx3.json');
    expect(first.code).toBe(0);
    const text = readFileSync(join(dir, 'sample-cpython.spdx3.json'), 'utf8');
    const again = await run(['generate', SAMPLE, '--format', 'spdx3-json', '--output', '-', '--no-progress']);
    expect(again.stdout).toBe(text);
    const validated = await run(['validate', join(dir, 'sample-cpython.spdx3.json'), '--format', 'json']);
    expect(validated.code).toBe(0);
    expect(JSON.parse(validated.stdout)).toEqual([
      { file: join(dir, 'sample-cpython.spdx3.json'), format: 'spdx-3.0.1-json', valid: true, errors: [], warnings: [] },
    ]);
    // The 2.3 and 3.0.1 documents of the same tree hold the same facts.
    const diffed = await run(['diff', join(dir, 'sample-cpython.spdx.json'), join(dir, 'sample-cpython.spdx3.json')]);
    expect(diffed.stdout).toContain('Packages: 0 added, 0 removed, 0 changed');
    expect(diffed.code).toBe(0);
    const twin = readSpdx(readFileSync(join(dir, 'sample-cpython.spdx.json'), 'utf8'), 'x').document;
    expect(normalise(readSpdx3(text, 'y').document)).toEqual(normalise(twin));
  });

  it('verify accepts the tree against its SPDX 3 document and names a planted change', async () => {
    const dir = tempDir('spdx3-verify-');
    const result = await generate(SAMPLE, { format: ['spdx3-json'], created: '2024-01-01T00:00:00Z' });
    const sbom = join(dir, 'sample.spdx3.json');
    writeFileSync(sbom, result.documents['spdx3-json'] as string);
    const ok = await run(['verify', sbom, SAMPLE]);
    expect(ok.stdout).toContain('(spdx-3.0.1)');
    expect(ok.code).toBe(0);
    const tree = join(dir, 'tree');
    cpSync(SAMPLE, tree, { recursive: true });
    writeFileSync(join(tree, 'Lib', 'os.py'), '# planted\n');
    const changed = await run(['verify', sbom, tree, '--format', 'json']);
    expect(changed.code).toBe(1);
    expect(JSON.parse(changed.stdout).changed.map((file: { path: string }) => file.path)).toEqual(['Lib/os.py']);
  });
});
