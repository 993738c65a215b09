import { type AttributionItem, type Catalog, fillTemplate, loadCatalog, readVersion } from '../catalog/catalog.js';
import { PSF } from '../cpython/release.js';
import { globToRegExp, selectFiles } from '../catalog/glob.js';
import { decodeText } from '../license/decode.js';
import { purlFromTemplate } from '../model/purl.js';
import type { FileEntry, Occurrence, Package, SbomDocument, Snippet } from '../model/types.js';
import { applyCloseCopy } from './close-copy.js';
import type { CompleteContext, CompleteStep, LicenseSource } from './index.js';
import { LICENSE_RST_PATH, type LicenseRstSection, parseLicenseRst } from './license-rst.js';
import { findSnippetRange } from './snippet-range.js';
import { CODE_FILE, licenseFileSource } from './licenses.js';

/**
 * The complete profile's attribution step: every piece of third-party code in the tree, from the
 * tree's Doc/license.rst and the catalog's `attribution` items. Each item becomes a package that
 * owns its files (taken from CPython), a snippet inside a CPython file, or license information on
 * the CPython files that absorbed it; sections about packages other detectors find (expat,
 * libmpdec) add their text to those. Every text that may state a license goes to
 * `context.licenseSources` for the licenses step; this step decides no license itself, except
 * what the catalog records by hand for absorbed code.
 */
export function attributionStep(catalog: Catalog = loadCatalog()): CompleteStep {
  const items = catalog.attribution ?? [];
  const exact = new Set<string>([LICENSE_RST_PATH]);
  const patterns: RegExp[] = [];
  for (const item of items) {
    if (item.version) exact.add(item.version.file);
    if (item.snippet) exact.add(item.snippet.file);
    // Absorbed files without a recorded license are handed on as texts to identify; files that
    // carry their own marker are read to look for it.
    if (item.kind === 'absorbed' && (!item.license || item.marker)) for (const glob of item.files?.include ?? []) patterns.push(globToRegExp(glob));
    for (const glob of item.licenseFiles ?? []) {
      if (/[*?[]/.test(glob)) patterns.push(globToRegExp(glob));
      else exact.add(glob);
    }
  }
  // Compiled once: a RegExp per section title and item would cost more than the rest of the step.
  const titles = items.map((item) => ({ item, patterns: (item.sections ?? []).map((pattern) => new RegExp(`^(?:${pattern})$`, 'i')) }));
  const itemOfTitle = (title: string) => titles.find(({ patterns: list }) => list.some((regex) => regex.test(title)))?.item;
  return {
    name: 'attribution',
    wants: (path) => exact.has(path) || patterns.some((regex) => regex.test(path)),
    apply: (context) => attribute(context, items, catalog, itemOfTitle),
  };
}

interface Matched {
  item: AttributionItem;
  section: LicenseRstSection;
}

function attribute(context: CompleteContext, items: AttributionItem[], catalog: Catalog, itemOfTitle: (title: string) => AttributionItem | undefined): void {
  const { document, detect, warnings } = context;
  const cpython = document.packages.find((pkg) => pkg.ref === document.describes[0]);
  if (!cpython) return;
  // UTF-8 as the files are (Doc/license.rst's "Copyright © 1991-2026 Unicode, Inc." read as
  // Latin-1 was "Copyright Â© ..."); a file that is not UTF-8 is Windows-1252 (decode.ts).
  const text = (path: string) => {
    const bytes = detect.content(path);
    return bytes === undefined ? undefined : decodeText(bytes).text;
  };

  // Doc/license.rst: each section to the item it is about; unknown sections are named.
  const licenseRst = text(LICENSE_RST_PATH);
  const sections = licenseRst === undefined ? [] : parseLicenseRst(licenseRst);
  const sectionsOf = new Map<string, LicenseRstSection[]>();
  for (const section of sections) {
    const item = itemOfTitle(section.title);
    if (!item) {
      warnings.push(`${LICENSE_RST_PATH}: section "${section.title}" (line ${section.line}) is not in the catalog; its code is not attributed`);
      continue;
    }
    sectionsOf.set(item.key, [...(sectionsOf.get(item.key) ?? []), section]);
  }

  const owned = new Set(document.packages.filter((pkg) => pkg !== cpython).flatMap((pkg) => pkg.files));
  const cpythonFiles = new Set(cpython.files);
  const sortedPaths = [...cpython.files].sort();
  const added: Package[] = [];
  let entries: Map<string, FileEntry> | undefined;
  for (const item of items) {
    const matched = (sectionsOf.get(item.key) ?? []).map((section) => ({ item, section }));
    const sources = matched.map(({ section }): LicenseSource => ({ text: section.licenseText || section.body, file: LICENSE_RST_PATH, method: 'license-rst' }));
    const missing = (what: string) => {
      if (matched.length > 0 && !item.notInSource) {
        warnings.push(
          `${LICENSE_RST_PATH}: section "${matched[0]?.section.title}" names ${what}, which is not in the tree; nothing is attributed to ${item.name}`,
        );
      }
    };
    // Packages other detectors found that the section is also about (expat, externals/openssl).
    const detected = (item.components ?? []).filter((ref) => document.packages.some((pkg) => pkg.ref === ref));
    for (const ref of detected) addSources(context, ref, sources);
    switch (item.kind) {
      case 'notInSource':
        break;
      case 'component': {
        if (detected.length === 0) missing(`${item.components?.join(', ')}`);
        break;
      }
      case 'package': {
        const files = select(sortedPaths, cpythonFiles, item).filter((path) => !owned.has(path));
        if (files.length === 0) {
          missing((item.files?.include ?? []).join(', '));
          break;
        }
        const pkg = packageOf(item, files, matched, text, warnings);
        for (const path of files) cpythonFiles.delete(path);
        added.push(pkg);
        addSources(context, pkg.ref, [...sources, ...licenseFileSources(item, files, context)]);
        break;
      }
      case 'snippet': {
        const spec = item.snippet;
        const content = spec ? detect.content(spec.file) : undefined;
        const range = spec && content ? findSnippetRange(content, spec.start, spec.end) : undefined;
        if (!spec || !range) {
          if (spec && content) warnings.push(`${item.name}: ${spec.file} no longer has the code the catalog's markers delimit; it is not attributed`);
          else missing(spec?.file ?? item.name);
          break;
        }
        const snippet: Snippet = {
          ref: `snippet:${item.key}`,
          name: item.name,
          file: spec.file,
          byteRange: range.byteRange,
          lineRange: range.lineRange,
          licenseConcluded: 'NOASSERTION',
          licenseInfoInSnippet: [],
          comment: comment(item, matched, `lines ${range.lineRange[0]}-${range.lineRange[1]} of ${spec.file}`),
        };
        const attributionText = matched[0]?.section.licenseText;
        if (attributionText) snippet.attributionText = attributionText;
        if (item.fixedVersion) snippet.version = item.fixedVersion;
        if (item.purl) snippet.purl = purlFromTemplate(item.purl, snippet.version ?? '');
        document.snippets ??= [];
        document.snippets.push(snippet);
        // Ranges are counted in bytes (latin1); the text for the licenses step is the UTF-8 it is.
        addSources(context, snippet.ref, [...sources, { text: Buffer.from(range.text, 'latin1').toString('utf8'), file: spec.file, method: 'header' }]);
        break;
      }
      case 'absorbed': {
        // Only license.rst (or the file itself, with the catalog's marker) says that CPython's own
        // file holds someone else's code: the same path in an older tree is not evidence enough.
        const marker = item.marker === undefined ? undefined : new RegExp(item.marker);
        if (matched.length === 0 && !marker) break;
        const files = select(sortedPaths, cpythonFiles, item).filter((path) => matched.length > 0 || marker?.test(text(path) ?? '') === true);
        if (files.length === 0 && matched.length === 0) break;
        if (files.length === 0) {
          missing((item.files?.include ?? []).join(', '));
          break;
        }
        entries ??= new Map(document.files.map((file) => [file.path, file]));
        for (const path of files) {
          const entry = entries.get(path);
          if (!entry) continue;
          if (item.license) entry.licenseInfoInFiles = [...new Set([...(entry.licenseInfoInFiles ?? []), item.license])];
          const note = `Contains code from ${item.origin ?? item.name}${item.fixedVersion ? ` ${item.fixedVersion}` : ''}${
            item.license ? `, under ${item.license}` : ''
          }${matched.length > 0 ? ` (Doc/license.rst section "${matched[0]?.section.title}")` : ' (as the file itself says)'}`;
          entry.comment = entry.comment ? `${entry.comment}; ${note}` : note;
          if (!item.license) {
            const own = detect.content(path)?.toString('utf8');
            addSources(context, `file:${path}`, [...sources, ...(own === undefined ? [] : [{ text: own, file: path, method: 'header' as const }])]);
          }
        }
        break;
      }
    }
  }

  // Copies close to a known release (libb2 in 3.9) get its version with a note of what differs.
  for (const pkg of document.packages) {
    const component = catalog.components.find((candidate) => candidate.name === pkg.ref);
    if (!component) continue;
    const close = applyCloseCopy(pkg, component, detect.files);
    if (close) {
      // The detector's "listed without a version" no longer holds: say what the copy is instead.
      const stale = warnings.findIndex((warning) => warning.startsWith(`${pkg.name}: its `) && warning.endsWith('listed without a version'));
      if (stale >= 0) warnings.splice(stale, 1);
      warnings.push(
        `${pkg.name}: ${close.differing.length} of ${close.total} files differ from ${pkg.name} ${pkg.version}; listed as a modified ${pkg.version}`,
      );
    }
  }

  if (added.length === 0) return;
  cpython.files = cpython.files.filter((path) => cpythonFiles.has(path));
  cpython.dependsOn = [...new Set([...cpython.dependsOn, ...added.map((pkg) => pkg.ref)])].sort();
  insertPackages(document, cpython, added);
}

function packageOf(item: AttributionItem, files: string[], matched: Matched[], text: (path: string) => string | undefined, warnings: string[]): Package {
  let version = item.fixedVersion ?? '';
  let versionNote = item.fixedVersion ? `version ${item.fixedVersion} as Doc/license.rst states it` : 'the tree records no version for it';
  if (item.version) {
    const found = text(item.version.file);
    const read = found === undefined ? undefined : readVersion(item.version, found);
    if (read) {
      version = read;
      versionNote = `version from ${item.version.file}`;
    } else {
      versionNote = `no version found in ${item.version.file}`;
      warnings.push(`${item.name}: ${item.version.file} records no version the catalog recognises; listed without a version`);
    }
  }
  const occurrences = occurrencesOf(item, files);
  const pkg: Package = {
    ref: item.key,
    spdxId: `SPDXRef-PACKAGE-${item.key}`,
    name: item.name,
    version,
    purpose: 'SOURCE',
    supplier: PSF,
    downloadLocation: version || !item.downloadLocation?.includes('{version') ? fillTemplate(item.downloadLocation ?? 'NOASSERTION', version) : 'NOASSERTION',
    licenseConcluded: 'NOASSERTION',
    checksums: {},
    files,
    dependsOn: [],
    filesAnalyzed: true,
    comment: comment(item, matched),
    sourceInfo: `${occurrences.map((occurrence) => occurrence.path).join(', ')} in the source tree; ${versionNote}`,
    evidence: { licenses: [], copyrights: [], occurrences },
  };
  if (item.originator) pkg.originator = item.originator;
  if (version && item.purl) pkg.purl = purlFromTemplate(item.purl, version);
  if (version && item.cpe) pkg.cpe = fillTemplate(item.cpe, version);
  return pkg;
}

function comment(item: AttributionItem, matched: Matched[], where?: string): string {
  const parts = [item.origin ? `From ${item.origin}` : item.name];
  if (where) parts.push(where);
  parts.push(matched.length > 0 ? `Doc/license.rst section "${matched.map(({ section }) => section.title).join('", "')}"` : 'not named in Doc/license.rst');
  return parts.join('; ');
}

/** The literal directory part of a glob (`Objects/mimalloc/` of `Objects/mimalloc/**`), or the path itself. */
function literalPrefix(glob: string): string {
  const wildcard = glob.search(/[*?[]/);
  return wildcard < 0 ? glob : glob.slice(0, glob.lastIndexOf('/', wildcard) + 1);
}

/**
 * An item's files among the given paths. Matching every glob against every path of the tree
 * costs ~20 ms per item on 3.13; only paths under the globs' literal prefixes are tried.
 */
function select(sorted: readonly string[], available: ReadonlySet<string>, item: AttributionItem): string[] {
  const include = item.files?.include ?? [];
  const candidates = new Set<string>();
  for (const prefix of include.map(literalPrefix)) {
    // Binary search for the first path >= prefix; paths with the prefix follow it.
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((sorted[mid] as string) < prefix) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < sorted.length && (sorted[i] as string).startsWith(prefix); i++) {
      if (available.has(sorted[i] as string)) candidates.add(sorted[i] as string);
    }
  }
  return selectFiles(candidates, { include, exclude: item.files?.exclude ?? [] });
}

/** Each include glob's fixed directory (or the file itself) that holds some of the package's files. */
function occurrencesOf(item: AttributionItem, files: string[]): Occurrence[] {
  const out = new Set<string>();
  for (const glob of item.files?.include ?? []) {
    const prefix = literalPrefix(glob);
    if (files.some((path) => (prefix === glob ? path === prefix : path.startsWith(prefix)))) out.add(prefix);
  }
  return [...out].map((path) => ({ path }));
}

function licenseFileSources(item: AttributionItem, files: string[], context: CompleteContext): LicenseSource[] {
  const sources: LicenseSource[] = [];
  const globs = item.licenseFiles ?? [];
  const exact = globs.filter((glob) => !/[*?[]/.test(glob));
  const regexes = globs.filter((glob) => /[*?[]/.test(glob)).map(globToRegExp);
  const matching = [
    ...exact.filter((path) => context.detect.files.has(path)),
    ...(regexes.length > 0 ? [...context.detect.files.keys()].filter((candidate) => regexes.some((regex) => regex.test(candidate))) : []),
  ];
  for (const path of [...new Set(matching)].sort()) {
    const content = context.detect.content(path);
    if (!content) continue;
    const name = path.slice(path.lastIndexOf('/') + 1);
    // A code file states its license in its leading comment; a license file, README or table is read whole.
    const method = /^(LICEN[CS]E|COPYING|NOTICE|COPYRIGHT)/i.test(name) || !files.includes(path) || !CODE_FILE.test(name) ? 'license-text' : 'header';
    sources.push(licenseFileSource(path, content, method));
  }
  return sources;
}

function addSources(context: CompleteContext, ref: string, sources: LicenseSource[]): void {
  if (sources.length === 0) return;
  context.licenseSources.set(ref, [...(context.licenseSources.get(ref) ?? []), ...sources]);
}

/** New packages go after CPython in ref order, as the build orders the others. */
function insertPackages(document: SbomDocument, cpython: Package, added: Package[]): void {
  const rest = [...document.packages.filter((pkg) => pkg !== cpython), ...added].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
  document.packages = [cpython, ...rest];
}
