/**
 * The result of comparing two SBOMs. `SbomDiff` is exactly what `diff --format json` prints (the
 * contract's shape, with a few optional keys added on changed packages); the text and Markdown
 * renderers read the same object plus `DiffDetails`, which holds what only people need
 * (file owners, unchanged counts).
 */

/** The package fields `diff` compares, in the order `fields` lists them. */
export const COMPARED_FIELDS = [
  'version',
  'licenses',
  'checksums',
  'purl',
  'cpe',
  'supplier',
  'downloadLocation',
  'scope',
  'files',
] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

/** A package as `changed[].old` / `changed[].new` shows it; unknown values are left out. */
export interface PackageSnapshot {
  version: string;
  licenses?: { concluded?: string; declared?: string };
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
  /** How the package's own file list moved (present when `files` is in `fields`). */
  fileChanges?: { added: number; removed: number; changed: number };
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
}

export interface DiffDetails {
  /** Owner label of each added/changed file in NEW and each removed file in OLD ('' = no package). */
  owners: Map<string, string>;
  unchangedPackages: number;
  unchangedFiles: number;
  only?: 'packages' | 'files';
}
