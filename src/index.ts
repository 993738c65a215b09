/**
 * The library: each command of the `cpython-sbom` CLI as a function that returns data instead of
 * printing. Findings (an invalid document, differences, a stale manifest, a tampered file) are in
 * the results; errors (unreadable input, not a CPython tree, bad options) are thrown as
 * `InputError`. The CLI is a thin layer over these same functions.
 *
 *   import { generate, validate, diff, verify, regen, vex } from 'cpython-sbom';
 */
export {
  generate,
  SAMPLE_TREE,
  type GenerateOptions,
  type GenerateResult,
  type GenerateFinding,
  type GenerateFindingKind,
  type GeneratePhase,
  type GenerateProgress,
} from './api/generate.js';
export {
  validate,
  type ValidateInput,
  type ValidateOptions,
  type ValidateResult,
  type PolicyFinding,
  type PolicyId,
  type PolicyReport,
} from './api/validate.js';
export { diff, renderDiff, DIFF_FAIL_ON_KINDS, type DiffOptions, type DiffResult, type FailOnKind } from './api/diff.js';
export { verify, verifySignature, type SignatureCheck, type VerifyOptions, type VerifyReport, type ChangedFile, type ArtifactCheck } from './api/verify.js';
export { regen, type RegenOptions, type RegenResult, type RegenOutput, type RegenVerdict } from './api/regen.js';
export { vex, VEX_FORMATS, type VexOptions, type VexResult, type VexFormat, type VexSummary } from './api/vex.js';

export { InputError, FindingError, EXIT_OK, EXIT_FINDING, EXIT_ERROR } from './errors.js';
export { OUTPUT_FORMATS, OUTPUT_SUFFIX, type OutputFormat, type CycloneDxVersion, type FileListing } from './formats/registry.js';
export type { ValidationIssue, ValidationIssue as ValidationFinding } from './validate/index.js';
export type {
  SbomDiff,
  ChangedPackage,
  PackageRef,
  PackageSnapshot,
  PackageFilePaths,
  DocumentHeader,
  VersionChange,
  ChangedSnippet,
  SnippetSnapshot,
  FileLicenseChange,
  VulnerabilityDiff,
  VulnerabilityChange,
  VulnerabilityView,
} from './diff/types.js';
export type {
  SbomDocument,
  Package,
  FileEntry,
  Checksums,
  HashAlgorithm,
  Relationship,
  Annotation,
  ExternalRef,
  Patch,
  Pedigree,
  PackagePurpose,
  PackageScope,
  VulnerabilityStatement,
} from './model/types.js';
export { TOOL_NAME, TOOL_VERSION as VERSION } from './version.js';
