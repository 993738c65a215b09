import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG_JSON, CATALOG_YAML, type BuiltCatalog, compareVersions, loadCatalog, parseCatalogYaml } from '../../src/catalog/catalog.js';
import { licenseIds } from '../../src/license/lineage.js';
import { isValidExpression } from '../../src/license/wheel-metadata.js';
import { isKnownLicenseId } from '../../src/validate/licenses.js';

const exceptions = new Set<string>(createRequire(import.meta.url)('spdx-exceptions') as string[]);
const isKnownExceptionId = (id: string): boolean => exceptions.has(id);
import { REPO } from '../support/cli.js';

/** Whether loading the built catalog in a fresh process pulls in the YAML parser. */
function builtCatalogLoadsYamlParser(): boolean {
  const script =
    "import { createRequire } from 'node:module';" +
    `const { loadCatalog } = await import(${JSON.stringify(join(REPO, 'dist/catalog/catalog.js'))});` +
    'loadCatalog();' +
    'const cache = createRequire(import.meta.url).cache;' +
    "console.log(Object.keys(cache).some((key) => key.includes('/node_modules/yaml/')));";
  return execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim() === 'true';
}

describe('the catalog', () => {
  it('is read from the JSON copy the build writes, which says exactly what the YAML says', () => {
    expect(existsSync(CATALOG_JSON), `${CATALOG_JSON} is missing: run npm run build`).toBe(true);
    const yaml = readFileSync(CATALOG_YAML, 'utf8');
    const fromYaml = parseCatalogYaml(yaml);
    const built = JSON.parse(readFileSync(CATALOG_JSON, 'utf8')) as BuiltCatalog;
    expect(built.catalog).toEqual(fromYaml);
    expect(built.yamlSha256).toBe(createHash('sha256').update(yaml).digest('hex'));
    const catalog = loadCatalog();
    expect(catalog.components.map((component) => component.name)).toEqual(Object.keys(fromYaml.components));
    expect(catalog.components.find((component) => component.name === 'expat')?.files.include.length).toBeGreaterThan(0);
  });

  it('is chosen by content, not modification time: a YAML newer than the JSON, same text, still uses the JSON', () => {
    expect(builtCatalogLoadsYamlParser()).toBe(false);
    const { atime, mtime } = statSync(CATALOG_YAML);
    try {
      const future = new Date(Date.now() + 3_600_000);
      utimesSync(CATALOG_YAML, future, future);
      expect(builtCatalogLoadsYamlParser()).toBe(false);
    } finally {
      utimesSync(CATALOG_YAML, atime, mtime);
    }
  });
});

describe("the catalog's attribution items", () => {
  const items = loadCatalog().attribution ?? [];
  const components = new Set(loadCatalog().components.map((component) => component.name));

  it('each say what they become, with what that needs', () => {
    expect(items.length).toBeGreaterThan(20);
    for (const item of items) {
      expect(['package', 'snippet', 'absorbed', 'component', 'notInSource', 'notices', 'mentions'], item.key).toContain(item.kind);
      if (['package', 'absorbed', 'notices', 'mentions'].includes(item.kind)) expect(item.files?.include.length, item.key).toBeGreaterThan(0);
      if (item.kind === 'snippet') {
        expect(item.snippet?.file, item.key).toBeTruthy();
        expect(() => new RegExp(item.snippet?.start ?? '') && new RegExp(item.snippet?.end ?? ''), item.key).not.toThrow();
      }
      if (item.kind === 'component') expect(item.components?.length, item.key).toBeGreaterThan(0);
      for (const ref of item.components ?? []) {
        if (ref.startsWith('externals/'))
          expect(Object.keys(loadCatalog().externals?.libraries ?? {}), `${item.key}: ${ref}`).toContain(ref.slice('externals/'.length));
        else expect(components, `${item.key}: ${ref}`).toContain(ref);
      }
      for (const pattern of item.sections ?? []) expect(() => new RegExp(pattern, 'i'), item.key).not.toThrow();
      // A license the catalog records by hand is an SPDX expression of license list ids (uvloop's
      // MIT OR Apache-2.0), or a LicenseRef- whose text is the files' own notice.
      if (item.license) {
        expect(isValidExpression(item.license), `${item.key}: ${item.license}`).toBe(true);
        for (const id of licenseIds(item.license)) {
          expect(id.startsWith('LicenseRef-') || isKnownLicenseId(id) || isKnownExceptionId(id), `${item.key}: ${id}`).toBe(true);
        }
      }
    }
  });

  it('name a license exception only where it is on the SPDX exceptions list', () => {
    expect(isKnownExceptionId('Autoconf-exception-generic-3.0')).toBe(true);
    expect(isKnownExceptionId('MIT')).toBe(false);
  });

  it('never claim one Doc/license.rst section twice', () => {
    const titles = [
      'Mersenne Twister',
      'Sockets',
      'asyncio',
      'Audioop',
      'mimalloc',
      'Global Unbounded Sequences (GUS)',
      'Zstandard bindings',
      'expat',
      'libffi',
    ];
    for (const title of titles) {
      const claiming = items.filter((item) => (item.sections ?? []).some((pattern) => new RegExp(`^(?:${pattern})$`, 'i').test(title)));
      expect(
        claiming.map((item) => item.key),
        title,
      ).toHaveLength(1);
    }
  });
});

describe('the catalog schema (catalog/components.schema.json)', () => {
  it('the catalog conforms, and a misspelt key or a wrong type is named', async () => {
    const { checkCatalog, parseCatalogYaml, CATALOG_YAML } = await import('../../src/catalog/catalog.js');
    const { readFileSync } = await import('node:fs');
    const raw = parseCatalogYaml(readFileSync(CATALOG_YAML, 'utf8')) as unknown as Record<string, Record<string, Record<string, unknown>>>;
    expect(checkCatalog(raw)).toEqual([]);
    const expat = raw.components?.expat as Record<string, unknown>;
    expat.licenceFiles = ['Modules/expat/COPYING'];
    expat.manifest = 'yes';
    const problems = checkCatalog(raw);
    expect(problems).toContain("catalog/components.yaml/components/expat: must NOT have additional properties 'licenceFiles'");
    expect(problems).toContain('catalog/components.yaml/components/expat/manifest: must be boolean');
    expect(checkCatalog({ ...raw, schema: 2 })).toContain('catalog/components.yaml/schema: must be equal to constant');
  });
});

describe("the catalog's CPython version order (since/until of file variants)", () => {
  it.each([
    ['3.13.15', '3.13.5', 1],
    ['3.13.5', '3.13.5', 0],
    ['3.12.0', '3.13.5', -1],
    ['3.13.0rc1', '3.13.0', 0], // a pre-release has its release's layout
    ['3.14.0a1+', '3.14.0', 0],
    ['3.13', '3.13.0', 0],
  ] as const)('%s vs %s', (a, b, sign) => {
    expect(Math.sign(compareVersions(a, b))).toBe(sign);
  });
});
