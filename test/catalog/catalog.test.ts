import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATALOG_JSON, CATALOG_YAML, loadCatalog, parseCatalogYaml } from '../../src/catalog/catalog.js';

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
