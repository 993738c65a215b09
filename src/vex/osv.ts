/**
 * One OSV record (https://ossf.github.io/osv-schema/) read for what `vex` needs, with every field
 * it uses type-checked: OSV files come from outside.
 *
 * What the PSF's database (github.com/psf/advisory-database, `advisories/python/PSF-YYYY-N.json`)
 * puts where, as of its records:
 * - CPython advisories have no `affected[].package`; CPython is named by a `GIT` range whose `repo`
 *   is https://github.com/python/cpython, its `fixed` events the fixing commits.
 * - the issue an advisory is about is a `REPORT` reference (bugs.python.org/issueN before 2022,
 *   github.com/python/cpython/issues/N since), the pull request a `WEB` (sometimes `FIX`)
 *   reference, the commits `FIX` references; CVE and GHSA ids are `aliases`;
 *   `database_specific` holds only `cwe_ids`.
 * - other products (pip) carry `affected[].package` with a purl (`pkg:pypi/pip`).
 * Other OSV sources name packages by `package.purl`, by `ecosystem` + `name` (PyPI), or by the
 * repository of a `GIT` range; each becomes a purl to match against the SBOM's components.
 */
import { buildPurl } from '../model/purl.js';
import { PackageURL } from 'packageurl-js';

/** Where a CPython advisory says its fix is. */
export type FixReference =
  | { kind: 'issue'; tracker: 'gh' | 'bpo'; number: number; type: string; url: string }
  | { kind: 'pull'; number: number; type: string; url: string }
  | { kind: 'commit'; sha: string; type: string; url: string }
  /** An issue, pull request or commit of another repository (a vendored project's own fix). */
  | { kind: 'elsewhere'; repo: string; type: string; url: string };

export interface Advisory {
  id: string;
  /** `aliases` as given (CVE, GHSA, …). */
  aliases: string[];
  summary?: string;
  /** Path of the file, relative to the advisory directory (for messages). */
  file: string;
  /** Whether an `affected` entry names CPython. */
  cpython: boolean;
  /** Other packages `affected` names, as purls without version (`pkg:github/libexpat/libexpat`). */
  packagePurls: string[];
  /** References of the kinds that may name a fix (`FIX`, `REPORT`, `WEB`), classified. */
  fixReferences: FixReference[];
  /** Set when the record is withdrawn. */
  withdrawn?: string;
}

/** The OSV reference types that can point at the change that fixed the problem. */
const FIX_REFERENCE_TYPES = new Set(['FIX', 'REPORT', 'WEB']);

const CPYTHON_REPO = 'github.com/python/cpython';

/** Ids as OSV spells them (`PSF-2024-1`, `CVE-2024-0397`, `GHSA-…`, `BIT-python-2024-1`). */
const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/** A problem with one record, reported as a warning naming the file and the JSON pointer. */
export class AdvisoryFormatError extends Error {
  constructor(
    readonly pointer: string,
    message: string,
  ) {
    super(`${pointer || '/'}: ${message}`);
    this.name = 'AdvisoryFormatError';
  }
}

type Json = Record<string, unknown>;

function kindOf(value: unknown): string {
  return value === undefined
    ? 'nothing'
    : value === null
      ? 'null'
      : Array.isArray(value)
        ? 'an array'
        : typeof value === 'object'
          ? 'an object'
          : `a ${typeof value}`;
}

function object(value: unknown, pointer: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AdvisoryFormatError(pointer, `expected an object, found ${kindOf(value)}`);
  return value as Json;
}

function optionalString(record: Json, field: string, pointer: string): string | undefined {
  const value = record[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new AdvisoryFormatError(`${pointer}/${field}`, `expected a string, found ${kindOf(value)}`);
  return value;
}

function optionalArray(record: Json, field: string, pointer: string): unknown[] {
  const value = record[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new AdvisoryFormatError(`${pointer}/${field}`, `expected an array, found ${kindOf(value)}`);
  return value;
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** `https://github.com/Python/CPython.git/` -> `github.com/python/cpython`; not a URL -> undefined. */
export function repositoryKey(url: string): string | undefined {
  const parsed = safeUrl(url.trim());
  if (!parsed) return undefined;
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:' && parsed.protocol !== 'git:') return undefined;
  const host = parsed.hostname.toLowerCase().replace(/^www\./, '');
  const path = parsed.pathname
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .toLowerCase();
  return path ? `${host}${path}` : undefined;
}

/** A GitHub repository as a purl without version (`pkg:github/libexpat/libexpat`). */
function githubPurl(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length !== 3 || parts[0] !== 'github.com') return undefined;
  try {
    return buildPurl({ type: 'github', namespace: parts[1] as string, name: parts[2] as string });
  } catch {
    return undefined;
  }
}

/**
 * A purl reduced to what identifies a package across versions: type, namespace and name, lower
 * case where the type is case-insensitive (PyPI names normalised as PEP 503 says). Version,
 * qualifiers and subpath are dropped. Not a purl -> undefined.
 */
export function purlKey(purl: string): string | undefined {
  let parsed: PackageURL;
  try {
    parsed = PackageURL.fromString(purl);
  } catch {
    return undefined;
  }
  const type = parsed.type.toLowerCase();
  let namespace = parsed.namespace ?? '';
  let name = parsed.name;
  if (type === 'pypi') name = name.toLowerCase().replace(/[-_.]+/g, '-');
  if (type === 'pypi' || type === 'github' || type === 'generic') {
    namespace = namespace.toLowerCase();
    name = name.toLowerCase();
  }
  return buildPurl({ type, ...(namespace ? { namespace } : {}), name });
}

/** The purls that name CPython itself, version and qualifiers aside. */
const CPYTHON_PURL_KEYS = new Set([buildPurl({ type: 'github', namespace: 'python', name: 'cpython' }), buildPurl({ type: 'generic', name: 'cpython' })]);

/** Whether an `affected[].package` names CPython itself. */
function isCPythonPackage(pkg: { name?: string; purl?: string }): boolean {
  if (pkg.purl) {
    const key = purlKey(pkg.purl);
    if (key !== undefined && CPYTHON_PURL_KEYS.has(key)) return true;
  }
  return pkg.name !== undefined && repositoryKey(pkg.name.includes('://') ? pkg.name : `https://${pkg.name}`) === CPYTHON_REPO;
}

/** A purl for an `affected[].package` given by ecosystem and name, where the mapping is certain. */
function ecosystemPurl(ecosystem: string | undefined, name: string | undefined): string | undefined {
  if (!ecosystem || !name) return undefined;
  if (ecosystem !== 'PyPI') return undefined;
  try {
    return purlKey(buildPurl({ type: 'pypi', name }));
  } catch {
    return undefined;
  }
}

function classifyReference(type: string, url: string): FixReference | undefined {
  const github =
    /^https?:\/\/(?:www\.)?github\.com\/([A-Za-z0-9_.-]{1,100})\/([A-Za-z0-9_.-]{1,100})\/(issues|pull|commit)\/([0-9A-Za-z]{1,40})(?:[/?#].*)?$/i.exec(url);
  if (github) {
    const repo = `${github[1]}/${github[2]}`.toLowerCase();
    const what = (github[3] as string).toLowerCase();
    const value = github[4] as string;
    if (repo !== 'python/cpython') return { kind: 'elsewhere', repo, type, url };
    if (what === 'commit') return /^[0-9a-f]{7,40}$/i.test(value) ? { kind: 'commit', sha: value.toLowerCase(), type, url } : undefined;
    if (!/^\d{1,7}$/.test(value)) return undefined;
    return what === 'pull' ? { kind: 'pull', number: Number(value), type, url } : { kind: 'issue', tracker: 'gh', number: Number(value), type, url };
  }
  const bpo = /^https?:\/\/bugs\.python\.org\/(?:issue)?(\d{1,7})(?:[/?#].*)?$/i.exec(url);
  if (bpo) return { kind: 'issue', tracker: 'bpo', number: Number(bpo[1]), type, url };
  if (/^https?:\/\/bugs\.python\.org\/issue\?/i.test(url)) {
    // Roundup's long form: https://bugs.python.org/issue?@action=redirect&id=1179
    const id = safeUrl(url)?.searchParams.get('id');
    if (id && /^\d{1,7}$/.test(id)) return { kind: 'issue', tracker: 'bpo', number: Number(id), type, url };
  }
  return undefined;
}

/** Reads one parsed OSV record; throws AdvisoryFormatError naming the JSON pointer of what is wrong. */
export function readOsvRecord(json: unknown, file: string): Advisory {
  const record = object(json, '');
  const id = record.id;
  if (typeof id !== 'string') throw new AdvisoryFormatError('/id', `expected a string, found ${kindOf(id)} (not an OSV record?)`);
  if (!ID.test(id)) throw new AdvisoryFormatError('/id', `not an advisory id: ${JSON.stringify(id.slice(0, 60))}`);
  optionalString(record, 'modified', '');
  const withdrawn = optionalString(record, 'withdrawn', '');
  const summary = optionalString(record, 'summary', '');
  optionalString(record, 'details', '');

  const aliases: string[] = [];
  optionalArray(record, 'aliases', '').forEach((alias, index) => {
    if (typeof alias !== 'string') throw new AdvisoryFormatError(`/aliases/${index}`, `expected a string, found ${kindOf(alias)}`);
    if (!ID.test(alias)) throw new AdvisoryFormatError(`/aliases/${index}`, `not an advisory id: ${JSON.stringify(alias.slice(0, 60))}`);
    if (alias !== id && !aliases.includes(alias)) aliases.push(alias);
  });

  let cpython = false;
  const packagePurls = new Set<string>();
  optionalArray(record, 'affected', '').forEach((value, index) => {
    const at = `/affected/${index}`;
    const affected = object(value, at);
    if (affected.package !== undefined) {
      const pkg = object(affected.package, `${at}/package`);
      const ecosystem = optionalString(pkg, 'ecosystem', `${at}/package`);
      const name = optionalString(pkg, 'name', `${at}/package`);
      const purl = optionalString(pkg, 'purl', `${at}/package`);
      if (isCPythonPackage({ ...(name !== undefined ? { name } : {}), ...(purl !== undefined ? { purl } : {}) })) cpython = true;
      else {
        const repo = name?.includes('://') ? repositoryKey(name) : undefined;
        const key = (purl !== undefined ? purlKey(purl) : undefined) ?? ecosystemPurl(ecosystem, name) ?? (repo ? githubPurl(repo) : undefined);
        if (key) packagePurls.add(key);
      }
    }
    optionalArray(affected, 'ranges', at).forEach((rangeValue, rangeIndex) => {
      const rangeAt = `${at}/ranges/${rangeIndex}`;
      const range = object(rangeValue, rangeAt);
      const type = optionalString(range, 'type', rangeAt);
      const repo = optionalString(range, 'repo', rangeAt);
      optionalArray(range, 'events', rangeAt).forEach((event, eventIndex) => object(event, `${rangeAt}/events/${eventIndex}`));
      if (type !== 'GIT' || repo === undefined) return;
      const key = repositoryKey(repo);
      if (key === CPYTHON_REPO) cpython = true;
      else if (key && affected.package === undefined) {
        const purl = githubPurl(key);
        if (purl) packagePurls.add(purl);
      }
    });
    optionalArray(affected, 'versions', at).forEach((version, versionIndex) => {
      if (typeof version !== 'string') throw new AdvisoryFormatError(`${at}/versions/${versionIndex}`, `expected a string, found ${kindOf(version)}`);
    });
  });

  const fixReferences: FixReference[] = [];
  const seen = new Set<string>();
  optionalArray(record, 'references', '').forEach((value, index) => {
    const at = `/references/${index}`;
    const reference = object(value, at);
    const type = optionalString(reference, 'type', at);
    const url = optionalString(reference, 'url', at);
    if (type === undefined || url === undefined) throw new AdvisoryFormatError(at, 'a reference needs a "type" and a "url"');
    if (!FIX_REFERENCE_TYPES.has(type) || url.length > 2048) return;
    const classified = classifyReference(type, url);
    if (!classified) return;
    const key = referenceKey(classified);
    if (seen.has(key)) return;
    seen.add(key);
    fixReferences.push(classified);
  });

  return {
    id,
    aliases,
    ...(summary !== undefined ? { summary } : {}),
    file,
    cpython,
    packagePurls: [...packagePurls].sort(),
    fixReferences,
    ...(withdrawn !== undefined ? { withdrawn } : {}),
  };
}

/** One key per referenced thing, so an issue given as REPORT and WEB counts once. */
export function referenceKey(reference: FixReference): string {
  switch (reference.kind) {
    case 'issue':
      return `${reference.tracker}-${reference.number}`;
    case 'pull':
      return `pull-${reference.number}`;
    case 'commit':
      return `commit-${reference.sha}`;
    case 'elsewhere':
      return `url-${reference.url}`;
  }
}

/** How a reference is named in statements: `gh-121285`, `bpo-1179`, `pull request #121286`, `commit 81c16cd`. */
export function describeReference(reference: FixReference): string {
  switch (reference.kind) {
    case 'issue':
      return `${reference.tracker}-${reference.number}`;
    case 'pull':
      return `pull request #${reference.number}`;
    case 'commit':
      return `commit ${reference.sha.slice(0, 10)}`;
    case 'elsewhere':
      return reference.url;
  }
}
