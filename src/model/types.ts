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
  /**
   * Licenses found in the file itself (SPDX `licenseInfoInFiles`), e.g. code absorbed into a
   * CPython file from a third party; the comment says whose it was.
   */
  licenseInfoInFiles?: string[];
  /** Copyright notices found in the file (SPDX `copyrightText`). */
  copyrightText?: string;
}

/** Where a license or copyright statement was found, and how it was established. */
export interface LicenseEvidence {
  /** SPDX license expression (or LicenseRef-…). */
  expression: string;
  /** Tree path (for a wheel member: `<wheel path>/<member path>`) the statement was read from. */
  file?: string;
  /** How: a license file matched against the SPDX license list, a file header, wheel metadata, Doc/license.rst, the catalog. */
  method: 'license-text' | 'header' | 'wheel-metadata' | 'license-rst' | 'catalog';
  /** Similarity to the matched license text, 0–1, for `license-text` and `header`. */
  confidence?: number;
}

export interface CopyrightEvidence {
  text: string;
  file?: string;
}

/** A place in the tree where a component's code lives (whole file, or a line range inside one). */
export interface Occurrence {
  path: string;
  /** 1-based inclusive line range, when the component is part of a file. */
  lines?: [number, number];
}

/** What a complete-profile document records about why it says what it says of a package. */
export interface PackageEvidence {
  licenses: LicenseEvidence[];
  copyrights: CopyrightEvidence[];
  occurrences: Occurrence[];
}

/**
 * Third-party code inside a file of another package (SPDX 2.3 snippet, `snippetFromFile`; a
 * CycloneDX component whose `evidence.occurrences` name the file and lines).
 */
export interface Snippet {
  /** Unique in the document, like a package ref: `snippet:siphash`. */
  ref: string;
  name: string;
  /** Tree path of the file the snippet is in. */
  file: string;
  /** 1-based, inclusive, as SPDX's `startPointer`/`endPointer` count them. */
  byteRange: [number, number];
  lineRange: [number, number];
  version?: string;
  licenseConcluded?: string;
  /** Licenses found in the snippet (SPDX `licenseInfoInSnippets`). */
  licenseInfoInSnippet: string[];
  copyrightText?: string;
  /** Who wrote it and where it comes from. */
  comment?: string;
  /** Text of the attribution (the Doc/license.rst section it comes from). */
  attributionText?: string;
  purl?: string;
}

/** The organisation a document speaks for (CycloneDX `metadata.manufacturer`/`supplier`). */
export interface Organization {
  name: string;
  urls: string[];
  /** Where security issues are to be reported. */
  securityContact?: { email?: string; url?: string };
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
  /**
   * Hashes of the file at `downloadLocation`, as a build recipe records them (a platform build's
   * libraries): CycloneDX writes them on the distribution reference.
   */
  downloadChecksums?: Checksums;
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
  /** SPDX `copyrightText`. */
  copyrightText?: string;
  /**
   * SPDX `licenseInfoFromFiles`: the union of the licenses the package's files state (their
   * `licenseInfoInFiles`); CycloneDX carries it in the component's evidence (complete profile).
   */
  licenseInfoFromFiles?: string[];
  /** SPDX `licenseComments`: how the licenses were established. */
  licenseComments?: string;
  /** SPDX `sourceInfo`: where in the tree the package was found and how its version was read. */
  sourceInfo?: string;
  /** Evidence for licenses, copyrights and where the code is (complete profile). */
  evidence?: PackageEvidence;
  /**
   * What the package's artifact is, as BSI TR-03183-2 asks (CycloneDX properties
   * `bsi:component:executable`, `…:archive`, `…:structured`): a release tarball is a
   * non-executable, structured archive.
   */
  artifactProperties?: ArtifactProperties;
}

export interface ArtifactProperties {
  executable?: boolean;
  archive?: boolean;
  structured?: boolean;
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
  /** Third-party code inside files of other packages (complete profile). */
  snippets?: Snippet[];
  /** The organisation behind the described software (complete profile). */
  manufacturer?: Organization;
  /**
   * Where in the software's lifecycle the document was made, as CycloneDX names the phases
   * (`pre-build` for a source tree or release tarball, `post-build` for a built artifact; any
   * other text is a named lifecycle). CycloneDX `metadata.lifecycles`; SPDX 2.3 says it in
   * `creationInfo.comment` (see formats/lifecycle.ts).
   */
  lifecycles?: string[];
  /**
   * Licenses the document names by a `LicenseRef-` id, with their text (SPDX
   * `hasExtractedLicensingInfos`; CycloneDX a named license with its text). `--license-list-version`
   * puts here the SPDX licenses newer than the list a consumer knows.
   */
  comment?: string;
  /** VEX statements about known vulnerabilities (`vex`, `generate --advisories`). */
  vulnerabilities?: VulnerabilityStatement[];
  /** Licenses not on the SPDX list that the document names (`LicenseRef-…`), with their text (SPDX `hasExtractedLicensingInfos`). */
  extractedLicenses?: ExtractedLicense[];
}

/** A license named by a `LicenseRef-` id in the document, with the text that says what it is. */
export interface ExtractedLicense {
  /** `LicenseRef-dtoa`. */
  id: string;
  /** Human-readable name (`dtoa License`), when there is one. */
  name?: string;
  text: string;
  /** Where the license is described (the SPDX license list page for an id written as a LicenseRef). */
  seeAlso?: string[];
  comment?: string;
}

/**
 * Whether the described software is affected by one known vulnerability, and on what evidence
 * (CycloneDX `vulnerabilities[]`, an OpenVEX statement).
 */
export interface VulnerabilityStatement {
  /**
   * The id scanners match findings on: the CVE id when the advisory gives one, else the
   * advisory's own id (`CVE-2024-1234`, `PSF-2019-13`, `GHSA-…`).
   */
  id: string;
  /** Other ids of the same vulnerability (further CVE ids first, then the advisory's own id, GHSA, …). */
  aliases: string[];
  /** Who published the advisory. */
  source?: { name: string; url?: string };
  /** Refs of the packages the statement is about. */
  affects: string[];
  /** `fixed` needs a citation in `detail`; `under_investigation` says what was looked for. */
  state: 'fixed' | 'under_investigation' | 'affected' | 'not_affected';
  /** The evidence: the NEWS line and release section naming the fix, or what was searched. */
  detail?: string;
  /** Advisory and fix URLs. */
  references?: string[];
}

/** What a document was read from, for messages and `diff` headers. */
export interface ReadDocument {
  file: string;
  /** `spdx-2.3`, `cyclonedx-1.6`, … */
  format: string;
  document: SbomDocument;
}
