/**
 * The result of comparing two SBOMs. `SbomDiff` is exactly what `diff --format json` prints: the
 * contract's shape (`old`, `new`, `packages`, `files`), with keys added for a security review
 * (changed packages' file paths and in-place changes; snippets; per-file licenses and copyrights;
 * VEX statements). The text and Markdown renderers read the same object plus `DiffDetails`, which
 * holds what only people need (file owners, unchanged counts).
 */

/** The package fields `diff` compares, in the order `fields` lists them. */
export const COMPARED_FIELDS = ['version', 'licenses', 'copyright', 'checksums', 'purl', 'cpe', 'supplier', 'downloadLocation', 'scope', 'files'] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

/** A package as `changed[].old` / `changed[].new` shows it; unknown values are left out. */
export interface PackageSnapshot {
  version: string;
  licenses?: { concluded?: string; declared?: string };
  /** Copyright text (SPDX `copyrightText`, CycloneDX `copyright`), whitespace collapsed. */
  copyright?: string;
  checksums?: Record<string, string>;
  purl?: string;
  cpe?: string;
  supplier?: string;
  downloadLocation?: string;
  /** `excluded` when the build does not use the package (a distributor's unbundled component). */
  scope?: 'excluded';
  /** How many files the package contains. */
  files?: number;
}

/** `upgrade`/`downgrade` when the versions order; `changed` when they do not (commit ids, odd schemes). */
export type VersionChange = 'upgrade' | 'downgrade' | 'changed';

export interface PackageRef {
  name: string;
  version: string;
  /** Name of the package that depends on this one, when the name alone is ambiguous (3.11's two setuptools). */
  parent?: string;
}

export interface ChangedPackage {
  name: string;
  parent?: string;
  old: PackageSnapshot;
  new: PackageSnapshot;
  fields: ComparedField[];
  versionChange?: VersionChange;
  /** Set when an artifact checksum changed while the version did not. */
  suspicious?: boolean;
  /**
   * How the package's own file list moved (present when `files` is in `fields`). `moved` counts
   * files that only changed place with the same content (a wheel member under the renamed wheel of
   * a new pip); a moved file whose content changed counts as `changed`.
   */
  fileChanges?: { added: number; removed: number; changed: number; moved?: number };
  /** The paths behind `fileChanges` (NEW's path for a changed file). */
  filePaths?: PackageFilePaths;
  /**
   * Set when the package's code changed while its version did not: files whose content is new to
   * it, gone from the document, or different, under the same (known) version. Vendored code
   * edited in place is what a security review must see; `--fail-on changed-in-place` gates on it.
   * Files that merely moved, or moved between packages with the same content, are not in it.
   */
  inPlace?: { added: string[]; removed: string[]; changed: string[] };
  /**
   * Set when files changed for a package that records no version: nothing tells whether its code
   * was re-vendored or edited (dtoa, the WIDE project's getaddrinfo).
   */
  unversioned?: { added: string[]; removed: string[]; changed: string[] };
}

export interface PackageFilePaths {
  added: string[];
  removed: string[];
  changed: string[];
  /** Same file in another place (a wheel member in a renamed wheel); `changed` when its content differs too. */
  moved: { from: string; to: string; changed: boolean }[];
}

/** A snippet (third-party code inside another package's file) as the diff shows it. */
export interface SnippetSnapshot {
  name: string;
  file: string;
  /** 1-based inclusive line range. */
  lines: [number, number];
  /** Length of the snippet in bytes (from its byte range). */
  bytes: number;
  version?: string;
  licenses?: { concluded?: string; inSnippet?: string[] };
  copyright?: string;
  purl?: string;
}

export const SNIPPET_FIELDS = ['file', 'lines', 'bytes', 'version', 'licenses', 'copyright', 'purl', 'content'] as const;
export type SnippetField = (typeof SNIPPET_FIELDS)[number];

export interface ChangedSnippet {
  name: string;
  old: SnippetSnapshot;
  new: SnippetSnapshot;
  fields: SnippetField[];
  /**
   * What the documents say about the snippet's bytes (SBOMs carry no digest of a snippet, only of
   * its file): `unchanged` when its file has the same digest in both, `changed` when its length
   * changed, `file-changed` when its file changed but its length did not (it may or may not have).
   */
  content: 'unchanged' | 'changed' | 'file-changed';
}

/** A file whose own license or copyright findings changed (SPDX `licenseInfoInFiles`, `copyrightText`). */
export interface FileLicenseChange {
  path: string;
  old: { licenses?: string[]; copyright?: string };
  new: { licenses?: string[]; copyright?: string };
  fields: ('licenses' | 'copyright')[];
}

/** One VEX statement as the diff shows it: the packages it is about by name, not by document-local ref. */
export interface VulnerabilityView {
  id: string;
  aliases: string[];
  affects: string[];
  state: 'fixed' | 'under_investigation' | 'affected' | 'not_affected';
  detail?: string;
}

export interface VulnerabilityChange {
  id: string;
  aliases: string[];
  affects: string[];
  old: { state: VulnerabilityView['state']; detail?: string };
  new: { state: VulnerabilityView['state']; detail?: string };
}

export interface VulnerabilityDiff {
  /** Statements in both whose state became `fixed`. */
  fixed: VulnerabilityChange[];
  /** Statements only NEW makes / only OLD made. */
  added: VulnerabilityView[];
  removed: VulnerabilityView[];
  /** Statements in both whose state changed otherwise (`fixed` -> `affected` is a regression). */
  changed: VulnerabilityChange[];
}

export interface DocumentHeader {
  file: string;
  format: string;
  name: string;
}

export interface SbomDiff {
  old: DocumentHeader;
  new: DocumentHeader;
  packages: { added: PackageRef[]; removed: PackageRef[]; changed: ChangedPackage[] };
  files: { added: string[]; removed: string[]; changed: string[] };
  /** Snippets paired by name and file (by name alone when one moved to another file). */
  snippets: { added: SnippetSnapshot[]; removed: SnippetSnapshot[]; changed: ChangedSnippet[] };
  /** Files in both whose own license or copyright findings changed. */
  fileLicenses: FileLicenseChange[];
  /** VEX statements (CycloneDX `vulnerabilities`), paired by id or a shared alias. */
  vulnerabilities: VulnerabilityDiff;
}

export interface DiffDetails {
  /** Owner label of each added/changed file in NEW and each removed file in OLD ('' = no package). */
  owners: Map<string, string>;
  unchangedPackages: number;
  unchangedFiles: number;
  unchangedSnippets: number;
  /** VEX statements in both documents with the same state. */
  unchangedVulnerabilities: number;
  only?: 'packages' | 'files';
}
