/**
 * The part of CycloneDX the reader understands, in the JSON layout. JSON documents are checked
 * into it (wrong types are an InputError naming the JSON pointer); XML documents are converted
 * into it, so one mapping turns either into the model.
 */
import { child, childText, children, type XmlElement } from './xml.js';

export interface CdxHash {
  alg: string;
  content: string;
}
export interface CdxEntity {
  name?: string;
  url?: string[];
  contact?: { name?: string; email?: string }[];
}
export interface CdxLicenseChoice {
  license?: { id?: string; name?: string; acknowledgement?: string; text?: { content?: string; encoding?: string }; url?: string };
  expression?: string;
  acknowledgement?: string;
}
export interface CdxExternalReference {
  url: string;
  type: string;
  comment?: string;
}
export interface CdxProperty {
  name: string;
  value: string;
}
export interface CdxIssue {
  type: string;
  id?: string;
  name?: string;
  source?: { name?: string; url?: string };
  references?: string[];
}
export interface CdxPatch {
  type: string;
  diff?: { text?: { content: string; contentType?: string; encoding?: string }; url?: string };
  resolves?: CdxIssue[];
}
export interface CdxComponent {
  type: string;
  name: string;
  version?: string;
  group?: string;
  'bom-ref'?: string;
  supplier?: CdxEntity;
  /** CycloneDX 1.6: the organisation that made the component (the metadata component's replaces `metadata.manufacture`). */
  manufacturer?: CdxEntity;
  author?: string;
  description?: string;
  scope?: string;
  hashes?: CdxHash[];
  licenses?: CdxLicenseChoice[];
  cpe?: string;
  purl?: string;
  externalReferences?: CdxExternalReference[];
  properties?: CdxProperty[];
  components?: CdxComponent[];
  pedigree?: { ancestors?: CdxComponent[]; patches?: CdxPatch[] };
  copyright?: string;
  evidence?: CdxEvidence;
}
export interface CdxOccurrence {
  location: string;
  line?: number;
  offset?: number;
  additionalContext?: string;
}
export interface CdxEvidence {
  licenses?: CdxLicenseChoice[];
  copyright?: { text: string }[];
  occurrences?: CdxOccurrence[];
}
export interface CdxTool {
  vendor?: string;
  name?: string;
  version?: string;
}
/** A `vulnerabilities[]` entry, as far as VEX statements need it. */
export interface CdxVulnerability {
  'bom-ref'?: string;
  id?: string;
  source?: { name?: string; url?: string };
  references?: { id: string; source?: { name?: string; url?: string } }[];
  advisories?: { title?: string; url: string }[];
  analysis?: { state?: string; justification?: string; detail?: string };
  affects?: { ref: string }[];
}
export interface CdxBom {
  specVersion: string;
  serialNumber?: string;
  metadata?: {
    timestamp?: string;
    tools?: CdxTool[] | { components?: CdxTool[]; services?: CdxTool[] };
    /** 1.5+: the lifecycle phases (or named lifecycles) the BOM's data was captured in. */
    lifecycles?: { phase?: string; name?: string }[];
    authors?: { name?: string; email?: string }[];
    /** The organisation behind the described software, as 1.2–1.5 name it (1.6: `component.manufacturer`). */
    manufacture?: CdxEntity;
    /** 1.6+: the organisation that made the BOM. */
    manufacturer?: CdxEntity;
    supplier?: CdxEntity;
    component?: CdxComponent;
    licenses?: CdxLicenseChoice[];
    properties?: CdxProperty[];
  };
  components?: CdxComponent[];
  dependencies?: { ref: string; dependsOn?: string[] }[];
  vulnerabilities?: CdxVulnerability[];
}

// ----------------------------------------------------------------------------------------------- XML

function entity(element: XmlElement | undefined): CdxEntity | undefined {
  if (!element) return undefined;
  const contacts = children(element, 'contact').map((contact) => ({
    name: childText(contact, 'name'),
    email: childText(contact, 'email'),
  }));
  const urls = children(element, 'url').map((url) => url.text.trim());
  return { name: childText(element, 'name'), ...(urls.length > 0 ? { url: urls } : {}), contact: contacts };
}

function licenseChoices(element: XmlElement | undefined): CdxLicenseChoice[] | undefined {
  if (!element) return undefined;
  return element.children.flatMap((choice): CdxLicenseChoice[] => {
    if (choice.name === 'expression') {
      return [{ expression: choice.text.trim(), acknowledgement: choice.attributes.acknowledgement }];
    }
    if (choice.name === 'license') {
      const text = child(choice, 'text');
      return [
        {
          license: {
            id: childText(choice, 'id'),
            name: childText(choice, 'name'),
            acknowledgement: choice.attributes.acknowledgement,
            ...(text ? { text: { content: text.text, encoding: text.attributes.encoding } } : {}),
            url: childText(choice, 'url'),
          },
        },
      ];
    }
    return [];
  });
}

function properties(element: XmlElement | undefined): CdxProperty[] | undefined {
  return element && children(element, 'property').map((property) => ({ name: property.attributes.name ?? '', value: property.text }));
}

function patch(element: XmlElement): CdxPatch {
  const diff = child(element, 'diff');
  const text = child(diff, 'text');
  return {
    type: element.attributes.type ?? '',
    diff: diff && {
      text: text && { content: text.text, contentType: text.attributes['content-type'], encoding: text.attributes.encoding },
      url: childText(diff, 'url'),
    },
    resolves: children(child(element, 'resolves'), 'issue').map((issue) => {
      const source = child(issue, 'source');
      return {
        type: issue.attributes.type ?? '',
        id: childText(issue, 'id'),
        name: childText(issue, 'name'),
        source: source && { name: childText(source, 'name'), url: childText(source, 'url') },
        references: children(child(issue, 'references'), 'url').map((url) => url.text.trim()),
      };
    }),
  };
}

function evidence(element: XmlElement | undefined): CdxEvidence | undefined {
  if (!element) return undefined;
  const number = (text: string | undefined) => (text === undefined || text.trim() === '' ? undefined : Number(text));
  return {
    licenses: licenseChoices(child(element, 'licenses')),
    copyright: children(child(element, 'copyright'), 'text').map((text) => ({ text: text.text })),
    occurrences: children(child(element, 'occurrences'), 'occurrence').map((occurrence) => ({
      location: childText(occurrence, 'location') ?? '',
      line: number(childText(occurrence, 'line')),
      offset: number(childText(occurrence, 'offset')),
      additionalContext: childText(occurrence, 'additionalContext'),
    })),
  };
}

function component(element: XmlElement): CdxComponent {
  const nested = child(element, 'components');
  const pedigree = child(element, 'pedigree');
  return {
    type: element.attributes.type ?? '',
    name: childText(element, 'name') ?? '',
    version: childText(element, 'version'),
    group: childText(element, 'group'),
    'bom-ref': element.attributes['bom-ref'],
    supplier: entity(child(element, 'supplier')),
    manufacturer: entity(child(element, 'manufacturer')),
    author: childText(element, 'author'),
    description: childText(element, 'description'),
    scope: childText(element, 'scope'),
    hashes: children(child(element, 'hashes'), 'hash').map((hash) => ({ alg: hash.attributes.alg ?? '', content: hash.text.trim() })),
    licenses: licenseChoices(child(element, 'licenses')),
    cpe: childText(element, 'cpe'),
    purl: childText(element, 'purl'),
    externalReferences: children(child(element, 'externalReferences'), 'reference').map((reference) => ({
      url: childText(reference, 'url') ?? '',
      type: reference.attributes.type ?? '',
      comment: childText(reference, 'comment'),
    })),
    properties: properties(child(element, 'properties')),
    components: nested && children(nested, 'component').map(component),
    copyright: childText(element, 'copyright'),
    evidence: evidence(child(element, 'evidence')),
    pedigree: pedigree && {
      ancestors: children(child(pedigree, 'ancestors'), 'component').map(component),
      patches: children(child(pedigree, 'patches'), 'patch').map(patch),
    },
  };
}

function tool(element: XmlElement): CdxTool {
  return { vendor: childText(element, 'vendor'), name: childText(element, 'name'), version: childText(element, 'version') };
}

function vulnerabilitySource(element: XmlElement | undefined): { name?: string; url?: string } | undefined {
  return element && { name: childText(element, 'name'), url: childText(element, 'url') };
}

function vulnerability(element: XmlElement): CdxVulnerability {
  const analysis = child(element, 'analysis');
  return {
    'bom-ref': element.attributes['bom-ref'],
    id: childText(element, 'id'),
    source: vulnerabilitySource(child(element, 'source')),
    references: children(child(element, 'references'), 'reference').map((reference) => ({
      id: childText(reference, 'id') ?? '',
      source: vulnerabilitySource(child(reference, 'source')),
    })),
    advisories: children(child(element, 'advisories'), 'advisory').map((advisory) => ({
      title: childText(advisory, 'title'),
      url: childText(advisory, 'url') ?? '',
    })),
    analysis: analysis && {
      state: childText(analysis, 'state'),
      justification: childText(analysis, 'justification'),
      detail: childText(analysis, 'detail'),
    },
    affects: children(child(element, 'affects'), 'target').map((target) => ({ ref: childText(target, 'ref') ?? '' })),
  };
}

/** Converts a parsed CycloneDX XML document (root `<bom>`) into the JSON layout. */
export function bomFromXml(root: XmlElement, specVersion: string): CdxBom {
  const metadata = child(root, 'metadata');
  const tools = child(metadata, 'tools');
  const metadataComponent = child(metadata, 'component');
  return {
    specVersion,
    serialNumber: root.attributes.serialNumber,
    metadata: metadata && {
      timestamp: childText(metadata, 'timestamp'),
      lifecycles: children(child(metadata, 'lifecycles'), 'lifecycle').map((lifecycle) => ({
        phase: childText(lifecycle, 'phase'),
        name: childText(lifecycle, 'name'),
      })),
      tools: tools && {
        // 1.2–1.4 list <tool>s; 1.5+ lists <components>/<services> (and still allows <tool>).
        components: [
          ...children(tools, 'tool').map(tool),
          ...children(child(tools, 'components'), 'component').map(tool),
          ...children(child(tools, 'services'), 'service').map(tool),
        ],
      },
      authors: children(child(metadata, 'authors'), 'author').map((author) => ({
        name: childText(author, 'name'),
        email: childText(author, 'email'),
      })),
      manufacture: entity(child(metadata, 'manufacture')),
      manufacturer: entity(child(metadata, 'manufacturer')),
      supplier: entity(child(metadata, 'supplier')),
      component: metadataComponent && component(metadataComponent),
      licenses: licenseChoices(child(metadata, 'licenses')),
      properties: properties(child(metadata, 'properties')),
    },
    components: children(child(root, 'components'), 'component').map(component),
    dependencies: children(child(root, 'dependencies'), 'dependency').map((dependency) => ({
      ref: dependency.attributes.ref ?? '',
      dependsOn: children(dependency, 'dependency').map((target) => target.attributes.ref ?? ''),
    })),
    vulnerabilities: children(child(root, 'vulnerabilities'), 'vulnerability').map(vulnerability),
  };
}
