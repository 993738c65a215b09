import { createHash } from 'node:crypto';
import type { FileEntry, HashAlgorithm, Package, Patch, SbomDocument, Snippet } from '../../model/types.js';
import { type JsonValue, pythonJsonDumpsSortedLists } from '../../util/python-json.js';
import { SpdxIdAllocator, encodeSpdxId } from './ids.js';
import { lifecycleComment } from './lifecycle.js';

/**
 * Model -> SPDX 2.3 JSON, in python.org's shape: the same fields release-tools writes, every list
 * sorted by the compact JSON of its items, keys sorted, two-space indent, no trailing newline. A
 * document built from the same facts is therefore byte-identical to python.org's.
 */

export const DOCUMENT_ID = 'SPDXRef-DOCUMENT';

/** Maps the model's references (package refs, `file:<path>`, `document`) to SPDX identifiers. */
export interface SpdxIdMap {
  packages: Map<string, string>;
  files: Map<string, string>;
  /** Applied patches (Package.pedigree), keyed by patchKey(). */
  patches: Map<string, string>;
  resolve(reference: string): string;
}

export function assignSpdxIds(document: SbomDocument): SpdxIdMap {
  const allocator = new SpdxIdAllocator();
  const packages = new Map<string, string>();
  const files = new Map<string, string>();
  for (const pkg of document.packages) {
    // Two packages may share a hint (pip's vendored setuptools and the bundled wheel): refs tell them apart.
    packages.set(pkg.ref, allocator.claim(pkg.spdxId ?? `SPDXRef-PACKAGE-${pkg.name}`, `package:${pkg.ref}`));
  }
  const patches = new Map<string, string>();
  for (const pkg of document.packages) {
    for (const patch of pkg.pedigree?.patches ?? []) {
      patches.set(patchKey(pkg, patch), allocator.claim(`SPDXRef-PATCH-${patch.path}`, `patch:${pkg.ref}:${patch.path}`));
    }
  }
  // Identifiers recorded in CPython's manifest are kept as they are, so they are claimed first;
  // the rest follow in path order, which decides who gets a plain id when two paths collide.
  const preserved = document.files.filter((file) => file.spdxId !== undefined);
  const fresh = document.files.filter((file) => file.spdxId === undefined);
  for (const file of preserved) files.set(file.path, allocator.claim(file.spdxId as string));
  for (const file of [...fresh].sort(byPath)) files.set(file.path, allocator.claim(`SPDXRef-FILE-${file.path}`));
  return {
    packages,
    files,
    patches,
    resolve(reference) {
      if (reference === 'document') return DOCUMENT_ID;
      if (reference.startsWith('file:')) {
        const id = files.get(reference.slice(5));
        if (id) return id;
      }
      const id = packages.get(reference);
      if (!id) throw new Error(`relationship names an unknown element: ${reference}`);
      return id;
    },
  };
}

export function patchKey(pkg: Package, patch: Patch): string {
  return `${pkg.ref}\0${patch.path}`;
}

/** Where a CVE id is described, for SPDX `advisory` references. */
export function cveUrl(id: string): string {
  return `https://www.cve.org/CVERecord?id=${id}`;
}

/**
 * An applied patch as SPDX can say it: its own element (a one-file package with the patch's
 * SHA-256) that is PATCH_APPLIED to the package, with the CVEs it resolves as advisory
 * references. The patch file is not listed among the tree's files.
 */
function patchJson(pkg: Package, patch: Patch, total: number, id: string): Record<string, JsonValue> {
  const resolves = patch.resolves.map((issue) => issue.id);
  const out: Record<string, JsonValue> = {
    SPDXID: id,
    name: patch.path.slice(patch.path.lastIndexOf('/') + 1),
    packageFileName: patch.path,
    downloadLocation: 'NOASSERTION',
    licenseConcluded: 'NOASSERTION',
    filesAnalyzed: false,
    primaryPackagePurpose: 'FILE',
    checksums: [{ algorithm: 'SHA256', checksumValue: patch.sha256 }],
    comment: `Patch ${patch.order} of ${total} applied to ${pkg.name} (${patch.type})${resolves.length ? `; resolves ${resolves.join(', ')}` : ''}`,
  };
  if (patch.description) out.description = patch.description;
  const refs = patch.resolves
    .filter((issue) => /^CVE-\d{4}-\d+$/.test(issue.id))
    .map((issue) => ({ referenceCategory: 'SECURITY', referenceType: 'advisory', referenceLocator: cveUrl(issue.id) }));
  if (refs.length > 0) out.externalRefs = refs;
  return out;
}

/** SPDX identifier of a snippet: `snippet:siphash` -> `SPDXRef-SNIPPET-siphash`. */
export function snippetSpdxId(snippet: Snippet): string {
  return encodeSpdxId(`SPDXRef-SNIPPET-${snippet.ref.replace(/^snippet:/, '')}`);
}

/**
 * Third-party code inside a file (SPDX 2.3 §9): byte and line ranges into `snippetFromFile`.
 * licenseConcluded stays NOASSERTION unless a person concluded it; what the code itself says is
 * licenseInfoInSnippets.
 */
function snippetJson(snippet: Snippet, ids: SpdxIdMap): Record<string, JsonValue> {
  const file = ids.resolve(`file:${snippet.file}`);
  const pointer = (key: 'offset' | 'lineNumber', value: number) => ({ [key]: value, reference: file });
  const out: Record<string, JsonValue> = {
    SPDXID: snippetSpdxId(snippet),
    name: snippet.name,
    snippetFromFile: file,
    ranges: [
      { startPointer: pointer('offset', snippet.byteRange[0]), endPointer: pointer('offset', snippet.byteRange[1]) },
      { startPointer: pointer('lineNumber', snippet.lineRange[0]), endPointer: pointer('lineNumber', snippet.lineRange[1]) },
    ],
    licenseConcluded: snippet.licenseConcluded ?? 'NOASSERTION',
  };
  if (snippet.licenseInfoInSnippet.length > 0) out.licenseInfoInSnippets = snippet.licenseInfoInSnippet;
  if (snippet.copyrightText) out.copyrightText = snippet.copyrightText;
  if (snippet.comment) out.comment = snippet.comment;
  if (snippet.attributionText) out.attributionTexts = [snippet.attributionText];
  return out;
}

function byPath(a: FileEntry, b: FileEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** SPDX package verification code: SHA-1 of the sorted, lower-case SHA-1s of the package's files. */
export function packageVerificationCode(sha1s: string[]): string {
  return createHash('sha1')
    .update(
      sha1s
        .map((sha1) => sha1.toLowerCase())
        .sort()
        .join(''),
    )
    .digest('hex');
}

const CHECKSUM_ORDER: HashAlgorithm[] = ['SHA1', 'SHA256'];

function checksumsJson(checksums: FileEntry['checksums']): JsonValue[] {
  return Object.entries(checksums)
    .filter(([, value]) => Boolean(value))
    .sort(([a], [b]) => {
      const ia = CHECKSUM_ORDER.indexOf(a as HashAlgorithm);
      const ib = CHECKSUM_ORDER.indexOf(b as HashAlgorithm);
      return (ia === -1 ? 99 : ia) - (ib === -1 ? 99 : ib) || (a < b ? -1 : 1);
    })
    .map(([algorithm, value]) => ({ algorithm, checksumValue: (value as string).toLowerCase() }));
}

function packageJson(pkg: Package, id: string, fileSha1s: string[] | undefined): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {
    SPDXID: id,
    name: pkg.name,
    downloadLocation: pkg.downloadLocation ?? 'NOASSERTION',
    licenseConcluded: pkg.licenseConcluded ?? 'NOASSERTION',
  };
  if (pkg.version) out.versionInfo = pkg.version;
  if (pkg.supplier) out.supplier = pkg.supplier;
  if (pkg.originator) out.originator = pkg.originator;
  if (pkg.packageFileName) out.packageFileName = pkg.packageFileName;
  if (pkg.licenseDeclared) out.licenseDeclared = pkg.licenseDeclared;
  if (pkg.licenseComments) out.licenseComments = pkg.licenseComments;
  if (pkg.copyrightText) out.copyrightText = pkg.copyrightText;
  if (pkg.licenseInfoFromFiles && pkg.licenseInfoFromFiles.length > 0) out.licenseInfoFromFiles = pkg.licenseInfoFromFiles;
  if (pkg.sourceInfo) out.sourceInfo = pkg.sourceInfo;
  if (pkg.purpose) out.primaryPackagePurpose = pkg.purpose;
  if (pkg.description) out.description = pkg.description;
  if (pkg.comment) out.comment = pkg.comment;
  const checksums = checksumsJson(pkg.checksums);
  if (checksums.length > 0) out.checksums = checksums;
  const refs: JsonValue[] = [];
  if (pkg.cpe) refs.push({ referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: pkg.cpe });
  if (pkg.purl) refs.push({ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: pkg.purl });
  for (const ref of pkg.otherRefs ?? []) {
    refs.push({ referenceCategory: ref.category, referenceType: ref.type, referenceLocator: ref.locator });
  }
  if (refs.length > 0) out.externalRefs = refs;
  const filesAnalyzed = pkg.filesAnalyzed ?? true;
  out.filesAnalyzed = filesAnalyzed;
  if (filesAnalyzed) {
    // A package read from a packages-only document knows its code but none of its files.
    const code = (fileSha1s ?? []).length === 0 && pkg.verificationCode ? pkg.verificationCode : packageVerificationCode(fileSha1s ?? []);
    out.packageVerificationCode = { packageVerificationCodeValue: code };
  }
  return out;
}

/** What to write besides the packages: every file (`all`, the default) or none (`none`). */
export type FileListing = 'all' | 'none';

export interface WriteSpdxOptions {
  /**
   * `none` writes the packages only, for stores that want components, not file inventories
   * (Dependency-Track and the like): no file elements and no CONTAINS relationships to files, but
   * every package keeps the verification code of its full file list, so the document still pins
   * the packages' contents. A snippet's file is kept (SPDX needs it to place the snippet), as is a
   * file another relationship names; neither is CONTAINS-ed by a package. The document comment
   * says files were left out.
   */
  files?: FileListing;
}

/** Sentence added to the document comment of a packages-only document. */
export const FILES_LEFT_OUT_NOTE = 'Files are left out (packages only); each package verification code is that of all its files.';

export function spdxJsonObject(document: SbomDocument, options: WriteSpdxOptions = {}): Record<string, JsonValue> {
  const packagesOnly = options.files === 'none';
  // Files kept when the rest are left out: those a snippet or another relationship names.
  const keptFiles = packagesOnly
    ? new Set([
        ...(document.snippets ?? []).map((snippet) => snippet.file),
        ...document.relationships.flatMap((relationship) =>
          [relationship.from, relationship.to].filter((ref) => ref.startsWith('file:')).map((ref) => ref.slice(5)),
        ),
      ])
    : undefined;
  const ids = assignSpdxIds(document);
  const sha1ByPath = new Map(document.files.map((file) => [file.path, file.checksums.SHA1 ?? '']));
  const relationships: JsonValue[] = [];
  const relate = (from: string, type: string, to: string, comment?: string): void => {
    relationships.push({
      spdxElementId: from,
      relationshipType: type,
      relatedSpdxElement: to,
      ...(comment ? { comment } : {}),
    });
  };

  for (const ref of document.describes) relate(DOCUMENT_ID, 'DESCRIBES', ids.resolve(ref));
  const packages = document.packages.map((pkg) => {
    const id = ids.packages.get(pkg.ref) as string;
    if (!packagesOnly) for (const path of pkg.files) relate(id, 'CONTAINS', ids.resolve(`file:${path}`));
    for (const dependency of pkg.dependsOn) relate(id, 'DEPENDS_ON', ids.resolve(dependency));
    const json = packageJson(
      pkg,
      id,
      pkg.files.map((path) => sha1ByPath.get(path) ?? ''),
    );
    const annotations = document.annotations.filter((annotation) => annotation.subject === pkg.ref);
    if (annotations.length > 0) {
      json.annotations = annotations.map((annotation) => ({
        annotationDate: annotation.date,
        annotationType: annotation.type,
        annotator: annotation.annotator,
        comment: annotation.comment,
      }));
    }
    return json;
  });
  for (const pkg of document.packages) {
    const applied = pkg.pedigree?.patches ?? [];
    for (const patch of applied) {
      const id = ids.patches.get(patchKey(pkg, patch)) as string;
      packages.push(patchJson(pkg, patch, applied.length, id));
      relate(id, 'PATCH_APPLIED', ids.packages.get(pkg.ref) as string);
    }
  }
  for (const relationship of document.relationships) {
    relate(ids.resolve(relationship.from), relationship.type, ids.resolve(relationship.to), relationship.comment);
  }
  const listed = keptFiles ? document.files.filter((file) => keptFiles.has(file.path)) : document.files;
  const files = listed.map((file) => {
    const json: Record<string, JsonValue> = {
      SPDXID: ids.files.get(file.path) as string,
      fileName: file.path,
      checksums: checksumsJson(file.checksums),
    };
    if (file.comment) json.comment = file.comment;
    if (file.licenseInfoInFiles && file.licenseInfoInFiles.length > 0) json.licenseInfoInFiles = file.licenseInfoInFiles;
    if (file.copyrightText) json.copyrightText = file.copyrightText;
    return json;
  });
  const snippets = (document.snippets ?? []).map((snippet) => snippetJson(snippet, ids));

  const creationInfo: Record<string, JsonValue> = { created: document.created, creators: document.creators };
  if (document.licenseListVersion) creationInfo.licenseListVersion = document.licenseListVersion;
  // SPDX 2.3 has no field for the SBOM type: the creation comment says it (see lifecycle.ts).
  if (document.lifecycles && document.lifecycles.length > 0) creationInfo.comment = lifecycleComment(document.lifecycles);
  const out: Record<string, JsonValue> = {
    SPDXID: DOCUMENT_ID,
    spdxVersion: 'SPDX-2.3',
    name: document.name,
    dataLicense: document.dataLicense,
    documentNamespace: document.namespace,
    creationInfo,
    packages,
    files,
    relationships,
  };
  if (snippets.length > 0) out.snippets = snippets;
  // Every LicenseRef- the document names, with its text (SPDX 2.3 §10).
  if (document.extractedLicenses && document.extractedLicenses.length > 0) {
    out.hasExtractedLicensingInfos = document.extractedLicenses.map((license) => ({
      licenseId: license.id,
      ...(license.name ? { name: license.name } : {}),
      extractedText: license.text,
      ...(license.seeAlso && license.seeAlso.length > 0 ? { seeAlsos: license.seeAlso } : {}),
      ...(license.comment ? { comment: license.comment } : {}),
    }));
  }
  const comment = packagesOnly ? [document.comment, FILES_LEFT_OUT_NOTE].filter(Boolean).join('\n') : document.comment;
  if (comment) out.comment = comment;
  return out;
}

/** The SPDX 2.3 JSON text of a document. */
export function writeSpdx(document: SbomDocument, options: WriteSpdxOptions = {}): string {
  return pythonJsonDumpsSortedLists(spdxJsonObject(document, options));
}
