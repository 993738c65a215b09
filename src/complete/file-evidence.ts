import { type AttributionItem, type Catalog, loadCatalog } from '../catalog/catalog.js';
import { globToRegExp } from '../catalog/glob.js';
import { holderOf } from '../license/copyright.js';
import { type FileEvidence, scanFileEvidence } from '../license/file-scan.js';
import { isLineageExpression, isLineageHolder, licenseIds, namesHolder } from '../license/lineage.js';
import { PUBLIC_DOMAIN_REF, publicDomainLicense } from '../license/license-refs.js';
import type { FileEntry, Package, SbomDocument, Snippet } from '../model/types.js';
import type { CompleteContext, CompleteStep } from './index.js';

/**
 * Every file tells its own license (complete profile). Each text file of the tree is scanned for
 * the license and copyright evidence it states (src/license/file-scan.ts: REUSE tags, license
 * texts and notices, short references, copyright statements); what a file states becomes its SPDX
 * `licenseInfoInFiles` and `copyrightText` (CycloneDX: the file component's evidence), and every
 * package's `licenseInfoFromFiles` is the union of its files'. A statement is never contradicted:
 * where the catalog records a license for absorbed code, it is only used for a file that states
 * none, and a file that states another is a warning.
 *
 * Then attribution from notices: a file CPython owns whose notice names a holder or a license
 * outside CPython's own lineage (lineage.ts) holds someone else's code. It must be attributed by
 * the catalog — an `absorbed` item whose files include it, a `notices` item (CPython's files that
 * reproduce other projects' license texts: LICENSE, Doc/license.rst), or a snippet whose lines
 * hold the notice — or a warning names the file, the holder and the license. A notice that only
 * names a contributor whose file says the code is licensed to the PSF under a contributor
 * agreement is CPython's.
 */
export function fileEvidenceStep(catalog: Catalog = loadCatalog()): CompleteStep {
  const items = (catalog.attribution ?? []).filter((item) => item.kind === 'absorbed' || item.kind === 'notices' || item.kind === 'mentions');
  const matchers = items.map((item) => ({
    item,
    include: (item.files?.include ?? []).map(globToRegExp),
    exclude: (item.files?.exclude ?? []).map(globToRegExp),
  }));
  const itemOf = (path: string): AttributionItem | undefined =>
    matchers.find(({ include, exclude }) => include.some((regex) => regex.test(path)) && !exclude.some((regex) => regex.test(path)))?.item;
  // What each text file states, read as the scan goes by (the bytes are not kept for later).
  const seen = new Map<string, FileEvidence>();
  return {
    name: 'fileEvidence',
    wants: () => false,
    reads: {
      wants: mayHoldText,
      see(path, bytes) {
        const evidence = scanFileEvidence(path, bytes);
        if (evidence) seen.set(path, evidence);
      },
    },
    apply: (context) => describeFiles(context, itemOf, seen),
  };
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Files whose names say they are not text (images, sounds, archives, compiled code) are not read. */
const BINARY =
  /\.(?:png|gif|jpe?g|ico|icns|bmp|tiff?|ras|sgi|psd|pdf|wav|aiff?|aifc|au|mp3|ogg|flac|pck|pickle|pyc|pyo|zip|whl|egg|gz|tgz|xz|txz|bz2|tbz2?|lzma|zst|7z|tar|jar|exe|dll|pyd|so|dylib|lib|obj|o|a|cat|der|p12|pfx|otf|ttf|woff2?|db|sqlite3?|nib|icc|bin|dat\.gz|class|wasm|keychain|dmg|msi|cab|chm|mo)$/i;

export function mayHoldText(path: string): boolean {
  return !BINARY.test(path);
}

/** What a file's own text states, in the model: its licenses and its copyright statements. */
export function describeFileEvidence(entry: FileEntry, evidence: FileEvidence, document: SbomDocument): void {
  const stated = statedLicenses(evidence);
  if (stated.includes(PUBLIC_DOMAIN_REF)) addExtractedLicense(document, PUBLIC_DOMAIN_REF);
  if (stated.length > 0) {
    // What the catalog recorded for absorbed code stays only where the file states nothing itself.
    // Sorted as SPDX writes lists, so both formats read back the same list.
    entry.licenseInfoInFiles = [...stated].sort(byCodeUnits);
  }
  if (evidence.copyrights.length > 0) entry.copyrightText = evidence.copyrights.join('\n');
}

/** The license expressions a file states, each once: its tags, texts, references, a public-domain dedication. */
export function statedLicenses(evidence: FileEvidence): string[] {
  const stated = [...new Set(evidence.licenses.map((license) => license.expression))];
  if (evidence.publicDomain && !stated.includes(PUBLIC_DOMAIN_REF)) stated.push(PUBLIC_DOMAIN_REF);
  return stated;
}

function addExtractedLicense(document: SbomDocument, id: string): void {
  document.extractedLicenses ??= [];
  const list = document.extractedLicenses;
  if (list.some((license) => license.id === id)) return;
  if (id === PUBLIC_DOMAIN_REF) list.push(publicDomainLicense());
}

interface ThirdParty {
  holders: string[];
  licenses: string[];
  /** A permission notice no SPDX text matches, where a holder other than CPython's states it. */
  notice?: { line: number; text: string };
}

/** A notice's claims that are not CPython's own: other holders, other licenses, a public-domain dedication. */
export function thirdPartyClaims(evidence: FileEvidence): ThirdParty | undefined {
  const named = evidence.copyrights.filter(namesHolder);
  const ownHoldersOnly = named.every(isLineageHolder);
  const licenses = statedLicenses(evidence).filter((expression) => expression === PUBLIC_DOMAIN_REF || !isLineageExpression(expression, ownHoldersOnly));
  // Contributed under CPython's contributor agreement: the holder's code is the PSF's to license.
  const contributed = new Set(licenses.length === 0 ? (evidence.contributed ?? []) : []);
  const holders = named.filter((statement) => !isLineageHolder(statement) && !contributed.has(statement));
  const notice = holders.length > 0 || named.length === 0 ? evidence.notices?.[0] : undefined;
  if (holders.length === 0 && licenses.length === 0 && !notice) return undefined;
  return { holders: holders.map(holderOf), licenses, ...(notice ? { notice } : {}) };
}

function describeFiles(context: CompleteContext, itemOf: (path: string) => AttributionItem | undefined, seen: ReadonlyMap<string, FileEvidence>): void {
  const { document, detect, warnings } = context;
  const primary = document.packages.find((pkg) => pkg.ref === document.describes[0]);
  const ownerOf = new Map<string, Package>();
  for (const pkg of document.packages) for (const path of pkg.files) if (!ownerOf.has(path)) ownerOf.set(path, pkg);
  /** The notice text of each catalog `LicenseRef-` (the first file's that holds it). */
  const notices = new Map<string, { text: string; item: AttributionItem; file: string }>();
  const snippetsOf = new Map<string, Snippet[]>();
  for (const snippet of document.snippets ?? []) snippetsOf.set(snippet.file, [...(snippetsOf.get(snippet.file) ?? []), snippet]);

  for (const entry of document.files) {
    if (!mayHoldText(entry.path)) continue;
    // Read as the scan went by; a step run over a scan made without it reads the kept bytes.
    const kept = seen.size === 0 ? detect.content(entry.path) : undefined;
    const evidence = seen.get(entry.path) ?? (kept ? scanFileEvidence(entry.path, kept) : undefined);
    if (!evidence) continue;
    const item = itemOf(entry.path);
    // A file that only mentions other projects' licenses (What's New: "it is licensed under the
    // MIT license") states nothing about its own.
    if (item?.kind === 'mentions') continue;
    for (const tag of evidence.invalidTags ?? [])
      warnings.push(`${entry.path}: SPDX-License-Identifier "${tag}" is not a valid SPDX license expression; it is not recorded`);
    const catalogLicense = entry.licenseInfoInFiles;
    describeFileEvidence(entry, evidence, document);
    const owner = ownerOf.get(entry.path);
    if (!primary || owner !== primary) continue;
    const claims = thirdPartyClaims(evidence);
    if (!claims) continue;
    attribute(entry, evidence, claims, item, snippetsOf.get(entry.path) ?? [], catalogLicense, warnings, notices);
  }

  // A package's licenses from its files: the union of what they state. Where its license files
  // state no copyright, its files' statements are its copyright (distro's "Copyright 2015-2021
  // Nir Cohen", IBM's in every decimal test file).
  const byPath = new Map(document.files.map((file) => [file.path, file]));
  for (const pkg of document.packages) {
    const found = new Set<string>();
    for (const path of pkg.files) for (const expression of byPath.get(path)?.licenseInfoInFiles ?? []) found.add(expression);
    if (found.size > 0) pkg.licenseInfoFromFiles = [...found].sort(byCodeUnits);
    if (pkg !== primary && (!pkg.copyrightText || pkg.copyrightText === 'NOASSERTION')) copyrightFromFiles(pkg, byPath);
  }
  declareLicenseRefs(document, notices);
}

/** Most statements a package's copyright gathers from its files. */
const MAX_PACKAGE_STATEMENTS = 100;

function copyrightFromFiles(pkg: Package, byPath: Map<string, FileEntry>): void {
  const statements = new Map<string, string>();
  for (const path of pkg.files) {
    for (const statement of byPath.get(path)?.copyrightText?.split('\n') ?? []) {
      if (statement && !statements.has(statement) && statements.size < MAX_PACKAGE_STATEMENTS) statements.set(statement, path);
    }
  }
  if (statements.size === 0) return;
  pkg.copyrightText = [...statements.keys()].join('\n');
  pkg.evidence ??= { licenses: [], copyrights: [], occurrences: [] };
  const evidence = pkg.evidence;
  for (const [text, file] of statements) evidence.copyrights.push({ text, file });
}

/** Every `LicenseRef-` the document names gets its text (SPDX requires it): a notice, or the public-domain dedication. */
function declareLicenseRefs(document: SbomDocument, notices: Map<string, { text: string; item: AttributionItem; file: string }>): void {
  const used = new Set<string>();
  const collect = (expressions: readonly string[] | undefined) => {
    for (const expression of expressions ?? []) for (const id of licenseIds(expression)) if (id.startsWith('LicenseRef-')) used.add(id);
  };
  for (const file of document.files) collect(file.licenseInfoInFiles);
  for (const pkg of document.packages) {
    collect(pkg.licenseInfoFromFiles);
    collect(pkg.licenseDeclared ? [pkg.licenseDeclared] : []);
  }
  for (const snippet of document.snippets ?? []) collect(snippet.licenseInfoInSnippet);
  for (const id of [...used].sort()) {
    if (document.extractedLicenses?.some((license) => license.id === id)) continue;
    if (id === PUBLIC_DOMAIN_REF) {
      addExtractedLicense(document, id);
      continue;
    }
    const notice = notices.get(id);
    document.extractedLicenses ??= [];
    document.extractedLicenses.push({
      id,
      name: notice ? `${notice.item.name} notice` : id,
      text: notice?.text ?? 'A permission notice no license of the SPDX list matches; see the files that name it.',
      comment: notice
        ? `The permission notice of ${notice.item.origin ?? notice.item.name}, as ${notice.file} states it; no license of the SPDX list matches it.`
        : 'Named by the catalog for code whose notice no license of the SPDX list matches.',
    });
  }
  document.extractedLicenses?.sort((a, b) => byCodeUnits(a.id, b.id));
}

/** Whether the catalog (or a snippet) accounts for a file's third-party notice; a warning otherwise. */
function attribute(
  entry: FileEntry,
  evidence: FileEvidence,
  claims: ThirdParty,
  item: AttributionItem | undefined,
  snippets: Snippet[],
  catalogLicense: string[] | undefined,
  warnings: string[],
  notices: Map<string, { text: string; item: AttributionItem; file: string }>,
): void {
  const what = describeClaims(claims);
  if (item?.kind === 'notices') return;
  if (item) {
    // The origin may say in words how the code is licensed; the expression comes after it, in the parenthesis.
    const note = `Contains code from ${item.origin ?? item.name} (${item.license ? `${item.license}, ` : ''}as the file's own notice says)`;
    if (!entry.comment?.includes(`Contains code from ${item.origin ?? item.name}`)) entry.comment = entry.comment ? `${entry.comment}; ${note}` : note;
    const stated = statedLicenses(evidence);
    if (stated.length === 0 && item.license) {
      entry.licenseInfoInFiles = [item.license];
      // A notice no SPDX text matches is the catalog's LicenseRef, with the notice as its text.
      if (item.license.startsWith('LicenseRef-') && claims.notice && !notices.has(item.license)) {
        notices.set(item.license, { text: claims.notice.text, item, file: entry.path });
      }
    } else if (stated.length === 0 && catalogLicense?.length) entry.licenseInfoInFiles = catalogLicense;
    // The catalog's license must be one the file's own statements allow.
    if (item.license && stated.length > 0 && !compatible(stated, item.license)) {
      warnings.push(`${entry.path}: states ${stated.join(', ')}, but the catalog records ${item.license} for ${item.name}; the file's statement is kept`);
    }
    return;
  }
  const lines = [...evidence.licenses.map((license) => license.line ?? 0), ...(evidence.copyrightLines ?? [])].filter((line) => line > 0);
  if (
    snippets.length > 0 &&
    lines.length > 0 &&
    lines.every((line) => snippets.some((snippet) => line >= snippet.lineRange[0] && line <= snippet.lineRange[1]))
  )
    return;
  warnings.push(`${entry.path}: states ${what}, which is not CPython's own and no catalog item attributes; described at file level only`);
}

function describeClaims(claims: ThirdParty): string {
  const parts: string[] = [];
  if (claims.licenses.length > 0) parts.push(`license ${claims.licenses.join(', ')}`);
  if (claims.notice) parts.push(`a permission notice no SPDX license matches (line ${claims.notice.line})`);
  if (claims.holders.length > 0) parts.push(`copyright of ${[...new Set(claims.holders)].join('; ')}`);
  return parts.join(' and ');
}

/** Whether what the file states allows the catalog's license: every id of it is among the file's. */
function compatible(stated: string[], recorded: string): boolean {
  const statedIds = new Set(stated.flatMap(licenseIds));
  return licenseIds(recorded).every((id) => statedIds.has(id));
}
