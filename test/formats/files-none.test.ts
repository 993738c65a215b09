import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCycloneDx } from '../../src/formats/cyclonedx/write.js';
import { OUTPUT_FORMATS, parseSbomText, readSbomFile, renderDocument } from '../../src/formats/registry.js';
import { FILES_LEFT_OUT_NOTE, writeSpdx } from '../../src/formats/spdx/write.js';
import type { SbomDocument } from '../../src/model/types.js';
import { validateText } from '../../src/validate/index.js';
import { SAMPLE, lazyTempDir, run, tempDir } from '../support/cli.js';
import { REAL, hasReal, realPath } from '../support/real.js';

/**
 * The writers' `files: 'none'` option (`generate --files none`): packages only, each keeping the
 * verification code of its full file list, in SPDX and in CycloneDX JSON and XML.
 */

type SpdxJson = {
  packages: { SPDXID: string; name: string; packageVerificationCode?: { packageVerificationCodeValue: string } }[];
  files?: { fileName: string }[];
  relationships: { relationshipType: string; relatedSpdxElement: string }[];
  snippets?: { snippetFromFile: string }[];
  comment?: string;
};
type CdxJson = {
  metadata: { properties?: { name: string; value: string }[] };
  components: { type: string; name: string; properties?: { name: string; value: string }[]; components?: unknown[] }[];
};

const codes = (spdx: SpdxJson) =>
  Object.fromEntries(
    spdx.packages.filter((pkg) => pkg.packageVerificationCode).map((pkg) => [pkg.name, pkg.packageVerificationCode?.packageVerificationCodeValue]),
  );
const cdxCodes = (cdx: CdxJson) =>
  Object.fromEntries(
    cdx.components
      .map((component) => [component.name, component.properties?.find((p) => p.name === 'cpython-sbom:packageVerificationCode')?.value] as const)
      .filter(([, code]) => code !== undefined),
  );

async function modelOf(source: string): Promise<SbomDocument> {
  const out = join(tempDir('files-none-'), 'full.spdx.json');
  const result = await run(['generate', source, '--output', out]);
  expect(result.code, result.stderr).toBe(0);
  return (await readSbomFile(out)).document;
}

describe('writers: files none', () => {
  it('SPDX: no files, no CONTAINS, the same verification codes as the full document, still valid', async () => {
    const model = await modelOf(SAMPLE);
    const full = JSON.parse(writeSpdx(model)) as SpdxJson;
    const text = writeSpdx(model, { files: 'none' });
    const packagesOnly = JSON.parse(text) as SpdxJson;
    expect(full.files?.length).toBeGreaterThan(10);
    expect(packagesOnly.files ?? []).toEqual([]);
    expect(packagesOnly.relationships.filter((r) => r.relationshipType === 'CONTAINS' && r.relatedSpdxElement.startsWith('SPDXRef-FILE'))).toEqual([]);
    expect(packagesOnly.packages.map((pkg) => pkg.name)).toEqual(full.packages.map((pkg) => pkg.name));
    expect(codes(packagesOnly)).toEqual(codes(full));
    expect(Object.keys(codes(full)).length).toBeGreaterThan(3);
    expect(packagesOnly.comment).toContain(FILES_LEFT_OUT_NOTE);
    const validation = await validateText(text, 'packages-only.spdx.json');
    expect(validation.errors).toEqual([]);
    expect(validation.valid).toBe(true);
  });

  it('CycloneDX JSON and XML: no file components; the codes travel as a property and come back into SPDX', async () => {
    const model = await modelOf(SAMPLE);
    const spdxCodes = codes(JSON.parse(writeSpdx(model)) as SpdxJson);
    const json = writeCycloneDx(model, { format: 'json', specVersion: '1.6', files: 'none' });
    const bom = JSON.parse(json) as CdxJson;
    const all = (list: CdxJson['components']): CdxJson['components'] => list.flatMap((c) => [c, ...all((c.components ?? []) as CdxJson['components'])]);
    expect(all(bom.components).filter((component) => component.type === 'file')).toEqual([]);
    // The metadata component (CPython) carries its code in metadata; the rest on their components.
    const { CPython: cpythonCode, ...others } = spdxCodes;
    expect(cdxCodes(bom)).toEqual(others);
    expect(cpythonCode).toMatch(/^[0-9a-f]{40}$/);
    expect(bom.metadata.properties?.find((p) => p.name === 'cpython-sbom:document:comment')?.value).toContain(FILES_LEFT_OUT_NOTE);
    for (const [format, text] of [
      ['json', json],
      ['xml', writeCycloneDx(model, { format: 'xml', specVersion: '1.6', files: 'none' })],
    ] as const) {
      const validation = await validateText(text, `packages-only.cdx.${format}`);
      expect(validation.errors, format).toEqual([]);
      // Read back and written as SPDX: every package has the code of its full file list.
      const back = await parseSbomText(text, `packages-only.cdx.${format}`);
      expect(back.document.files, format).toEqual([]);
      expect(codes(JSON.parse(writeSpdx(back.document)) as SpdxJson), format).toEqual(spdxCodes);
    }
  });

  it("renderDocument passes the option to each format's writer (the path generate --files takes)", async () => {
    const model = await modelOf(SAMPLE);
    for (const format of OUTPUT_FORMATS) {
      const all = await renderDocument(model, format, '1.6');
      const none = await renderDocument(model, format, '1.6', { files: 'none' });
      expect(await renderDocument(model, format, '1.6', { files: 'all' }), format).toBe(all);
      const back = await parseSbomText(none, `x.${format}`);
      expect(back.document.files, format).toEqual([]);
      expect(back.document.packages.length, format).toBe(model.packages.length);
      expect((await parseSbomText(all, `x.${format}`)).document.files.length, format).toBe(model.files.length);
    }
  });

  it('writes every file by default', async () => {
    const model = await modelOf(SAMPLE);
    expect(writeSpdx(model, { files: 'all' })).toBe(writeSpdx(model));
    expect(writeCycloneDx(model, { format: 'json', specVersion: '1.6', files: 'all' })).toBe(writeCycloneDx(model, { format: 'json', specVersion: '1.6' }));
  });
});

describe('generate --files', () => {
  it('none: every format without files, each package with the code of its files, each document valid', async () => {
    const dir = tempDir('files-flag-');
    const result = await run(['generate', SAMPLE, '--files', 'none', '--format', 'spdx-json,cyclonedx-json,cyclonedx-xml', '--out-dir', dir]);
    expect(result.code, result.stderr).toBe(0);
    const full = JSON.parse(writeSpdx(await modelOf(SAMPLE))) as SpdxJson;
    const spdx = JSON.parse(readFileSync(join(dir, 'sample-cpython.spdx.json'), 'utf8')) as SpdxJson;
    expect(spdx.files ?? []).toEqual([]);
    expect(codes(spdx)).toEqual(codes(full));
    for (const name of ['sample-cpython.spdx.json', 'sample-cpython.cdx.json', 'sample-cpython.cdx.xml']) {
      const text = readFileSync(join(dir, name), 'utf8');
      expect((await parseSbomText(text, name)).document.files, name).toEqual([]);
      expect((await validateText(text, name)).valid, name).toBe(true);
    }
    expect(JSON.parse((await run(['generate', SAMPLE, '--files', 'all', '--output', '-'])).stdout)).toEqual(full);
  });

  it('refuses anything but all or none, on the command line and in the library', async () => {
    const bad = await run(['generate', SAMPLE, '--files', 'some', '--output', '-']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--files.*some/);
    const { generate } = await import('../../src/api/generate.js');
    await expect(generate(SAMPLE, { files: 'some' as 'all' })).rejects.toThrow('--files: expected all or none, got some');
  });
});

describe.skipIf(!hasReal(REAL.py31315))('writers: files none on the complete SBOM of Python 3.13.15 (real)', () => {
  const dir = lazyTempDir('files-none-real-');

  it('keeps only the files snippets and relationships name in SPDX, and only packages and snippets in CycloneDX', { timeout: 600_000 }, async () => {
    const out = join(dir(), 'full.spdx.json');
    expect((await run(['generate', realPath(REAL.py31315) as string, '--output', out])).code).toBe(0);
    const model = (await readSbomFile(out)).document;
    const spdx = JSON.parse(writeSpdx(model, { files: 'none' })) as SpdxJson;
    const snippetFiles = [...new Set((model.snippets ?? []).map((snippet) => snippet.file))].sort();
    expect(snippetFiles.length).toBeGreaterThan(1);
    // SPDX elements a relationship names must be in the document: the snippets' files, and the
    // test archives TEST_OF CPython.
    const named = model.relationships
      .flatMap((relationship) => [relationship.from, relationship.to])
      .filter((ref) => ref.startsWith('file:'))
      .map((ref) => ref.slice(5));
    expect(named.length).toBeGreaterThan(0);
    expect((spdx.files ?? []).map((file) => file.fileName).sort()).toEqual([...new Set([...snippetFiles, ...named])].sort());
    expect(codes(spdx)).toEqual(codes(JSON.parse(writeSpdx(model)) as SpdxJson));
    const cdx = JSON.parse(writeCycloneDx(model, { format: 'json', specVersion: '1.6', files: 'none' })) as CdxJson;
    expect(cdx.components.length).toBe(model.packages.length - 1 + (model.snippets?.length ?? 0));
    expect(model.files.length).toBeGreaterThan(4000);
  });
});
