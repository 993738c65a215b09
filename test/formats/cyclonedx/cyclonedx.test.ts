import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { readCycloneDx, serialNumberFor, validateCycloneDxSchema, writeCycloneDx } from '../../../src/formats/cyclonedx/index.js';
import type { SbomDocument } from '../../../src/model/types.js';
import { bigModel, canonical, FIXTURES, loadModel } from './helpers.js';

const FORMATS = ['json', 'xml'] as const;
const VERSIONS = ['1.6', '1.7'] as const;

describe('writeCycloneDx', () => {
  // Golden files: regenerate with UPDATE_GOLDEN=1 after a deliberate change, then review the diff.
  for (const name of ['model', 'distributor'] as const) {
    for (const format of FORMATS) {
      it(`matches the golden ${name}.cdx.${format} (1.6)`, () => {
        const text = writeCycloneDx(loadModel(name), { format, specVersion: '1.6' });
        const golden = join(FIXTURES, `${name}.cdx.${format}`);
        if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text);
        expect(text).toBe(readFileSync(golden, 'utf8'));
      });
    }
  }

  it('is deterministic: same model, and the same model in another order, give the same bytes', () => {
    const model = loadModel('distributor');
    const shuffled: SbomDocument = {
      ...structuredClone(model),
      packages: [...model.packages].reverse().map((pkg) => ({ ...pkg, files: [...pkg.files].reverse(), dependsOn: [...pkg.dependsOn].reverse() })),
      files: [...model.files].reverse(),
    };
    for (const format of FORMATS) {
      for (const specVersion of VERSIONS) {
        const first = writeCycloneDx(model, { format, specVersion });
        expect(writeCycloneDx(model, { format, specVersion })).toBe(first);
        expect(writeCycloneDx(shuffled, { format, specVersion })).toBe(first);
      }
    }
  });

  it('derives the serial number as UUIDv5(URL namespace, document namespace)', () => {
    // Reference value from Python: uuid.uuid5(uuid.NAMESPACE_URL, namespace).
    expect(serialNumberFor('https://www.python.org/ftp/python/3.13.99/Python-3.13.99.tar.xz.spdx.json')).toBe('urn:uuid:db0e92e5-f861-50a2-b90f-5d62ee586736');
    const json = JSON.parse(writeCycloneDx(loadModel('model'), { format: 'json', specVersion: '1.6' }));
    expect(json.serialNumber).toBe('urn:uuid:db0e92e5-f861-50a2-b90f-5d62ee586736');
    // Whole seconds, as in SPDX: some consumers (cdxgen's converter) refuse milliseconds.
    expect(json.metadata.timestamp).toBe('2024-01-01T00:00:00Z');
    expect(writeCycloneDx(loadModel('model'), { format: 'xml', specVersion: '1.6' })).toContain('<timestamp>2024-01-01T00:00:00Z</timestamp>');
    expect(json.metadata.tools.components).toEqual([{ type: 'application', name: 'cpython-sbom', version: expect.any(String) }]);
  });

  it('lays out CPython as metadata.component, packages as components, files nested under their package', () => {
    const json = JSON.parse(writeCycloneDx(loadModel('model'), { format: 'json', specVersion: '1.6' }));
    const main = json.metadata.component;
    expect(main).toMatchObject({
      type: 'application',
      name: 'CPython',
      version: '3.13.99',
      'bom-ref': 'cpython',
      supplier: { name: 'Python Software Foundation' },
      cpe: 'cpe:2.3:a:python:python:3.13.99:*:*:*:*:*:*:*',
      licenses: [{ license: { id: 'PSF-2.0', acknowledgement: 'concluded' } }],
      externalReferences: [{ type: 'distribution', url: 'https://www.python.org/ftp/python/3.13.99/Python-3.13.99.tar.xz' }],
    });
    expect(main.hashes).toEqual([{ alg: 'SHA-256', content: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    const byRef = new Map<string, any>(json.components.map((component: any) => [component['bom-ref'], component]));
    expect(byRef.get('expat')).toMatchObject({ type: 'library', name: 'expat', version: '2.6.3' });
    expect(byRef.get('expat').components.map((file: any) => [file.type, file.name, file.hashes.map((hash: any) => hash.alg)])).toEqual([
      ['file', 'Modules/expat/expat.h', ['SHA-1', 'SHA-256']],
      ['file', 'Modules/expat/xmlparse.c', ['SHA-1', 'SHA-256']],
    ]);
    expect(byRef.get('pip/urllib3')).toMatchObject({ purl: 'pkg:pypi/urllib3@1.26.18' });
    // CPython's own files are top-level file components.
    expect(json.components.filter((component: any) => component.type === 'file').map((file: any) => file.name)).toEqual([
      'LICENSE',
      'Lib/os.py',
      'Misc/sbom.spdx.json',
      'README.rst',
    ]);
    expect(json.dependencies).toEqual([
      { ref: 'cpython', dependsOn: ['expat', 'pip'] },
      // An explicit empty list: "depends on nothing", which cdx-validate requires.
      { ref: 'expat', dependsOn: [] },
      { ref: 'pip', dependsOn: ['pip/certifi', 'pip/urllib3'] },
      { ref: 'pip/certifi', dependsOn: [] },
      { ref: 'pip/urllib3', dependsOn: [] },
    ]);
  });

  it('writes pedigree (ancestors, patches with diff and resolves) and scope excluded', () => {
    const json = JSON.parse(writeCycloneDx(loadModel('distributor'), { format: 'json', specVersion: '1.7' }));
    const main = json.metadata.component;
    expect(main.pedigree.ancestors).toEqual([expect.objectContaining({ 'bom-ref': 'upstream', name: 'CPython', version: '3.13.99', type: 'application' })]);
    expect(main.pedigree.patches[0]).toEqual({
      type: 'backport',
      diff: {
        text: { content: expect.stringContaining('+new <&>'), contentType: 'text/x-diff' },
        url: 'debian/patches/cve-2024-0001.diff',
      },
      resolves: [{ type: 'security', id: 'CVE-2024-0001', references: ['https://www.cve.org/CVERecord?id=CVE-2024-0001'] }],
    });
    expect(main.supplier).toEqual({ contact: [{ name: 'Jane Doe', email: 'jane@example.org' }] });
    // The upstream ancestor is not repeated as a top-level component.
    const refs = json.components.map((component: any) => component['bom-ref']);
    expect(refs).not.toContain('upstream');
    expect(json.components.find((component: any) => component['bom-ref'] === 'expat').scope).toBe('excluded');
  });

  it('base64-encodes a diff that XML 1.0 cannot carry', () => {
    const model = loadModel('distributor');
    const patch = model.packages[0]?.pedigree?.patches[0];
    if (!patch) throw new Error('fixture has no patch');
    patch.diff = 'binary \u0001 patch\n';
    const xml = writeCycloneDx(model, { format: 'xml', specVersion: '1.6' });
    expect(xml).toContain('encoding="base64"');
    const back = readCycloneDx(xml, 'x.cdx.xml').document;
    expect(back.packages.find((pkg) => pkg.ref === 'python3.13')?.pedigree?.patches[0]?.diff).toBe('binary \u0001 patch\n');
  });
});

describe('round trip write -> read', () => {
  for (const name of ['model', 'distributor'] as const) {
    for (const format of FORMATS) {
      for (const specVersion of VERSIONS) {
        it(`${name} through CycloneDX ${specVersion} ${format} reads back equal`, () => {
          const model = loadModel(name);
          const { format: read, document } = readCycloneDx(writeCycloneDx(model, { format, specVersion }), `x.cdx.${format}`);
          expect(read).toBe(`cyclonedx-${specVersion}`);
          expect(canonical(document)).toEqual(canonical(model));
        });
      }
    }
  }
});

describe('validateCycloneDxSchema', () => {
  for (const name of ['model', 'distributor'] as const) {
    for (const format of FORMATS) {
      for (const specVersion of VERSIONS) {
        it(`accepts our ${name} output as CycloneDX ${specVersion} ${format}`, async () => {
          const text = writeCycloneDx(loadModel(name), { format, specVersion });
          expect(await validateCycloneDxSchema(text, format, specVersion)).toEqual([]);
        });
      }
    }
  }

  it('reports a JSON schema error with its JSON pointer', async () => {
    const json = JSON.parse(writeCycloneDx(loadModel('model'), { format: 'json', specVersion: '1.6' }));
    json.components[0].hashes[0].alg = 'SHA-9';
    const errors = await validateCycloneDxSchema(JSON.stringify(json), 'json', '1.6');
    expect(errors).toContainEqual(expect.objectContaining({ path: '/components/0/hashes/0/alg' }));
  });

  it('reports an XML schema error with its element path and line', async () => {
    const xml = writeCycloneDx(loadModel('model'), { format: 'xml', specVersion: '1.6' });
    const bad = xml.replace('<hash alg="SHA-1">', '<hash alg="SHA-9">');
    const line = bad.slice(0, bad.indexOf('SHA-9')).split('\n').length;
    const errors = await validateCycloneDxSchema(bad, 'xml', '1.6');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.path).toBe(`/bom/components[1]/component[1]/components[1]/component[1]/hashes[1]/hash[1] (line ${line})`);
    expect(errors[0]?.message).toContain("'SHA-9'");
  });

  it('reports malformed XML and unknown versions without throwing', async () => {
    const broken = await validateCycloneDxSchema('<bom xmlns="http://cyclonedx.org/schema/bom/1.6">\n<metadata>\n</bom>', 'xml', '1.6');
    expect(broken).toEqual([expect.objectContaining({ path: expect.stringContaining('line') })]);
    expect(await validateCycloneDxSchema('{}', 'json', '1.1')).toEqual([expect.objectContaining({ path: '/specVersion' })]);
    expect(await validateCycloneDxSchema('{', 'json', '1.6')).toEqual([expect.objectContaining({ message: expect.stringContaining('not JSON') })]);
  });
});

/** pip's `pip/_vendor/bom.cdx.json` in miniature: CycloneDX 1.4, metadata.component repeated in components, no versions on pip. */
const PIP_LIKE = JSON.stringify({
  $schema: 'http://cyclonedx.org/schema/bom-1.4.schema.json',
  bomFormat: 'CycloneDX',
  components: [
    { 'bom-ref': 'bom-ref:pip', name: 'pip', type: 'library' },
    { 'bom-ref': 'pkg:pypi/CacheControl@0.14.4', name: 'CacheControl', purl: 'pkg:pypi/CacheControl@0.14.4', type: 'library', version: '0.14.4' },
    { 'bom-ref': 'pkg:pypi/urllib3@2.7.0', name: 'urllib3', purl: 'pkg:pypi/urllib3@2.7.0', type: 'library', version: '2.7.0' },
  ],
  dependencies: [
    { dependsOn: ['pkg:pypi/CacheControl@0.14.4', 'pkg:pypi/urllib3@2.7.0'], ref: 'bom-ref:pip' },
    { ref: 'pkg:pypi/CacheControl@0.14.4' },
    { ref: 'pkg:pypi/urllib3@2.7.0' },
  ],
  metadata: { component: { 'bom-ref': 'bom-ref:pip', name: 'pip', type: 'library' }, tools: [{ name: 'vendoring', version: '1.4.0' }] },
  specVersion: '1.4',
  version: 1,
});

describe('readCycloneDx: other tools’ documents', () => {
  it('reads a pip-style bom.cdx.json (1.4): one pip, its vendored projects as dependencies', async () => {
    expect(await validateCycloneDxSchema(PIP_LIKE, 'json', '1.4')).toEqual([]);
    const { format, document } = readCycloneDx(PIP_LIKE, 'bom.cdx.json');
    expect(format).toBe('cyclonedx-1.4');
    expect(document.describes).toEqual(['bom-ref:pip']);
    expect(document.packages.map((pkg) => [pkg.ref, pkg.name, pkg.version, pkg.purl ?? ''])).toEqual([
      ['bom-ref:pip', 'pip', '', ''],
      ['pkg:pypi/CacheControl@0.14.4', 'CacheControl', '0.14.4', 'pkg:pypi/CacheControl@0.14.4'],
      ['pkg:pypi/urllib3@2.7.0', 'urllib3', '2.7.0', 'pkg:pypi/urllib3@2.7.0'],
    ]);
    expect(document.packages[0]?.dependsOn).toEqual(['pkg:pypi/CacheControl@0.14.4', 'pkg:pypi/urllib3@2.7.0']);
    expect(document.creators).toEqual(['Tool: vendoring-1.4.0']);
    expect(document.files).toEqual([]);
  });

  it('reads nested components, hash names, unacknowledged licenses and 1.5 tools (JSON)', () => {
    const text = JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
      metadata: {
        timestamp: '2024-05-06T07:08:09.123+02:00',
        tools: { components: [{ type: 'application', name: 'other', version: '9' }] },
        component: { type: 'application', 'bom-ref': 'app', name: 'app', version: '1' },
      },
      components: [
        {
          type: 'library',
          'bom-ref': 'outer',
          name: 'outer',
          version: '2',
          licenses: [{ expression: 'MIT OR Apache-2.0' }],
          supplier: { name: 'ACME' },
          externalReferences: [
            { type: 'website', url: 'https://acme.example' },
            { type: 'distribution', url: 'https://acme.example/outer-2.tgz' },
          ],
          hashes: [
            { alg: 'SHA-512', content: 'AB'.repeat(64) },
            { alg: 'BLAKE2b-256', content: 'cd'.repeat(32) },
          ],
          components: [
            { type: 'library', 'bom-ref': 'inner', name: 'inner' },
            {
              type: 'file',
              name: 'src/outer.c',
              hashes: [
                { alg: 'MD5', content: 'ef'.repeat(16) },
                { alg: 'SHA-1', content: '01'.repeat(20) },
              ],
            },
          ],
        },
        { type: 'file', name: 'README', hashes: [{ alg: 'SHA-256', content: '23'.repeat(32) }] },
      ],
      dependencies: [{ ref: 'app', dependsOn: ['outer', 'nowhere'] }],
    });
    const { document } = readCycloneDx(text, 'other.json');
    expect(document.created).toBe('2024-05-06T05:08:09Z');
    expect(document.namespace).toBe('urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79');
    expect(document.creators).toEqual(['Tool: other-9']);
    const outer = document.packages.find((pkg) => pkg.ref === 'outer');
    expect(outer).toMatchObject({
      licenseConcluded: 'MIT OR Apache-2.0',
      supplier: 'Organization: ACME',
      downloadLocation: 'https://acme.example/outer-2.tgz',
      checksums: { SHA512: 'ab'.repeat(64), 'BLAKE2b-256': 'cd'.repeat(32) },
      otherRefs: [{ category: 'OTHER', type: 'website', locator: 'https://acme.example' }],
      files: ['src/outer.c'],
    });
    expect(document.packages.find((pkg) => pkg.ref === 'inner')).toMatchObject({ name: 'inner', version: '' });
    expect(document.relationships).toEqual([{ from: 'outer', type: 'CONTAINS', to: 'inner' }]);
    expect(document.packages.find((pkg) => pkg.ref === 'app')?.files).toEqual(['README']);
    expect(document.packages.find((pkg) => pkg.ref === 'app')?.dependsOn).toEqual(['outer']);
    expect(document.files.find((file) => file.path === 'src/outer.c')?.checksums).toEqual({ MD5: 'ef'.repeat(16), SHA1: '01'.repeat(20) });
  });

  const SPEC_VERSIONS = ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7'];
  for (const version of SPEC_VERSIONS) {
    it(`reads namespaced CycloneDX ${version} XML (schema-valid)`, async () => {
      const xml = foreignXml(version);
      expect(await validateCycloneDxSchema(xml, 'xml', version)).toEqual([]);
      const { format, document } = readCycloneDx(xml, `other-${version}.xml`);
      expect(format).toBe(`cyclonedx-${version}`);
      expect(document.describes).toEqual(['app']);
      expect(document.creators).toEqual(['Tool: scanner-2.0']);
      const lib = document.packages.find((pkg) => pkg.ref === 'lib-a');
      expect(lib).toMatchObject({
        name: 'lib-a',
        version: '2.0',
        supplier: 'Organization: ACME & Sons',
        licenseConcluded: 'MIT',
        purl: 'pkg:generic/lib-a@2.0',
        checksums: { SHA1: 'a1'.repeat(20), SHA512: 'b2'.repeat(64), 'BLAKE2b-256': 'c3'.repeat(32), MD5: 'd4'.repeat(16) },
        files: ['src/a.c'],
      });
      expect(document.packages.find((pkg) => pkg.ref === 'app')).toMatchObject({ files: ['top <1>.txt'], dependsOn: ['lib-a'] });
      expect(document.files.map((file) => [file.path, file.checksums])).toEqual([
        ['src/a.c', { SHA256: 'e5'.repeat(32) }],
        ['top <1>.txt', { SHA256: 'f6'.repeat(32) }],
      ]);
    });
  }

  it('reads XML with a namespace prefix, comments and CDATA', () => {
    const xml = `<?xml version="1.0"?>
<!-- a comment -->
<cdx:bom xmlns:cdx="http://cyclonedx.org/schema/bom/1.6" version="1">
  <cdx:metadata><cdx:component type="application" bom-ref="a"><cdx:name><![CDATA[a<b>]]></cdx:name></cdx:component></cdx:metadata>
  <cdx:components><cdx:component type="file"><cdx:name>x&#x2F;y&#47;z</cdx:name></cdx:component></cdx:components>
</cdx:bom>`;
    const { document } = readCycloneDx(xml, 'prefixed.xml');
    expect(document.packages.map((pkg) => pkg.name)).toEqual(['a<b>']);
    expect(document.files.map((file) => file.path)).toEqual(['x/y/z']);
  });
});

function foreignXml(version: string): string {
  const minor = Number(version.split('.')[1]);
  // Versions 1.2 and 1.3 require <version> on every component.
  const v = (value: string) => (minor >= 4 ? value && `<version>${value}</version>` : `<version>${value || '0'}</version>`);
  const tools =
    minor >= 5
      ? '<components><component type="application"><name>scanner</name><version>2.0</version></component></components>'
      : '<tool><vendor>acme</vendor><name>scanner</name><version>2.0</version></tool>';
  return `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/${version}" version="1" serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79">
  <metadata>
    <timestamp>2024-05-06T07:08:09Z</timestamp>
    <tools>${tools}</tools>
    <component type="application" bom-ref="app"><name>app</name>${v('1.0')}</component>
  </metadata>
  <components>
    <component type="library" bom-ref="lib-a">
      <supplier><name>ACME &amp; Sons</name></supplier>
      <name>lib-a</name>
      ${v('2.0')}
      <hashes>
        <hash alg="SHA-1">${'a1'.repeat(20)}</hash>
        <hash alg="SHA-512">${'b2'.repeat(64)}</hash>
        <hash alg="BLAKE2b-256">${'c3'.repeat(32)}</hash>
        <hash alg="MD5">${'d4'.repeat(16)}</hash>
      </hashes>
      <licenses><license><id>MIT</id></license></licenses>
      <purl>pkg:generic/lib-a@2.0</purl>
      <components>
        <component type="file" bom-ref="f1"><name>src/a.c</name>${v('')}<hashes><hash alg="SHA-256">${'e5'.repeat(32)}</hash></hashes></component>
      </components>
    </component>
    <component type="file" bom-ref="f2"><name>top &lt;1&gt;.txt</name>${v('')}<hashes><hash alg="SHA-256">${'f6'.repeat(32)}</hash></hashes></component>
  </components>
  <dependencies>
    <dependency ref="app"><dependency ref="lib-a"/></dependency>
    <dependency ref="lib-a"/>
  </dependencies>
</bom>
`;
}

describe('readCycloneDx: bad input is an InputError naming the file', () => {
  const cases: [string, string, RegExp][] = [
    ['random bytes', '\u0000\u0001\u00ff garbage', /not a CycloneDX document/],
    ['truncated JSON', '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [', /malformed JSON/],
    ['JSON that is not CycloneDX', '{"spdxVersion": "SPDX-2.3"}', /not a CycloneDX document/],
    ['an unsupported version', '{"bomFormat": "CycloneDX", "specVersion": "1.1"}', /version "1\.1" is not supported/],
    [
      'a field of the wrong type',
      '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library", "name": 3}]}',
      /\/components\/0\/name: expected a string, found a number/,
    ],
    ['components that are not an array', '{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": {}}', /\/components: expected an array/],
    [
      'unclosed XML',
      '<bom xmlns="http://cyclonedx.org/schema/bom/1.6">\n<components>\n</bom>',
      /malformed XML: end tag <\/bom> does not match <components> \(line 3\)/,
    ],
    ['an unclosed root', '<bom xmlns="http://cyclonedx.org/schema/bom/1.6">', /malformed XML: <bom> is never closed/],
    ['XML of another kind', '<html><body/></html>', /not a CycloneDX document \(root element <html>/],
    ['a CycloneDX 1.1 namespace', '<bom xmlns="http://cyclonedx.org/schema/bom/1.1"/>', /version "1\.1" is not supported/],
    [
      'a DTD with entities',
      '<!DOCTYPE bom [<!ENTITY a "aaaa">]><bom xmlns="http://cyclonedx.org/schema/bom/1.6">&a;</bom>',
      /document type declarations are not accepted/,
    ],
    ['an unknown entity', '<bom xmlns="http://cyclonedx.org/schema/bom/1.6">&nbsp;</bom>', /unknown entity/],
    ['two roots', '<bom xmlns="http://cyclonedx.org/schema/bom/1.6"/><bom/>', /more than one root element/],
  ];
  for (const [what, text, message] of cases) {
    it(`refuses ${what}`, () => {
      let error: unknown;
      try {
        readCycloneDx(text, 'input.cdx');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(/^input\.cdx: /);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    });
  }
});

describe('a CPython-sized model (5,000 files)', () => {
  // Speed is measured by bench/formats.mjs (a benchmark prints ratios; tests never time things).
  for (const format of FORMATS) {
    it(`round-trips a 5,000-file model in ${format}`, () => {
      const { document } = readCycloneDx(writeCycloneDx(bigModel(5000), { format, specVersion: '1.6' }), `big.cdx.${format}`);
      expect(document.files).toHaveLength(5000);
      expect(document.packages.find((pkg) => pkg.ref === 'expat')?.files).toHaveLength(50);
    });
  }
});
