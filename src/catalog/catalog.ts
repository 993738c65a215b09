import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { explain as explainPep440 } from '@renovatebot/pep440';

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
  /**
   * `{1}.{2}.{3}`: capture groups joined. `{N:month}` turns an English month name or its
   * abbreviation into its two-digit number, `{N:02}` pads a number to two digits, so a date the
   * tree states in prose ("April 15, 2009") becomes `2009-04-15`.
   */
  format: string;
}

export interface CatalogComponent {
  name: string;
  files: FileRules & { variants?: FileRulesVariant[] };
  version?: VersionSource;
  cpe?: string;
  /**
   * Where the CPE's vendor:product comes from: the NVD CPE dictionary, or the NVD CVE record it
   * was seen in; for a CPE NVD does not know, who declares it (CPython's Misc/sbom.spdx.json).
   */
  cpeSource?: string;
  /**
   * False when NVD has no product for the component: the complete profile then writes no CPE
   * (a CPE no NVD entry uses matches nothing); the python.org profile keeps python.org's.
   */
  cpeInNvd?: boolean;
  /**
   * Complete profile: where the tree states the version better than `version` does, which the
   * python.org profile keeps (3.9's macOS libffi README: a 2.00 development snapshot, not 1.20).
   */
  completeVersion?: VersionSource;
  purl?: string;
  downloadLocation?: string;
  originator?: string;
  /** Listed in CPython's Misc/sbom.spdx.json (regen's fallback for PACKAGE_TO_FILES). */
  manifest?: boolean;
  /** Package name when it differs from the catalog key (libffi_osx is `libffi`). */
  packageName?: string;
  /** Files whose presence means the component is vendored; default: any file `files` selects. */
  present?: string[];
  /** Further places in the tree that record the version; each must agree with `version`. */
  versionChecks?: VersionSource[];
  /** SHA-256 of the upstream artifact as the tree records it (regex group 1). */
  checksum?: { file: string; regex: string };
  /** Exact download locations by version, where no template fits (PyPI's hashed paths). */
  knownDownloads?: Record<string, string>;
  /** Releases recognised by content, for components whose files carry no version. */
  fingerprints?: Fingerprint[];
  /**
   * Files whose text states the component's license (license files, or source files whose
   * leading comment does); globs allowed. The complete profile's licenses step reads them.
   */
  licenseFiles?: string[];
  /** purl template the complete profile gives the component (python.org's facts have none). */
  completePurl?: string;
  /** The component's declared license where its files state it in words no SPDX text matches. */
  license?: string;
  /** Any further keys the detectors define (known hashes, READMEs to read, …). */
  [key: string]: unknown;
}

/** The exact files (path -> SHA-256) of one upstream release as some CPython shipped them. */
export interface Fingerprint {
  version: string;
  /** Which CPython release these bytes were taken from (for messages). */
  seenIn: string;
  files: Record<string, string>;
}

/** One library PCbuild/get_externals.bat fetches for Windows builds. */
export interface ExternalSpec {
  cpe?: string;
  /** Where the CPE comes from (as for components). */
  cpeSource?: string;
  purl?: string;
  originator?: string;
}

export interface ExternalsCatalog {
  file: string;
  /** Group 1: the `name-version` git tag of python/cpython-source-deps. */
  regex: string;
  /** Template: {tag}, {name}, {version}. */
  downloadLocation: string;
  libraries: Record<string, ExternalSpec>;
}

/** A library the macOS, Android or iOS build downloads (catalog `platforms.libraries`). */
export interface PlatformLibrary {
  /** Catalog key, also the package ref's last part (`platform/openssl`). */
  key: string;
  name: string;
  /** How the recipes spell it (compared case-insensitively). */
  recipeNames: string[];
  /** The first entry whose `since` the version reaches (an entry without one: any version). */
  license: { since?: string; expression: string }[];
  cpe?: string;
  cpeSource?: string;
  originator?: string;
  /** File names its libraries start with (`libcrypto`): a build that ships one links it dynamically. */
  libraryNames?: string[];
  /** Globs over an artifact's member paths that are the library's files. */
  members?: string[];
}

/** What a bundled wheel vendors, for wheels that do not say so themselves. */
export interface WheelCatalog {
  /** Members of the wheel listing vendored pins (`name==version` lines). */
  vendorLists: string[];
  /** Pins by wheel version, from the project's repository at that release tag. */
  knownVendored?: Record<string, Record<string, string[]>>;
  /**
   * Directories of the wheel holding vendored projects, each with the member listing its pins
   * (complete profile: each vendored project owns its members there).
   */
  vendorDirs?: Record<string, string>;
  /** Vendored projects whose import name is not their project name (pip vendors setuptools as pkg_resources). */
  importNames?: Record<string, string[]>;
}

/** How the members of a python.org Windows artifact map to components (complete profile). */
export interface WindowsArtifactCatalog {
  /** First matching glob owns the member; unmatched members are CPython's. */
  members: { glob: string; component: string }[];
  /** CPython's members that carry components' code; `how` words it (`links statically`). */
  carriedBy: { glob: string; components: string[]; how: string }[];
  /** Components of every Windows build that no source SBOM lists (the Visual C++ runtime). */
  runtime: Record<string, { name: string; supplier?: string; originator?: string; comment?: string }>;
}

/**
 * How a piece of third-party code is attributed in the complete profile (`attribution:` in the
 * catalog): the Doc/license.rst sections about it, where its code lives and what it becomes.
 */
export interface AttributionItem {
  /** Catalog key; also the package ref (`snippet:<key>` for a snippet). */
  key: string;
  name: string;
  /**
   * - `package`: owns whole files or directories (`files`), taken away from CPython;
   * - `snippet`: code inside a CPython file, between two markers (`snippet`);
   * - `absorbed`: code that became CPython's own; its files say whose it was (`files`, `license`);
   * - `component`: a package another detector finds (`components`: refs, e.g. expat);
   * - `notInSource`: code that is not part of the source tree (OpenSSL for the Windows installer);
   * - `notices`: CPython's own files that reproduce other projects' license texts and notices
   *   (LICENSE, Doc/license.rst): what they state is recorded, but it is not code of theirs;
   * - `mentions`: CPython's own files whose words only mention other projects' licenses or
   *   quote an example notice (What's New, a FAQ): nothing of it is the file's own license.
   */
  kind: 'package' | 'snippet' | 'absorbed' | 'component' | 'notInSource' | 'notices' | 'mentions';
  /** Regexes (case-insensitive, whole title) matching the Doc/license.rst section titles about it. */
  sections?: string[];
  files?: { include: string[]; exclude?: string[] };
  /** For `snippet`: the file, and regexes (JavaScript, multi-line) for the first and last text of the code. */
  snippet?: { file: string; start: string; end: string };
  /** Refs of packages other detectors find that the section is about (`component`; any kind may name some, e.g. `externals/openssl`). */
  components?: string[];
  /** When none of its code is in the tree: expected for some trees (zlib's copy left in 3.12), no warning. */
  notInSource?: boolean;
  version?: VersionSource;
  /** A version the tree states in prose only (license.rst: "uvloop 0.16"). */
  fixedVersion?: string;
  /**
   * For `absorbed`: a regex whose match in a file's text also shows it holds this code, for code
   * that says so itself rather than in Doc/license.rst (tomllib's SPDX tags).
   */
  marker?: string;
  /** For `absorbed`: the license the incorporated code came under, as an SPDX id (reviewed by hand). */
  license?: string;
  /** Tree paths or globs whose text states the license (license files; sources whose header does). */
  licenseFiles?: string[];
  purl?: string;
  cpe?: string;
  /** Where the CPE comes from (as for components). */
  cpeSource?: string;
  downloadLocation?: string;
  originator?: string;
  /** Who wrote it and where it comes from, for the comment. */
  origin?: string;
}

/** How the complete profile describes the archives in the tree (wheels, eggs, zips, tarballs). */
export interface ArchivesCatalog {
  /** Archives (globs) that are a project's own release as PyPI distributes it: `pkg:pypi` purls, PyPI's wheel URL. */
  fromPypi: string[];
  /** Where content is test-only (globs over tree paths, and over `<archive>/<member>` paths). */
  testPaths: string[];
  /** Of the test-only archives, those the tests install (SPDX TEST_DEPENDENCY_OF); the rest are test data (TEST_OF). */
  testDependencies: string[];
}

export interface Catalog {
  components: CatalogComponent[];
  archives?: ArchivesCatalog;
  externals?: ExternalsCatalog;
  wheels?: Record<string, WheelCatalog>;
  windowsArtifact?: WindowsArtifactCatalog;
  platformLibraries?: PlatformLibrary[];
  attribution?: AttributionItem[];
  /** Declared licenses of PyPI projects the bundled wheels vendor, by normalised name (fallback only). */
  projectLicenses?: Record<string, string>;
  /** CPEs of PyPI projects NVD knows, by normalised name. */
  projectCpes?: Record<string, ProjectCpe>;
}

/** NVD's CPE of a PyPI project: a template with {version}, and where NVD was seen to use it. */
export interface ProjectCpe {
  cpe: string;
  source: string;
}

/** The catalog as written: components keyed by name. */
export interface RawCatalog {
  components: Record<string, Omit<CatalogComponent, 'name' | 'files'> & { files?: Partial<CatalogComponent['files']> }>;
  archives?: ArchivesCatalog;
  externals?: ExternalsCatalog;
  wheels?: Record<string, WheelCatalog>;
  windowsArtifact?: WindowsArtifactCatalog;
  platforms?: { libraries: Record<string, Omit<PlatformLibrary, 'key'>> };
  attribution?: Record<string, Omit<AttributionItem, 'key'>>;
  projectLicenses?: Record<string, string>;
  projectCpes?: Record<string, ProjectCpe>;
}

export const CATALOG_YAML = fileURLToPath(new URL('../../catalog/components.yaml', import.meta.url));
/**
 * `npm run build` writes the catalog as JSON too (scripts/build-assets.mjs): parsing the YAML
 * costs ~50 ms of every run, reading JSON ~1 ms. Resolved from the package root, as for the
 * compiled schema validators.
 */
export const CATALOG_JSON = fileURLToPath(new URL('../../dist/catalog/components.json', import.meta.url));

/** What the build writes: the catalog, and the SHA-256 of the YAML text it was made from. */
export interface BuiltCatalog {
  yamlSha256: string;
  catalog: RawCatalog;
}

export function parseCatalogYaml(text: string): RawCatalog {
  // Loaded only here: a built tree never needs the YAML parser to read its catalog.
  const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  return parse(text) as RawCatalog;
}

/** The JSON schema the catalog is held to when the project is built (scripts/build-assets.mjs). */
export const CATALOG_SCHEMA = fileURLToPath(new URL('../../catalog/components.schema.json', import.meta.url));

/** The version of the catalog's layout this code reads (`schema:` at its top). */
export const CATALOG_LAYOUT = 1;

/**
 * Problems with a parsed catalog against catalog/components.schema.json, one line each (empty when
 * it conforms). Ajv is loaded only here: runs read the catalog the build already checked.
 */
export function checkCatalog(raw: unknown): string[] {
  const require = createRequire(import.meta.url);
  const { Ajv } = require('ajv') as typeof import('ajv');
  const ajv = new Ajv({ allErrors: true, strict: true });
  const validate = ajv.compile(JSON.parse(readFileSync(CATALOG_SCHEMA, 'utf8')) as object);
  if (validate(raw)) return [];
  return (validate.errors ?? []).map((error) => {
    const extra = error.keyword === 'additionalProperties' ? ` '${(error.params as { additionalProperty: string }).additionalProperty}'` : '';
    return `catalog/components.yaml${error.instancePath || '/'}: ${error.message ?? 'invalid'}${extra}`;
  });
}

export function catalogYamlDigest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The build's JSON copy when it was made from the YAML as it is now, otherwise the YAML itself.
 * Judged by content, not modification times: an installed package (npm sets every mtime) or a
 * fresh checkout says nothing reliable about which file is newer.
 */
function readRawCatalog(): RawCatalog {
  return withoutPrototypes(readRawCatalogObjects()) as RawCatalog;
}

/**
 * The catalog with every mapping made a null-prototype object: its tables are looked up with names
 * from the input (a vendored project called `constructor` or `toString`), which must find nothing
 * rather than Object.prototype's members.
 */
function withoutPrototypes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPrototypes);
  if (value === null || typeof value !== 'object') return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, inner] of Object.entries(value)) out[key] = withoutPrototypes(inner);
  return out;
}

function readRawCatalogObjects(): RawCatalog {
  const yaml = readFileSync(CATALOG_YAML, 'utf8');
  let built: BuiltCatalog | undefined;
  try {
    built = JSON.parse(readFileSync(CATALOG_JSON, 'utf8')) as BuiltCatalog;
  } catch {
    built = undefined; // not built, or damaged: the YAML is the source anyway
  }
  if (built && typeof built.yamlSha256 === 'string' && built.yamlSha256 === catalogYamlDigest(yaml) && built.catalog) {
    return built.catalog;
  }
  return parseCatalogYaml(yaml);
}

let cached: Catalog | undefined;

export function loadCatalog(): Catalog {
  if (cached) return cached;
  const raw = readRawCatalog();
  if ((raw as { schema?: unknown }).schema !== CATALOG_LAYOUT) {
    throw new Error(`catalog/components.yaml: schema ${JSON.stringify((raw as { schema?: unknown }).schema)}, but this code reads schema ${CATALOG_LAYOUT}`);
  }
  cached = {
    ...(raw.externals ? { externals: raw.externals } : {}),
    ...(raw.wheels ? { wheels: raw.wheels } : {}),
    ...(raw.archives ? { archives: raw.archives } : {}),
    ...(raw.windowsArtifact ? { windowsArtifact: raw.windowsArtifact } : {}),
    ...(raw.platforms ? { platformLibraries: Object.entries(raw.platforms.libraries).map(([key, body]) => ({ key, ...body })) } : {}),
    ...(raw.attribution ? { attribution: Object.entries(raw.attribution).map(([key, body]) => ({ key, ...body })) } : {}),
    ...(raw.projectLicenses ? { projectLicenses: raw.projectLicenses } : {}),
    ...(raw.projectCpes ? { projectCpes: raw.projectCpes } : {}),
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

/**
 * Compares CPython versions by their release numbers (`3.13.15` > `3.13.5`), read by the PEP 440
 * library: a pre-release or development build counts as its release (`3.14.0a1+` as 3.14.0),
 * since a file layout that a release has, its alphas already have. Unreadable text counts as 0.
 */
export function compareVersions(a: string, b: string): number {
  const release = (version: string) => explainPep440(version.replace(/\+$/, ''))?.release ?? [];
  const left = release(a);
  const right = release(b);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
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
  let unreadable = false;
  const version = source.format.replace(/\{(\d+)(?::(month|02))?\}/g, (_, index: string, spec: string | undefined) => {
    const group = match[Number(index)] ?? '';
    if (spec === undefined) return group;
    const number = spec === 'month' ? MONTHS.indexOf(group.slice(0, 3).toLowerCase()) + 1 : Number.parseInt(group, 10);
    if (!(number > 0)) unreadable = true;
    return String(number).padStart(2, '0');
  });
  return unreadable ? undefined : version;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
