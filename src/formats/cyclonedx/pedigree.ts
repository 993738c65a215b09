/**
 * `component.pedigree` for the library's serializers. @cyclonedx/cyclonedx-library (10.x) models
 * no pedigree, so we keep one per component in a side table and extend the library's own
 * normalizer factories (JSON and XML) to render it in the place the schemas want. Everything else
 * in the document still comes from the library's models and normalizers.
 *
 * The same factories also leave out dependency-graph entries for `file` components: the library
 * lists every component there, which for CPython would add ~5,000 empty `{"ref": "file:…"}` rows
 * that say nothing (files have no dependencies). Every entry that stays carries `dependsOn`, an
 * empty list when the component depends on nothing: the library leaves the key out then, and
 * consumers such as cdxgen's `cdx-validate` read a missing `dependsOn` as "unknown" and reject it.
 *
 * The metadata timestamp is written in whole seconds (`2026-01-01T00:00:00Z`, as in SPDX): the
 * library writes `Date.toISOString()`, whose `.000` milliseconds some converters refuse.
 *
 * CycloneDX 1.6 moved the organisation that made the described software from
 * `metadata.manufacture` to the metadata component's `manufacturer`, and gave `metadata.manufacturer`
 * the meaning "the organisation that created the BOM". The library (10.x) models neither, so both
 * come from side tables too (`WriterExtras`), and are written only for 1.6 and later.
 */
import * as Models from '@cyclonedx/cyclonedx-library/Models';
import * as Serialize from '@cyclonedx/cyclonedx-library/Serialize';
import type * as Spec from '@cyclonedx/cyclonedx-library/Spec';

/** The library keeps its spec protocol type internal; every `Spec.SpecN` has this shape. */
export type CdxSpec = typeof Spec.Spec1dot6;
import type { Patch } from '../../model/types.js';

type NormalizerOptions = Serialize.Types.NormalizerOptions;
type XmlElement = Serialize.XML.Types.SimpleXml.Element;

export interface ComponentPedigree {
  /** Components this one derives from, rendered in full inside `pedigree.ancestors`. */
  ancestors: Models.Component[];
  patches: Patch[];
}

/** Pedigrees by component, filled by the writer before it serializes. */
export type PedigreeTable = WeakMap<Models.Component, ComponentPedigree>;

/**
 * `evidence.occurrences` (CycloneDX 1.6: where in the tree a component's code is), which the
 * library does not model either: one side table, rendered by the same normalizers.
 */
export interface CdxOccurrence {
  location: string;
  line?: number;
  offset?: number;
  additionalContext?: string;
}
export type OccurrenceTable = WeakMap<Models.Component, CdxOccurrence[]>;

/** An organizational entity as the schemas spell it (JSON layout). */
export interface EntityJson {
  name: string;
  url?: string[];
  contact?: { name?: string; email?: string }[];
}
/** 1.6 `component.manufacturer` by component. */
export type ManufacturerTable = WeakMap<Models.Component, EntityJson>;
/** What `metadata` gets beyond the library's model: 1.6's `manufacturer` (who made the BOM). */
export interface MetadataExtras {
  manufacturer?: EntityJson;
}
export interface WriterExtras {
  manufacturers: ManufacturerTable;
  metadata: MetadataExtras;
}

function emptyExtras(): WriterExtras {
  return { manufacturers: new WeakMap(), metadata: {} };
}

/** The versions that have `manufacturer` on components and metadata (1.6 and later). */
function hasManufacturer(spec: CdxSpec): boolean {
  const [major, minor] = String(spec.version).split('.').map(Number);
  return (major ?? 0) > 1 || ((major ?? 0) === 1 && (minor ?? 0) >= 6);
}

/** `{name, url, contact}` with the keys the entity has, in the schema's order. */
function entityJson(entity: EntityJson): EntityJson {
  return {
    name: entity.name,
    ...(entity.url && entity.url.length > 0 ? { url: entity.url } : {}),
    ...(entity.contact && entity.contact.length > 0 ? { contact: entity.contact } : {}),
  };
}

/** Inserts `key: value` into a plain object right after `after` (or first), keeping the other keys' order. */
function insertAfter<T extends object>(object: T, after: string, key: string, value: unknown): T {
  const entries = Object.entries(object);
  const at = entries.findIndex(([name]) => name === after);
  entries.splice(at + 1, 0, [key, value]);
  return Object.fromEntries(entries) as T;
}

/** XML 1.0 cannot carry most control characters: such diffs go base64-encoded. */
const XML_UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function diffAttachment(patch: Patch): Models.Attachment | undefined {
  if (patch.diff === undefined) return undefined;
  return XML_UNSAFE.test(patch.diff)
    ? new Models.Attachment(Buffer.from(patch.diff, 'utf8').toString('base64'), {
        contentType: 'text/x-diff',
        encoding: 'base64' as Models.Attachment['encoding'],
      })
    : new Models.Attachment(patch.diff, { contentType: 'text/x-diff' });
}

function issueUrls(issue: Patch['resolves'][number]): string[] {
  return issue.url ? [issue.url] : [];
}

// ---------------------------------------------------------------------------------------------- JSON

export class JsonNormalizerFactory extends Serialize.JSON.Normalize.Factory {
  readonly manufacturers: boolean;
  constructor(
    spec: CdxSpec,
    readonly pedigrees: PedigreeTable,
    readonly fileRefs: ReadonlySet<string>,
    readonly occurrences: OccurrenceTable = new WeakMap(),
    readonly extras: WriterExtras = emptyExtras(),
  ) {
    super(spec);
    this.manufacturers = hasManufacturer(spec);
  }

  override makeForComponent(): Serialize.JSON.Normalize.ComponentNormalizer {
    return new JsonComponentNormalizer(this);
  }

  override makeForDependencyGraph(): Serialize.JSON.Normalize.DependencyGraphNormalizer {
    return new JsonDependencyGraphNormalizer(this);
  }

  override makeForMetadata(): Serialize.JSON.Normalize.MetadataNormalizer {
    return new JsonMetadataNormalizer(this);
  }
}

/** `2026-01-01T00:00:00.000Z` -> `2026-01-01T00:00:00Z`; any other text is left alone. */
export function wholeSecondsTimestamp(text: string): string {
  return text.replace(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.\d+Z$/, '$1Z');
}

class JsonMetadataNormalizer extends Serialize.JSON.Normalize.MetadataNormalizer {
  override normalize(data: Models.Metadata, options: NormalizerOptions) {
    const normalized = super.normalize(data, options);
    if (normalized.timestamp !== undefined) normalized.timestamp = wholeSecondsTimestamp(normalized.timestamp);
    const factory = this.factory as JsonNormalizerFactory;
    const maker = factory.extras.metadata.manufacturer;
    if (maker && factory.manufacturers) {
      return insertAfter(normalized, normalized.component !== undefined ? 'component' : 'authors', 'manufacturer', entityJson(maker));
    }
    return normalized;
  }
}

class JsonComponentNormalizer extends Serialize.JSON.Normalize.ComponentNormalizer {
  override normalize(data: Models.Component, options: NormalizerOptions) {
    const factory = this.factory as JsonNormalizerFactory;
    let normalized = super.normalize(data, options);
    const manufacturer = factory.manufacturers ? factory.extras.manufacturers.get(data) : undefined;
    if (normalized !== undefined && manufacturer) {
      normalized = insertAfter(normalized, normalized.supplier !== undefined ? 'supplier' : 'type', 'manufacturer', entityJson(manufacturer));
    }
    const occurrences = (this.factory as JsonNormalizerFactory).occurrences.get(data);
    if (normalized !== undefined && occurrences !== undefined && occurrences.length > 0) {
      normalized.evidence = Object.assign(normalized.evidence ?? {}, { occurrences });
    }
    const pedigree = (this.factory as JsonNormalizerFactory).pedigrees.get(data);
    if (normalized === undefined || pedigree === undefined) return normalized;
    const attachments = this.factory.makeForAttachment();
    return Object.assign(normalized, {
      pedigree: {
        ancestors: pedigree.ancestors.length > 0 ? this.normalizeIterable(new Models.ComponentRepository(pedigree.ancestors), options) : undefined,
        patches:
          pedigree.patches.length > 0
            ? pedigree.patches.map((patch) => {
                const text = diffAttachment(patch);
                return {
                  type: patch.type,
                  diff: { text: text && attachments.normalize(text, options), url: patch.path },
                  resolves:
                    patch.resolves.length > 0
                      ? patch.resolves.map((issue) => ({
                          type: issue.type,
                          id: issue.id,
                          references: issue.url ? issueUrls(issue) : undefined,
                        }))
                      : undefined,
                };
              })
            : undefined,
      },
    });
  }
}

class JsonDependencyGraphNormalizer extends Serialize.JSON.Normalize.DependencyGraphNormalizer {
  override normalize(data: Models.Bom, options: NormalizerOptions) {
    const fileRefs = (this.factory as JsonNormalizerFactory).fileRefs;
    return super
      .normalize(data, options)
      ?.filter((entry) => !(fileRefs.has(entry.ref) && entry.dependsOn === undefined))
      .map((entry) => ({ ...entry, dependsOn: entry.dependsOn ?? [] }));
  }
}

// ----------------------------------------------------------------------------------------------- XML

export class XmlNormalizerFactory extends Serialize.XML.Normalize.Factory {
  readonly manufacturers: boolean;
  constructor(
    spec: CdxSpec,
    readonly pedigrees: PedigreeTable,
    readonly fileRefs: ReadonlySet<string>,
    readonly occurrences: OccurrenceTable = new WeakMap(),
    readonly extras: WriterExtras = emptyExtras(),
  ) {
    super(spec);
    this.manufacturers = hasManufacturer(spec);
  }

  override makeForComponent(): Serialize.XML.Normalize.ComponentNormalizer {
    return new XmlComponentNormalizer(this);
  }

  override makeForDependencyGraph(): Serialize.XML.Normalize.DependencyGraphNormalizer {
    return new XmlDependencyGraphNormalizer(this);
  }

  override makeForMetadata(): Serialize.XML.Normalize.MetadataNormalizer {
    return new XmlMetadataNormalizer(this);
  }
}

class XmlMetadataNormalizer extends Serialize.XML.Normalize.MetadataNormalizer {
  override normalize(data: Models.Metadata, options: NormalizerOptions, elementName: string) {
    const normalized = super.normalize(data, options, elementName);
    if (Array.isArray(normalized.children)) {
      for (const child of normalized.children as XmlElement[]) {
        if (child.name === 'timestamp' && typeof child.children === 'string') child.children = wholeSecondsTimestamp(child.children);
      }
      const factory = this.factory as XmlNormalizerFactory;
      const maker = factory.extras.metadata.manufacturer;
      if (maker && factory.manufacturers) {
        // The XSD orders timestamp, lifecycles, tools, authors, component, manufacturer, manufacture, supplier, …
        const children = normalized.children as XmlElement[];
        const at = children.findIndex((child) => ['manufacture', 'supplier', 'licenses', 'properties'].includes(child.name));
        children.splice(at < 0 ? children.length : at, 0, entityXml('manufacturer', maker));
      }
    }
    return normalized;
  }
}

function entityXml(name: string, entity: EntityJson): XmlElement {
  return element(name, [
    element('name', entity.name),
    ...(entity.url ?? []).map((url) => element('url', url)),
    ...(entity.contact ?? []).map((contact) =>
      element('contact', [...(contact.name ? [element('name', contact.name)] : []), ...(contact.email ? [element('email', contact.email)] : [])]),
    ),
  ]);
}

function element(name: string, children: XmlElement['children'], attributes?: XmlElement['attributes']): XmlElement {
  return { type: 'element', name, ...(attributes ? { attributes } : {}), children };
}

/** Children of `<component>` that the XSD places after `<pedigree>`. */
const AFTER_PEDIGREE = new Set(['externalReferences', 'properties', 'components', 'evidence']);

class XmlComponentNormalizer extends Serialize.XML.Normalize.ComponentNormalizer {
  override normalize(data: Models.Component, options: NormalizerOptions, elementName: string) {
    const normalized = super.normalize(data, options, elementName);
    const factory = this.factory as XmlNormalizerFactory;
    const manufacturer = factory.manufacturers ? factory.extras.manufacturers.get(data) : undefined;
    if (normalized !== undefined && manufacturer && Array.isArray(normalized.children)) {
      // The XSD starts a component with supplier, then manufacturer, then authors, author, publisher, group, name, …
      const children = normalized.children as XmlElement[];
      const at = children.findIndex((child) => child.name !== 'supplier');
      children.splice(at < 0 ? children.length : at, 0, entityXml('manufacturer', manufacturer));
    }
    const occurrences = (this.factory as XmlNormalizerFactory).occurrences.get(data);
    if (normalized !== undefined && Array.isArray(normalized.children) && occurrences !== undefined && occurrences.length > 0) {
      addXmlOccurrences(normalized.children as XmlElement[], occurrences);
    }
    const pedigree = (this.factory as XmlNormalizerFactory).pedigrees.get(data);
    if (normalized === undefined || pedigree === undefined || !Array.isArray(normalized.children)) return normalized;
    const attachments = this.factory.makeForAttachment();
    const parts: XmlElement[] = [];
    if (pedigree.ancestors.length > 0) {
      parts.push(element('ancestors', this.normalizeIterable(new Models.ComponentRepository(pedigree.ancestors), options, 'component')));
    }
    if (pedigree.patches.length > 0) {
      const patches = pedigree.patches.map((patch) => {
        const text = diffAttachment(patch);
        const diff = element('diff', [...(text ? [attachments.normalize(text, options, 'text')] : []), element('url', patch.path)]);
        const issues = patch.resolves.map((issue) =>
          element(
            'issue',
            [
              element('id', issue.id),
              ...(issue.url
                ? [
                    element(
                      'references',
                      issueUrls(issue).map((url) => element('url', url)),
                    ),
                  ]
                : []),
            ],
            { type: issue.type },
          ),
        );
        return element('patch', [diff, ...(issues.length > 0 ? [element('resolves', issues)] : [])], { type: patch.type });
      });
      parts.push(element('patches', patches));
    }
    const children = normalized.children as XmlElement[];
    const at = children.findIndex((child) => AFTER_PEDIGREE.has(child.name));
    children.splice(at < 0 ? children.length : at, 0, element('pedigree', parts));
    return normalized;
  }
}

/** `<evidence>` gets `<occurrences>` first: the XSD orders identity, occurrences, callstack, licenses, copyright. */
function addXmlOccurrences(children: XmlElement[], occurrences: CdxOccurrence[]): void {
  const list = element(
    'occurrences',
    occurrences.map((occurrence) =>
      element('occurrence', [
        element('location', occurrence.location),
        ...(occurrence.line !== undefined ? [element('line', String(occurrence.line))] : []),
        ...(occurrence.offset !== undefined ? [element('offset', String(occurrence.offset))] : []),
        ...(occurrence.additionalContext !== undefined ? [element('additionalContext', occurrence.additionalContext)] : []),
      ]),
    ),
  );
  let evidence = children.find((child) => child.name === 'evidence');
  if (!evidence) {
    evidence = element('evidence', []);
    // <evidence> follows <components> and comes before <releaseNotes>/<modelCard>/<data>/...
    const at = children.findIndex((child) => ['releaseNotes', 'modelCard', 'data', 'cryptoProperties', 'signature'].includes(child.name));
    children.splice(at < 0 ? children.length : at, 0, evidence);
  }
  const inner = Array.isArray(evidence.children) ? (evidence.children as XmlElement[]) : [];
  evidence.children = [...inner.filter((child) => child.name === 'identity'), list, ...inner.filter((child) => child.name !== 'identity')];
}

class XmlDependencyGraphNormalizer extends Serialize.XML.Normalize.DependencyGraphNormalizer {
  override normalize(data: Models.Bom, options: NormalizerOptions, elementName: string) {
    const graph = super.normalize(data, options, elementName);
    const fileRefs = (this.factory as XmlNormalizerFactory).fileRefs;
    if (graph !== undefined && Array.isArray(graph.children)) {
      graph.children = (graph.children as XmlElement[]).filter((entry) => {
        const ref = String(entry.attributes?.ref ?? '');
        const empty = entry.children === undefined || (Array.isArray(entry.children) && entry.children.length === 0);
        return !(fileRefs.has(ref) && empty);
      });
    }
    return graph;
  }
}
