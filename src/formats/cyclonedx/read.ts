/**
 * CycloneDX 1.2–1.7, JSON or XML (told apart by content) -> model.
 *
 * Reads our own documents back without loss (see write.ts for the layout and the
 * `cpython-sbom:` properties) and other tools' documents as well as they allow:
 * - every non-file component (metadata.component, top-level, nested, pedigree ancestors) is a
 *   package; a nested one is also recorded as a `CONTAINS` relationship from its parent;
 * - every `file` component is a file (path = its name), owned by the nearest enclosing non-file
 *   component, or by metadata.component when it sits at top level;
 * - a component repeating metadata.component's bom-ref (pip's vendored bom.cdx.json does this)
 *   is the same package, not a second one;
 * - hashes keep CycloneDX algorithms the model knows (SHA-1 -> SHA1, BLAKE2b-256, …);
 * - licenses: `concluded` ones -> licenseConcluded, `declared` -> licenseDeclared; licenses with
 *   no acknowledgement (CycloneDX before 1.6, most tools) count as concluded; several are ANDed;
 * - `vulnerabilities[]` (1.4+) -> VEX statements (`document.vulnerabilities`), `affects` mapped to
 *   the packages' refs.
 */
import { InputError } from '../../errors.js';
import { emptyDocument } from '../../model/document.js';
import type {
  ArtifactProperties,
  Checksums,
  CopyrightEvidence,
  ExternalRef,
  ExtractedLicense,
  FileEntry,
  LicenseEvidence,
  Occurrence,
  Package,
  PackageEvidence,
  Patch,
  SbomDocument,
  Snippet,
  VulnerabilityStatement,
} from '../../model/types.js';
import {
  bomFromXml,
  type CdxBom,
  type CdxComponent,
  type CdxEvidence,
  type CdxLicenseChoice,
  type CdxPatch,
  type CdxProperty,
  type CdxVulnerability,
} from './shape.js';
import { BSI_PROP, FILE_REF_PREFIX, PROP, PURPOSE_OF_COMPONENT_TYPE, formatActor, spdxHashName } from './vocabulary.js';
import { parseJsonBounded } from '../../util/bounded-json.js';
import { parseXml, XmlDepthError, XmlSyntaxError } from './xml.js';
import { JSON_CYCLONEDX_VERSIONS } from './versions.js';
import { pushAll } from '../../util/arrays.js';

const SUPPORTED_VERSIONS = new Set(JSON_CYCLONEDX_VERSIONS);
const XML_NAMESPACE = /^http:\/\/cyclonedx\.org\/schema\/bom\/(\d+\.\d+)$/;

export interface ReadCycloneDxResult {
  /** `cyclonedx-1.6`, … */
  format: string;
  document: SbomDocument;
}

export function readCycloneDx(text: string, file: string): ReadCycloneDxResult {
  const bom = parseBom(text, file);
  return { format: `cyclonedx-${bom.specVersion}`, document: new DocumentBuilder(bom).build() };
}

// ------------------------------------------------------------------------------------------- parsing

function parseBom(text: string, file: string): CdxBom {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('<')) return parseXmlBom(start, file);
  if (start.startsWith('{')) return parseJsonBom(start, file);
  throw new InputError(`${file}: not a CycloneDX document (neither JSON nor XML)`);
}

function checkVersion(version: unknown, file: string): string {
  if (typeof version !== 'string' || !SUPPORTED_VERSIONS.has(version)) {
    throw new InputError(`${file}: CycloneDX version ${JSON.stringify(version ?? null)} is not supported (1.2 to 1.7 are)`);
  }
  return version;
}

function parseXmlBom(text: string, file: string): CdxBom {
  let root;
  try {
    root = parseXml(text);
  } catch (error) {
    if (error instanceof XmlDepthError) throw new InputError(`${file}: XML ${error.message}; refusing to read it`);
    if (error instanceof XmlSyntaxError) throw new InputError(`${file}: malformed XML: ${error.message}`);
    throw error;
  }
  const version = XML_NAMESPACE.exec(root.namespace)?.[1];
  if (root.name !== 'bom' || version === undefined) {
    throw new InputError(
      `${file}: not a CycloneDX document (root element <${root.name}> in namespace '${root.namespace}', expected <bom> in http://cyclonedx.org/schema/bom/1.x)`,
    );
  }
  return bomFromXml(root, checkVersion(version, file));
}

/** What the reader expects of JSON values: a type name, an object of fields, or a one-item array of an element type. */
type Expect = 'string' | 'number' | { readonly [field: string]: Expect | (() => Expect) } | readonly [Expect | (() => Expect)];

const STRING_ARRAY: Expect = ['string'];
const ENTITY: Expect = { name: 'string', url: STRING_ARRAY, contact: [{ name: 'string', email: 'string' }] };
const LICENSE_CHOICES: Expect = [
  {
    license: { id: 'string', name: 'string', acknowledgement: 'string', text: { content: 'string', encoding: 'string' }, url: 'string' },
    expression: 'string',
    acknowledgement: 'string',
  },
];
const PROPERTIES: Expect = [{ name: 'string', value: 'string' }];
const COMPONENT: Expect = {
  type: 'string',
  name: 'string',
  version: 'string',
  group: 'string',
  'bom-ref': 'string',
  supplier: ENTITY,
  manufacturer: ENTITY,
  author: 'string',
  description: 'string',
  scope: 'string',
  hashes: [{ alg: 'string', content: 'string' }],
  licenses: LICENSE_CHOICES,
  cpe: 'string',
  purl: 'string',
  externalReferences: [{ url: 'string', type: 'string', comment: 'string' }],
  properties: PROPERTIES,
  components: [() => COMPONENT],
  copyright: 'string',
  evidence: {
    licenses: LICENSE_CHOICES,
    copyright: [{ text: 'string' }],
    occurrences: [{ location: 'string', line: 'number', offset: 'number', additionalContext: 'string' }],
  },
  pedigree: {
    ancestors: [() => COMPONENT],
    patches: [
      {
        type: 'string',
        diff: { text: { content: 'string', contentType: 'string', encoding: 'string' }, url: 'string' },
        resolves: [{ type: 'string', id: 'string', name: 'string', source: { name: 'string', url: 'string' }, references: STRING_ARRAY }],
      },
    ],
  },
};
const TOOL: Expect = { vendor: 'string', name: 'string', version: 'string' };
const BOM: Expect = {
  specVersion: 'string',
  serialNumber: 'string',
  metadata: {
    timestamp: 'string',
    lifecycles: [{ phase: 'string', name: 'string' }],
    authors: [{ name: 'string', email: 'string' }],
    manufacture: ENTITY,
    manufacturer: ENTITY,
    supplier: ENTITY,
    component: COMPONENT,
    licenses: LICENSE_CHOICES,
    properties: PROPERTIES,
  },
  components: [COMPONENT],
  dependencies: [{ ref: 'string', dependsOn: STRING_ARRAY }],
  vulnerabilities: [
    {
      'bom-ref': 'string',
      id: 'string',
      source: { name: 'string', url: 'string' },
      references: [{ id: 'string', source: { name: 'string', url: 'string' } }],
      advisories: [{ title: 'string', url: 'string' }],
      analysis: { state: 'string', justification: 'string', detail: 'string' },
      affects: [{ ref: 'string' }],
    },
  ],
};

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Checks the fields the reader uses (others are ignored); throws naming the JSON pointer. */
function check(value: unknown, expect: Expect, pointer: string, file: string): void {
  const fail = (wanted: string): never => {
    throw new InputError(`${file}: ${pointer || '/'}: expected ${wanted}, found ${kindOf(value)}`);
  };
  if (expect === 'string' || expect === 'number') {
    if (typeof value !== expect) fail(`a ${expect}`);
    return;
  }
  if (Array.isArray(expect)) {
    if (!Array.isArray(value)) fail('an array');
    const item = expect[0] as Expect | (() => Expect);
    const resolved = typeof item === 'function' ? item() : item;
    (value as unknown[]).forEach((element, index) => check(element, resolved, `${pointer}/${index}`, file));
    return;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('an object');
  const record = value as Record<string, unknown>;
  for (const [field, fieldExpect] of Object.entries(expect as Record<string, Expect | (() => Expect)>)) {
    if (record[field] === undefined) continue;
    check(record[field], typeof fieldExpect === 'function' ? fieldExpect() : fieldExpect, `${pointer}/${field}`, file);
  }
}

function parseJsonBom(text: string, file: string): CdxBom {
  return jsonBom(parseJsonBounded(text, file, 'malformed JSON'), file);
}

/** A CycloneDX JSON document that is already parsed (format detection parsed it once). */
export function readCycloneDxJson(json: unknown, file: string): ReadCycloneDxResult {
  const bom = jsonBom(json, file);
  return { format: `cyclonedx-${bom.specVersion}`, document: new DocumentBuilder(bom).build() };
}

function jsonBom(json: unknown, file: string): CdxBom {
  const record = json as Record<string, unknown>;
  if (typeof json !== 'object' || json === null || Array.isArray(json) || record.bomFormat !== 'CycloneDX') {
    throw new InputError(`${file}: not a CycloneDX document (no "bomFormat": "CycloneDX")`);
  }
  checkVersion(record.specVersion, file);
  check(json, BOM, '', file);
  const tools = (record.metadata as Record<string, unknown> | undefined)?.tools;
  if (tools !== undefined) {
    // 1.2–1.4: an array of tools; 1.5+: {components, services} (the array form is deprecated, still valid).
    check(tools, Array.isArray(tools) ? [TOOL] : { components: [TOOL], services: [TOOL] }, '/metadata/tools', file);
  }
  return json as CdxBom;
}

// ------------------------------------------------------------------------------------------- mapping

function property(properties: CdxProperty[] | undefined, name: string): string | undefined {
  return properties?.find((candidate) => candidate.name === name)?.value;
}

/** BSI TR-03183-2's `bsi:component:executable|archive|structured` properties, where present. */
function bsiArtifactProperties(properties: CdxProperty[] | undefined): ArtifactProperties | undefined {
  const out: ArtifactProperties = {};
  const flag = (name: string, yes: string, no: string): boolean | undefined => {
    const value = property(properties, name)?.trim().toLowerCase();
    return value === yes ? true : value === no ? false : undefined;
  };
  const executable = flag(BSI_PROP.executable, 'executable', 'non-executable');
  const archive = flag(BSI_PROP.archive, 'archive', 'no archive');
  const structured = flag(BSI_PROP.structured, 'structured', 'unstructured');
  if (executable !== undefined) out.executable = executable;
  if (archive !== undefined) out.archive = archive;
  if (structured !== undefined) out.structured = structured;
  return Object.keys(out).length > 0 ? out : undefined;
}

function propertyValues(properties: CdxProperty[] | undefined, name: string): string[] {
  return (properties ?? []).filter((candidate) => candidate.name === name).map((candidate) => candidate.value);
}

/** A property value holding a JSON array of three strings; anything else reads as empty. */
function jsonTriple(value: string): [string?, string?, string?] {
  try {
    const parsed = JSON.parse(value) as unknown;
    if (Array.isArray(parsed) && parsed.length === 3 && parsed.every((part) => typeof part === 'string')) {
      return parsed as [string, string, string];
    }
  } catch {
    // not ours: ignored
  }
  return [];
}

/** Second-precision UTC, as the model keeps it; anything unparsable is kept as written. */
function normalizeTimestamp(value: string | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function checksums(component: CdxComponent): Checksums {
  const result: Checksums = {};
  for (const hash of Array.isArray(component.hashes) ? component.hashes : []) {
    // An entry without `alg` or `content` (`hashes: [{}]`) states no hash.
    if (typeof hash?.alg !== 'string' || typeof hash.content !== 'string') continue;
    const algorithm = spdxHashName(hash.alg);
    if (algorithm && hash.content && result[algorithm] === undefined) result[algorithm] = hash.content.toLowerCase();
  }
  return result;
}

function supplierText(component: CdxComponent): string | undefined {
  const supplier = component.supplier;
  if (supplier?.name) return formatActor({ kind: 'Organization', name: supplier.name });
  const contact = supplier?.contact?.find((candidate) => candidate.name || candidate.email);
  if (contact) return formatActor({ kind: 'Person', name: contact.name ?? '', ...(contact.email ? { email: contact.email } : {}) });
  return undefined;
}

/** Joins licenses into one expression, bracketing compound parts. */
function joinLicenses(parts: string[]): string | undefined {
  const unique = [...new Set(parts)];
  if (unique.length <= 1) return unique[0];
  return unique.map((part) => (/\s/.test(part) ? `(${part})` : part)).join(' AND ');
}

function licenses(choices: CdxLicenseChoice[] | undefined): { concluded?: string; declared?: string } {
  const concluded: string[] = [];
  const declared: string[] = [];
  for (const choice of choices ?? []) {
    const value = choice.expression ?? choice.license?.id ?? choice.license?.name;
    if (!value) continue;
    const acknowledgement = choice.acknowledgement ?? choice.license?.acknowledgement;
    (acknowledgement === 'declared' ? declared : concluded).push(value);
  }
  return { concluded: joinLicenses(concluded), declared: joinLicenses(declared) };
}

function decodeDiff(patch: CdxPatch): string | undefined {
  const text = patch.diff?.text;
  if (!text) return undefined;
  return text.encoding === 'base64' ? Buffer.from(text.content, 'base64').toString('utf8') : text.content;
}

const PATCH_TYPES = new Set<Patch['type']>(['backport', 'unofficial', 'monkey', 'cherry-pick']);
const ISSUE_TYPES = new Set<Patch['resolves'][number]['type']>(['security', 'defect', 'enhancement']);

interface PatchFacts {
  path?: string;
  order?: number;
  sha256?: string;
  touches?: string[];
  description?: string;
}

function patches(component: CdxComponent): Patch[] {
  const facts = propertyValues(component.properties, PROP.patch).flatMap((value): PatchFacts[] => {
    try {
      const parsed = JSON.parse(value) as unknown;
      return typeof parsed === 'object' && parsed !== null ? [parsed as PatchFacts] : [];
    } catch {
      return [];
    }
  });
  return (component.pedigree?.patches ?? []).map((patch, index) => {
    const url = patch.diff?.url;
    const fact = facts.find((candidate) => url !== undefined && candidate.path === url) ?? facts[index] ?? {};
    const diff = decodeDiff(patch);
    return {
      path: fact.path ?? url ?? '',
      order: typeof fact.order === 'number' ? fact.order : index + 1,
      sha256: fact.sha256 ?? '',
      type: PATCH_TYPES.has(patch.type as Patch['type']) ? (patch.type as Patch['type']) : 'unofficial',
      touches: Array.isArray(fact.touches) ? fact.touches.filter((path) => typeof path === 'string') : [],
      resolves: (patch.resolves ?? []).map((issue) => {
        const url = issue.references?.[0] ?? issue.source?.url;
        return {
          id: issue.id ?? issue.name ?? '',
          type: ISSUE_TYPES.has(issue.type as Patch['resolves'][number]['type']) ? (issue.type as Patch['resolves'][number]['type']) : 'defect',
          ...(url ? { url } : {}),
        };
      }),
      ...(diff !== undefined ? { diff } : {}),
      ...(fact.description ? { description: fact.description } : {}),
    };
  });
}

function externalRefs(component: CdxComponent): ExternalRef[] {
  const fromProperties = propertyValues(component.properties, PROP.externalRef).flatMap((value): ExternalRef[] => {
    const [category, type, locator] = jsonTriple(value);
    return category && type && locator ? [{ category: category as ExternalRef['category'], type, locator }] : [];
  });
  // Other tools' references beyond the download location are kept as OTHER refs.
  const foreign = (component.externalReferences ?? [])
    .filter((reference) => reference.url && reference.type !== 'distribution')
    .map((reference): ExternalRef => ({ category: 'OTHER', type: reference.type, locator: reference.url }));
  return [...fromProperties, ...foreign];
}

class DocumentBuilder {
  private readonly document: SbomDocument = emptyDocument();
  private readonly packagesByRef = new Map<string, Package>();
  private readonly filesByPath = new Map<string, FileEntry>();
  private readonly ownerOfFile = new Map<string, string>();
  /** bom-ref as written -> package ref in the model. */
  private readonly refOfBomRef = new Map<string, string>();
  private primaryRef: string | undefined;

  constructor(private readonly bom: CdxBom) {}

  build(): SbomDocument {
    const { bom, document } = this;
    const metadata = bom.metadata;
    const props = metadata?.properties;
    document.dataLicense = licenses(metadata?.licenses).concluded ?? '';
    document.created = normalizeTimestamp(metadata?.timestamp);
    document.creators = this.creators();
    document.namespace = property(props, PROP.documentNamespace) ?? bom.serialNumber ?? '';
    const lifecycles = (metadata?.lifecycles ?? []).map((lifecycle) => lifecycle.phase ?? lifecycle.name ?? '').filter((name) => name !== '');
    if (lifecycles.length > 0) document.lifecycles = lifecycles;

    if (metadata?.component) {
      this.primaryRef = this.visit(metadata.component, undefined, undefined);
      document.describes.push(this.primaryRef);
    }
    for (const component of bom.components ?? []) this.visit(component, this.primaryRef, undefined);

    const primary = this.primaryRef === undefined ? undefined : this.packagesByRef.get(this.primaryRef);
    document.name = property(props, PROP.documentName) ?? (primary ? [primary.name, primary.version].filter(Boolean).join(' ') : '');
    pushAll(document.describes, propertyValues(props, PROP.describes));
    const licenseListVersion = property(props, PROP.licenseListVersion);
    if (licenseListVersion) document.licenseListVersion = licenseListVersion;
    const comment = property(props, PROP.documentComment);
    if (comment) document.comment = comment;
    const extracted = propertyValues(props, PROP.extractedLicense)
      .map((value) => parseJson<ExtractedLicense>(value))
      .filter((license): license is ExtractedLicense => license !== undefined && typeof license.id === 'string' && typeof license.text === 'string');
    if (extracted.length > 0) document.extractedLicenses = extracted;
    for (const value of propertyValues(props, PROP.relationship)) {
      const [from, type, to] = jsonTriple(value);
      if (from && type && to) document.relationships.push({ from, type, to });
    }

    for (const dependency of bom.dependencies ?? []) {
      const pkg = this.packagesByRef.get(this.refOfBomRef.get(dependency.ref) ?? '');
      if (!pkg) continue;
      // A Set beside the list: `includes` on it made 100,000 dependencies quadratic.
      const listed = new Set(pkg.dependsOn);
      for (const target of dependency.dependsOn ?? []) {
        const ref = this.refOfBomRef.get(target);
        if (ref !== undefined && this.packagesByRef.has(ref) && ref !== pkg.ref && !listed.has(ref)) {
          listed.add(ref);
          pkg.dependsOn.push(ref);
        }
      }
    }
    this.readManufacturer(primary, metadata?.component);
    this.readExtractedLicenses();
    const vulnerabilities = (bom.vulnerabilities ?? []).map((vulnerability) => this.statement(vulnerability));
    if (vulnerabilities.length > 0) document.vulnerabilities = vulnerabilities;
    for (const [path, owner] of this.ownerOfFile) this.packagesByRef.get(owner)?.files.push(path);
    document.packages = [...this.packagesByRef.values()];
    document.files = [...this.filesByPath.values()];
    return document;
  }

  /**
   * The organisation behind the software, as writeCycloneDx spells it: the metadata component's
   * `manufacturer` (CycloneDX 1.6; documents before it say `metadata.manufacture`), the supplier's
   * e-mail contact and the metadata component's `security-contact` reference as its security
   * contact (that reference is then not kept as a foreign one). 1.6's `metadata.manufacturer` is
   * who made the BOM: a creator (see creators()).
   */
  private readManufacturer(primary: Package | undefined, primaryComponent: CdxComponent | undefined): void {
    const metadata = this.bom.metadata;
    const organization = primaryComponent?.manufacturer?.name ? primaryComponent.manufacturer : metadata?.manufacture;
    if (!organization?.name) return;
    const email = metadata?.supplier?.contact?.find((contact) => contact.email)?.email;
    const securityRef = primary?.otherRefs?.find((ref) => ref.category === 'OTHER' && ref.type === 'security-contact');
    if (primary && securityRef) {
      primary.otherRefs = primary.otherRefs?.filter((ref) => ref !== securityRef);
      if (primary.otherRefs?.length === 0) delete primary.otherRefs;
    }
    const securityContact = { ...(email ? { email } : {}), ...(securityRef ? { url: securityRef.locator } : {}) };
    this.document.manufacturer = {
      name: organization.name,
      urls: organization.url ?? [],
      ...(email || securityRef ? { securityContact } : {}),
    };
  }

  /**
   * Named licenses whose name is a `LicenseRef-` id and that carry their text: the CycloneDX form
   * of SPDX's `hasExtractedLicensingInfos`, as writeCycloneDx writes them (`--license-list-version`).
   */
  private readExtractedLicenses(): void {
    const found = new Map<string, ExtractedLicense>();
    const pending: CdxComponent[] = [...(this.bom.metadata?.component ? [this.bom.metadata.component] : []), ...(this.bom.components ?? [])];
    // An explicit stack rather than recursion: nesting depth is bounded by the JSON reader anyway.
    while (pending.length > 0) {
      const component = pending.pop() as CdxComponent;
      for (const choice of component.licenses ?? []) {
        const license = choice.license;
        const text = license?.text?.content;
        if (!license?.name?.startsWith('LicenseRef-') || text === undefined || found.has(license.name)) continue;
        found.set(license.name, {
          id: license.name,
          name: license.name,
          text: license.text?.encoding === 'base64' ? Buffer.from(text, 'base64').toString('utf8') : text,
          ...(license.url ? { seeAlso: [license.url] } : {}),
        });
      }
      for (const nested of component.components ?? []) pending.push(nested);
      for (const ancestor of component.pedigree?.ancestors ?? []) pending.push(ancestor);
    }
    // What the document's own property recorded wins; a named license with text adds what it lacks.
    for (const license of this.document.extractedLicenses ?? []) found.set(license.id, license);
    if (found.size > 0) this.document.extractedLicenses = [...found.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /**
   * A `vulnerabilities[]` entry as a VEX statement: references' ids are its aliases, advisories'
   * URLs its references, `affects` refs the packages' refs (a BOM-Link or an unknown ref is kept
   * as written). Without an analysis state nothing is claimed: under investigation.
   */
  private statement(vulnerability: CdxVulnerability): VulnerabilityStatement {
    const source = vulnerability.source?.name
      ? { name: vulnerability.source.name, ...(vulnerability.source.url ? { url: vulnerability.source.url } : {}) }
      : undefined;
    const detail = vulnerability.analysis?.detail;
    const references = (vulnerability.advisories ?? []).map((advisory) => advisory.url).filter((url) => url !== '');
    return {
      id: vulnerability.id ?? vulnerability['bom-ref'] ?? '',
      aliases: (vulnerability.references ?? []).map((reference) => reference.id).filter((id) => id !== ''),
      ...(source ? { source } : {}),
      affects: (vulnerability.affects ?? []).map((affect) => this.refOfBomRef.get(affect.ref) ?? affect.ref),
      state: STATE_OF_ANALYSIS.get(vulnerability.analysis?.state ?? '') ?? 'under_investigation',
      ...(detail ? { detail } : {}),
      ...(references.length > 0 ? { references } : {}),
    };
  }

  private creators(): string[] {
    const metadata = this.bom.metadata;
    const tools = metadata?.tools;
    const toolList = Array.isArray(tools) ? tools : [...(tools?.components ?? []), ...(tools?.services ?? [])];
    const maker = metadata?.manufacturer;
    const makerEmail = maker?.contact?.find((contact) => contact.email)?.email;
    return [
      ...toolList.filter((tool) => tool.name).map((tool) => `Tool: ${tool.name}${tool.version ? `-${tool.version}` : ''}`),
      ...(maker?.name ? [formatActor({ kind: 'Organization', name: maker.name, ...(makerEmail ? { email: makerEmail } : {}) })] : []),
      ...propertyValues(metadata?.properties, PROP.creator),
      ...(metadata?.authors ?? [])
        .filter((author) => author.name || author.email)
        .map((author) => formatActor({ kind: 'Person', name: author.name ?? '', ...(author.email ? { email: author.email } : {}) })),
    ];
  }

  /**
   * Adds a component (and what it nests) to the document. `owner` is the package ref that a file
   * component here belongs to; `parent` the enclosing package (for CONTAINS). Returns the ref of
   * the package the component became, or of the owner for a file.
   */
  private visit(component: CdxComponent, owner: string | undefined, parent: string | undefined): string {
    if (component.type === 'file') {
      this.addFile(component, owner);
      for (const nested of component.components ?? []) this.visit(nested, owner, parent);
      return owner ?? '';
    }
    const snippet = snippetOf(component);
    if (snippet) {
      (this.document.snippets ??= []).push(snippet);
      return owner ?? '';
    }
    const bomRef = component['bom-ref'];
    const known = bomRef === undefined ? undefined : this.refOfBomRef.get(bomRef);
    if (known !== undefined && known === this.primaryRef) {
      // The metadata component listed again among the components: the same package.
      for (const nested of component.components ?? []) this.visit(nested, known, known);
      return known;
    }
    const pkg = this.addPackage(component);
    if (parent !== undefined) {
      this.document.relationships.push({ from: parent, type: 'CONTAINS', to: pkg.ref });
    }
    for (const nested of component.components ?? []) this.visit(nested, pkg.ref, pkg.ref);
    const ancestors = component.pedigree?.ancestors ?? [];
    const pedigreePatches = patches(component);
    // An empty pedigree object is kept: it says the component was modified, without saying how.
    if (component.pedigree !== undefined) {
      pkg.pedigree = { ancestors: ancestors.map((ancestor) => this.visit(ancestor, undefined, undefined)), patches: pedigreePatches };
    }
    return pkg.ref;
  }

  private uniqueRef(wanted: string): string {
    let ref = wanted;
    for (let n = 2; this.packagesByRef.has(ref); n++) ref = `${wanted}#${n}`;
    return ref;
  }

  private addPackage(component: CdxComponent): Package {
    const props = component.properties;
    const bomRef = component['bom-ref'];
    const fallback = [component.group, component.name].filter(Boolean).join('/') + (component.version ? `@${component.version}` : '');
    const ref = this.uniqueRef(bomRef || fallback || 'component');
    if (bomRef !== undefined && !this.refOfBomRef.has(bomRef)) this.refOfBomRef.set(bomRef, ref);

    const { concluded, declared } = licenses(component.licenses);
    const distribution = (component.externalReferences ?? []).find((reference) => reference.type === 'distribution' && reference.url);
    const purpose = property(props, PROP.purpose) ?? PURPOSE_OF_COMPONENT_TYPE.get(component.type);
    const otherRefs = externalRefs(component);
    const originator = property(props, PROP.originator);
    const downloadLocation = distribution?.url ?? property(props, PROP.downloadLocation);
    const packageFileName = property(props, PROP.packageFileName) ?? property(props, BSI_PROP.filename);
    const artifactProperties = bsiArtifactProperties(props);
    const comment = property(props, PROP.comment);
    const spdxId = property(props, PROP.spdxId);
    const licenseConcluded = concluded ?? property(props, PROP.licenseConcluded);
    const licenseDeclared = declared ?? property(props, PROP.licenseDeclared);
    const supplier = supplierText(component) ?? property(props, PROP.supplier);
    const pkg: Package = {
      ref,
      // A component without a name (`metadata.component: {}`) is read with an empty one.
      name: typeof component.name === 'string' ? component.name : '',
      version: typeof component.version === 'string' ? component.version : '',
      ...(purpose ? { purpose: purpose as Package['purpose'] } : {}),
      ...(supplier ? { supplier } : {}),
      ...(originator ? { originator } : {}),
      ...(downloadLocation ? { downloadLocation } : {}),
      ...(packageFileName ? { packageFileName } : {}),
      ...(artifactProperties ? { artifactProperties } : {}),
      ...(licenseConcluded ? { licenseConcluded } : {}),
      ...(licenseDeclared ? { licenseDeclared } : {}),
      checksums: checksums(component),
      ...(component.purl ? { purl: component.purl } : {}),
      ...(component.cpe ? { cpe: component.cpe } : {}),
      ...(otherRefs.length > 0 ? { otherRefs } : {}),
      files: [],
      dependsOn: [],
      ...(component.scope === 'excluded' || component.scope === 'required' ? { scope: component.scope } : {}),
      ...(component.description ? { description: component.description } : {}),
      ...(comment ? { comment } : {}),
      ...(spdxId ? { spdxId } : {}),
      ...(property(props, PROP.filesAnalyzed) === 'false' ? { filesAnalyzed: false } : {}),
      ...optionalText('verificationCode', property(props, PROP.verificationCode)),
      ...optionalText('licenseComments', property(props, PROP.licenseComments)),
      ...optionalText('sourceInfo', property(props, PROP.sourceInfo)),
      ...optionalText('copyrightText', component.copyright),
    };
    const fromFiles = stringList(property(props, PROP.licenseInfoFromFiles));
    if (fromFiles.length > 0) pkg.licenseInfoFromFiles = fromFiles;
    const evidence = packageEvidence(component);
    if (evidence) pkg.evidence = evidence;
    this.packagesByRef.set(ref, pkg);
    return pkg;
  }

  private addFile(component: CdxComponent, owner: string | undefined): void {
    const path = component.name;
    if (!path || this.filesByPath.has(path)) return;
    const spdxId = property(component.properties, PROP.spdxId);
    const listed = stringList(property(component.properties, PROP.licenseInfoInFiles));
    const found = listed.length > 0 ? listed : evidenceLicenseList(component.evidence);
    // Each statement is an entry; SPDX's copyrightText has them one per line.
    const copyright = (component.evidence?.copyright ?? [])
      .map((item) => item.text)
      .filter(Boolean)
      .join('\n');
    this.filesByPath.set(path, {
      path,
      checksums: checksums(component),
      ...(spdxId ? { spdxId } : {}),
      ...(component.description ? { comment: component.description } : {}),
      ...(found.length > 0 ? { licenseInfoInFiles: found } : {}),
      ...(copyright ? { copyrightText: copyright } : {}),
    });
    if (component['bom-ref'] !== undefined) this.refOfBomRef.set(component['bom-ref'], FILE_REF_PREFIX + path);
    const unowned = property(component.properties, PROP.unowned) === 'true';
    if (owner !== undefined && !unowned) this.ownerOfFile.set(path, owner);
  }
}

/** CycloneDX `analysis.state` -> the model's VEX state (OpenVEX's four). */
const STATE_OF_ANALYSIS = new Map<string, VulnerabilityStatement['state']>([
  ['resolved', 'fixed'],
  ['resolved_with_pedigree', 'fixed'],
  ['in_triage', 'under_investigation'],
  ['exploitable', 'affected'],
  ['not_affected', 'not_affected'],
  ['false_positive', 'not_affected'],
]);

function optionalText<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value ? { [key]: value } : {}) as { [P in K]?: string };
}

/** The license ids and expressions of `evidence.licenses`, in order. */
function evidenceLicenseList(evidence: CdxEvidence | undefined): string[] {
  return (evidence?.licenses ?? [])
    .map((choice) => choice.expression ?? choice.license?.id ?? choice.license?.name)
    .filter((value): value is string => value !== undefined && value !== '');
}

/** A JSON array of strings from a property, or nothing. */
function stringList(value: string | undefined): string[] {
  const parsed = value === undefined ? undefined : parseJson<unknown>(value);
  return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string') : [];
}

function parseJson<T>(value: string): T | undefined {
  try {
    return JSON.parse(value) as T;
  } catch {
    return undefined;
  }
}

/** `lines 287-464` (our occurrences' additionalContext) as a range. */
function linesOf(context: string | undefined, line: number | undefined): [number, number] | undefined {
  const match = /lines (\d+)-(\d+)/.exec(context ?? '');
  if (match) return [Number(match[1]), Number(match[2])];
  return line === undefined ? undefined : [line, line];
}

/**
 * A package's evidence: where and how each license and copyright was found comes back from our
 * properties; another tool's `evidence` gives the bare licenses and copyrights.
 */
function packageEvidence(component: CdxComponent): PackageEvidence | undefined {
  const props = component.properties;
  const licenses = propertyValues(props, PROP.licenseEvidence)
    .map((value) => parseJson<LicenseEvidence>(value))
    .filter((item): item is LicenseEvidence => item !== undefined && typeof item.expression === 'string');
  const copyrights = propertyValues(props, PROP.copyrightEvidence)
    .map((value) => parseJson<CopyrightEvidence>(value))
    .filter((item): item is CopyrightEvidence => item !== undefined && typeof item.text === 'string');
  // Our own writer says what its evidence.licenses hold: the evidence items, and the licenses of
  // the package's files (licenseInfoFromFiles), which are not evidence items of their own.
  const ours = property(props, PROP.licenseInfoFromFiles) !== undefined;
  if (licenses.length === 0 && !ours)
    pushAll(
      licenses,
      evidenceLicenseList(component.evidence).map((expression): LicenseEvidence => ({ expression, method: 'license-text' })),
    );
  if (copyrights.length === 0)
    pushAll(
      copyrights,
      (component.evidence?.copyright ?? []).map((item) => ({ text: item.text })),
    );
  const occurrences = (component.evidence?.occurrences ?? []).map((item): Occurrence => {
    const lines = linesOf(item.additionalContext, item.line);
    return lines ? { path: item.location, lines } : { path: item.location };
  });
  if (licenses.length + copyrights.length + occurrences.length === 0) return undefined;
  return { licenses, copyrights, occurrences };
}

/** A component the writer marked as an SPDX snippet (`cpython-sbom:snippet`). */
function snippetOf(component: CdxComponent): Snippet | undefined {
  const marker = property(component.properties, PROP.snippet);
  if (marker === undefined) return undefined;
  const where = parseJson<{ file?: unknown; bytes?: unknown; lines?: unknown }>(marker);
  const range = (value: unknown): [number, number] | undefined =>
    Array.isArray(value) && value.length === 2 && value.every((n) => typeof n === 'number') ? [value[0] as number, value[1] as number] : undefined;
  const bytes = range(where?.bytes);
  const lines = range(where?.lines);
  if (!where || typeof where.file !== 'string' || !bytes || !lines) return undefined;
  const { concluded } = licenses(component.licenses);
  const snippet: Snippet = {
    ref: component['bom-ref'] ?? `snippet:${component.name}`,
    name: component.name,
    file: where.file,
    byteRange: bytes,
    lineRange: lines,
    licenseInfoInSnippet: evidenceLicenseList(component.evidence),
  };
  const licenseConcluded = concluded ?? property(component.properties, PROP.licenseConcluded);
  if (licenseConcluded) snippet.licenseConcluded = licenseConcluded;
  if (component.version) snippet.version = component.version;
  if (component.purl) snippet.purl = component.purl;
  if (component.copyright) snippet.copyrightText = component.copyright;
  const comment = property(component.properties, PROP.comment);
  if (comment) snippet.comment = comment;
  const attribution = property(component.properties, PROP.attributionText);
  if (attribution) snippet.attributionText = attribution;
  return snippet;
}
