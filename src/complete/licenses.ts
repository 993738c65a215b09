import { type Catalog, type CatalogComponent, loadCatalog } from '../catalog/catalog.js';
import { LICENSE_TEXTS_LIST_VERSION } from '../license/list-version.js';
import { normalizePackageName } from '../model/document.js';
import type { CopyrightEvidence, LicenseEvidence, Package, Snippet } from '../model/types.js';
import { extractCopyrights, holderOf } from '../license/copyright.js';
import { leadingComment } from '../license/header.js';
import { THRESHOLD, containmentOf, identifyLicense } from '../license/match.js';
import { licenseIds } from '../license/lineage.js';
import { licenseReferences } from '../license/references.js';
import { isValidExpression, wheelMetadataLicense } from '../license/wheel-metadata.js';
import { globRegex } from '../util/exclude-glob.js';
import type { CompleteContext, CompleteStep, LicenseSource } from './index.js';

/** CPython's license file; its PSF-2.0 text is what CPython declares. */
export const CPYTHON_LICENSE = 'LICENSE';

/** The copyright chain `sys.copyright` prints (PSF, BeOpen.com, CNRI, CWI), kept up to date by hand. */
export const CPYTHON_COPYRIGHT = 'Python/getcopyright.c';

/** Source files whose license is in their leading comment, not the whole text. */
export const CODE_FILE = /\.(?:c|h|cc|cpp|py|pyi|asm|s|S|js|sh)$/;

/**
 * Licenses and copyrights from evidence (complete profile). For every package but CPython, and
 * every snippet, the texts other steps collected (`context.licenseSources`: Doc/license.rst
 * sections, license files, wheel metadata) plus the catalog's `licenseFiles` of the component are
 * resolved into `licenseDeclared`, `copyrightText`, `evidence.licenses`/`copyrights` and a
 * `licenseComments` naming each file and how it was read. Where the tree states nothing the
 * catalog records the project's declared license (`license`, `projectLicenses`), said so as
 * method `catalog`. With no evidence at all the package keeps NOASSERTION and a warning names it.
 * `licenseConcluded` is a reviewer's conclusion and stays as it is (NOASSERTION; CPython PSF-2.0).
 */
export function licensesStep(catalog: Catalog = loadCatalog()): CompleteStep {
  const exact = new Set<string>([CPYTHON_LICENSE, CPYTHON_COPYRIGHT]);
  const patterns: RegExp[] = [];
  for (const component of catalog.components) {
    for (const file of licenseFilesOf(component)) {
      if (/[*?[]/.test(file)) patterns.push(globRegex(file));
      else exact.add(file);
    }
  }
  return {
    name: 'licenses',
    wants: (path) => exact.has(path) || patterns.some((pattern) => pattern.test(path)),
    apply(context: CompleteContext): void {
      const { document } = context;
      // The ids below come from this list version's texts, newer than python.org's 3.22.
      document.licenseListVersion = LICENSE_TEXTS_LIST_VERSION;
      const primary = document.describes[0];
      for (const pkg of document.packages) {
        if (pkg.ref === primary) {
          declareCPython(pkg, context);
          continue;
        }
        const component = catalogComponentFor(pkg, catalog);
        const sources = [...(context.licenseSources.get(pkg.ref) ?? []), ...catalogSources(component, context)];
        const fallback = component?.license ?? catalog.projectLicenses?.[normalizePackageName(pkg.name)];
        const resolved = resolve(sources, typeof fallback === 'string' ? fallback : undefined);
        applyToPackage(pkg, resolved);
        if (resolved.expression === 'NOASSERTION') {
          context.warnings.push(
            `${pkg.name}${pkg.version ? ` ${pkg.version}` : ''}: no license could be established from ${sources.length === 0 ? 'the tree (no license file, header or metadata found)' : sources.map((s) => s.file).join(', ')}; licenseDeclared stays NOASSERTION`,
          );
        }
      }
      for (const snippet of document.snippets ?? []) {
        const resolved = resolve(context.licenseSources.get(snippet.ref) ?? [], undefined);
        applyToSnippet(snippet, resolved);
        if (resolved.expression === 'NOASSERTION') context.warnings.push(`snippet ${snippet.name} in ${snippet.file}: no license could be established`);
      }
      // Files that absorbed third-party code the catalog records no license for (`file:<path>`):
      // the license their own text and its Doc/license.rst section state.
      const filesByPath = new Map(document.files.map((file) => [file.path, file]));
      for (const [key, sources] of context.licenseSources) {
        if (!key.startsWith('file:')) continue;
        const file = filesByPath.get(key.slice('file:'.length));
        if (!file || (file.licenseInfoInFiles?.length ?? 0) > 0) continue;
        const resolved = resolve(sources, undefined);
        if (resolved.expression === 'NOASSERTION') {
          context.warnings.push(`${file.path}: holds third-party code, but no license could be established from ${sources.map((s) => s.file).join(', ')}`);
          continue;
        }
        file.licenseInfoInFiles = [...new Set(resolved.licenses.map((evidence) => evidence.expression))];
        if (!file.copyrightText && resolved.copyrights.length > 0) file.copyrightText = resolved.copyrights.map((c) => c.text).join('\n');
      }
    },
  };
}

function licenseFilesOf(component: CatalogComponent): string[] {
  return Array.isArray(component.licenseFiles) ? (component.licenseFiles as string[]) : [];
}

function catalogComponentFor(pkg: Package, catalog: Catalog): CatalogComponent | undefined {
  if (pkg.ref.includes('/')) return undefined;
  return catalog.components.find((component) => (component.packageName ?? component.name) === pkg.name || component.name === pkg.ref);
}

/** The catalog's licenseFiles of a component, as found in the tree. */
function catalogSources(component: CatalogComponent | undefined, context: CompleteContext): LicenseSource[] {
  if (!component) return [];
  const sources: LicenseSource[] = [];
  for (const pattern of licenseFilesOf(component)) {
    const regex = /[*?[]/.test(pattern) ? globRegex(pattern) : undefined;
    const paths = regex ? [...context.detect.files.keys()].filter((path) => regex.test(path)).sort() : [pattern];
    for (const path of paths) {
      const bytes = context.detect.content(path);
      if (!bytes) continue;
      sources.push(licenseFileSource(path, bytes, CODE_FILE.test(path) ? 'header' : 'license-text'));
    }
  }
  return sources;
}

/** A file named for what it holds: a license, a notice, a README or an authors list. */
const LICENSE_DOCUMENT = /^(?:licen[cs]e|copying|copyright|notice|unlicense|readme|authors)(?:[._-][^/]*)?$/i;

/** How much of a data file is read: its header, where it states its license. */
const DATA_FILE_HEAD = 16 * 1024;

/**
 * A license file the catalog names, as a license source read the way `method` says: a source
 * file's leading comment (`header`), or the text (`license-text`): a license document whole, a
 * data file (a mapping table, test cases) in its header, where it states its license; matching
 * the rest of its rows against the license texts would find nothing, slowly.
 */
export function licenseFileSource(path: string, bytes: Buffer, method: 'header' | 'license-text'): LicenseSource {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dataFile = !CODE_FILE.test(path) && !LICENSE_DOCUMENT.test(base);
  if (method === 'header' || !dataFile || bytes.length <= DATA_FILE_HEAD) return { text: bytes.toString('utf8'), file: path, method };
  // Up to the last whole line of the header (never half a character).
  const head = bytes.subarray(0, DATA_FILE_HEAD);
  return { text: head.subarray(0, head.lastIndexOf(0x0a) + 1).toString('utf8'), file: path, method };
}

interface Resolved {
  expression: string;
  licenses: LicenseEvidence[];
  copyrights: CopyrightEvidence[];
  comments: string[];
}

/**
 * The declared license from the evidence: a wheel's License-Expression is the project's own
 * statement and wins; otherwise the ids the texts match, joined with AND (each text states a
 * license the code is under), unless the catalog's expression for the project uses exactly those
 * ids (packaging ships LICENSE.APACHE and LICENSE.BSD and is `Apache-2.0 OR BSD-2-Clause`).
 */
/** The longest license, README or METADATA text read for licenses and copyrights: 1 MiB. */
const MAX_LICENSE_TEXT = 1024 * 1024;

function resolve(sources: LicenseSource[], fallback: string | undefined): Resolved {
  const licenses: LicenseEvidence[] = [];
  const copyrights: CopyrightEvidence[] = [];
  const comments: string[] = [];
  const seenCopyright = new Set<string>();
  let metadataExpression: string | undefined;
  for (const source of sources) {
    // A license file is text of some kB (CPython's LICENSE, the longest, is ~50 kB): a binary or
    // huge one states nothing this reads, and matching its words would only cost memory and time.
    const text = source.method === 'header' ? leadingComment(source.text) : source.text;
    if (source.method !== 'wheel-metadata' && (text.length > MAX_LICENSE_TEXT || text.includes('\0'))) continue;
    if (source.method === 'wheel-metadata') {
      const found = wheelMetadataLicense(source.text);
      if (found) {
        metadataExpression ??= found.expression;
        licenses.push({ expression: found.expression, file: source.file, method: 'wheel-metadata' });
        comments.push(`${found.expression} from ${source.file} (${found.field})`);
      }
      continue;
    }
    const match = identifyLicense(text);
    if (match) {
      licenses.push({ expression: match.id, file: source.file, method: source.method, confidence: match.confidence });
      comments.push(`${match.id} from ${source.file} (${describeMethod(source.method)}, ${Math.round(match.confidence * 100)}% of the SPDX license text)`);
    } else if (source.method === 'header' || source.method === 'license-text') {
      // A header or README that names its license instead of quoting it ("Licensed under the Apache
      // License, Version 2.0", "Released under the MIT license").
      for (const reference of licenseReferences(text)) {
        licenses.push({ expression: reference.expression, file: source.file, method: source.method });
        comments.push(`${reference.expression} from ${source.file} (${source.method === 'header' ? 'file header' : 'license file'}: "${reference.phrase}")`);
      }
    }
    for (const statement of extractCopyrights(text)) {
      if (seenCopyright.has(statement)) continue;
      seenCopyright.add(statement);
      copyrights.push({ text: statement, file: source.file });
    }
  }
  let expression: string | undefined = metadataExpression;
  if (!expression) {
    const ids = [...new Set(licenses.map((evidence) => evidence.expression))];
    // An expression that names every license the others do says how they combine (packaging's
    // header "dual licensed under ... Apache ... and the BSD License", with LICENSE.APACHE and
    // LICENSE.BSD beside it).
    const covering =
      ids.length > 1 ? ids.find((candidate) => ids.every((other) => licenseIds(other).every((id) => licenseIds(candidate).includes(id)))) : undefined;
    if (covering) {
      expression = covering;
      comments.push(
        `how ${ids.filter((id) => id !== covering).join(' and ')} combine (${covering}): from ${licenses.find((evidence) => evidence.expression === covering)?.file ?? 'the evidence'}`,
      );
    } else if (ids.length > 0) {
      const fallbackIds =
        fallback && isValidExpression(fallback) ? new Set(fallback.match(/[A-Za-z0-9.+-]+/g)?.filter((token) => !/^(?:AND|OR|WITH)$/.test(token))) : undefined;
      if (fallback && fallbackIds && fallbackIds.size === ids.length && ids.every((id) => fallbackIds.has(id))) {
        expression = fallback;
        if (ids.length > 1) comments.push(`how ${ids.join(' and ')} combine (${fallback}): from the catalog`);
      } else {
        expression = ids.length === 1 ? ids[0] : ids.map((id) => (/\s/.test(id) ? `(${id})` : id)).join(' AND ');
      }
    }
  }
  if (!expression && fallback) {
    expression = fallback;
    const stated = sources.map((source) => source.file);
    licenses.push({ expression: fallback, method: 'catalog', ...(stated[0] ? { file: stated[0] } : {}) });
    comments.push(
      stated.length > 0
        ? `${fallback} from the catalog: ${stated.join(', ')} state${stated.length === 1 ? 's' : ''} it in words the SPDX texts do not match`
        : `${fallback} from the catalog (the project's declared license); the tree holds no license text for it`,
    );
  }
  return { expression: expression ?? 'NOASSERTION', licenses, copyrights, comments };
}

function describeMethod(method: LicenseEvidence['method']): string {
  return { 'license-text': 'license text', header: 'file header', 'wheel-metadata': 'wheel metadata', 'license-rst': 'Doc/license.rst', catalog: 'catalog' }[
    method
  ];
}

function applyToPackage(pkg: Package, resolved: Resolved): void {
  pkg.licenseDeclared = resolved.expression;
  pkg.copyrightText = resolved.copyrights.length > 0 ? resolved.copyrights.map((c) => c.text).join('\n') : 'NOASSERTION';
  if (resolved.comments.length > 0) pkg.licenseComments = `Declared license established from: ${resolved.comments.join('; ')}.`;
  pkg.evidence = { occurrences: pkg.evidence?.occurrences ?? [], licenses: resolved.licenses, copyrights: resolved.copyrights };
}

function applyToSnippet(snippet: Snippet, resolved: Resolved): void {
  if (resolved.expression !== 'NOASSERTION') {
    snippet.licenseInfoInSnippet = [...new Set(resolved.licenses.map((evidence) => evidence.expression))];
  }
  if (resolved.copyrights.length > 0) snippet.copyrightText = resolved.copyrights.map((c) => c.text).join('\n');
}

/**
 * CPython's copyright: the chain of its lineage, as Python/getcopyright.c states it (PSF,
 * BeOpen.com, CNRI, CWI), and any holder of LICENSE's statements the chain does not name; each
 * statement whole, as the file gives it.
 */
function cpythonCopyrights(license: string, chain: string | undefined): CopyrightEvidence[] {
  const key = (statement: string) =>
    holderOf(statement)
      .toLowerCase()
      .split(/[^a-z0-9.]+/)
      .filter(Boolean)
      .slice(0, 2)
      .join(' ');
  const found: CopyrightEvidence[] = chain === undefined ? [] : extractCopyrights(chain).map((text) => ({ text, file: CPYTHON_COPYRIGHT }));
  const holders = new Set(found.map((item) => key(item.text)));
  for (const text of extractCopyrights(license)) {
    if (holders.has(key(text))) continue;
    holders.add(key(text));
    found.push({ text, file: CPYTHON_LICENSE });
  }
  return found;
}

/** CPython declares PSF-2.0: its LICENSE holds the PSF license text (and the older licenses it grew from). */
function declareCPython(pkg: Package, context: CompleteContext): void {
  // What the whole of CPython's code is under is a reviewer's conclusion: its files hold other
  // licenses than the one it declares (licenseInfoFromFiles, from the file scan).
  pkg.licenseConcluded = 'NOASSERTION';
  const bytes = context.detect.content(CPYTHON_LICENSE);
  const text = bytes?.toString('utf8') ?? '';
  const copyrights = cpythonCopyrights(text, context.detect.content(CPYTHON_COPYRIGHT)?.toString('utf8'));
  pkg.copyrightText = copyrights.length > 0 ? copyrights.map((c) => c.text).join('\n') : 'NOASSERTION';
  pkg.evidence = { occurrences: pkg.evidence?.occurrences ?? [], licenses: [], copyrights };
  if (!bytes) {
    context.warnings.push(`CPython: no ${CPYTHON_LICENSE} in the tree; licenseDeclared stays NOASSERTION`);
    return;
  }
  const share = containmentOf(text, 'PSF-2.0');
  if (share < THRESHOLD) {
    context.warnings.push(`CPython: ${CPYTHON_LICENSE} does not hold the PSF-2.0 text; licenseDeclared stays NOASSERTION`);
    return;
  }
  const confidence = Math.round(share * 1000) / 1000;
  pkg.licenseDeclared = 'PSF-2.0';
  pkg.licenseComments = `Declared license established from: PSF-2.0 from ${CPYTHON_LICENSE} (license text, ${Math.round(confidence * 100)}% of the SPDX license text; the file also holds the licenses of earlier Python releases).`;
  pkg.evidence.licenses.push({ expression: 'PSF-2.0', file: CPYTHON_LICENSE, method: 'license-text', confidence });
}
