/**
 * The small checks the policies are made of, on the format-free model, so that one policy holds
 * SPDX and CycloneDX documents alike. Each answers for one element: `undefined` when the document
 * or component has it, else a short phrase saying what is missing. Which checks a policy asks for,
 * under what name, is data (catalog.ts).
 */
import { PackageURL } from 'packageurl-js';
import type { Checksums, ExternalRef, Package, SbomDocument } from '../../model/types.js';
import type { PolicySubject } from './types.js';

/** A package or snippet as the policies see it: one shape for what a component may state. */
export interface PolicyComponent {
  ref: string;
  name: string;
  kind: 'package' | 'snippet';
  /** The component the document describes (CPython, a distributor's package). */
  primary: boolean;
  version: string;
  supplier?: string;
  originator?: string;
  purl?: string;
  cpe?: string;
  otherRefs: ExternalRef[];
  checksums: Checksums;
  licenseConcluded?: string;
  licenseDeclared?: string;
  packageFileName?: string;
  downloadLocation?: string;
  scope?: Package['scope'];
  pedigree?: Package['pedigree'];
  artifactProperties?: Package['artifactProperties'];
  /** Whether a dependency path from a described component reaches it (or it is one). */
  related: boolean;
}

/** Text that states nothing: empty, or SPDX's NOASSERTION. */
export function unknown(value: string | undefined): boolean {
  return value === undefined || value.trim() === '' || value.trim() === 'NOASSERTION';
}

/** A license statement: an expression, or NONE (a statement that there is none); not NOASSERTION. */
function stated(value: string | undefined): boolean {
  return !unknown(value);
}

/** `Organization: Name (contact)`, `Person: …`, `Tool: …` split; the parenthesised part is the contact. */
function actor(text: string): { kind: string; name: string; contact?: string } | undefined {
  const colon = text.indexOf(':');
  if (colon < 0) return undefined;
  const kind = text.slice(0, colon).trim();
  const rest = text.slice(colon + 1).trim();
  const open = rest.lastIndexOf('(');
  if (open > 0 && rest.endsWith(')')) {
    return { kind, name: rest.slice(0, open).trim(), contact: rest.slice(open + 1, -1).trim() };
  }
  return { kind, name: rest };
}

/** An e-mail address or a web address: what BSI TR-03183-2 accepts as a way to reach a creator. */
function isContact(value: string | undefined): boolean {
  if (!value) return false;
  return /^[^\s@]+@[^\s@]+$/.test(value) || /^https?:\/\/\S+$/i.test(value);
}

function isUrl(value: string | undefined): boolean {
  return value !== undefined && /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(value);
}

/** The packages and snippets of a document as policy components, with which ones a described component reaches. */
export function policyComponents(document: SbomDocument, withSnippets: boolean): PolicyComponent[] {
  const described = new Set(document.describes);
  const edges = new Map<string, string[]>();
  const link = (from: string, to: string): void => {
    const list = edges.get(from);
    if (list) list.push(to);
    else edges.set(from, [to]);
  };
  for (const pkg of document.packages) {
    for (const target of pkg.dependsOn) link(pkg.ref, target);
    for (const ancestor of pkg.pedigree?.ancestors ?? []) link(pkg.ref, ancestor);
  }
  // Any other relationship between two elements relates them too (DESCENDANT_OF, GENERATED_FROM, …).
  for (const relationship of document.relationships) link(relationship.from, relationship.to);
  // Snippets are part of the file they are in; the package that contains that file relates them.
  const fileOwner = new Map<string, string>();
  for (const pkg of document.packages) for (const path of pkg.files) if (!fileOwner.has(path)) fileOwner.set(path, pkg.ref);
  for (const snippet of document.snippets ?? []) {
    const owner = fileOwner.get(snippet.file);
    if (owner) link(owner, snippet.ref);
  }
  const reached = new Set<string>(described);
  const pending = [...described];
  while (pending.length > 0) {
    for (const next of edges.get(pending.pop() as string) ?? []) {
      if (!reached.has(next)) {
        reached.add(next);
        pending.push(next);
      }
    }
  }
  const components: PolicyComponent[] = document.packages.map((pkg) => ({
    ref: pkg.ref,
    name: pkg.name,
    kind: 'package',
    primary: described.has(pkg.ref),
    version: pkg.version,
    ...(pkg.supplier !== undefined ? { supplier: pkg.supplier } : {}),
    ...(pkg.originator !== undefined ? { originator: pkg.originator } : {}),
    ...(pkg.purl !== undefined ? { purl: pkg.purl } : {}),
    ...(pkg.cpe !== undefined ? { cpe: pkg.cpe } : {}),
    otherRefs: pkg.otherRefs ?? [],
    checksums: pkg.checksums,
    ...(pkg.licenseConcluded !== undefined ? { licenseConcluded: pkg.licenseConcluded } : {}),
    ...(pkg.licenseDeclared !== undefined ? { licenseDeclared: pkg.licenseDeclared } : {}),
    ...(pkg.packageFileName !== undefined ? { packageFileName: pkg.packageFileName } : {}),
    ...(pkg.downloadLocation !== undefined ? { downloadLocation: pkg.downloadLocation } : {}),
    ...(pkg.scope !== undefined ? { scope: pkg.scope } : {}),
    ...(pkg.pedigree !== undefined ? { pedigree: pkg.pedigree } : {}),
    ...(pkg.artifactProperties !== undefined ? { artifactProperties: pkg.artifactProperties } : {}),
    related: reached.has(pkg.ref),
  }));
  if (withSnippets) {
    for (const snippet of document.snippets ?? []) {
      const declared = snippet.licenseInfoInSnippet.length > 0 ? snippet.licenseInfoInSnippet.join(' AND ') : undefined;
      components.push({
        ref: snippet.ref,
        name: snippet.name,
        kind: 'snippet',
        primary: false,
        version: snippet.version ?? '',
        ...(snippet.purl !== undefined ? { purl: snippet.purl } : {}),
        otherRefs: [],
        checksums: {},
        ...(snippet.licenseConcluded !== undefined ? { licenseConcluded: snippet.licenseConcluded } : {}),
        ...(declared !== undefined ? { licenseDeclared: declared } : {}),
        related: reached.has(snippet.ref),
      });
    }
  }
  return components;
}

export type DocumentCheck = (subject: PolicySubject, components: readonly PolicyComponent[]) => string | undefined;
export type ComponentCheck = (component: PolicyComponent, subject: PolicySubject) => string | undefined;

function creators(subject: PolicySubject): { kind: string; name: string; contact?: string }[] {
  return subject.document.creators.map(actor).filter((entry) => entry !== undefined);
}

const hasLicense = (component: PolicyComponent): boolean => stated(component.licenseConcluded) || stated(component.licenseDeclared);

/** Document-level checks by name. */
export const DOCUMENT_CHECKS = {
  /** SPDX or CycloneDX in a version this tool reads: a structured, machine-readable SBOM. */
  machineReadable: (subject) =>
    (subject.family === 'spdx' && /^2\.[0-3]$/.test(subject.specVersion)) || (subject.family === 'cyclonedx' && /^1\.[2-7]$/.test(subject.specVersion))
      ? undefined
      : `${subject.family} ${subject.specVersion || '(no version)'} is not an SPDX 2.x or CycloneDX 1.2–1.7 document`,
  /** BSI TR-03183-2 v2.1 §4: CycloneDX 1.6 or later, or SPDX 3.0.1 or later. */
  bsiFormat: (subject) => {
    const [major = 0, minor = 0, patch = 0] = subject.specVersion.split('.').map(Number);
    const ok = subject.family === 'cyclonedx' ? major > 1 || (major === 1 && minor >= 6) : major > 3 || (major === 3 && (minor > 0 || patch >= 1));
    return ok ? undefined : `${subject.family === 'spdx' ? 'SPDX' : 'CycloneDX'} ${subject.specVersion} is older than CycloneDX 1.6 / SPDX 3.0.1`;
  },
  author: (subject) => (creators(subject).length > 0 ? undefined : 'no creator (SBOM author) is named'),
  /** A person or organisation, not only a tool: the tool is an element of its own. */
  authorEntity: (subject) =>
    creators(subject).some((creator) => creator.kind === 'Person' || creator.kind === 'Organization')
      ? undefined
      : 'no person or organisation is named as the SBOM author (only a tool); add one, e.g. generate --creator',
  authorContact: (subject) => {
    const makers = creators(subject).filter((creator) => creator.kind === 'Person' || creator.kind === 'Organization');
    if (makers.some((creator) => isContact(creator.contact))) return undefined;
    return makers.length === 0
      ? 'no person or organisation is named as the SBOM creator'
      : 'no e-mail address or URL is given for the SBOM creator (e.g. --creator "Organization: NAME (EMAIL)")';
  },
  toolName: (subject) =>
    creators(subject).some((creator) => creator.kind === 'Tool' && creator.name !== '') ? undefined : 'no tool is named among the creators',
  timestamp: (subject) => {
    const created = subject.document.created;
    return created && !Number.isNaN(Date.parse(created)) ? undefined : created ? `the creation time '${created}' is not a date` : 'no creation time';
  },
  generationContext: (subject) =>
    (subject.document.lifecycles ?? []).length > 0
      ? undefined
      : 'no SBOM type / lifecycle phase (CycloneDX metadata.lifecycles; SPDX 2.3: the creation comment)',
  uniqueIdentifier: (subject) => {
    if (subject.family === 'cyclonedx') {
      return subject.serialNumber && /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(subject.serialNumber)
        ? undefined
        : 'no serialNumber of the form urn:uuid:…';
    }
    return isUrl(subject.document.namespace) ? undefined : 'no document namespace URI';
  },
  describesComponent: (_subject, components) =>
    components.some((component) => component.primary && component.kind === 'package')
      ? undefined
      : 'the document describes no component (no DESCRIBES relationship / metadata.component)',
  dependencyGraph: (subject) =>
    subject.document.packages.length <= 1 || subject.document.packages.some((pkg) => pkg.dependsOn.length > 0)
      ? undefined
      : 'no dependency relationship between any two components',
  hasComponents: (_subject, components) => (components.length > 0 ? undefined : 'the document lists no components'),
  /** cdx-validate's reading of SCVS 5.12: at least half the components carry license data. */
  licenseCoverage: (_subject, components) => {
    if (components.length === 0) return 'the document lists no components';
    const licensed = components.filter(hasLicense).length;
    return licensed * 2 >= components.length ? undefined : `only ${licensed} of ${components.length} components have license data`;
  },
  noVulnerabilities: (subject) => {
    const count = Math.max(subject.document.vulnerabilities?.length ?? 0, subject.vulnerabilityCount ?? 0);
    return count === 0 ? undefined : `the SBOM carries ${count} vulnerability statement${count === 1 ? '' : 's'} (keep them in a separate VEX document)`;
  },
} satisfies Record<string, DocumentCheck>;

const IDENTIFIER_CATEGORIES = new Set(['PACKAGE-MANAGER', 'SECURITY', 'PERSISTENT-ID']);

/** Component-level checks by name. */
export const COMPONENT_CHECKS = {
  name: (component) => (component.name.trim() !== '' ? undefined : 'no name'),
  version: (component) => (unknown(component.version) ? 'no version' : undefined),
  supplier: (component) => (unknown(component.supplier) ? 'no supplier' : undefined),
  /** CISA 2025's software producer: whoever made it (originator), else who supplies it. */
  producer: (component) => (unknown(component.originator) && unknown(component.supplier) ? 'no software producer (supplier or originator)' : undefined),
  creatorContact: (component, subject) => {
    const manufacturer = subject.document.manufacturer;
    for (const text of [component.originator, component.supplier]) {
      if (unknown(text)) continue;
      const who = actor(text as string);
      if (isContact(who?.contact)) return undefined;
      // The document's manufacturer, named with its web address and security contact, is reachable.
      if (manufacturer && who?.name === manufacturer.name && (manufacturer.urls.length > 0 || manufacturer.securityContact?.email)) return undefined;
    }
    return 'no e-mail address or URL for the component creator';
  },
  identifier: (component) =>
    component.purl || component.cpe || component.otherRefs.some((ref) => IDENTIFIER_CATEGORIES.has(ref.category) && ref.locator)
      ? undefined
      : 'no purl, CPE, SWID or other external identifier',
  /** Identifiers derived from the native ecosystem: a purl that parses (a component without one passes here). */
  validPurl: (component) => {
    if (!component.purl) return undefined;
    try {
      PackageURL.fromString(component.purl);
      return undefined;
    } catch {
      return `its purl '${component.purl}' does not parse`;
    }
  },
  hash: (component) => (Object.values(component.checksums).some(Boolean) ? undefined : 'no hash of the component'),
  hashSha512: (component) => (component.checksums.SHA512 ? undefined : 'no SHA-512 hash of the component'),
  license: (component) => (hasLicense(component) ? undefined : 'no license (concluded or declared)'),
  concludedLicense: (component) => (stated(component.licenseConcluded) ? undefined : 'no concluded (distribution) license'),
  declaredLicense: (component) => (stated(component.licenseDeclared) ? undefined : 'no declared (original) license'),
  /** The dependency relationship: reached from a described component, or stated as not used (excluded). */
  dependency: (component) =>
    component.related || component.scope === 'excluded' ? undefined : 'no dependency relationship relates it to the described component',
  filename: (component) => (component.packageFileName?.trim() ? undefined : 'no file name'),
  deployableUri: (component) => (isUrl(component.downloadLocation) ? undefined : 'no URI of the deployable form (download location)'),
  sourceUri: (component) =>
    isUrl(component.downloadLocation) || component.otherRefs.some((ref) => ref.type === 'vcs' && isUrl(ref.locator)) ? undefined : 'no source code URI',
  executable: (component) => (component.artifactProperties?.executable === undefined ? 'not said whether it is executable' : undefined),
  archive: (component) => (component.artifactProperties?.archive === undefined ? 'not said whether it is an archive' : undefined),
  structured: (component) => (component.artifactProperties?.structured === undefined ? 'not said whether it is structured' : undefined),
  /** A component that states a pedigree says what it derives from or how it was changed. */
  pedigree: (component) =>
    component.pedigree === undefined || component.pedigree.ancestors.length > 0 || component.pedigree.patches.length > 0
      ? undefined
      : 'a pedigree that names no ancestor and no patch',
} satisfies Record<string, ComponentCheck>;

export type DocumentCheckName = keyof typeof DOCUMENT_CHECKS;
export type ComponentCheckName = keyof typeof COMPONENT_CHECKS;
