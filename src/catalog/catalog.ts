import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/**
 * Typed access to `catalog/components.yaml`, the one data file that says which paths belong to
 * which vendored component and how each is identified. Shared by `generate` and `regen`.
 */

export interface FileRules {
  include: string[];
  exclude: string[];
}

export interface FileRulesVariant extends Partial<FileRules> {
  /** Applies to CPython versions up to and including this one. */
  until?: string;
  /** Applies to CPython versions from this one on. */
  since?: string;
}

export interface VersionSource {
  file: string;
  regex: string;
  /** `{1}.{2}.{3}`: capture groups joined. */
  format: string;
}

export interface CatalogComponent {
  name: string;
  files: FileRules & { variants?: FileRulesVariant[] };
  version?: VersionSource;
  cpe?: string;
  purl?: string;
  downloadLocation?: string;
  originator?: string;
  /** Listed in CPython's Misc/sbom.spdx.json (regen's fallback for PACKAGE_TO_FILES). */
  manifest?: boolean;
  /** Any further keys the detectors define (known hashes, READMEs to read, …). */
  [key: string]: unknown;
}

export interface Catalog {
  components: CatalogComponent[];
}

let cached: Catalog | undefined;

export function loadCatalog(): Catalog {
  if (cached) return cached;
  const url = new URL('../../catalog/components.yaml', import.meta.url);
  type RawComponent = Omit<CatalogComponent, 'name' | 'files'> & { files?: Partial<CatalogComponent['files']> };
  const raw = parse(readFileSync(url, 'utf8')) as { components: Record<string, RawComponent> };
  cached = {
    components: Object.entries(raw.components).map(([name, body]) => ({
      name,
      ...body,
      files: { include: body.files?.include ?? [], exclude: body.files?.exclude ?? [], variants: body.files?.variants },
    })),
  };
  return cached;
}

export function findComponent(name: string, catalog: Catalog = loadCatalog()): CatalogComponent | undefined {
  return catalog.components.find((component) => component.name === name);
}

/** Compares dotted CPython versions numerically (`3.13.15` > `3.13.5`); suffixes like `rc1` sort first. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => v.split(/[.+-]/).map((part) => Number.parseInt(part, 10));
  const left = parse(a);
  const right = parse(b);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const l = Number.isNaN(left[i] ?? 0) ? 0 : (left[i] ?? 0);
    const r = Number.isNaN(right[i] ?? 0) ? 0 : (right[i] ?? 0);
    if (l !== r) return l - r;
  }
  return 0;
}

/** The include/exclude globs that apply to a component in a given CPython version. */
export function fileRulesFor(component: CatalogComponent, cpythonVersion: string | undefined): FileRules {
  let rules: FileRules = { include: component.files.include, exclude: component.files.exclude };
  if (!cpythonVersion) return rules;
  for (const variant of component.files.variants ?? []) {
    const afterStart = !variant.since || compareVersions(cpythonVersion, variant.since) >= 0;
    const beforeEnd = !variant.until || compareVersions(cpythonVersion, variant.until) <= 0;
    if (afterStart && beforeEnd) {
      rules = { include: variant.include ?? rules.include, exclude: variant.exclude ?? rules.exclude };
    }
  }
  return rules;
}

/** Fills `{version}` and `{version_}` (dots as underscores) in a catalog template. */
export function fillTemplate(template: string, version: string): string {
  return template.replaceAll('{version_}', version.replaceAll('.', '_')).replaceAll('{version}', version);
}

/** Reads a version from file text with a catalog version source; undefined when it does not match. */
export function readVersion(source: VersionSource, text: string): string | undefined {
  const match = new RegExp(source.regex).exec(text);
  if (!match) return undefined;
  return source.format.replace(/\{(\d+)\}/g, (_, index: string) => match[Number(index)] ?? '');
}
