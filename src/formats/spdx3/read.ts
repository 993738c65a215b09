import { lifecyclesFromComment } from '../spdx/lifecycle.js';
import { InputError } from '../../errors.js';
import { emptyDocument } from '../../model/document.js';
import type { Checksums, ExternalRef, ExtractedLicense, FileEntry, Package, Patch, SbomDocument, Snippet } from '../../model/types.js';
import { isExclusionAnnotation } from '../../model/annotations.js';
import { parseJsonBounded } from '../../util/bounded-json.js';
import { formatActor } from '../cyclonedx/vocabulary.js';
import { spdx3ContextVersion } from './sniff.js';
import {
  INDIVIDUAL_IRIS,
  MODEL_HASH_ALGORITHM,
  MODEL_PURPOSE,
  NONE_ELEMENT,
  NONE_LICENSE,
  NO_ASSERTION_ELEMENT,
  NO_ASSERTION_LICENSE,
  modelRef,
  spdx2Relationship,
} from './vocabulary.js';

/**
 * SPDX 3 JSON-LD -> model. Lenient like the SPDX 2 reader: it takes what a document holds so that
 * `diff` and `verify` work on anyone's SPDX 3 SBOM, and leaves strictness to `validate`. A
 * document we wrote reads back into the model it was written from: ids under the document's
 * namespace lose it again (`…#SPDXRef-PACKAGE-expat` -> `SPDXRef-PACKAGE-expat`), so package refs
 * and SPDX ids are those an SPDX 2.3 twin of the document has.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => Boolean(value) && typeof value === 'object' && !Array.isArray(value);
/** JSON-LD lets a single value stand for a list of one. */
const listOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);
const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const stringsOf = (value: unknown): string[] => listOf(value).filter((item): item is string => typeof item === 'string');

const PACKAGE_TYPES = new Set(['software_Package', 'ai_AIPackage', 'dataset_DatasetPackage']);
const RELATIONSHIP_TYPES = new Set([
  'Relationship',
  'LifecycleScopedRelationship',
  // The security profile's assessments are relationships too; they carry nothing the model holds.
]);
const _AGENT_TYPES = new Set(['Agent', 'Organization', 'Person', 'SoftwareAgent', 'Tool']);
const SPDX2_ID = /^SPDXRef-[A-Za-z0-9.-]+$/;
const LISTED_LICENSE_PREFIX = 'https://spdx.org/licenses/';

/** `3.28.0` -> `3.28`: the model (as SPDX 2.3) keeps the license list version as major.minor. */
function listVersionOfSemver(version: string): string {
  return /^\d+\.\d+\.0$/.test(version) ? version.slice(0, -2) : version;
}

class Graph {
  /** Every node with an id (`spdxId` or `@id`), by id. */
  readonly byId = new Map<string, Json>();
  readonly nodes: Json[] = [];

  constructor(root: Json) {
    const items = Array.isArray(root['@graph']) ? root['@graph'] : [root];
    for (const item of items) {
      if (!isObject(item)) continue;
      this.nodes.push(item);
      const id = asString(item.spdxId) ?? asString(item['@id']);
      if (id !== undefined && !this.byId.has(id)) this.byId.set(id, item);
    }
  }

  /** A node given inline or by reference. */
  node(value: unknown): Json | undefined {
    if (isObject(value)) return value;
    const id = asString(value);
    return id === undefined ? undefined : this.byId.get(id);
  }

  idOf(value: unknown): string | undefined {
    if (typeof value === 'string') return INDIVIDUAL_IRIS.get(value) ?? value;
    if (isObject(value)) return asString(value.spdxId) ?? asString(value['@id']);
    return undefined;
  }

  typeOf(id: string | undefined): string | undefined {
    return id === undefined ? undefined : asString(this.byId.get(id)?.type);
  }
}

function checksumsOf(graph: Graph, element: Json): { checksums: Checksums; verificationCode?: string } {
  const checksums: Checksums = {};
  let verificationCode: string | undefined;
  for (const entry of listOf(element.verifiedUsing)) {
    const method = graph.node(entry);
    if (!method) continue;
    const value = asString(method.hashValue)?.toLowerCase();
    if (!value) continue;
    if (method.type === 'PackageVerificationCode') verificationCode = value;
    else if (method.type === 'Hash') {
      const algorithm = MODEL_HASH_ALGORITHM.get(asString(method.algorithm) ?? '');
      if (algorithm) checksums[algorithm] = value;
    }
  }
  return verificationCode === undefined ? { checksums } : { checksums, verificationCode };
}

/** An agent back as SPDX 2.3 actor text (`Organization: X`, `Person: N (e@x)`, `Tool: T`). */
function actorText(graph: Graph, value: unknown): string | undefined {
  const id = graph.idOf(value);
  if (id === 'SpdxOrganization') return 'Organization: SPDX';
  const agent = graph.node(value);
  if (!agent) return id;
  const name = asString(agent.name) ?? id ?? '';
  const email = listOf(agent.externalIdentifier)
    .map((entry) => graph.node(entry))
    .find((entry) => entry?.externalIdentifierType === 'email');
  const kind = agent.type === 'Organization' ? 'Organization' : agent.type === 'Person' ? 'Person' : agent.type === 'Tool' ? 'Tool' : undefined;
  if (!kind) return name;
  const address = asString(email?.identifier);
  return formatActor({ kind, name, ...(address ? { email: address } : {}) });
}

/** Creators as SPDX 2.3 lists them; a software agent standing in for a tool of the same name is that tool. */
function creatorsOf(graph: Graph, info: Json | undefined): string[] {
  if (!info) return [];
  const tools = listOf(info.createdUsing)
    .map((tool) => actorText(graph, tool))
    .filter((text): text is string => text !== undefined);
  const toolNames = new Set(listOf(info.createdUsing).map((tool) => asString(graph.node(tool)?.name)));
  const agents: string[] = [];
  for (const agent of listOf(info.createdBy)) {
    const node = graph.node(agent);
    if (node?.type === 'SoftwareAgent' && toolNames.has(asString(node.name))) continue;
    const text = node?.type === 'SoftwareAgent' ? `Tool: ${asString(node.name) ?? ''}` : actorText(graph, agent);
    if (text !== undefined) agents.push(text);
  }
  return [...agents, ...tools];
}

export function spdx3ToModel(json: unknown, file: string): SbomDocument {
  if (!isObject(json)) throw new InputError(`${file}: not an SPDX 3 JSON-LD document`);
  const graph = new Graph(json);
  const document = emptyDocument();
  const spdxDocument = graph.nodes.find((node) => node.type === 'SpdxDocument');
  const documentId = asString(spdxDocument?.spdxId) ?? '';
  // Our ids are `<namespace>#<local>`; the document's own id says what the namespace is.
  const hash = documentId.indexOf('#');
  const namespace = hash === -1 ? documentId : documentId.slice(0, hash);
  const prefix = `${namespace}#`;
  const local = (id: string): string => (namespace !== '' && id.startsWith(prefix) ? id.slice(prefix.length) : id);
  const spdx2Id = (id: string): string | undefined => {
    const candidate = local(id);
    return SPDX2_ID.test(candidate) ? candidate : undefined;
  };

  document.namespace = namespace;
  document.name = asString(spdxDocument?.name) ?? '';
  const comment = asString(spdxDocument?.comment);
  if (comment) document.comment = comment;
  const info = graph.node(spdxDocument?.creationInfo);
  document.created = asString(info?.created) ?? '';
  document.creators = creatorsOf(graph, info);
  const lifecycles = lifecyclesFromComment(asString(info?.comment) ?? '');
  if (lifecycles.length > 0) document.lifecycles = lifecycles;

  const expressionOf = (value: unknown): string | undefined => {
    const id = graph.idOf(value);
    if (id === NO_ASSERTION_LICENSE) return 'NOASSERTION';
    if (id === NONE_LICENSE) return 'NONE';
    const node = graph.node(value);
    const expression = asString(node?.simplelicensing_licenseExpression);
    if (expression !== undefined) return expression;
    // A listed license by its IRI, or an expanded-licensing element with a license id.
    if (id?.startsWith(LISTED_LICENSE_PREFIX)) return id.slice(LISTED_LICENSE_PREFIX.length);
    return asString(node?.name) ?? (id ? local(id) : undefined);
  };
  document.dataLicense = expressionOf(spdxDocument?.dataLicense) ?? '';
  const listVersions = [spdxDocument?.dataLicense, ...graph.nodes.filter((node) => node.type === 'simplelicensing_LicenseExpression')]
    .map((node) => asString(graph.node(node)?.simplelicensing_licenseListVersion))
    .filter((version): version is string => version !== undefined);
  if (listVersions[0] !== undefined) document.licenseListVersion = listVersionOfSemver(listVersions[0]);

  const packages = new Map<string, Package>();
  const files = new Map<string, FileEntry>();
  const snippets = new Map<string, Snippet>();
  for (const node of graph.nodes) {
    const id = asString(node.spdxId);
    if (id === undefined) continue;
    if (PACKAGE_TYPES.has(asString(node.type) ?? '')) packages.set(id, packageOf(graph, node, local(id), spdx2Id(id)));
    else if (node.type === 'software_File') {
      const entry: FileEntry = { path: stripDotSlash(asString(node.name) ?? ''), checksums: checksumsOf(graph, node).checksums };
      const fileSpdxId = spdx2Id(id);
      if (fileSpdxId) entry.spdxId = fileSpdxId;
      const fileComment = asString(node.comment);
      if (fileComment) entry.comment = fileComment;
      const copyright = asString(node.software_copyrightText);
      if (copyright && copyright !== 'NOASSERTION') entry.copyrightText = copyright;
      files.set(id, entry);
    }
  }
  for (const node of graph.nodes) {
    if (node.type !== 'software_Snippet') continue;
    const id = asString(node.spdxId);
    const from = files.get(graph.idOf(node.software_snippetFromFile) ?? '');
    if (id === undefined || !from) continue;
    snippets.set(id, snippetOf(graph, node, local(id), from.path));
  }

  const referenceOf = (id: string): string => {
    if (id === documentId) return 'document';
    const entry = files.get(id);
    if (entry) return `file:${entry.path}`;
    return local(id);
  };
  const describes: string[] = [];
  // Which paths each package already holds, beside its list: `includes` made 100,000 files quadratic.
  const heldFiles = new Map<Package, Set<string>>();
  const artifacts = new Set<string>();
  const applied: { pkg: Package; patch: string }[] = [];
  const declaredInFile = new Map<string, string[]>();
  for (const node of graph.nodes) {
    if (!RELATIONSHIP_TYPES.has(asString(node.type) ?? '')) continue;
    const from = graph.idOf(node.from);
    const type = asString(node.relationshipType);
    const to = listOf(node.to)
      .map((item) => graph.idOf(item))
      .filter((item): item is string => item !== undefined);
    if (from === undefined || type === undefined) continue;
    const fromPackage = packages.get(from);
    const fromSnippet = snippets.get(from);
    const relComment = asString(node.comment);
    if (type === 'hasConcludedLicense' || type === 'hasDeclaredLicense') {
      const expressions = to.map((item) => expressionOf(item)).filter((item): item is string => item !== undefined);
      if (fromPackage && expressions.length > 0) {
        const expression = expressions.length === 1 ? (expressions[0] as string) : expressions.map((e) => `(${e})`).join(' AND ');
        if (type === 'hasConcludedLicense') fromPackage.licenseConcluded = expression;
        else {
          fromPackage.licenseDeclared = expression;
          if (relComment) fromPackage.licenseComments = relComment;
        }
      } else if (fromSnippet) {
        if (type === 'hasConcludedLicense' && expressions[0] !== undefined) fromSnippet.licenseConcluded = expressions[0];
        else if (type === 'hasDeclaredLicense') for (const expression of known(expressions)) fromSnippet.licenseInfoInSnippet.push(expression);
      } else if (files.has(from) && type === 'hasDeclaredLicense') {
        declaredInFile.set(from, [...(declaredInFile.get(from) ?? []), ...known(expressions)]);
      }
      continue;
    }
    if (type === 'describes' && (from === documentId || graph.typeOf(from) === 'software_Sbom')) {
      for (const item of to) describes.push(item);
      continue;
    }
    let rest = to;
    if (type === 'contains' && fromPackage) {
      let paths = heldFiles.get(fromPackage);
      if (!paths) heldFiles.set(fromPackage, (paths = new Set(fromPackage.files)));
      for (const item of to) {
        const entry = files.get(item);
        if (entry && !paths.has(entry.path)) {
          paths.add(entry.path);
          fromPackage.files.push(entry.path);
        }
      }
      rest = to.filter((item) => !files.has(item));
    } else if (type === 'contains' && files.has(from)) {
      // A snippet's file contains it (as the annex on SPDX 2.3 says); snippetFromFile already does.
      rest = to.filter((item) => !snippets.has(item));
    } else if (type === 'dependsOn' && fromPackage && node.scope === undefined) {
      for (const item of to.filter((item) => packages.has(item))) fromPackage.dependsOn.push(local(item));
      rest = to.filter((item) => !packages.has(item));
    } else if (type === 'hasDistributionArtifact' && fromPackage && to.length === 1 && files.has(to[0] as string)) {
      fromPackage.packageFileName = (files.get(to[0] as string) as FileEntry).path;
      artifacts.add(to[0] as string);
      rest = [];
    } else if (type === 'patchedBy' && fromPackage) {
      for (const item of to.filter((item) => files.has(item))) applied.push({ pkg: fromPackage, patch: item });
      rest = to.filter((item) => !files.has(item));
    }
    const mapping = spdx2Relationship(type, asString(node.scope));
    for (const item of rest) {
      if (item === NONE_ELEMENT || item === NO_ASSERTION_ELEMENT) continue;
      const [a, b] = mapping.swap ? [item, from] : [from, item];
      const relationship = { from: referenceOf(a), type: mapping.spdx2, to: referenceOf(b) };
      // Test-only content (SPDX 2.3 TEST_OF / TEST_DEPENDENCY_OF) is CycloneDX's scope "excluded",
      // as the SPDX 2.3 reader takes it.
      const subject = packages.get(a);
      if (subject && (mapping.spdx2 === 'TEST_OF' || mapping.spdx2 === 'TEST_DEPENDENCY_OF')) subject.scope = 'excluded';
      // What the writer marks as a 2.3 type SPDX 3 has no name for comes back as that type.
      const original = /^SPDX 2\.3 ([A-Z_]+)(?::\s([\s\S]*))?$/.exec(relComment ?? '');
      if (mapping.spdx2 === 'OTHER' && type === 'other' && original) {
        relationship.type = original[1] as string;
        document.relationships.push(original[2] ? { ...relationship, comment: original[2] } : relationship);
      } else {
        document.relationships.push(relComment ? { ...relationship, comment: relComment } : relationship);
      }
    }
  }

  for (const [id, licenses] of declaredInFile) {
    const entry = files.get(id) as FileEntry;
    if (licenses.length > 0) entry.licenseInfoInFiles = licenses;
  }
  // Patches and distribution artifacts are files of the document, not of the tree.
  const patchIds = new Set(applied.map(({ patch }) => patch));
  for (const { pkg, patch } of applied) {
    const patches = (pkg.pedigree ??= { ancestors: [], patches: [] }).patches;
    patches.push(patchOf(graph, graph.byId.get(patch) as Json, files.get(patch) as FileEntry, patches.length + 1));
  }
  for (const pkg of packages.values()) pkg.pedigree?.patches.sort((a, b) => a.order - b.order);
  document.files = [...files.entries()].filter(([id]) => !artifacts.has(id) && !patchIds.has(id)).map(([, entry]) => entry);
  document.packages = [...packages.values()];
  for (const pkg of document.packages) pkg.filesAnalyzed = pkg.verificationCode !== undefined || pkg.files.length > 0;
  // SPDX 3 has no licenseInfoFromFiles: it is what the package's files declare, as 2.3 defines it.
  const byPath = new Map(document.files.map((entry) => [entry.path, entry]));
  for (const pkg of document.packages) {
    const fromFiles = new Set(pkg.files.flatMap((path) => byPath.get(path)?.licenseInfoInFiles ?? []));
    if (fromFiles.size > 0) pkg.licenseInfoFromFiles = [...fromFiles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
  // The text of each LicenseRef- (2.3 hasExtractedLicensingInfos): the element its expressions point to.
  const extracted = new Map<string, ExtractedLicense>();
  for (const node of graph.nodes) {
    if (node.type !== 'simplelicensing_LicenseExpression') continue;
    for (const entry of listOf(node.simplelicensing_customIdToUri)) {
      const key = asString((entry as Json).key);
      const target = graph.node((entry as Json).value);
      const text = asString(target?.simplelicensing_licenseText);
      if (!key || text === undefined || extracted.has(key)) continue;
      const name = asString(target?.name);
      const licenseComment = asString(target?.comment);
      extracted.set(key, { id: key, text, ...(name ? { name } : {}), ...(licenseComment ? { comment: licenseComment } : {}) });
    }
  }
  if (extracted.size > 0) document.extractedLicenses = [...extracted.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const found = [...snippets.values()];
  if (found.length > 0) document.snippets = found;

  // What the document is about: its SBOM's root elements (or the document's own, or `describes`).
  const sboms = graph.nodes.filter((node) => node.type === 'software_Sbom' || node.type === 'Bom');
  const documentRoots = listOf(spdxDocument?.rootElement).map((item) => graph.idOf(item));
  const sbom = sboms.find((node) => documentRoots.includes(asString(node.spdxId))) ?? sboms[0];
  const roots = [...listOf(sbom?.rootElement), ...documentRoots, ...describes].map((item) => graph.idOf(item));
  document.describes = [...new Set(roots)].filter((id): id is string => id !== undefined && (packages.has(id) || files.has(id))).map(referenceOf);

  for (const node of graph.nodes) {
    if (node.type !== 'Annotation') continue;
    const subject = graph.idOf(node.subject);
    if (subject === undefined) continue;
    const annotationInfo = graph.node(node.creationInfo);
    const statement = asString(node.statement) ?? '';
    const pkg = packages.get(subject);
    if (pkg && isExclusionAnnotation(statement)) pkg.scope = 'excluded';
    document.annotations.push({
      subject: referenceOf(subject),
      annotator: creatorsOf(graph, annotationInfo)[0] ?? '',
      date: asString(annotationInfo?.created) ?? '',
      type: node.annotationType === 'review' ? 'REVIEW' : 'OTHER',
      comment: statement,
    });
  }
  return document;
}

function known(expressions: string[]): string[] {
  return expressions.filter((expression) => expression !== 'NOASSERTION' && expression !== 'NONE');
}

function stripDotSlash(path: string): string {
  return path.startsWith('./') ? path.slice(2) : path;
}

function packageOf(graph: Graph, node: Json, ref: string, spdxId: string | undefined): Package {
  const { checksums, verificationCode } = checksumsOf(graph, node);
  const pkg: Package = {
    ref,
    name: asString(node.name) ?? '',
    version: asString(node.software_packageVersion) ?? '',
    checksums,
    files: [],
    dependsOn: [],
  };
  if (spdxId) pkg.spdxId = spdxId;
  if (verificationCode !== undefined) pkg.verificationCode = verificationCode;
  const text: [keyof Package, unknown][] = [
    ['downloadLocation', node.software_downloadLocation],
    ['description', node.description],
    ['comment', node.comment],
    ['copyrightText', node.software_copyrightText],
    ['sourceInfo', node.software_sourceInfo],
    ['purl', node.software_packageUrl],
  ];
  for (const [key, value] of text) {
    const string = asString(value);
    if (string !== undefined) (pkg as unknown as Record<string, unknown>)[key] = string;
  }
  const purpose = MODEL_PURPOSE.get(asString(node.software_primaryPurpose) ?? '');
  if (purpose) pkg.purpose = purpose;
  const supplier = node.suppliedBy === undefined ? undefined : actorText(graph, node.suppliedBy);
  if (supplier) pkg.supplier = supplier;
  const originator = listOf(node.originatedBy).map((agent) => actorText(graph, agent))[0];
  if (originator) pkg.originator = originator;
  const refs: ExternalRef[] = [];
  for (const entry of listOf(node.externalIdentifier)) {
    const identifier = graph.node(entry);
    const type = asString(identifier?.externalIdentifierType);
    const value = asString(identifier?.identifier);
    if (!type || value === undefined) continue;
    if ((type === 'cpe23' || type === 'cpe22') && pkg.cpe === undefined) pkg.cpe = value;
    else if (type === 'packageUrl' && pkg.purl === undefined) pkg.purl = value;
    else refs.push(modelRef('identifier', type, value, asString(identifier?.comment)));
  }
  for (const entry of listOf(node.externalRef)) {
    const reference = graph.node(entry);
    const type = asString(reference?.externalRefType) ?? 'other';
    for (const locator of stringsOf(reference?.locator)) refs.push(modelRef('reference', type, locator, asString(reference?.comment)));
  }
  if (refs.length > 0) pkg.otherRefs = refs;
  return pkg;
}

function snippetOf(graph: Graph, node: Json, ref: string, file: string): Snippet {
  const range = (value: unknown): [number, number] => {
    const bounds = graph.node(value);
    const begin = bounds?.beginIntegerRange;
    const end = bounds?.endIntegerRange;
    return typeof begin === 'number' && typeof end === 'number' ? [begin, end] : [0, 0];
  };
  const snippet: Snippet = {
    ref: ref.startsWith('SPDXRef-SNIPPET-') ? `snippet:${ref.slice('SPDXRef-SNIPPET-'.length)}` : ref,
    name: asString(node.name) ?? '',
    file,
    byteRange: range(node.software_byteRange),
    lineRange: range(node.software_lineRange),
    licenseInfoInSnippet: [],
  };
  const copyright = asString(node.software_copyrightText);
  if (copyright && copyright !== 'NOASSERTION') snippet.copyrightText = copyright;
  const comment = asString(node.comment);
  if (comment) snippet.comment = comment;
  const attribution = stringsOf(node.software_attributionText)[0];
  if (attribution) snippet.attributionText = attribution;
  return snippet;
}

function patchOf(graph: Graph, node: Json, entry: FileEntry, fallbackOrder: number): Patch {
  const comment = asString(node.comment) ?? '';
  const order = /^Patch (\d+) of/.exec(comment)?.[1];
  const resolves = listOf(node.externalRef)
    .flatMap((reference) => stringsOf(graph.node(reference)?.locator))
    .map((locator) => /CVE-\d{4}-\d+/.exec(locator)?.[0])
    .filter((id): id is string => id !== undefined)
    .map((id) => ({ id, type: 'security' as const }));
  const patch: Patch = {
    path: entry.path,
    order: order ? Number(order) : fallbackOrder,
    sha256: entry.checksums.SHA256 ?? '',
    type: /\(backport\)/.test(comment) ? 'backport' : 'unofficial',
    touches: [],
    resolves,
  };
  const description = asString(node.description);
  if (description) patch.description = description;
  return patch;
}

/** Parses SPDX 3 JSON-LD text; InputError naming the file when it is not JSON or not SPDX 3. */
export function readSpdx3(text: string, file: string): { format: string; document: SbomDocument } {
  const json = parseJsonBounded(text, file);
  const version = spdx3ContextVersion(json);
  if (version === undefined) throw new InputError(`${file}: not an SPDX 3 document (no SPDX 3 JSON-LD @context)`);
  return { format: `spdx-${version}`, document: spdx3ToModel(json, file) };
}
