/**
 * Model -> CycloneDX 1.6 / 1.7, JSON or XML, through @cyclonedx/cyclonedx-library's models and
 * serializers (XML written from the library's normalized tree by xml-text.ts).
 *
 * Layout (the reader relies on it to give every file back to its package):
 * - `metadata.component` is the first described package (CPython). Its type is `application`:
 *   a CPython source release is the source of the `python` program, which is what the SBOM is
 *   about; `framework` would suggest something other software is built on, `library` something
 *   linked into a host program. An explicit purpose on the package wins.
 * - every other package is a top-level component (type from its purpose, else `library`) whose
 *   bom-ref is the package ref; its files are `file` components nested in its `components`.
 * - the metadata component's own files are top-level `file` components: CycloneDX tools look for
 *   a BOM's inventory in `components`, not inside `metadata.component`. A top-level file that no
 *   package contains says so with the property `cpython-sbom:unowned`.
 * - a package that is another's pedigree ancestor (a distributor's upstream CPython) is written
 *   only inside that package's `pedigree.ancestors`.
 * - `dependsOn` becomes the `dependencies` graph.
 * - VEX statements (`vulnerabilities` in the model) become `vulnerabilities[]` (see addVulnerabilities).
 * Output is deterministic: packages by ref, files by path, hashes in a fixed order, the serial
 * number a UUIDv5 of the document namespace, the timestamp the document's creation time.
 * SPDX facts without a CycloneDX field travel as `cpython-sbom:` properties (see vocabulary.ts).
 * In XML, descriptions and property values are `xs:normalizedString`: the library folds their
 * line breaks and tabs into spaces, so multi-line comments come back on one line from XML.
 */
import { createHash } from 'node:crypto';
import * as Enums from '@cyclonedx/cyclonedx-library/Enums';
import * as Models from '@cyclonedx/cyclonedx-library/Models';
import * as Serialize from '@cyclonedx/cyclonedx-library/Serialize';
import * as Spec from '@cyclonedx/cyclonedx-library/Spec';
import { FILES_LEFT_OUT_NOTE, packageVerificationCode } from '../spdx/write.js';
import type { ExtractedLicense, FileEntry, Organization, Package, PackageEvidence, SbomDocument, Snippet, VulnerabilityStatement } from '../../model/types.js';
import { vulnerabilityIdSource } from '../../model/vulnerability-ids.js';
import { TOOL_NAME, TOOL_VERSION } from '../../version.js';
import {
  JsonNormalizerFactory,
  XmlNormalizerFactory,
  type CdxSpec,
  type EntityJson,
  type OccurrenceTable,
  type PedigreeTable,
  type WriterExtras,
} from './pedigree.js';
import { DirectXmlSerializer } from './xml-text.js';
import { BSI_PROP, CDX_HASH_NAME, COMPONENT_TYPE_OF_PURPOSE, FILE_REF_PREFIX, HASH_ORDER, PROP, PURPOSE_OF_COMPONENT_TYPE, parseActor } from './vocabulary.js';

import type { CycloneDxSpecVersion } from './versions.js';

export type { CycloneDxSpecVersion };

export interface WriteCycloneDxOptions {
  format: 'json' | 'xml';
  specVersion: CycloneDxSpecVersion;
  /**
   * `none` writes the packages only (no `file` components), for stores that want components, not
   * file inventories (Dependency-Track and the like). Each package then carries the SPDX
   * verification code of its full file list (`cpython-sbom:packageVerificationCode`), so the
   * document still pins the packages' contents; snippets stay (their place is in their evidence).
   * Default `all`.
   */
  files?: 'all' | 'none';
}

/** The library's spec of a written version (versions.ts lists which are written). */
function specOf(version: CycloneDxSpecVersion): CdxSpec {
  const spec = Spec.SpecVersionDict[version as Spec.Version];
  if (!spec) throw new Error(`@cyclonedx/cyclonedx-library has no spec for CycloneDX ${version}`);
  return spec;
}

/** RFC 4122 URL namespace: the serial number is UUIDv5(URL, document namespace). */
const UUID_URL_NAMESPACE = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');

export function serialNumberFor(namespace: string): string {
  const digest = createHash('sha1').update(UUID_URL_NAMESPACE).update(namespace, 'utf8').digest();
  digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x50;
  digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function isUrl(value: string | undefined): value is string {
  return value !== undefined && /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(value);
}

function isNoAssertion(value: string | undefined): boolean {
  return value === undefined || value === '' || value === 'NOASSERTION' || value === 'NONE';
}

function hashes(checksums: Package['checksums']): Models.HashDictionary {
  const dictionary = new Models.HashDictionary();
  for (const algorithm of HASH_ORDER) {
    const value = checksums[algorithm];
    if (value) dictionary.set(CDX_HASH_NAME[algorithm] as Enums.HashAlgorithm, value.toLowerCase());
  }
  return dictionary;
}

function organizationalEntity(actorText: string | undefined): Models.OrganizationalEntity | undefined {
  if (isNoAssertion(actorText)) return undefined;
  const actor = parseActor(actorText as string);
  if (actor?.kind === 'Person') {
    // A person supplier: an entity with only a contact, so the reader can tell it from an organization.
    return new Models.OrganizationalEntity({
      contact: new Models.OrganizationalContactRepository([
        new Models.OrganizationalContact({ name: actor.name, ...(actor.email ? { email: actor.email } : {}) }),
      ]),
    });
  }
  return new Models.OrganizationalEntity({ name: actor ? actor.name : (actorText as string) });
}

/**
 * A single SPDX license id, as opposed to a compound expression or a `LicenseRef-` (which a
 * CycloneDX `license.id` cannot hold: it goes in an expression).
 */
function isSingleLicense(expression: string): boolean {
  return /^[A-Za-z0-9.+-]+$/.test(expression) && !expression.startsWith('LicenseRef-');
}

/** The texts of the document's `LicenseRef-` licenses (SPDX `hasExtractedLicensingInfos`), by id. */
type LicenseTexts = ReadonlyMap<string, ExtractedLicense>;

/**
 * One license entry: an SPDX id as `license.id`; a `LicenseRef-` id (not on the SPDX list, so not
 * a valid `license.id`) as a named license carrying its text, CycloneDX's form of an extracted
 * licensing info. Evidence entries name it without the text (`withText` false): the component's
 * own `licenses` carry it once.
 */
function singleLicense(id: string, texts: LicenseTexts, options: { acknowledgement?: Enums.LicenseAcknowledgement; withText?: boolean } = {}): Models.License {
  const acknowledgement = options.acknowledgement ? { acknowledgement: options.acknowledgement } : {};
  if (!id.startsWith('LicenseRef-')) return new Models.SpdxLicense(id, acknowledgement);
  const extracted = options.withText === false ? undefined : texts.get(id);
  return new Models.NamedLicense(id, {
    ...acknowledgement,
    ...(extracted ? { text: new Models.Attachment(extracted.text, { contentType: 'text/plain' }) } : {}),
    ...(extracted?.seeAlso?.[0] ? { url: extracted.seeAlso[0] } : {}),
  });
}

/**
 * Concluded and declared licenses, marked with CycloneDX acknowledgements. Two single ids become
 * two `license` entries; a compound expression must be the only entry (CycloneDX 1.6), so a second
 * one is kept in a property, as are NOASSERTION and NONE.
 */
function licenses(pkg: Package, properties: Models.Property[], texts: LicenseTexts): Models.LicenseRepository {
  const propertyOf = { concluded: PROP.licenseConcluded, declared: PROP.licenseDeclared } as const;
  const entries: [string, Enums.LicenseAcknowledgement][] = [];
  for (const [value, acknowledgement] of [
    [pkg.licenseConcluded, Enums.LicenseAcknowledgement.Concluded],
    [pkg.licenseDeclared, Enums.LicenseAcknowledgement.Declared],
  ] as const) {
    if (value === undefined || value === '') continue;
    // NOASSERTION and NONE are statements CycloneDX has no license entry for: keep them as properties.
    if (isNoAssertion(value)) properties.push(new Models.Property(propertyOf[acknowledgement], value));
    else entries.push([value, acknowledgement]);
  }
  const repository = new Models.LicenseRepository();
  if (entries.every(([expression]) => isSingleLicense(expression))) {
    for (const [id, acknowledgement] of entries) repository.add(singleLicense(id, texts, { acknowledgement }));
    return repository;
  }
  const [first, ...rest] = entries;
  if (first) {
    const expression = new Models.LicenseExpression(first[0]);
    expression.acknowledgement = first[1];
    repository.add(expression);
  }
  for (const [expression, acknowledgement] of rest) properties.push(new Models.Property(propertyOf[acknowledgement], expression));
  return repository;
}

const NO_TEXTS: LicenseTexts = new Map();

/** Licenses found in evidence: single ids as `license` entries, else one expression (the schema allows no mix). */
function evidenceLicenses(expressions: string[]): Models.LicenseRepository {
  const repository = new Models.LicenseRepository();
  const unique = [...new Set(expressions.filter((expression) => !isNoAssertion(expression)))];
  if (unique.every(isSingleLicense)) for (const id of unique) repository.add(singleLicense(id, NO_TEXTS, { withText: false }));
  else if (unique.length > 0) repository.add(new Models.LicenseExpression(joinedExpression(unique)));
  return repository;
}

function joinedExpression(expressions: string[]): string {
  // One expression is written as it is, so it reads back exactly as the file states it.
  if (expressions.length === 1) return expressions[0] as string;
  return expressions.map((part) => (/\s/.test(part) ? `(${part})` : part)).join(' AND ');
}

/** Whether evidence.licenses would hold a list as one joined expression (so the list needs a property to come back). */
function joinsLicenses(expressions: string[]): boolean {
  const unique = [...new Set(expressions.filter((expression) => !isNoAssertion(expression)))];
  return unique.length > 1 && !unique.every(isSingleLicense);
}

/**
 * `evidence` of a package: the licenses and copyrights found (with where and how in properties),
 * and the licenses its files state (SPDX licenseInfoFromFiles, kept exactly in a property).
 */
function packageEvidence(
  evidence: PackageEvidence | undefined,
  fromFiles: string[] | undefined,
  properties: Models.Property[],
): Models.ComponentEvidence | undefined {
  if (fromFiles && fromFiles.length > 0) properties.push(new Models.Property(PROP.licenseInfoFromFiles, JSON.stringify(fromFiles)));
  if (!evidence && !fromFiles?.length) return undefined;
  for (const item of evidence?.licenses ?? []) properties.push(new Models.Property(PROP.licenseEvidence, JSON.stringify(item)));
  for (const item of evidence?.copyrights ?? []) properties.push(new Models.Property(PROP.copyrightEvidence, JSON.stringify(item)));
  const licenses = [...(evidence?.licenses ?? []).map((item) => item.expression), ...(fromFiles ?? [])];
  if (licenses.length === 0 && (evidence?.copyrights.length ?? 0) === 0 && (evidence?.occurrences.length ?? 0) === 0) return undefined;
  return new Models.ComponentEvidence({
    licenses: evidenceLicenses(licenses),
    copyright: new Models.CopyrightRepository((evidence?.copyrights ?? []).map((item) => item.text)),
  });
}

function packageProperties(pkg: Package, type: string): Models.Property[] {
  const properties: Models.Property[] = [];
  const add = (name: string, value: string | undefined): void => {
    if (value !== undefined && value !== '') properties.push(new Models.Property(name, value));
  };
  if (pkg.purpose && PURPOSE_OF_COMPONENT_TYPE.get(type) !== pkg.purpose) add(PROP.purpose, pkg.purpose);
  add(PROP.originator, pkg.originator);
  if (pkg.supplier !== undefined && isNoAssertion(pkg.supplier)) add(PROP.supplier, pkg.supplier);
  if (pkg.downloadLocation !== undefined && !isUrl(pkg.downloadLocation)) add(PROP.downloadLocation, pkg.downloadLocation);
  add(PROP.packageFileName, pkg.packageFileName);
  const artifact = pkg.artifactProperties;
  if (artifact?.executable !== undefined) add(BSI_PROP.executable, artifact.executable ? 'executable' : 'non-executable');
  if (artifact?.archive !== undefined) add(BSI_PROP.archive, artifact.archive ? 'archive' : 'no archive');
  if (artifact?.structured !== undefined) add(BSI_PROP.structured, artifact.structured ? 'structured' : 'unstructured');
  add(PROP.comment, pkg.comment);
  add(PROP.licenseComments, pkg.licenseComments);
  add(PROP.sourceInfo, pkg.sourceInfo);
  add(PROP.spdxId, pkg.spdxId);
  if (pkg.filesAnalyzed === false) add(PROP.filesAnalyzed, 'false');
  for (const ref of pkg.otherRefs ?? []) add(PROP.externalRef, JSON.stringify([ref.category, ref.type, ref.locator]));
  for (const patch of pkg.pedigree?.patches ?? []) {
    add(
      PROP.patch,
      JSON.stringify({
        path: patch.path,
        order: patch.order,
        sha256: patch.sha256,
        touches: patch.touches,
        ...(patch.description ? { description: patch.description } : {}),
      }),
    );
  }
  return properties;
}

function fileComponent(file: FileEntry, unowned: boolean): Models.Component {
  const properties = new Models.PropertyRepository();
  if (file.spdxId) properties.add(new Models.Property(PROP.spdxId, file.spdxId));
  if (unowned) properties.add(new Models.Property(PROP.unowned, 'true'));
  // What the file itself says about licenses and copyright is evidence found in it: each
  // copyright statement (one per line of SPDX copyrightText) its own entry.
  const inFile = file.licenseInfoInFiles ?? [];
  if (joinsLicenses(inFile)) properties.add(new Models.Property(PROP.licenseInfoInFiles, JSON.stringify(inFile)));
  const found = inFile.length > 0 || file.copyrightText;
  return new Models.Component(Enums.ComponentType.File, file.path, {
    bomRef: FILE_REF_PREFIX + file.path,
    hashes: hashes(file.checksums),
    ...(file.comment ? { description: file.comment } : {}),
    ...(found
      ? {
          evidence: new Models.ComponentEvidence({
            licenses: evidenceLicenses(inFile),
            copyright: new Models.CopyrightRepository(file.copyrightText ? file.copyrightText.split('\n') : []),
          }),
        }
      : {}),
    properties,
  });
}

/**
 * A snippet (third-party code inside a file of another package) as a component whose
 * `evidence.occurrences` name the file and lines; the `cpython-sbom:snippet` property marks it so
 * that it reads back as a snippet, with its byte range.
 */
function snippetComponent(snippet: Snippet, occurrences: OccurrenceTable, texts: LicenseTexts): Models.Component {
  const properties: Models.Property[] = [
    new Models.Property(PROP.snippet, JSON.stringify({ file: snippet.file, bytes: snippet.byteRange, lines: snippet.lineRange })),
  ];
  if (snippet.comment) properties.push(new Models.Property(PROP.comment, snippet.comment));
  if (snippet.attributionText) properties.push(new Models.Property(PROP.attributionText, snippet.attributionText));
  // The licenses the snippet's own text states are what it declares; they travel in evidence too,
  // which is where the reader takes them back from.
  const declared = snippet.licenseInfoInSnippet.length > 0 ? snippet.licenseInfoInSnippet.join(' AND ') : undefined;
  const licensesOf = licenses({ licenseConcluded: snippet.licenseConcluded, licenseDeclared: declared } as Package, properties, texts);
  const component = new Models.Component(Enums.ComponentType.Library, snippet.name, {
    bomRef: snippet.ref,
    ...(snippet.version ? { version: snippet.version } : {}),
    ...(snippet.purl ? { purl: snippet.purl } : {}),
    ...(snippet.copyrightText && !isNoAssertion(snippet.copyrightText) ? { copyright: snippet.copyrightText } : {}),
    licenses: licensesOf,
    evidence: new Models.ComponentEvidence({ licenses: evidenceLicenses(snippet.licenseInfoInSnippet) }),
    properties: new Models.PropertyRepository(properties),
  });
  occurrences.set(component, [
    {
      location: snippet.file,
      line: snippet.lineRange[0],
      offset: snippet.byteRange[0],
      additionalContext: `lines ${snippet.lineRange[0]}-${snippet.lineRange[1]}, bytes ${snippet.byteRange[0]}-${snippet.byteRange[1]}`,
    },
  ]);
  return component;
}

function packageComponent(
  pkg: Package,
  defaultType: Enums.ComponentType,
  files: Models.Component[],
  occurrences: OccurrenceTable,
  texts: LicenseTexts,
): Models.Component {
  const type = (pkg.purpose && COMPONENT_TYPE_OF_PURPOSE[pkg.purpose]) ?? defaultType;
  const properties = packageProperties(pkg, type);
  const evidence = packageEvidence(pkg.evidence, pkg.licenseInfoFromFiles, properties);
  const externalReferences = new Models.ExternalReferenceRepository();
  if (isUrl(pkg.downloadLocation)) {
    const downloadHashes = pkg.downloadChecksums ? hashes(pkg.downloadChecksums) : undefined;
    externalReferences.add(
      new Models.ExternalReference(pkg.downloadLocation, Enums.ExternalReferenceType.Distribution, {
        ...(downloadHashes && downloadHashes.size > 0 ? { hashes: downloadHashes } : {}),
      }),
    );
  }
  const supplier = organizationalEntity(pkg.supplier);
  const component = new Models.Component(type as Enums.ComponentType, pkg.name, {
    bomRef: pkg.ref,
    ...(pkg.version ? { version: pkg.version } : {}),
    ...(supplier ? { supplier } : {}),
    ...(pkg.description ? { description: pkg.description } : {}),
    ...(pkg.scope === 'excluded' ? { scope: Enums.ComponentScope.Excluded } : pkg.scope === 'required' ? { scope: Enums.ComponentScope.Required } : {}),
    hashes: hashes(pkg.checksums),
    licenses: licenses(pkg, properties, texts),
    ...(pkg.cpe ? { cpe: pkg.cpe } : {}),
    ...(pkg.purl ? { purl: pkg.purl } : {}),
    externalReferences,
    properties: new Models.PropertyRepository(properties),
    components: new Models.ComponentRepository(files),
    ...(pkg.copyrightText && !isNoAssertion(pkg.copyrightText) ? { copyright: pkg.copyrightText } : {}),
    ...(evidence ? { evidence } : {}),
  });
  if (pkg.evidence && pkg.evidence.occurrences.length > 0) {
    occurrences.set(
      component,
      pkg.evidence.occurrences.map((occurrence) => ({
        location: occurrence.path,
        ...(occurrence.lines ? { line: occurrence.lines[0], additionalContext: `lines ${occurrence.lines[0]}-${occurrence.lines[1]}` } : {}),
      })),
    );
  }
  return component;
}

/** Builds the library's Bom for a model, plus the pedigree side table the serializers need. */
export function buildBom(
  doc: SbomDocument,
  options: { files?: 'all' | 'none' } = {},
): {
  bom: Models.Bom;
  pedigrees: PedigreeTable;
  fileRefs: Set<string>;
  occurrences: OccurrenceTable;
  extras: WriterExtras;
} {
  const packagesOnly = options.files === 'none';
  const occurrences: OccurrenceTable = new WeakMap();
  const extras: WriterExtras = { manufacturers: new WeakMap(), metadata: {} };
  const texts: LicenseTexts = new Map((doc.extractedLicenses ?? []).map((license) => [license.id, license]));
  const primaryRef = doc.describes[0];
  const packages = [...doc.packages].sort((a, b) => byCodeUnits(a.ref, b.ref));
  const ancestorRefs = new Set(packages.flatMap((pkg) => pkg.pedigree?.ancestors ?? []));

  // Files by owning package (first owner wins, as in document.fileOwners), each list by path.
  const filesByPath = new Map(doc.files.map((file) => [file.path, file]));
  const owner = new Map<string, string>();
  for (const pkg of packages) for (const path of pkg.files) if (!owner.has(path)) owner.set(path, pkg.ref);
  const fileRefs = new Set<string>();
  const filesOf = new Map<string | undefined, Models.Component[]>();
  for (const file of packagesOnly ? [] : [...filesByPath.values()].sort((a, b) => byCodeUnits(a.path, b.path))) {
    const ownerRef = owner.get(file.path);
    const component = fileComponent(file, ownerRef === undefined && primaryRef !== undefined);
    fileRefs.add(component.bomRef.toString());
    // Files of the primary package and files of nobody both sit at top level.
    const key = ownerRef === primaryRef ? undefined : ownerRef;
    const list = filesOf.get(key) ?? [];
    list.push(component);
    filesOf.set(key, list);
  }

  // The primary package and what it derives from (its upstream release) are applications.
  const applicationRefs = new Set([primaryRef, ...(packages.find((pkg) => pkg.ref === primaryRef)?.pedigree?.ancestors ?? [])]);
  const components = new Map<string, Models.Component>();
  for (const pkg of packages) {
    const isPrimary = pkg.ref === primaryRef;
    const defaultType = applicationRefs.has(pkg.ref) ? Enums.ComponentType.Application : Enums.ComponentType.Library;
    const component = packageComponent(pkg, defaultType, isPrimary ? [] : (filesOf.get(pkg.ref) ?? []), occurrences, texts);
    if (packagesOnly && pkg.filesAnalyzed !== false) {
      const sha1s = pkg.files.map((path) => filesByPath.get(path)?.checksums.SHA1 ?? '');
      const code = sha1s.length === 0 && pkg.verificationCode ? pkg.verificationCode : packageVerificationCode(sha1s);
      component.properties.add(new Models.Property(PROP.verificationCode, code));
    }
    components.set(pkg.ref, component);
  }
  for (const pkg of packages) {
    const component = components.get(pkg.ref) as Models.Component;
    for (const dependency of [...pkg.dependsOn].sort(byCodeUnits)) {
      const target = components.get(dependency);
      if (target) component.dependencies.add(target.bomRef);
    }
  }
  const pedigrees: PedigreeTable = new WeakMap();
  for (const pkg of packages) {
    if (!pkg.pedigree) continue;
    pedigrees.set(components.get(pkg.ref) as Models.Component, {
      ancestors: pkg.pedigree.ancestors.map((ref) => components.get(ref)).filter((c): c is Models.Component => c !== undefined),
      patches: [...pkg.pedigree.patches].sort((a, b) => a.order - b.order),
    });
  }

  const bom = new Models.Bom({ serialNumber: serialNumberFor(doc.namespace) });
  const metadata = bom.metadata;
  if (doc.created) metadata.timestamp = new Date(doc.created);
  for (const lifecycle of doc.lifecycles ?? []) metadata.lifecycles.add(lifecyclePhase(lifecycle) ?? new Models.NamedLifecycle(lifecycle));
  metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, TOOL_NAME, { version: TOOL_VERSION }));
  const metadataProperties: Models.Property[] = [];
  const addMeta = (name: string, value: string | undefined): void => {
    if (value) metadataProperties.push(new Models.Property(name, value));
  };
  for (const creator of doc.creators) {
    const actor = parseActor(creator);
    if (actor?.kind === 'Tool') {
      // Our own tool entry is always there; other tools keep their creator text as name.
      if (!actor.name.startsWith(`${TOOL_NAME}-`) && actor.name !== TOOL_NAME) {
        metadata.tools.components.add(new Models.Component(Enums.ComponentType.Application, actor.name));
      }
    } else if (actor?.kind === 'Person') {
      metadata.authors.add(new Models.OrganizationalContact({ name: actor.name, ...(actor.email ? { email: actor.email } : {}) }));
    } else if (actor?.kind === 'Organization' && extras.metadata.manufacturer === undefined) {
      // CycloneDX 1.6: the organisation that created the BOM (this writer writes 1.6 and 1.7 only).
      extras.metadata.manufacturer = { name: actor.name, ...(actor.email ? { contact: [{ email: actor.email }] } : {}) };
    } else {
      addMeta(PROP.creator, creator);
    }
  }
  if (doc.dataLicense) metadata.licenses.add(new Models.SpdxLicense(doc.dataLicense));
  addMeta(PROP.documentName, doc.name);
  addMeta(PROP.documentNamespace, doc.namespace);
  addMeta(PROP.licenseListVersion, doc.licenseListVersion);
  addMeta(PROP.documentComment, packagesOnly ? [doc.comment, FILES_LEFT_OUT_NOTE].filter(Boolean).join('\n') : doc.comment);
  for (const license of doc.extractedLicenses ?? []) addMeta(PROP.extractedLicense, JSON.stringify(license));
  for (const ref of doc.describes.slice(1)) addMeta(PROP.describes, ref);
  for (const relationship of doc.relationships) {
    addMeta(PROP.relationship, JSON.stringify([relationship.from, relationship.type, relationship.to]));
  }
  for (const property of metadataProperties) metadata.properties.add(property);

  if (primaryRef !== undefined && components.has(primaryRef)) metadata.component = components.get(primaryRef);
  if (doc.manufacturer) addManufacturer(metadata, doc.manufacturer, extras);
  for (const pkg of packages) {
    if (pkg.ref === primaryRef || ancestorRefs.has(pkg.ref)) continue;
    bom.components.add(components.get(pkg.ref) as Models.Component);
  }
  for (const snippet of [...(doc.snippets ?? [])].sort((a, b) => byCodeUnits(a.ref, b.ref))) bom.components.add(snippetComponent(snippet, occurrences, texts));
  for (const file of filesOf.get(undefined) ?? []) bom.components.add(file);
  addVulnerabilities(bom, doc.vulnerabilities ?? [], components);
  return { bom, pedigrees, fileRefs, occurrences, extras };
}

const PHASES = new Set<string>(Object.values(Enums.LifecyclePhase));

function lifecyclePhase(name: string): Enums.LifecyclePhase | undefined {
  return PHASES.has(name) ? (name as Enums.LifecyclePhase) : undefined;
}

const ANALYSIS_STATE: Record<VulnerabilityStatement['state'], Enums.Vulnerability.AnalysisState> = {
  fixed: Enums.Vulnerability.AnalysisState.Resolved,
  under_investigation: Enums.Vulnerability.AnalysisState.InTriage,
  affected: Enums.Vulnerability.AnalysisState.Exploitable,
  not_affected: Enums.Vulnerability.AnalysisState.NotAffected,
};

/**
 * VEX statements as `vulnerabilities[]`: the id and where it is defined (`source`), the other ids
 * of the same vulnerability as `references`, advisory and fix URLs as `advisories`, the state and
 * its evidence as `analysis`, and `affects` pointing at the packages' own bom-refs (a BOM-Link
 * `urn:cdx:…` into another document is kept as written). Each gets a bom-ref from its id, so the
 * library never invents a random one.
 */
function addVulnerabilities(bom: Models.Bom, statements: readonly VulnerabilityStatement[], components: Map<string, Models.Component>): void {
  const used = new Map<string, number>();
  for (const statement of statements) {
    const base = `vulnerability:${statement.id}`;
    const count = (used.get(base) ?? 0) + 1;
    used.set(base, count);
    const references = new Models.Vulnerability.ReferenceRepository();
    for (const alias of statement.aliases) {
      const source = vulnerabilityIdSource(alias);
      references.add(new Models.Vulnerability.Reference(alias, new Models.Vulnerability.Source({ name: source.name, url: source.url })));
    }
    const advisories = new Models.Vulnerability.AdvisoryRepository();
    for (const url of statement.references ?? []) advisories.add(new Models.Vulnerability.Advisory(url));
    const affects = new Models.Vulnerability.AffectRepository();
    for (const ref of statement.affects) {
      const target = components.get(ref);
      affects.add(
        new Models.Vulnerability.Affect(target ? target.bomRef : Models.BomLinkElement.isValid(ref) ? new Models.BomLinkElement(ref) : new Models.BomRef(ref)),
      );
    }
    bom.vulnerabilities.add(
      new Models.Vulnerability.Vulnerability({
        bomRef: count === 1 ? base : `${base}#${count}`,
        id: statement.id,
        ...(statement.source
          ? { source: new Models.Vulnerability.Source({ name: statement.source.name, ...(statement.source.url ? { url: statement.source.url } : {}) }) }
          : {}),
        references,
        advisories,
        analysis: new Models.Vulnerability.Analysis({
          state: ANALYSIS_STATE[statement.state],
          ...(statement.detail ? { detail: statement.detail } : {}),
        }),
        affects,
      }),
    );
  }
}

/**
 * The organisation behind the software (complete profile): the metadata component's
 * `manufacturer` (CycloneDX 1.6's place for what `metadata.manufacture` said, which 1.6
 * deprecates) and `metadata.supplier`, the supplier with the security contact as its contact,
 * which is where CRA-minded checkers look for a vulnerability contact; the security page is also
 * a `security-contact` reference of the metadata component. `metadata.manufacturer` is not it: in
 * 1.6 that is whoever made the BOM, a `--creator`.
 */
function addManufacturer(metadata: Models.Metadata, organization: Organization, extras: WriterExtras): void {
  const entity = (withContact: boolean) =>
    new Models.OrganizationalEntity({
      name: organization.name,
      url: new Set(organization.urls),
      ...(withContact && organization.securityContact?.email
        ? {
            contact: new Models.OrganizationalContactRepository([
              new Models.OrganizationalContact({ name: 'Security response team', email: organization.securityContact.email }),
            ]),
          }
        : {}),
    });
  metadata.supplier = entity(true);
  const manufacturer: EntityJson = { name: organization.name, url: [...organization.urls] };
  if (metadata.component) extras.manufacturers.set(metadata.component, manufacturer);
  const url = organization.securityContact?.url;
  if (url && metadata.component) {
    metadata.component.externalReferences.add(new Models.ExternalReference(url, Enums.ExternalReferenceType.SecurityContact));
  }
}

/** Serializes the model as CycloneDX text; same model, same bytes. */
export function writeCycloneDx(doc: SbomDocument, options: WriteCycloneDxOptions): string {
  const spec = specOf(options.specVersion);
  if (!spec) throw new Error(`unsupported CycloneDX version ${String(options.specVersion)}`);
  const { bom, pedigrees, fileRefs, occurrences, extras } = buildBom(doc, { files: options.files ?? 'all' });
  // sortLists stays off: we insert in a deterministic order ourselves, and the library sorts
  // with localeCompare, whose order depends on the machine's ICU data.
  const serializer =
    options.format === 'json'
      ? new Serialize.JsonSerializer(new JsonNormalizerFactory(spec, pedigrees, fileRefs, occurrences, extras))
      : new DirectXmlSerializer(new XmlNormalizerFactory(spec, pedigrees, fileRefs, occurrences, extras));
  return `${serializer.serialize(bom, { sortLists: false, space: 2 })}\n`;
}
