import { lifecycleComment } from '../spdx/lifecycle.js';
import type { Checksums, ExtractedLicense, FileEntry, HashAlgorithm, Package, Patch, SbomDocument, Snippet } from '../../model/types.js';
import type { JsonValue } from '../../util/python-json.js';
import { formatActor, parseActor } from '../cyclonedx/vocabulary.js';
import { SpdxIdAllocator } from '../spdx/ids.js';
import { DOCUMENT_ID, FILES_LEFT_OUT_NOTE, assignSpdxIds, cveUrl, packageVerificationCode, patchKey, snippetSpdxId } from '../spdx/write.js';
import {
  HASH_ALGORITHM,
  HASH_ORDER,
  NONE_LICENSE,
  NO_ASSERTION_LICENSE,
  PURPOSE,
  SPDX3_CONTEXT,
  SPDX3_VERSION,
  spdx3Ref,
  spdx3Relationship,
} from './vocabulary.js';

/**
 * Model -> SPDX 3.0.1 JSON-LD: the facts of our SPDX 2.3 document in the SPDX 3 model (Core,
 * Software and SimpleLicensing profiles; an `software_Sbom` with its SBOM type). Every element's
 * id is `<document namespace>#<the SPDX 2.3 SPDXID>` (packages, files and snippets get exactly
 * the identifiers the 2.3 writer gives them), or a name derived the same way for what 2.3 has no
 * id for (agents, license expressions, relationships, annotations). The graph is sorted by kind
 * and id and every list in it is sorted, so the same model always gives the same bytes.
 */

/** SPDX 3 `software_sbomType`: how the SBOM was made. */
export type SbomType = 'design' | 'source' | 'build' | 'deployed' | 'runtime' | 'analyzed';

export interface WriteSpdx3Options {
  /** `none`: packages only (each keeps its files' verification code), as SPDX 2.3's `--files none`. */
  files?: 'all' | 'none';
  /** What kind of SBOM this is (CISA's SBOM types); by default sbomTypeOf(document). */
  sbomType?: SbomType[];
}

/**
 * `source` for what we make from a source tree or release tarball; `analyzed` for a built
 * artifact (a Windows installer or zip), whose SBOM is made by looking at it after its build.
 */
/** The SBOM types the document's lifecycles are (CycloneDX phase -> SPDX 3 type), else sbomTypeOf. */
export function sbomTypesOf(document: SbomDocument): SbomType[] {
  const types = (document.lifecycles ?? []).map((lifecycle) => SBOM_TYPE_OF_LIFECYCLE.get(lifecycle)).filter((type): type is SbomType => type !== undefined);
  return types.length > 0 ? types : [sbomTypeOf(document)];
}

const SBOM_TYPE_OF_LIFECYCLE = new Map<string, SbomType>([
  ['design', 'design'],
  ['pre-build', 'source'],
  ['build', 'build'],
  ['post-build', 'analyzed'],
  ['operations', 'deployed'],
  ['discovery', 'runtime'],
]);

export function sbomTypeOf(document: SbomDocument): SbomType {
  const described = document.packages.find((pkg) => pkg.ref === document.describes[0]);
  return /\.(?:exe|zip|msi)$/i.test(described?.packageFileName ?? '') ? 'analyzed' : 'source';
}

type Json = Record<string, JsonValue>;

/** The one CreationInfo every element of the document shares (annotations get their own). */
export const CREATION_INFO = '_:creationinfo';
export const SBOM_LOCAL_ID = 'SPDXRef-SBOM';

/** The namespace element ids live under: the document's, or a placeholder for a document without one. */
function namespaceOf(document: SbomDocument): string {
  const namespace = document.namespace.trim();
  return namespace === '' ? 'https://spdx.org/spdxdocs/cpython-sbom/unnamed' : namespace.replace(/#.*$/, '');
}

/** Order of element kinds in the graph; within one kind, elements are sorted by id. */
const KIND_ORDER = [
  'SpdxDocument',
  'software_Sbom',
  'Organization',
  'Person',
  'SoftwareAgent',
  'Agent',
  'Tool',
  'software_Package',
  'software_File',
  'software_Snippet',
  'simplelicensing_LicenseExpression',
  'simplelicensing_SimpleLicensingText',
  'Relationship',
  'LifecycleScopedRelationship',
  'Annotation',
];

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function hashes(checksums: Checksums): Json[] {
  const rank = (algorithm: string) => {
    const index = HASH_ORDER.indexOf(algorithm as HashAlgorithm);
    return index === -1 ? HASH_ORDER.length : index;
  };
  return (Object.entries(checksums) as [HashAlgorithm, string | undefined][])
    .filter((entry): entry is [HashAlgorithm, string] => Boolean(entry[1]) && HASH_ALGORITHM[entry[0]] !== undefined)
    .sort(([a], [b]) => rank(a) - rank(b) || compare(a, b))
    .map(([algorithm, value]) => ({ type: 'Hash', algorithm: HASH_ALGORITHM[algorithm], hashValue: value.toLowerCase() }));
}

function unknown(value: string | undefined): boolean {
  return value === undefined || value === '' || value === 'NOASSERTION' || value === 'NONE';
}

/** `3.28` -> `3.28.0`: SPDX 3 writes the license list version as semantic version. */
export function semverOfListVersion(version: string): string {
  return /^\d+\.\d+$/.test(version) ? `${version}.0` : version;
}

class GraphBuilder {
  readonly elements: Json[] = [];
  readonly creationInfos = new Map<string, Json>();
  readonly allocator = new SpdxIdAllocator();
  private readonly agents = new Map<string, string>();
  private readonly licenses = new Map<string, string>();
  private readonly relationships = new Set<string>();
  /** The element holding each `LicenseRef-`'s text (2.3 hasExtractedLicensingInfos), by id. */
  readonly customLicenses = new Map<string, string>();

  constructor(
    readonly namespace: string,
    private readonly licenseListVersion: string | undefined,
  ) {}

  /** A `LicenseRef-` the document names, with its text: a SimpleLicensingText element. */
  customLicense(license: ExtractedLicense): void {
    const id = this.claim(`SPDXRef-SimpleLicensingText-${license.id}`, `licensetext\0${license.id}`);
    const element: Json = { type: 'simplelicensing_SimpleLicensingText', spdxId: id, creationInfo: CREATION_INFO };
    if (license.name) element.name = license.name;
    if (license.comment) element.comment = license.comment;
    element.simplelicensing_licenseText = license.text;
    this.add(element);
    this.customLicenses.set(license.id, id);
  }

  iri(localId: string): string {
    return `${this.namespace}#${localId}`;
  }

  /** A fresh id for something SPDX 2.3 gives no identifier (see SpdxIdAllocator). */
  claim(hint: string, identity: string): string {
    return this.iri(this.allocator.claim(hint, identity));
  }

  add(element: Json): void {
    this.elements.push(element);
  }

  /**
   * The agent an SPDX 2.3 actor text stands for (`Organization: X`, `Person: N (e@x)`,
   * `Tool: T`), created once. Text that is no actor becomes a plain Agent named by it.
   */
  agent(text: string, as?: 'SoftwareAgent'): string {
    const actor = parseActor(text);
    const kind = as ?? (actor ? actor.kind : 'Agent');
    const name = actor ? actor.name : text;
    const key = `${kind}\0${actor ? formatActor(actor) : text}`;
    const existing = this.agents.get(key);
    if (existing) return existing;
    const id = this.claim(`SPDXRef-${kind}-${name}`, key);
    const element: Json = { type: kind, spdxId: id, creationInfo: CREATION_INFO, name };
    if (actor?.email) element.externalIdentifier = [{ type: 'ExternalIdentifier', externalIdentifierType: 'email', identifier: actor.email }];
    this.add(element);
    this.agents.set(key, id);
    return id;
  }

  /**
   * SPDX 3's createdBy must name an agent: people and organizations go there, tools to
   * createdUsing, and a document made by tools alone is createdBy a software agent of each tool's
   * name (as the specification's annex on SPDX 2.3 says).
   */
  creationInfo(id: string, created: string, creators: readonly string[]): Json {
    const createdBy: string[] = [];
    const createdUsing: string[] = [];
    for (const creator of creators) {
      if (parseActor(creator)?.kind === 'Tool') createdUsing.push(this.agent(creator));
      else createdBy.push(this.agent(creator));
    }
    if (createdBy.length === 0) {
      for (const creator of creators) createdBy.push(this.agent(creator, 'SoftwareAgent'));
    }
    const info: Json = { type: 'CreationInfo', '@id': id, specVersion: SPDX3_VERSION, created, createdBy: createdBy.sort(compare) };
    if (createdUsing.length > 0) info.createdUsing = createdUsing.sort(compare);
    this.creationInfos.set(id, info);
    return info;
  }

  /** The element a license expression is, or the SPDX 3 individual for NOASSERTION and NONE. */
  license(expression: string): string {
    const text = expression.trim();
    if (text === 'NOASSERTION') return NO_ASSERTION_LICENSE;
    if (text === 'NONE') return NONE_LICENSE;
    const existing = this.licenses.get(text);
    if (existing) return existing;
    const id = this.claim(`SPDXRef-LicenseExpression-${text}`, `license\0${text}`);
    const element: Json = {
      type: 'simplelicensing_LicenseExpression',
      spdxId: id,
      creationInfo: CREATION_INFO,
      simplelicensing_licenseExpression: text,
    };
    if (this.licenseListVersion) element.simplelicensing_licenseListVersion = semverOfListVersion(this.licenseListVersion);
    // Each LicenseRef- of the expression points to the element with its text.
    const custom = [...new Set(text.match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? [])]
      .filter((ref) => this.customLicenses.has(ref))
      .sort(compare)
      .map((ref): Json => ({ type: 'DictionaryEntry', key: ref, value: this.customLicenses.get(ref) as string }));
    if (custom.length > 0) element.simplelicensing_customIdToUri = custom;
    this.add(element);
    this.licenses.set(text, id);
    return id;
  }

  /**
   * One relationship from one element to each of `to`. Its id names where it starts and what it
   * says (`…#SPDXRef-Relationship-PACKAGE-expat-contains`).
   */
  relate(from: string, type: string, to: string[], extra: { comment?: string; scope?: string } = {}): void {
    if (to.length === 0) return;
    const local = from.startsWith(`${this.namespace}#`) ? from.slice(this.namespace.length + 1) : from;
    const key = `relationship\0${from}\0${type}\0${extra.scope ?? ''}\0${extra.comment ?? ''}\0${to.join('\0')}`;
    // The same statement twice is one relationship.
    if (this.relationships.has(key)) return;
    this.relationships.add(key);
    const relationship: Json = {
      type: extra.scope ? 'LifecycleScopedRelationship' : 'Relationship',
      spdxId: this.claim(`SPDXRef-Relationship-${local.replace(/^SPDXRef-/, '')}-${type}`, key),
      creationInfo: CREATION_INFO,
      from,
      relationshipType: type,
      to: [...new Set(to)].sort(compare),
    };
    if (extra.comment) relationship.comment = extra.comment;
    if (extra.scope) relationship.scope = extra.scope;
    this.add(relationship);
  }
}

function packageJson(graph: GraphBuilder, pkg: Package, id: string, fileSha1s: string[]): Json {
  const out: Json = { type: 'software_Package', spdxId: id, creationInfo: CREATION_INFO, name: pkg.name };
  if (pkg.description) out.description = pkg.description;
  if (pkg.comment) out.comment = pkg.comment;
  const verifiedUsing: Json[] = hashes(pkg.checksums);
  // SPDX 3 keeps 2.x's package verification code for compatibility; filesAnalyzed itself is gone.
  if (pkg.filesAnalyzed ?? true) {
    verifiedUsing.push({ type: 'PackageVerificationCode', algorithm: 'sha1', hashValue: packageVerificationCode(fileSha1s) });
  }
  if (verifiedUsing.length > 0) out.verifiedUsing = verifiedUsing;
  const identifiers: Json[] = [];
  const references: Json[] = [];
  if (pkg.cpe) {
    identifiers.push({ type: 'ExternalIdentifier', externalIdentifierType: pkg.cpe.startsWith('cpe:/') ? 'cpe22' : 'cpe23', identifier: pkg.cpe });
  }
  for (const ref of pkg.otherRefs ?? []) {
    const mapped = spdx3Ref(ref);
    if (mapped.kind === 'identifier') {
      identifiers.push({
        type: 'ExternalIdentifier',
        externalIdentifierType: mapped.type,
        identifier: mapped.value,
        ...(mapped.comment ? { comment: mapped.comment } : {}),
      });
    } else {
      references.push({ type: 'ExternalRef', externalRefType: mapped.type, locator: [mapped.value], ...(mapped.comment ? { comment: mapped.comment } : {}) });
    }
  }
  if (identifiers.length > 0) out.externalIdentifier = identifiers;
  if (references.length > 0) out.externalRef = references;
  if (!unknown(pkg.originator)) out.originatedBy = [graph.agent(pkg.originator as string)];
  if (!unknown(pkg.supplier)) out.suppliedBy = graph.agent(pkg.supplier as string);
  if (pkg.copyrightText) out.software_copyrightText = pkg.copyrightText;
  if (pkg.purpose) out.software_primaryPurpose = PURPOSE[pkg.purpose];
  if (!unknown(pkg.downloadLocation)) out.software_downloadLocation = pkg.downloadLocation as string;
  if (pkg.version) out.software_packageVersion = pkg.version;
  if (pkg.purl) out.software_packageUrl = pkg.purl;
  if (pkg.sourceInfo) out.software_sourceInfo = pkg.sourceInfo;
  return out;
}

function fileJson(file: FileEntry, id: string): Json {
  const out: Json = { type: 'software_File', spdxId: id, creationInfo: CREATION_INFO, name: file.path };
  if (file.comment) out.comment = file.comment;
  const verifiedUsing = hashes(file.checksums);
  if (verifiedUsing.length > 0) out.verifiedUsing = verifiedUsing;
  if (file.copyrightText) out.software_copyrightText = file.copyrightText;
  return out;
}

const range = (bounds: [number, number]): Json => ({ type: 'PositiveIntegerRange', beginIntegerRange: bounds[0], endIntegerRange: bounds[1] });

function snippetJson(snippet: Snippet, id: string, fileId: string): Json {
  const out: Json = { type: 'software_Snippet', spdxId: id, creationInfo: CREATION_INFO, name: snippet.name };
  if (snippet.comment) out.comment = snippet.comment;
  if (snippet.attributionText) out.software_attributionText = [snippet.attributionText];
  if (snippet.copyrightText) out.software_copyrightText = snippet.copyrightText;
  // Ranges are 1-based and inclusive in both versions; a range a document did not give is left out.
  if (snippet.byteRange[0] >= 1) out.software_byteRange = range(snippet.byteRange);
  if (snippet.lineRange[0] >= 1) out.software_lineRange = range(snippet.lineRange);
  out.software_snippetFromFile = fileId;
  return out;
}

/** An applied patch: a file of purpose `patch` that the package is `patchedBy` (2.3: PATCH_APPLIED). */
function patchJson(pkg: Package, patch: Patch, total: number, id: string): Json {
  const resolves = patch.resolves.map((issue) => issue.id);
  const out: Json = {
    type: 'software_File',
    spdxId: id,
    creationInfo: CREATION_INFO,
    name: patch.path,
    comment: `Patch ${patch.order} of ${total} applied to ${pkg.name} (${patch.type})${resolves.length ? `; resolves ${resolves.join(', ')}` : ''}`,
  };
  if (patch.description) out.description = patch.description;
  out.verifiedUsing = [{ type: 'Hash', algorithm: 'sha256', hashValue: patch.sha256 }];
  const advisories = patch.resolves
    .filter((issue) => /^CVE-\d{4}-\d+$/.test(issue.id))
    .map((issue): Json => ({ type: 'ExternalRef', externalRefType: 'securityAdvisory', locator: [cveUrl(issue.id)] }));
  if (advisories.length > 0) out.externalRef = advisories;
  out.software_primaryPurpose = 'patch';
  return out;
}

/** With `--files none`, the files still written: those a snippet or another relationship names (as in SPDX 2.3). */
function keptFilesOf(document: SbomDocument, packagesOnly: boolean): Set<string> | undefined {
  if (!packagesOnly) return undefined;
  return new Set([
    ...(document.snippets ?? []).map((snippet) => snippet.file),
    ...document.relationships.flatMap((relationship) =>
      [relationship.from, relationship.to].filter((ref) => ref.startsWith('file:')).map((ref) => ref.slice(5)),
    ),
  ]);
}

export function spdx3JsonObject(document: SbomDocument, options: WriteSpdx3Options = {}): Json {
  const graph = new GraphBuilder(namespaceOf(document), document.licenseListVersion);
  const ids = assignSpdxIds(document);
  // Identifiers the 2.3 writer hands out are taken before any derived one is made.
  for (const id of [DOCUMENT_ID, SBOM_LOCAL_ID, ...ids.packages.values(), ...ids.files.values(), ...ids.patches.values()]) graph.allocator.claim(id);
  const snippetIds = new Map(
    (document.snippets ?? []).map((snippet) => [snippet.ref, graph.allocator.claim(snippetSpdxId(snippet), `snippet\0${snippet.ref}`)]),
  );
  const documentId = graph.iri(DOCUMENT_ID);
  const sbomId = graph.iri(SBOM_LOCAL_ID);
  const resolve = (reference: string): string => (reference === 'document' ? documentId : graph.iri(ids.resolve(reference)));

  const mainInfo = graph.creationInfo(CREATION_INFO, document.created, document.creators);
  // The lifecycle in words, as SPDX 2.3 says it (lifecycle.ts), so the model reads back exactly.
  if (document.lifecycles && document.lifecycles.length > 0) mainInfo.comment = lifecycleComment(document.lifecycles);
  for (const license of document.extractedLicenses ?? []) graph.customLicense(license);

  const packagesOnly = options.files === 'none';
  const keptFiles = keptFilesOf(document, packagesOnly);
  const sha1ByPath = new Map(document.files.map((file) => [file.path, file.checksums.SHA1 ?? '']));
  for (const pkg of document.packages) {
    const id = graph.iri(ids.packages.get(pkg.ref) as string);
    graph.add(
      packageJson(
        graph,
        pkg,
        id,
        pkg.files.map((path) => sha1ByPath.get(path) ?? ''),
      ),
    );
    if (!packagesOnly)
      graph.relate(
        id,
        'contains',
        pkg.files.map((path) => resolve(`file:${path}`)),
      );
    graph.relate(id, 'dependsOn', pkg.dependsOn.map(resolve));
    graph.relate(id, 'hasConcludedLicense', [graph.license(pkg.licenseConcluded ?? 'NOASSERTION')]);
    if (pkg.licenseDeclared || pkg.licenseComments) {
      // licenseComments (how the licenses were established) says something about the declared license.
      graph.relate(
        id,
        'hasDeclaredLicense',
        [graph.license(pkg.licenseDeclared ?? 'NOASSERTION')],
        pkg.licenseComments ? { comment: pkg.licenseComments } : {},
      );
    }
    if (pkg.packageFileName) {
      // 2.3's packageFileName and package checksum: the package's distribution artifact, a file.
      const artifact = graph.claim(`${ids.packages.get(pkg.ref) as string}-artifact`, `artifact\0${pkg.ref}`);
      const file: Json = { type: 'software_File', spdxId: artifact, creationInfo: CREATION_INFO, name: pkg.packageFileName };
      const verifiedUsing = hashes(pkg.checksums);
      if (verifiedUsing.length > 0) file.verifiedUsing = verifiedUsing;
      graph.add(file);
      graph.relate(id, 'hasDistributionArtifact', [artifact]);
    }
    const applied = pkg.pedigree?.patches ?? [];
    const patchIds = applied.map((patch) => graph.iri(ids.patches.get(patchKey(pkg, patch)) as string));
    applied.forEach((patch, index) => graph.add(patchJson(pkg, patch, applied.length, patchIds[index] as string)));
    graph.relate(id, 'patchedBy', patchIds);
  }

  for (const file of document.files) {
    if (keptFiles && !keptFiles.has(file.path)) continue;
    const id = resolve(`file:${file.path}`);
    graph.add(fileJson(file, id));
    // What the file itself states (2.3 licenseInfoInFiles): found in the file, each of them.
    graph.relate(
      id,
      'hasDeclaredLicense',
      (file.licenseInfoInFiles ?? []).map((license) => graph.license(license)),
    );
  }

  for (const snippet of document.snippets ?? []) {
    const id = graph.iri(snippetIds.get(snippet.ref) as string);
    const fileId = resolve(`file:${snippet.file}`);
    graph.add(snippetJson(snippet, id, fileId));
    graph.relate(fileId, 'contains', [id]);
    graph.relate(id, 'hasConcludedLicense', [graph.license(snippet.licenseConcluded ?? 'NOASSERTION')]);
    graph.relate(
      id,
      'hasDeclaredLicense',
      snippet.licenseInfoInSnippet.map((license) => graph.license(license)),
    );
  }

  for (const relationship of document.relationships) {
    const mapping = spdx3Relationship(relationship.type);
    const [from, to] = mapping.swap ? [relationship.to, relationship.from] : [relationship.from, relationship.to];
    const comment =
      mapping.spdx3 === 'other' && relationship.type !== 'OTHER'
        ? `SPDX 2.3 ${relationship.type}${relationship.comment ? `: ${relationship.comment}` : ''}`
        : relationship.comment;
    graph.relate(resolve(from), mapping.spdx3, [resolve(to)], {
      ...(comment ? { comment } : {}),
      ...(mapping.scope ? { scope: mapping.scope } : {}),
    });
  }

  // Annotations are elements of their own; the annotator and date are their creation info.
  const annotationInfos = new Map<string, string>();
  const annotations = [...document.annotations].sort((a, b) => compare(`${a.annotator}\0${a.date}`, `${b.annotator}\0${b.date}`));
  for (const annotation of annotations) {
    const key = `${annotation.annotator}\0${annotation.date}`;
    if (!annotationInfos.has(key)) {
      const infoId = `_:creationinfo-annotation-${annotationInfos.size + 1}`;
      graph.creationInfo(infoId, annotation.date, [annotation.annotator]);
      annotationInfos.set(key, infoId);
    }
  }
  for (const [index, annotation] of document.annotations.entries()) {
    const subject = resolve(annotation.subject);
    const local = subject.slice(graph.namespace.length + 1).replace(/^SPDXRef-/, '');
    const key = `annotation\0${index}\0${subject}\0${annotation.annotator}\0${annotation.date}\0${annotation.type}\0${annotation.comment}`;
    graph.add({
      type: 'Annotation',
      spdxId: graph.claim(`SPDXRef-Annotation-${local}`, key),
      creationInfo: annotationInfos.get(`${annotation.annotator}\0${annotation.date}`) as string,
      annotationType: annotation.type === 'REVIEW' ? 'review' : 'other',
      subject,
      statement: annotation.comment,
    });
  }

  const dataLicense = graph.license(document.dataLicense || 'CC0-1.0');
  const rank = (element: Json) => {
    const index = KIND_ORDER.indexOf(element.type as string);
    return index === -1 ? KIND_ORDER.length : index;
  };
  const elements = graph.elements.sort((a, b) => rank(a) - rank(b) || compare(a.spdxId as string, b.spdxId as string));
  const elementIds = elements.map((element) => element.spdxId as string);
  const sbom: Json = {
    type: 'software_Sbom',
    spdxId: sbomId,
    creationInfo: CREATION_INFO,
    profileConformance: ['core', 'software', 'simpleLicensing'],
    rootElement: document.describes.map(resolve).sort(compare),
    element: elements.filter((element) => !isAgent(element)).map((element) => element.spdxId as string),
    software_sbomType: [...new Set(options.sbomType ?? sbomTypesOf(document))].sort(compare),
  };
  const spdxDocument: Json = { type: 'SpdxDocument', spdxId: documentId, creationInfo: CREATION_INFO, name: document.name };
  const comment = packagesOnly ? [document.comment, FILES_LEFT_OUT_NOTE].filter(Boolean).join('\n') : document.comment;
  if (comment) spdxDocument.comment = comment;
  spdxDocument.dataLicense = dataLicense;
  spdxDocument.profileConformance = ['core', 'software', 'simpleLicensing'];
  spdxDocument.rootElement = [sbomId];
  spdxDocument.element = [sbomId, ...elementIds];
  const creationInfos = [...graph.creationInfos.values()].sort((a, b) => compare(a['@id'] as string, b['@id'] as string));
  return { '@context': SPDX3_CONTEXT, '@graph': [...creationInfos, spdxDocument, sbom, ...elements] };
}

function isAgent(element: Json): boolean {
  return ['Organization', 'Person', 'SoftwareAgent', 'Agent', 'Tool'].includes(element.type as string);
}

/** The SPDX 3.0.1 JSON-LD text of a document (two-space indent, trailing newline). */
export function writeSpdx3(document: SbomDocument, options: WriteSpdx3Options = {}): string {
  return `${JSON.stringify(spdx3JsonObject(document, options), null, 2)}\n`;
}
