/**
 * The format-free model of an SBOM. Detectors produce it, `formats/spdx` and `formats/cyclonedx`
 * write it and read documents back into it, and `diff`/`verify` compare it. Nothing here knows
 * about SPDX IDs or bom-refs except as optional hints a writer may reuse.
 */

/** Hash algorithm names as SPDX spells them; CycloneDX names are mapped in its format module. */
export type HashAlgorithm =
  | 'SHA1'
  | 'SHA224'
  | 'SHA256'
  | 'SHA384'
  | 'SHA512'
  | 'SHA3-256'
  | 'SHA3-384'
  | 'SHA3-512'
  | 'BLAKE2b-256'
  | 'BLAKE2b-384'
  | 'BLAKE2b-512'
  | 'BLAKE3'
  | 'MD2'
  | 'MD4'
  | 'MD5'
  | 'MD6'
  | 'ADLER32';

/** Lower-case hex digests by algorithm. */
export type Checksums = Partial<Record<HashAlgorithm, string>>;

export interface FileEntry {
  /** POSIX path relative to the tree root (no `Python-X.Y.Z/` prefix). */
  path: string;
  checksums: Checksums;
  /** Identifier to keep when writing SPDX (files listed in `Misc/sbom.spdx.json` keep theirs). */
  spdxId?: string;
  /** Free-text comment (SPDX `comment`, CycloneDX description). */
  comment?: string;
}

export type PackagePurpose =
  | 'SOURCE'
  | 'LIBRARY'
  | 'APPLICATION'
  | 'FRAMEWORK'
  | 'CONTAINER'
  | 'OPERATING-SYSTEM'
  | 'DEVICE'
  | 'FIRMWARE'
  | 'FILE'
  | 'ARCHIVE'
  | 'INSTALL'
  | 'OTHER';

export interface ExternalRef {
  /** SPDX category, hyphenated as the strict 2.3 schema wants (`PACKAGE-MANAGER`). */
  category: 'SECURITY' | 'PACKAGE-MANAGER' | 'PERSISTENT-ID' | 'OTHER';
  type: string;
  locator: string;
}

/** Whether the build actually uses a package (distributor overlays mark unbundled ones). */
export type PackageScope = 'required' | 'excluded';

export interface Package {
  /**
   * Stable identity inside one document, unique: `cpython`, `expat`, `pip`, `pip/urllib3`.
   * Writers derive SPDX IDs and bom-refs from it (or from `spdxId` when set).
   */
  ref: string;
  name: string;
  /** `NOASSERTION`-free: an empty string means unknown. */
  version: string;
  purpose?: PackagePurpose;
  /** SPDX actor text: `Organization: Python Software Foundation`, `Person: Jane (jane@x.org)`. */
  supplier?: string;
  originator?: string;
  /** URL or `NOASSERTION`. */
  downloadLocation?: string;
  packageFileName?: string;
  licenseConcluded?: string;
  licenseDeclared?: string;
  /** Hashes of the package artifact (tarball, wheel), not of its files. */
  checksums: Checksums;
  purl?: string;
  cpe?: string;
  /** References beyond the first purl and CPE (kept so nothing read is lost). */
  otherRefs?: ExternalRef[];
  /** Paths (keys of SbomDocument.files) this package contains. */
  files: string[];
  /** Refs of packages this one depends on. */
  dependsOn: string[];
  scope?: PackageScope;
  description?: string;
  comment?: string;
  /** Identifier to keep when writing SPDX (manifest packages keep theirs). */
  spdxId?: string;
  /** SPDX `filesAnalyzed`; writers default it to true. */
  filesAnalyzed?: boolean;
  /** Verification code as recorded in a document that was read; writers recompute it. */
  verificationCode?: string;
  /** Provenance for distributor builds (see overlay). */
  pedigree?: Pedigree;
}

export interface Pedigree {
  /** Refs of packages this one was derived from (upstream CPython). */
  ancestors: string[];
  patches: Patch[];
}

export interface Patch {
  /** Path of the patch file relative to the tree root. */
  path: string;
  /** Position in the series, from 1. */
  order: number;
  sha256: string;
  /** `backport` when it resolves a known issue, otherwise `unofficial`. */
  type: 'backport' | 'unofficial' | 'monkey' | 'cherry-pick';
  /** Files of the tree the patch touches. */
  touches: string[];
  /** CVE ids and other issue references it resolves. */
  resolves: { id: string; type: 'security' | 'defect' | 'enhancement'; url?: string }[];
  /** The diff text, when small enough to embed. */
  diff?: string;
  description?: string;
}

/** Relationships beyond CONTAINS (Package.files) and DEPENDS_ON (Package.dependsOn). */
export interface Relationship {
  /** A package ref, `file:<path>`, or `document`. */
  from: string;
  type: string;
  to: string;
  comment?: string;
}

export interface Annotation {
  /** A package ref or `file:<path>`. */
  subject: string;
  annotator: string;
  date: string;
  type: 'REVIEW' | 'OTHER';
  comment: string;
}

export interface SbomDocument {
  name: string;
  /** SPDX document namespace; CycloneDX serial numbers are derived from it. */
  namespace: string;
  /** ISO 8601 UTC, second precision: `2024-01-01T00:00:00Z`. */
  created: string;
  /** SPDX creator strings: `Tool: cpython-sbom-0.1.0`, `Organization: …`. */
  creators: string[];
  dataLicense: string;
  licenseListVersion?: string;
  /** Refs of the packages the document is about; the first is the primary component. */
  describes: string[];
  packages: Package[];
  /** Every file, keyed by path through `files[].path`; sorted by path when written. */
  files: FileEntry[];
  relationships: Relationship[];
  annotations: Annotation[];
  comment?: string;
}

/** What a document was read from, for messages and `diff` headers. */
export interface ReadDocument {
  file: string;
  /** `spdx-2.3`, `cyclonedx-1.6`, … */
  format: string;
  document: SbomDocument;
}
