import { fileIndex, fileOwners, normalizePackageName } from '../model/document.js';
import { purlType } from '../model/purl.js';
import type { Checksums, FileEntry, Package, ReadDocument, SbomDocument } from '../model/types.js';
import { compareFileLicenses } from './file-licenses.js';
import { comparePackageFiles, sameContent } from './package-files.js';
import { compareSnippets } from './snippets.js';
import { COMPARED_FIELDS, type ChangedPackage, type ComparedField, type DiffDetails, type PackageRef, type PackageSnapshot, type SbomDiff } from './types.js';
import { packageLabel } from './summary.js';
import { known } from './values.js';
import { classifyVersionChange } from './versions.js';
import { compareVulnerabilities } from './vulnerabilities.js';

export interface DiffOptions {
  only?: 'packages' | 'files';
}

/**
 * Compares two documents read into the model. Packages pair up by PyPI-normalized name (and by
 * the package that depends on them where a name repeats); files pair up by path; snippets by name
 * and file; VEX statements by id or alias. `--only files` leaves packages, snippets and
 * vulnerabilities out; `--only packages` leaves the document-wide file lists and per-file licenses
 * out (each package's own files are still compared).
 */
export function diffDocuments(oldRead: ReadDocument, newRead: ReadDocument, options: DiffOptions = {}): { diff: SbomDiff; details: DiffDetails } {
  const oldDoc = oldRead.document;
  const newDoc = newRead.document;
  const oldFiles = fileIndex(oldDoc);
  const newFiles = fileIndex(newDoc);
  const files = options.only === 'packages' ? undefined : compareFiles(oldDoc, newDoc);
  // Package file lists are compared whatever --only says, so the file digests are needed anyway.
  const changedPaths = files?.changedSet ?? compareFiles(oldDoc, newDoc).changedSet;
  // Across formats, compare only the artifact hash algorithms both can carry (CycloneDX has no
  // SHA224, MD2/4/6 or ADLER32), so an SPDX document and its CycloneDX twin diff as equal.
  const crossFormat = family(oldRead.format) !== family(newRead.format);
  const fileSides = { old: oldFiles, new: newFiles, changed: changedPaths };
  const packages = options.only === 'files' ? undefined : comparePackages(oldDoc, newDoc, fileSides, crossFormat);
  const snippets = options.only === 'files' ? undefined : compareSnippets(oldDoc.snippets ?? [], newDoc.snippets ?? [], oldFiles, newFiles, { crossFormat });
  const vulnerabilities = options.only === 'files' ? undefined : compareVulnerabilities(oldDoc, newDoc);

  const diff: SbomDiff = {
    old: header(oldRead),
    new: header(newRead),
    packages: packages?.result ?? { added: [], removed: [], changed: [] },
    files: files?.result ?? { added: [], removed: [], changed: [] },
    snippets: snippets?.result ?? { added: [], removed: [], changed: [] },
    fileLicenses: files ? compareFileLicenses(oldFiles, newFiles) : [],
    vulnerabilities: vulnerabilities?.result ?? { fixed: [], added: [], removed: [], changed: [] },
  };
  const details: DiffDetails = {
    owners: files ? ownerLabels(oldDoc, newDoc, diff.files) : new Map(),
    unchangedPackages: packages?.unchanged ?? 0,
    unchangedFiles: files?.unchanged ?? 0,
    unchangedSnippets: snippets?.unchanged ?? 0,
    unchangedVulnerabilities: vulnerabilities?.unchanged ?? 0,
  };
  if (options.only) details.only = options.only;
  return { diff, details };
}

/** True when the diff holds no change at all. */
export function isEmptyDiff(diff: SbomDiff): boolean {
  const { packages, files, snippets, vulnerabilities } = diff;
  const counts = [
    packages.added,
    packages.removed,
    packages.changed,
    files.added,
    files.removed,
    files.changed,
    snippets.added,
    snippets.removed,
    snippets.changed,
    diff.fileLicenses,
    vulnerabilities.fixed,
    vulnerabilities.added,
    vulnerabilities.removed,
    vulnerabilities.changed,
  ];
  return counts.every((list) => list.length === 0);
}

function family(format: string): string {
  return format.split('-')[0] ?? format;
}

function header(read: ReadDocument): SbomDiff['old'] {
  return { file: read.file, format: read.format, name: read.document.name };
}

// ---------------------------------------------------------------------------------------------
// Files

function compareFiles(oldDoc: SbomDocument, newDoc: SbomDocument) {
  const oldFiles = new Map<string, FileEntry>(oldDoc.files.map((file) => [file.path, file]));
  const added: string[] = [];
  const changed: string[] = [];
  const seen = new Set<string>();
  for (const file of newDoc.files) {
    if (seen.has(file.path)) continue;
    seen.add(file.path);
    const before = oldFiles.get(file.path);
    if (!before) added.push(file.path);
    else if (!sameContent(before.checksums, file.checksums)) changed.push(file.path);
  }
  const removed = [...oldFiles.keys()].filter((path) => !seen.has(path));
  const result = { added: added.sort(byCodePoint), removed: removed.sort(byCodePoint), changed: changed.sort(byCodePoint) };
  return { result, changedSet: new Set(changed), unchanged: seen.size - added.length - changed.length };
}

function ownerLabels(oldDoc: SbomDocument, newDoc: SbomDocument, files: SbomDiff['files']): Map<string, string> {
  const labels = new Map<string, string>();
  const label = (doc: SbomDocument) => {
    const owners = fileOwners(doc);
    const names = packageLabels(doc);
    return (path: string) => names.get(owners.get(path) ?? '') ?? '';
  };
  const inNew = label(newDoc);
  const inOld = label(oldDoc);
  for (const path of files.added) labels.set(path, inNew(path));
  for (const path of files.changed) labels.set(path, inNew(path));
  for (const path of files.removed) labels.set(path, inOld(path));
  return labels;
}

/** Display name of each package ref: its name, with its parent's where the name repeats. */
function packageLabels(doc: SbomDocument): Map<string, string> {
  const labels = new Map<string, string>();
  for (const identity of identities(doc).values()) {
    const item = identity.parent !== undefined ? { name: identity.pkg.name, parent: identity.parent } : identity.pkg;
    labels.set(identity.pkg.ref, packageLabel(item));
  }
  return labels;
}

// ---------------------------------------------------------------------------------------------
// Packages

interface Identity {
  pkg: Package;
  key: string;
  /** Name of the depending package, set only when the normalized name repeats; '' = nobody depends on it. */
  parent?: string;
}

/** Identity of every package: normalized name, plus the depending package's name where names repeat. */
function identities(doc: SbomDocument, ambiguous: Set<string> = repeatedNames(doc)): Map<string, Identity> {
  const byRef = new Map(doc.packages.map((pkg) => [pkg.ref, pkg]));
  // The parent is the package that depends on it (SPDX DEPENDS_ON, CycloneDX dependencies), or
  // failing that the one that nests it (CycloneDX nested components read as CONTAINS).
  const parentOf = new Map<string, string>();
  for (const pkg of doc.packages) {
    for (const child of pkg.dependsOn) if (!parentOf.has(child)) parentOf.set(child, pkg.ref);
  }
  for (const relationship of doc.relationships) {
    if (relationship.type === 'CONTAINS' && byRef.has(relationship.from) && byRef.has(relationship.to) && !parentOf.has(relationship.to)) {
      parentOf.set(relationship.to, relationship.from);
    }
  }
  const out = new Map<string, Identity>();
  for (const pkg of doc.packages) {
    const key = normalizePackageName(pkg.name);
    if (!ambiguous.has(key)) {
      out.set(pkg.ref, { pkg, key });
      continue;
    }
    const parentRef = parentOf.get(pkg.ref);
    const parent = parentRef !== undefined ? (byRef.get(parentRef)?.name ?? '') : '';
    out.set(pkg.ref, { pkg, key: `${key}\u0000${normalizePackageName(parent)}`, parent });
  }
  return out;
}

function repeatedNames(...docs: SbomDocument[]): Set<string> {
  const repeated = new Set<string>();
  for (const doc of docs) {
    const seen = new Set<string>();
    for (const pkg of doc.packages) {
      const key = normalizePackageName(pkg.name);
      if (seen.has(key)) repeated.add(key);
      seen.add(key);
    }
  }
  return repeated;
}

/** Both documents' files by path, and the paths whose content changed. */
interface FileSides {
  old: Map<string, FileEntry>;
  new: Map<string, FileEntry>;
  changed: Set<string>;
}

function comparePackages(oldDoc: SbomDocument, newDoc: SbomDocument, fileSides: FileSides, crossFormat: boolean) {
  // A name that repeats in either document is told apart by parent in both, so that 3.11's two
  // setuptools pair with their counterparts even when the other document lists only one.
  const ambiguous = repeatedNames(oldDoc, newDoc);
  const oldGroups = groupByKey(identities(oldDoc, ambiguous).values());
  const newGroups = groupByKey(identities(newDoc, ambiguous).values());

  const added: PackageRef[] = [];
  const removed: PackageRef[] = [];
  const changed: ChangedPackage[] = [];
  let unchanged = 0;
  for (const key of new Set([...oldGroups.keys(), ...newGroups.keys()])) {
    const [pairs, onlyOld, onlyNew] = pairUp(oldGroups.get(key) ?? [], newGroups.get(key) ?? []);
    for (const identity of onlyOld) removed.push(refOf(identity));
    for (const identity of onlyNew) added.push(refOf(identity));
    for (const [before, after] of pairs) {
      const change = comparePair(before, after, fileSides, crossFormat);
      if (change) changed.push(change);
      else unchanged++;
    }
  }
  const order = (a: { name: string; parent?: string; version?: string }, b: typeof a) =>
    byCodePoint(normalizePackageName(a.name), normalizePackageName(b.name)) ||
    byCodePoint(a.parent ?? '', b.parent ?? '') ||
    byCodePoint(a.version ?? '', b.version ?? '');
  return {
    result: { added: added.sort(order), removed: removed.sort(order), changed: changed.sort(order) },
    unchanged,
  };
}

function groupByKey(items: Iterable<Identity>): Map<string, Identity[]> {
  const groups = new Map<string, Identity[]>();
  for (const item of items) {
    const group = groups.get(item.key);
    if (group) group.push(item);
    else groups.set(item.key, [item]);
  }
  return groups;
}

/** Pairs same-key packages: equal versions first, then the rest in document order. */
function pairUp(olds: Identity[], news: Identity[]): [[Identity, Identity][], Identity[], Identity[]] {
  const pairs: [Identity, Identity][] = [];
  const restNew = [...news];
  const restOld: Identity[] = [];
  for (const before of olds) {
    const index = restNew.findIndex((after) => after.pkg.version === before.pkg.version);
    if (index >= 0) pairs.push([before, restNew.splice(index, 1)[0] as Identity]);
    else restOld.push(before);
  }
  while (restOld.length > 0 && restNew.length > 0) pairs.push([restOld.shift() as Identity, restNew.shift() as Identity]);
  return [pairs, restOld, restNew];
}

function refOf(identity: Identity): PackageRef {
  const ref: PackageRef = { name: identity.pkg.name, version: identity.pkg.version };
  if (identity.parent !== undefined) ref.parent = identity.parent;
  return ref;
}

function comparePair(before: Identity, after: Identity, fileSides: FileSides, crossFormat: boolean): ChangedPackage | undefined {
  const a = crossFormat ? { ...before.pkg, checksums: portableChecksums(before.pkg.checksums) } : before.pkg;
  const b = crossFormat ? { ...after.pkg, checksums: portableChecksums(after.pkg.checksums) } : after.pkg;
  const oldSnapshot = snapshot(a);
  const newSnapshot = snapshot(b);
  const files = comparePackageFiles(a, b, fileSides.old, fileSides.new, fileSides.changed);
  const { added, removed, changed: changedFiles, moved = 0 } = files.counts;
  const fields: ComparedField[] = COMPARED_FIELDS.filter((field) =>
    field === 'files' ? added + removed + changedFiles + moved > 0 : JSON.stringify(oldSnapshot[field] ?? null) !== JSON.stringify(newSnapshot[field] ?? null),
  );
  if (fields.length === 0) return undefined;

  const change: ChangedPackage = { name: b.name, old: oldSnapshot, new: newSnapshot, fields };
  if (after.parent !== undefined) change.parent = after.parent;
  if (fields.includes('version')) {
    const pypi = [a.purl, b.purl].some((purl) => purlType(purl) === 'pypi');
    change.versionChange = classifyVersionChange(a.version, b.version, pypi, b.name);
  } else if (fields.includes('checksums') && digestsDisagree(a.checksums, b.checksums)) {
    change.suspicious = true;
  }
  if (fields.includes('files')) {
    change.fileChanges = files.counts;
    change.filePaths = files.paths;
    const { content } = files;
    if (content.added.length + content.removed.length + content.changed.length > 0 && !fields.includes('version')) {
      // The same version, or none at all: code changed under a name that did not.
      if (known(b.version)) change.inPlace = content;
      else change.unversioned = content;
    }
  }
  return change;
}

/** Hash algorithms SPDX 2.3 and CycloneDX can both name. */
const PORTABLE_ALGORITHMS = new Set([
  'MD5',
  'SHA1',
  'SHA256',
  'SHA384',
  'SHA512',
  'SHA3-256',
  'SHA3-384',
  'SHA3-512',
  'BLAKE2b-256',
  'BLAKE2b-384',
  'BLAKE2b-512',
  'BLAKE3',
]);

function portableChecksums(checksums: Checksums): Checksums {
  return Object.fromEntries(Object.entries(checksums).filter(([algorithm]) => PORTABLE_ALGORITHMS.has(algorithm)));
}

/** True when some algorithm both sides carry has different digests (not merely one side lacking it). */
function digestsDisagree(a: Checksums, b: Checksums): boolean {
  return Object.entries(normalizeChecksums(a)).some(([algorithm, digest]) => {
    const other = normalizeChecksums(b)[algorithm];
    return other !== undefined && other !== digest;
  });
}

/**
 * What `diff` compares of a package, normalized so that values meaning "unknown" in one format
 * (SPDX `NOASSERTION` and `NONE`, an empty string, an absent CycloneDX field) compare equal:
 * CycloneDX has no way to say either, so telling them apart would make every SPDX document
 * differ from its CycloneDX twin.
 */
export function snapshot(pkg: Package): PackageSnapshot {
  const out: PackageSnapshot = { version: pkg.version };
  const concluded = known(pkg.licenseConcluded);
  const declared = known(pkg.licenseDeclared);
  if (concluded || declared) {
    out.licenses = {};
    if (concluded) out.licenses.concluded = concluded;
    if (declared) out.licenses.declared = declared;
  }
  const copyright = known(pkg.copyrightText);
  if (copyright) out.copyright = copyright;
  const checksums = normalizeChecksums(pkg.checksums);
  if (Object.keys(checksums).length > 0) out.checksums = checksums;
  const purl = known(pkg.purl);
  if (purl) out.purl = purl;
  const cpe = known(pkg.cpe);
  if (cpe) out.cpe = cpe;
  const supplier = known(pkg.supplier);
  if (supplier) out.supplier = supplier;
  const downloadLocation = known(pkg.downloadLocation);
  if (downloadLocation) out.downloadLocation = downloadLocation;
  // `required` is what an unmarked package is anyway; only `excluded` says something.
  if (pkg.scope === 'excluded') out.scope = 'excluded';
  if (pkg.files.length > 0) out.files = new Set(pkg.files).size;
  return out;
}

/** Algorithm names sorted, digests lower-cased: `{SHA1: …, SHA256: …}`. */
function normalizeChecksums(checksums: Checksums): Record<string, string> {
  const out: Record<string, string> = {};
  for (const algorithm of Object.keys(checksums).sort(byCodePoint)) {
    const digest = checksums[algorithm as keyof Checksums];
    if (digest) out[algorithm] = digest.toLowerCase();
  }
  return out;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
