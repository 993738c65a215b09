import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOG_JSON, CATALOG_YAML, loadCatalog, parseCatalogYaml } from '../../src/catalog/catalog.js';
import { isKnownLicenseId } from '../../src/validate/licenses.js';

describe('the catalog', () => {
  it('is read from the JSON copy the build writes, which says exactly what the YAML says', () => {
    expect(existsSync(CATALOG_JSON), `${CATALOG_JSON} is missing: run npm run build`).toBe(true);
    expect(statSync(CATALOG_JSON).mtimeMs).toBeGreaterThanOrEqual(statSync(CATALOG_YAML).mtimeMs);
    const fromYaml = parseCatalogYaml(readFileSync(CATALOG_YAML, 'utf8'));
    expect(JSON.parse(readFileSync(CATALOG_JSON, 'utf8'))).toEqual(fromYaml);
    const catalog = loadCatalog();
    expect(catalog.components.map((component) => component.name)).toEqual(Object.keys(fromYaml.components));
    expect(catalog.components.find((component) => component.name === 'expat')?.files.include.length).toBeGreaterThan(0);
  });
});

describe("the catalog's attribution items", () => {
  const items = loadCatalog().attribution ?? [];
  const components = new Set(loadCatalog().components.map((component) => component.name));

  it('each say what they become, with what that needs', () => {
    expect(items.length).toBeGreaterThan(20);
    for (const item of items) {
      expect(['package', 'snippet', 'absorbed', 'component', 'notInSource'], item.key).toContain(item.kind);
      if (item.kind === 'package' || item.kind === 'absorbed') expect(item.files?.include.length, item.key).toBeGreaterThan(0);
      if (item.kind === 'snippet') {
        expect(item.snippet?.file, item.key).toBeTruthy();
        expect(() => new RegExp(item.snippet?.start ?? '') && new RegExp(item.snippet?.end ?? ''), item.key).not.toThrow();
      }
      if (item.kind === 'component') expect(item.components?.length, item.key).toBeGreaterThan(0);
      for (const ref of item.components ?? []) {
        if (ref.startsWith('externals/')) expect(Object.keys(loadCatalog().externals?.libraries ?? {}), `${item.key}: ${ref}`).toContain(ref.slice('externals/'.length));
        else expect(components, `${item.key}: ${ref}`).toContain(ref);
      }
      for (const pattern of item.sections ?? []) expect(() => new RegExp(pattern, 'i'), item.key).not.toThrow();
      // A license the catalog records by hand is an SPDX license list id.
      if (item.license) expect(isKnownLicenseId(item.license), `${item.key}: ${item.license}`).toBe(true);
    }
  });

  it('never claim one Doc/license.rst section twice', () => {
    const titles = ['Mersenne Twister', 'Sockets', 'asyncio', 'Audioop', 'mimalloc', 'Global Unbounded Sequences (GUS)', 'Zstandard bindings', 'expat', 'libffi'];
    for (const title of titles) {
      const claiming = items.filter((item) => (item.sections ?? []).some((pattern) => new RegExp(`^(?:${pattern})$`, 'i').test(title)));
      expect(claiming.map((item) => item.key), title).toHaveLength(1);
    }
  });
});
