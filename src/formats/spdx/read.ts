import { InputError } from '../../errors.js';
import { emptyDocument } from '../../model/document.js';
import type { Checksums, ExternalRef, ExtractedLicense, FileEntry, HashAlgorithm, Package, Patch, SbomDocument, Snippet } from '../../model/types.js';
import { isExclusionAnnotation } from '../../model/annotations.js';
import { parseJsonBounded } from '../../util/bounded-json.js';
import { lifecyclesFromComment } from './lifecycle.js';

/**
 * SPDX 2.2/2.3 JSON -> model. Lenient on purpose: it reads whatever a document holds so that
 * `diff` and `verify` work on anyone's SBOM; `validate` is where strictness lives.
 * Package refs are the documents' SPDX identifiers, so they are unique by construction.
 */

type Json = Record<string, unknown>;

const asArray = (value: unknown): Json[] => (Array.isArray(value) ? (value.filter((v) => v && typeof v === 'object') as Json[]) : []);
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function checksumsOf(value: unknown): Checksums {
  const out: Checksums = {};
  for (const entry of asArray(value)) {
    const algorithm = asString(entry.algorithm);
    const digest = asString(entry.checksumValue);
    if (algorithm && digest) out[algorithm.toUpperCase().replace('_', '-') as HashAlgorithm] = digest.toLowerCase();
  }
  return out;
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function stripDotSlash(path: string): string {
  return path.startsWith('./') ? path.slice(2) : path;
}

/** SPDX relationships saying that their source is test-only content. */
const TEST_ONLY_RELATIONSHIPS = new Set(['TEST_OF', 'TEST_DEPENDENCY_OF', 'TEST_TOOL_OF']);

export function spdxToModel(json: unknown, file: string): SbomDocument {
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new InputError(`${file}: not an SPDX JSON document`);
  const root = json as Json;
  const document = emptyDocument();
  document.name = asString(root.name) ?? '';
  document.namespace = asString(root.documentNamespace) ?? '';
  document.dataLicense = asString(root.dataLicense) ?? '';
  const creationInfo = (root.creationInfo ?? {}) as Json;
  document.created = asString(creationInfo.created) ?? '';
  document.creators = Array.isArray(creationInfo.creators) ? creationInfo.creators.filter((c): c is string => typeof c === 'string') : [];
  const licenseListVersion = asString(creationInfo.licenseListVersion);
  if (licenseListVersion) document.licenseListVersion = licenseListVersion;
  const comment = asString(root.comment);
  if (comment) document.comment = comment;
  const lifecycles = lifecyclesFromComment(asString(creationInfo.comment) ?? '');
  if (lifecycles.length > 0) document.lifecycles = lifecycles;
  const extracted = asArray(root.hasExtractedLicensingInfos)
    .map((entry): ExtractedLicense | undefined => {
      const id = asString(entry.licenseId);
      if (!id) return undefined;
      const seeAlso = stringsOf(entry.seeAlsos);
      const licenseComment = asString(entry.comment);
      return {
        id,
        name: asString(entry.name) ?? '',
        text: asString(entry.extractedText) ?? '',
        ...(seeAlso.length > 0 ? { seeAlso } : {}),
        ...(licenseComment ? { comment: licenseComment } : {}),
      };
    })
    .filter((entry): entry is ExtractedLicense => entry !== undefined);
  // By id: the writer's list order follows its sorted JSON text, not the ids.
  if (extracted.length > 0) document.extractedLicenses = extracted.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));

  const fileById = new Map<string, FileEntry>();
  for (const entry of asArray(root.files)) {
    const id = asString(entry.SPDXID);
    const name = asString(entry.fileName);
    if (!id || !name) continue;
    const fileEntry: FileEntry = { path: stripDotSlash(name), checksums: checksumsOf(entry.checksums), spdxId: id };
    const fileComment = asString(entry.comment);
    if (fileComment) fileEntry.comment = fileComment;
    const inFile = stringsOf(entry.licenseInfoInFiles).filter((license) => license !== 'NOASSERTION' && license !== 'NONE');
    // Sets, in code-unit order (the writer's list order follows Python's JSON text of each item).
    if (inFile.length > 0) fileEntry.licenseInfoInFiles = inFile.sort(byCodeUnits);
    const fileCopyright = asString(entry.copyrightText);
    if (fileCopyright && fileCopyright !== 'NOASSERTION') fileEntry.copyrightText = fileCopyright;
    fileById.set(id, fileEntry);
    document.files.push(fileEntry);
  }

  const packageById = new Map<string, Package>();
  for (const entry of asArray(root.packages)) {
    const id = asString(entry.SPDXID);
    if (!id) continue;
    const refs = asArray(entry.externalRefs).map(
      (ref): ExternalRef => ({
        category: (asString(ref.referenceCategory) ?? 'OTHER').replace('_', '-') as ExternalRef['category'],
        type: asString(ref.referenceType) ?? '',
        locator: asString(ref.referenceLocator) ?? '',
      }),
    );
    const purl = refs.find((ref) => ref.type === 'purl');
    const cpe = refs.find((ref) => ref.type === 'cpe23Type' || ref.type === 'cpe22Type');
    const otherRefs = refs.filter((ref) => ref !== purl && ref !== cpe);
    const pkg: Package = {
      ref: id,
      spdxId: id,
      name: asString(entry.name) ?? '',
      version: asString(entry.versionInfo) ?? '',
      checksums: checksumsOf(entry.checksums),
      files: [],
      dependsOn: [],
    };
    const optional: [keyof Package, unknown][] = [
      ['supplier', entry.supplier],
      ['originator', entry.originator],
      ['downloadLocation', entry.downloadLocation],
      ['packageFileName', entry.packageFileName],
      ['licenseConcluded', entry.licenseConcluded],
      ['licenseDeclared', entry.licenseDeclared],
      ['purpose', entry.primaryPackagePurpose],
      ['description', entry.description],
      ['comment', entry.comment],
      ['licenseComments', entry.licenseComments],
      ['copyrightText', entry.copyrightText],
      ['sourceInfo', entry.sourceInfo],
    ];
    for (const [key, value] of optional) {
      const text = asString(value);
      if (text !== undefined) (pkg as unknown as Record<string, unknown>)[key] = text;
    }
    const fromFiles = stringsOf(entry.licenseInfoFromFiles).filter((license) => license !== 'NOASSERTION' && license !== 'NONE');
    if (fromFiles.length > 0) pkg.licenseInfoFromFiles = fromFiles.sort(byCodeUnits);
    if (purl) pkg.purl = purl.locator;
    if (cpe) pkg.cpe = cpe.locator;
    if (otherRefs.length > 0) pkg.otherRefs = otherRefs;
    if (typeof entry.filesAnalyzed === 'boolean') pkg.filesAnalyzed = entry.filesAnalyzed;
    const code = (entry.packageVerificationCode as Json | undefined)?.packageVerificationCodeValue;
    if (typeof code === 'string') pkg.verificationCode = code;
    for (const fileId of Array.isArray(entry.hasFiles) ? entry.hasFiles : []) {
      const owned = fileById.get(String(fileId));
      if (owned) pkg.files.push(owned.path);
    }
    for (const annotation of asArray(entry.annotations)) {
      if (isExclusionAnnotation(asString(annotation.comment) ?? '')) pkg.scope = 'excluded';
      document.annotations.push({
        subject: id,
        annotator: asString(annotation.annotator) ?? '',
        date: asString(annotation.annotationDate) ?? '',
        type: asString(annotation.annotationType) === 'REVIEW' ? 'REVIEW' : 'OTHER',
        comment: asString(annotation.comment) ?? '',
      });
    }
    packageById.set(id, pkg);
    document.packages.push(pkg);
  }

  const snippets = asArray(root.snippets)
    .map((entry) => snippetOf(entry, fileById))
    .filter((snippet): snippet is Snippet => snippet !== undefined);
  if (snippets.length > 0) document.snippets = snippets;

  const referenceOf = (id: string): string => (id === 'SPDXRef-DOCUMENT' ? 'document' : fileById.has(id) ? `file:${(fileById.get(id) as FileEntry).path}` : id);
  const describes = new Set<string>();
  // Which paths each package already holds: a Set beside the list, so 100,000 CONTAINS stay linear.
  const held = new Map<Package, Set<string>>();
  const addFile = (pkg: Package, path: string): void => {
    let paths = held.get(pkg);
    if (!paths) held.set(pkg, (paths = new Set(pkg.files)));
    if (paths.has(path)) return;
    paths.add(path);
    pkg.files.push(path);
  };
  const applied: { patch: Package; target: Package }[] = [];
  for (const id of Array.isArray(root.documentDescribes) ? root.documentDescribes : []) describes.add(String(id));
  for (const relationship of asArray(root.relationships)) {
    const from = asString(relationship.spdxElementId);
    const to = asString(relationship.relatedSpdxElement);
    const type = asString(relationship.relationshipType);
    if (!from || !to || !type) continue;
    const fromPackage = packageById.get(from);
    if (type === 'DESCRIBES' && from === 'SPDXRef-DOCUMENT') describes.add(to);
    else if (type === 'DESCRIBED_BY' && to === 'SPDXRef-DOCUMENT') describes.add(from);
    else if (type === 'CONTAINS' && fromPackage && fileById.has(to)) {
      const path = (fileById.get(to) as FileEntry).path;
      addFile(fromPackage, path);
    } else if (type === 'CONTAINED_BY' && packageById.has(to) && fileById.has(from)) {
      const owner = packageById.get(to) as Package;
      const path = (fileById.get(from) as FileEntry).path;
      addFile(owner, path);
    } else if (type === 'DEPENDS_ON' && fromPackage && packageById.has(to)) fromPackage.dependsOn.push(to);
    else if (type === 'PATCH_APPLIED' && fromPackage?.purpose === 'FILE' && packageById.has(to)) {
      applied.push({ patch: fromPackage, target: packageById.get(to) as Package });
    } else if (type === 'DEPENDENCY_OF' && packageById.has(from) && packageById.has(to)) {
      (packageById.get(to) as Package).dependsOn.push(from);
    } else {
      // A package that is a test of, or needed to test, another is not part of what runs: the
      // same fact as CycloneDX's scope "excluded", which the writers pair with these relationships.
      if (fromPackage && TEST_ONLY_RELATIONSHIPS.has(type)) fromPackage.scope = 'excluded';
      const rel = { from: referenceOf(from), type, to: referenceOf(to) };
      const relComment = asString(relationship.comment);
      document.relationships.push(relComment ? { ...rel, comment: relComment } : rel);
    }
  }
  // A one-file package PATCH_APPLIED to another is a patch in that package's pedigree, as the
  // writer puts it (CycloneDX carries the same as pedigree.patches).
  for (const { patch, target } of applied) {
    const patches = (target.pedigree ??= { ancestors: [], patches: [] }).patches;
    patches.push(patchOf(patch, patches.length + 1));
  }
  const patchPackages = new Set(applied.map(({ patch }) => patch));
  document.packages = document.packages.filter((pkg) => !patchPackages.has(pkg));
  document.describes = [...describes].filter((id) => packageById.has(id) || fileById.has(id)).map(referenceOf);
  return document;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** An SPDX snippet whose file is in the document; its byte and line ranges (1-based, inclusive). */
function snippetOf(entry: Json, fileById: Map<string, FileEntry>): Snippet | undefined {
  const id = asString(entry.SPDXID);
  const file = fileById.get(asString(entry.snippetFromFile) ?? '');
  if (!id || !file) return undefined;
  const range = (key: 'offset' | 'lineNumber'): [number, number] | undefined => {
    for (const item of asArray(entry.ranges)) {
      const start = (item.startPointer as Json | undefined)?.[key];
      const end = (item.endPointer as Json | undefined)?.[key];
      if (typeof start === 'number' && typeof end === 'number') return [start, end];
    }
    return undefined;
  };
  const snippet: Snippet = {
    ref: id.startsWith('SPDXRef-SNIPPET-') ? `snippet:${id.slice('SPDXRef-SNIPPET-'.length)}` : id,
    name: asString(entry.name) ?? '',
    file: file.path,
    byteRange: range('offset') ?? [0, 0],
    lineRange: range('lineNumber') ?? [0, 0],
    licenseInfoInSnippet: stringsOf(entry.licenseInfoInSnippets).filter((license) => license !== 'NOASSERTION' && license !== 'NONE'),
  };
  const concluded = asString(entry.licenseConcluded);
  if (concluded) snippet.licenseConcluded = concluded;
  const copyright = asString(entry.copyrightText);
  if (copyright && copyright !== 'NOASSERTION') snippet.copyrightText = copyright;
  const comment = asString(entry.comment);
  if (comment) snippet.comment = comment;
  const attribution = stringsOf(entry.attributionTexts)[0];
  if (attribution) snippet.attributionText = attribution;
  return snippet;
}

function patchOf(pkg: Package, fallbackOrder: number): Patch {
  const order = /^Patch (\d+) of/.exec(pkg.comment ?? '')?.[1];
  const resolves = (pkg.otherRefs ?? [])
    .map((ref) => /CVE-\d{4}-\d+/.exec(ref.locator)?.[0])
    .filter((id): id is string => id !== undefined)
    .map((id) => ({ id, type: 'security' as const }));
  const patch: Patch = {
    path: pkg.packageFileName ?? pkg.name,
    order: order ? Number(order) : fallbackOrder,
    sha256: pkg.checksums.SHA256 ?? '',
    type: /\(backport\)/.test(pkg.comment ?? '') ? 'backport' : 'unofficial',
    touches: [],
    resolves,
  };
  if (pkg.description) patch.description = pkg.description;
  return patch;
}

/** Parses SPDX JSON text; InputError naming the file when it is not JSON or not SPDX. */
export function readSpdx(text: string, file: string): { format: string; document: SbomDocument } {
  const json = parseJsonBounded(text, file);
  const version = asString((json as Json | null)?.spdxVersion);
  if (!version?.startsWith('SPDX-')) throw new InputError(`${file}: not an SPDX document (no spdxVersion)`);
  return { format: `spdx-${version.slice(5)}`, document: spdxToModel(json, file) };
}
