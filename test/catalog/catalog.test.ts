import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG_JSON, CATALOG_YAML, type BuiltCatalog, compareVersions, loadCatalog, parseCatalogYaml } from '../../src/catalog/catalog.js';
import { isKnownLicenseId } from '../../src/validate/licenses.js';
import { REPO } from '../support/cli.js';

/** Whether loading the built catalog in a fresh process pulls in the YAML parser. */
function builtCatalogLoadsYamlParser(): boolean {
  const script =
    "import { createRequire } from 'node:module';" +
    `const { loadCatalog } = await import(${JSON.stringify(join(REPO, 'dist/catalog/catalog.js'))});` +
    'loadCatalog();' +
    "const cache = createRequire(import.meta.url).cache;" +
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
