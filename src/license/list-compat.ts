/**
 * `--license-list-version X.Y`: a document that validators with an older SPDX license list accept.
 * Every license id the document uses that is newer than list X.Y is written as `LicenseRef-<id>`,
 * with the license's name, text and list page in `extractedLicenses` (SPDX
 * `hasExtractedLicensingInfos`; CycloneDX a named license with its text), and the document then
 * declares X.Y, the list every SPDX id left in it belongs to. Which list release first has each id
 * is data: data/spdx-license-list-versions.json (see scripts/license-list-versions.mjs).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../errors.js';
import type { ExtractedLicense, SbomDocument } from '../model/types.js';
import { LICENSE_TEXTS_LIST_VERSION } from './list-version.js';

interface ListVersions {
  versions: string[];
  licenses: Record<string, string>;
  exceptions: Record<string, string>;
}

export const LIST_VERSIONS_FILE = fileURLToPath(new URL('../../data/spdx-license-list-versions.json', import.meta.url));

let loaded: { versions: string[]; licenses: Map<string, string>; exceptions: Map<string, string> } | undefined;

/** The table of first list releases (read once). */
export function licenseListVersions(): { versions: string[]; licenses: ReadonlyMap<string, string>; exceptions: ReadonlyMap<string, string> } {
  if (!loaded) {
    const data = JSON.parse(readFileSync(LIST_VERSIONS_FILE, 'utf8')) as ListVersions;
    loaded = { versions: data.versions, licenses: new Map(Object.entries(data.licenses)), exceptions: new Map(Object.entries(data.exceptions)) };
  }
  return loaded;
}

/** `3.9` < `3.22`: list versions compare by their numbers. */
export function compareListVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/** The first SPDX license list release that has this license id, if it is on the list at all. */
export function firstListVersion(id: string): string | undefined {
  return licenseListVersions().licenses.get(id);
}

/** Checks `--license-list-version`: a release the table knows, no newer than the texts we identify against. */
export function parseLicenseListVersion(value: string): string {
  const version = value
    .trim()
    .replace(/^v/, '')
    .replace(/^(\d+\.\d+)\.0$/, '$1');
  const { versions } = licenseListVersions();
  if (!versions.includes(version)) {
    throw new InputError(`--license-list-version: unknown SPDX license list version '${value}' (known: ${versions[0]} to ${versions.at(-1)})`);
  }
  if (compareListVersions(version, LICENSE_TEXTS_LIST_VERSION) > 0) {
    throw new InputError(
      `--license-list-version: ${version} is newer than the license data this version of cpython-sbom carries (${LICENSE_TEXTS_LIST_VERSION})`,
    );
  }
  return version;
}

/** License ids in an SPDX expression, with where each one is (operators, parentheses and `WITH` exceptions skipped). */
function rewriteExpression(expression: string, replace: (id: string) => string): string {
  // Tokens are separated by whitespace and parentheses; the token after WITH is an exception id.
  let afterWith = false;
  return expression.replace(/[^\s()]+/g, (token) => {
    if (token === 'AND' || token === 'OR' || token === 'WITH') {
      afterWith = token === 'WITH';
      return token;
    }
    if (afterWith) {
      afterWith = false;
      return token;
    }
    return replace(token);
  });
}

/**
 * Rewrites the document for a consumer whose license list is `version` (already checked with
 * parseLicenseListVersion). Returns the ids that became `LicenseRef-`s.
 */
export function applyLicenseListVersion(document: SbomDocument, version: string): string[] {
  const { licenses } = licenseListVersions();
  const extracted = new Map<string, ExtractedLicense>((document.extractedLicenses ?? []).map((license) => [license.id, license]));
  const replaced = new Set<string>();
  const replace = (token: string): string => {
    const plus = token.endsWith('+') ? '+' : '';
    const id = plus ? token.slice(0, -1) : token;
    const first = licenses.get(id);
    if (first === undefined || compareListVersions(first, version) <= 0) return token;
    const ref = `LicenseRef-${id}`;
    if (!extracted.has(ref)) extracted.set(ref, extractedLicense(id, first, version));
    replaced.add(id);
    return ref + plus;
  };
  const rewrite = (expression: string | undefined): string | undefined =>
    expression === undefined || expression === 'NOASSERTION' || expression === 'NONE' ? expression : rewriteExpression(expression, replace);

  for (const pkg of document.packages) {
    if (pkg.licenseConcluded !== undefined) pkg.licenseConcluded = rewrite(pkg.licenseConcluded);
    if (pkg.licenseDeclared !== undefined) pkg.licenseDeclared = rewrite(pkg.licenseDeclared);
    for (const evidence of pkg.evidence?.licenses ?? []) evidence.expression = rewrite(evidence.expression) as string;
  }
  for (const file of document.files) {
    if (file.licenseInfoInFiles) file.licenseInfoInFiles = file.licenseInfoInFiles.map((expression) => rewrite(expression) as string);
  }
  for (const snippet of document.snippets ?? []) {
    if (snippet.licenseConcluded !== undefined) snippet.licenseConcluded = rewrite(snippet.licenseConcluded);
    snippet.licenseInfoInSnippet = snippet.licenseInfoInSnippet.map((expression) => rewrite(expression) as string);
  }
  if (extracted.size > 0) document.extractedLicenses = [...extracted.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  document.licenseListVersion = version;
  return [...replaced].sort();
}

/** The SPDX list's own name, text and page for an id, as an extracted licensing info. */
function extractedLicense(id: string, first: string, target: string): ExtractedLicense {
  const listDir = dirname(createRequire(import.meta.url).resolve('spdx-license-list/package.json'));
  // The id is a key of our table, never input text, so the path stays inside the package.
  let entry: { name: string; licenseText: string };
  try {
    entry = JSON.parse(readFileSync(join(listDir, 'licenses', `${id}.json`), 'utf8')) as typeof entry;
  } catch {
    // Every id of the table up to the installed list has its text there; say where it is otherwise.
    entry = { name: id, licenseText: `The license with SPDX id ${id}: https://spdx.org/licenses/${id}.html` };
  }
  return {
    id: `LicenseRef-${id}`,
    name: entry.name,
    text: entry.licenseText,
    seeAlso: [`https://spdx.org/licenses/${id}.html`],
    comment: `SPDX license list id ${id}, added in list ${first}: written as a LicenseRef so that tools that know list ${target} accept the document.`,
  };
}
