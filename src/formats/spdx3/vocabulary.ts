/**
 * The translation tables between the model (which speaks SPDX 2.3) and SPDX 3.0.1: hash
 * algorithms, package purposes, relationship types, external references and the JSON-LD terms
 * this format is written with. Each table is read in both directions, so a document we write
 * reads back into the model it came from.
 */
import type { ExternalRef, HashAlgorithm, PackagePurpose } from '../../model/types.js';

export const SPDX3_VERSION = '3.0.1';
export const SPDX3_CONTEXT = 'https://spdx.org/rdf/3.0.1/spdx-context.jsonld';
/** Any SPDX 3 JSON-LD context: `https://spdx.org/rdf/3.0.1/spdx-context.jsonld`, 3.0.0, 3.1, … */
export const SPDX3_CONTEXT_PREFIX = 'https://spdx.org/rdf/3.';

/** Individuals of the SPDX 3 model, as the JSON-LD context names them. */
export const NO_ASSERTION_LICENSE = 'expandedlicensing_NoAssertionLicense';
export const NONE_LICENSE = 'expandedlicensing_NoneLicense';
export const NO_ASSERTION_ELEMENT = 'NoAssertionElement';
export const NONE_ELEMENT = 'NoneElement';
/** The same individuals written as full IRIs, which a reader must accept too. */
export const INDIVIDUAL_IRIS = new Map<string, string>([
  ['https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoAssertionLicense', NO_ASSERTION_LICENSE],
  ['https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoneLicense', NONE_LICENSE],
  ['https://spdx.org/rdf/3.0.1/terms/Core/NoAssertionElement', NO_ASSERTION_ELEMENT],
  ['https://spdx.org/rdf/3.0.1/terms/Core/NoneElement', NONE_ELEMENT],
  ['https://spdx.org/rdf/3.0.1/terms/Core/SpdxOrganization', 'SpdxOrganization'],
]);

/** Model (SPDX 2.3) algorithm -> SPDX 3 `HashAlgorithm`. SPDX 3 has every 2.3 algorithm. */
export const HASH_ALGORITHM: Record<HashAlgorithm, string> = {
  SHA1: 'sha1',
  SHA224: 'sha224',
  SHA256: 'sha256',
  SHA384: 'sha384',
  SHA512: 'sha512',
  'SHA3-256': 'sha3_256',
  'SHA3-384': 'sha3_384',
  'SHA3-512': 'sha3_512',
  'BLAKE2b-256': 'blake2b256',
  'BLAKE2b-384': 'blake2b384',
  'BLAKE2b-512': 'blake2b512',
  BLAKE3: 'blake3',
  MD2: 'md2',
  MD4: 'md4',
  MD5: 'md5',
  MD6: 'md6',
  ADLER32: 'adler32',
};
export const MODEL_HASH_ALGORITHM = new Map<string, HashAlgorithm>(Object.entries(HASH_ALGORITHM).map(([model, spdx3]) => [spdx3, model as HashAlgorithm]));
/** Written in this order (then the rest by name), as the SPDX 2.3 writer orders checksums. */
export const HASH_ORDER: HashAlgorithm[] = ['SHA1', 'SHA256'];

/** Expected hex length of an SPDX 3 algorithm's digest (algorithms without a fixed one are absent). */
export const SPDX3_DIGEST_HEX_LENGTH = new Map<string, number>([
  ['sha1', 40],
  ['sha224', 56],
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
  ['sha3_224', 56],
  ['sha3_256', 64],
  ['sha3_384', 96],
  ['sha3_512', 128],
  ['blake2b256', 64],
  ['blake2b384', 96],
  ['blake2b512', 128],
  ['blake3', 64],
  ['md2', 32],
  ['md4', 32],
  ['md5', 32],
  ['adler32', 8],
]);

/** Model purpose (SPDX 2.3 `primaryPackagePurpose`) -> SPDX 3 `software_primaryPurpose`. */
export const PURPOSE: Record<PackagePurpose, string> = {
  SOURCE: 'source',
  LIBRARY: 'library',
  APPLICATION: 'application',
  FRAMEWORK: 'framework',
  CONTAINER: 'container',
  'OPERATING-SYSTEM': 'operatingSystem',
  DEVICE: 'device',
  FIRMWARE: 'firmware',
  FILE: 'file',
  ARCHIVE: 'archive',
  INSTALL: 'install',
  OTHER: 'other',
};
export const MODEL_PURPOSE = new Map<string, PackagePurpose>(Object.entries(PURPOSE).map(([model, spdx3]) => [spdx3, model as PackagePurpose]));

/**
 * SPDX 2.3 relationship type -> SPDX 3 type, whether `from` and `to` swap, and the lifecycle
 * scope the 2.3 name implies: the table of the SPDX 3.0 specification's annex on differences
 * from 2.3. Where two 2.3 types meet in one 3.0 type, the first listed is what a reader gives back.
 */
export interface RelationshipMapping {
  spdx2: string;
  spdx3: string;
  swap: boolean;
  scope?: 'build' | 'development' | 'test' | 'runtime';
}

export const RELATIONSHIPS: RelationshipMapping[] = [
  { spdx2: 'AMENDS', spdx3: 'amendedBy', swap: true },
  { spdx2: 'ANCESTOR_OF', spdx3: 'ancestorOf', swap: false },
  { spdx2: 'BUILD_DEPENDENCY_OF', spdx3: 'dependsOn', swap: true, scope: 'build' },
  { spdx2: 'BUILD_TOOL_OF', spdx3: 'usesTool', swap: true, scope: 'build' },
  { spdx2: 'CONTAINS', spdx3: 'contains', swap: false },
  { spdx2: 'CONTAINED_BY', spdx3: 'contains', swap: true },
  { spdx2: 'COPY_OF', spdx3: 'copiedTo', swap: true },
  { spdx2: 'DATA_FILE_OF', spdx3: 'hasDataFile', swap: true },
  { spdx2: 'DEPENDENCY_MANIFEST_OF', spdx3: 'hasDependencyManifest', swap: true },
  { spdx2: 'DEPENDS_ON', spdx3: 'dependsOn', swap: false },
  { spdx2: 'DEPENDENCY_OF', spdx3: 'dependsOn', swap: true },
  { spdx2: 'DESCENDANT_OF', spdx3: 'descendantOf', swap: false },
  { spdx2: 'DESCRIBES', spdx3: 'describes', swap: false },
  { spdx2: 'DESCRIBED_BY', spdx3: 'describes', swap: true },
  { spdx2: 'DEV_DEPENDENCY_OF', spdx3: 'dependsOn', swap: true, scope: 'development' },
  { spdx2: 'DEV_TOOL_OF', spdx3: 'usesTool', swap: true, scope: 'development' },
  { spdx2: 'DISTRIBUTION_ARTIFACT', spdx3: 'hasDistributionArtifact', swap: false },
  { spdx2: 'DOCUMENTATION_OF', spdx3: 'hasDocumentation', swap: true },
  { spdx2: 'DYNAMIC_LINK', spdx3: 'hasDynamicLink', swap: true },
  { spdx2: 'EXAMPLE_OF', spdx3: 'hasExample', swap: true },
  { spdx2: 'EXPANDED_FROM_ARCHIVE', spdx3: 'expandsTo', swap: true },
  { spdx2: 'FILE_ADDED', spdx3: 'hasAddedFile', swap: true },
  { spdx2: 'FILE_DELETED', spdx3: 'hasDeletedFile', swap: true },
  { spdx2: 'FILE_MODIFIED', spdx3: 'modifiedBy', swap: false },
  { spdx2: 'GENERATES', spdx3: 'generates', swap: false },
  { spdx2: 'GENERATED_FROM', spdx3: 'generates', swap: true },
  { spdx2: 'HAS_PREREQUISITE', spdx3: 'hasPrerequisite', swap: false },
  { spdx2: 'PREREQUISITE_FOR', spdx3: 'hasPrerequisite', swap: true },
  { spdx2: 'METAFILE_OF', spdx3: 'hasMetadata', swap: true },
  { spdx2: 'OPTIONAL_COMPONENT_OF', spdx3: 'hasOptionalComponent', swap: true },
  { spdx2: 'OPTIONAL_DEPENDENCY_OF', spdx3: 'hasOptionalDependency', swap: true },
  { spdx2: 'OTHER', spdx3: 'other', swap: false },
  { spdx2: 'PACKAGE_OF', spdx3: 'packagedBy', swap: true },
  { spdx2: 'PATCH_APPLIED', spdx3: 'patchedBy', swap: true },
  { spdx2: 'PATCH_FOR', spdx3: 'patchedBy', swap: true },
  { spdx2: 'PROVIDED_DEPENDENCY_OF', spdx3: 'hasProvidedDependency', swap: true },
  { spdx2: 'REQUIREMENT_DESCRIPTION_FOR', spdx3: 'hasRequirement', swap: true },
  { spdx2: 'RUNTIME_DEPENDENCY_OF', spdx3: 'dependsOn', swap: true, scope: 'runtime' },
  { spdx2: 'SPECIFICATION_FOR', spdx3: 'hasSpecification', swap: true },
  { spdx2: 'STATIC_LINK', spdx3: 'hasStaticLink', swap: false },
  { spdx2: 'TEST_CASE_OF', spdx3: 'hasTestCase', swap: true },
  { spdx2: 'TEST_DEPENDENCY_OF', spdx3: 'dependsOn', swap: true, scope: 'test' },
  { spdx2: 'TEST_OF', spdx3: 'hasTest', swap: true },
  { spdx2: 'TEST_TOOL_OF', spdx3: 'usesTool', swap: true, scope: 'test' },
  { spdx2: 'VARIANT_OF', spdx3: 'hasVariant', swap: true },
];

const BY_SPDX2 = new Map(RELATIONSHIPS.map((mapping) => [mapping.spdx2, mapping]));
const BY_SPDX3 = new Map<string, RelationshipMapping>();
for (const mapping of RELATIONSHIPS) {
  const key = `${mapping.spdx3}\0${mapping.scope ?? ''}`;
  if (!BY_SPDX3.has(key)) BY_SPDX3.set(key, mapping);
}

/** The SPDX 3 form of an SPDX 2.3 relationship type (an unknown type is `other`, unswapped). */
export function spdx3Relationship(type: string): RelationshipMapping {
  return BY_SPDX2.get(type) ?? { spdx2: type, spdx3: 'other', swap: false };
}

/** The SPDX 2.3 type an SPDX 3 relationship reads back as (`OTHER` for types 2.3 has no name for). */
export function spdx2Relationship(type: string, scope: string | undefined): RelationshipMapping {
  return BY_SPDX3.get(`${type}\0${scope ?? ''}`) ?? BY_SPDX3.get(`${type}\0`) ?? { spdx2: 'OTHER', spdx3: type, swap: false };
}

/**
 * SPDX 2.3 external references (category, type) and their SPDX 3 homes: identifiers become
 * `ExternalIdentifier`s, the rest `ExternalRef`s, as the specification's annex on differences
 * from 2.3 says. A reference this table does not name is written as an `ExternalRef` of type
 * `other` whose comment names its 2.3 category and type, so it reads back as it was.
 */
const REFERENCE_TABLE: [category: ExternalRef['category'], spdx2: string, kind: 'identifier' | 'reference', spdx3: string][] = [
  ['SECURITY', 'cpe22Type', 'identifier', 'cpe22'],
  ['SECURITY', 'cpe23Type', 'identifier', 'cpe23'],
  ['SECURITY', 'swid', 'identifier', 'swid'],
  ['PACKAGE-MANAGER', 'purl', 'identifier', 'packageUrl'],
  ['SECURITY', 'advisory', 'reference', 'securityAdvisory'],
  ['SECURITY', 'fix', 'reference', 'securityFix'],
  ['SECURITY', 'url', 'reference', 'securityOther'],
  ['PACKAGE-MANAGER', 'maven-central', 'reference', 'mavenCentral'],
  ['PACKAGE-MANAGER', 'npm', 'reference', 'npm'],
  ['PACKAGE-MANAGER', 'nuget', 'reference', 'nuget'],
  ['PACKAGE-MANAGER', 'bower', 'reference', 'bower'],
];
const TO_SPDX3 = new Map(REFERENCE_TABLE.map(([category, spdx2, kind, spdx3]) => [`${category} ${spdx2}`, { kind, spdx3 }]));
const TO_SPDX2 = new Map(REFERENCE_TABLE.map(([category, spdx2, kind, spdx3]) => [`${kind} ${spdx3}`, { category, spdx2 }]));
export const ORIGINAL_REF_COMMENT = 'SPDX 2.3 externalRef ';

export interface Spdx3Ref {
  kind: 'identifier' | 'reference';
  type: string;
  value: string;
  comment?: string;
}

export function spdx3Ref(ref: ExternalRef): Spdx3Ref {
  const known = TO_SPDX3.get(`${ref.category} ${ref.type}`);
  if (known) return { kind: known.kind, type: known.spdx3, value: ref.locator };
  return { kind: 'reference', type: 'other', value: ref.locator, comment: `${ORIGINAL_REF_COMMENT}${ref.category} ${ref.type}` };
}

/** An SPDX 3 identifier or reference back as an SPDX 2.3 external reference. */
export function modelRef(kind: 'identifier' | 'reference', type: string, value: string, comment: string | undefined): ExternalRef {
  if (kind === 'reference' && type === 'other' && comment?.startsWith(ORIGINAL_REF_COMMENT)) {
    const [category, spdx2Type] = comment.slice(ORIGINAL_REF_COMMENT.length).split(' ');
    if (category && spdx2Type) return { category: category as ExternalRef['category'], type: spdx2Type, locator: value };
  }
  const known = TO_SPDX2.get(`${kind} ${type}`);
  if (known) return { category: known.category, type: known.spdx2, locator: value };
  // Someone else's: keep the SPDX 3 type name, in the category 2.3 would file it under.
  return { category: kind === 'identifier' ? 'PERSISTENT-ID' : 'OTHER', type, locator: value };
}
