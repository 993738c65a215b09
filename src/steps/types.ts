import type { DetectContext, Finding } from '../detect/types.js';
import type { Drift } from '../detect/drift.js';
import type { LicenseEvidence, Package, SbomDocument } from '../model/types.js';
import type { ContentReader } from '../source/types.js';

/**
 * The contract of `generate`'s pipeline (generate/pipeline.ts):
 *
 *     subject facts -> the profile's steps, then the flags' steps, in order -> render -> validate -> write
 *
 * A subject (a source tree or tarball, a Windows artifact) only supplies facts: a python.org-shaped
 * document and what it was read from. Steps add to that document; each applies to the subjects
 * the table in generate/steps.ts names, and says which files of the one scan it needs to read.
 */

/**
 * What `generate` describes: a source tree or release tarball, a python.org Windows artifact, or
 * what a platform's build of a tree bundles (`--platform macos|android|ios`: the build recipe's
 * libraries), or one of python.org's Android, iOS or macOS artifacts (with `--source`).
 */
export type SubjectKind = 'source' | 'windows-artifact' | 'platform' | 'platform-artifact';

export const SUBJECT_KINDS: readonly SubjectKind[] = ['source', 'windows-artifact', 'platform', 'platform-artifact'];

/** How a subject is named in messages (`--overlay does not apply to a Windows artifact`). */
export const SUBJECT_LABELS: Record<SubjectKind, string> = {
  source: 'a source tree or tarball',
  'windows-artifact': 'a Windows artifact',
  platform: "a platform build's libraries (--platform macos|android|ios)",
  'platform-artifact': 'an Android, iOS or macOS artifact',
};

/** A text that may state a component's license: a license file, a file header, a Doc/license.rst section. */
export interface LicenseSource {
  text: string;
  /** Tree path the text was read from (a wheel member: `<wheel path>/<member path>`). */
  file: string;
  method: LicenseEvidence['method'];
}

/** A member of a Windows artifact's zip, hashed as it will be installed. */
export interface ArtifactMember {
  path: string;
  size: number;
  sha1: string;
  sha256: string;
  sha512?: string;
}

/** What a Windows artifact's steps read besides the document (plain data, from windows/). */
export interface WindowsArtifactFacts {
  fileName: string;
  version: string;
  arch: string;
  kind: 'installer' | 'embeddable' | 'pymanager' | 'pymanager-test';
  freeThreaded: boolean;
  /** SHA-512 of the artifact, when asked for (`--hash sha512`). */
  sha512?: string;
  /** The zip's members; undefined for an installer (not unpacked). */
  members: ArtifactMember[] | undefined;
  /** The packages of Misc/externals.spdx.json (refs `externals/NAME`). */
  externals: Package[];
  /** The packages of Misc/sbom.spdx.json, listed without files. */
  manifest: Package[];
  /** The tree files each manifest package owns (not listed in the document). */
  manifestFiles: Map<string, string[]>;
}

/** Everything a step reads and adds to. Steps change `document` in place. */
export interface StepContext {
  subject: SubjectKind;
  document: SbomDocument;
  /** The one scan of the source tree (for a Windows artifact: of `--source`), with the bytes steps asked for. */
  detect: DetectContext;
  cpythonVersion: string;
  /** Whether Misc/sbom.spdx.json was there. */
  hasManifest: boolean;
  /** Facts that fail a check: the run exits 1 and nothing is written. */
  findings: Finding[];
  warnings: string[];
  /** What was decided along the way (an overlay's explained findings, …). */
  notes: string[];
  /**
   * Components whose vendored sources declare another version than Misc/sbom.spdx.json. Warnings
   * unless the `strict` step makes them findings.
   */
  drift: Drift[];
  driftFindings: Finding[];
  /**
   * Texts that may state each component's license, keyed by package or snippet ref. Steps that
   * find components add to it; the licenses step resolves them into `licenseDeclared` and evidence.
   */
  licenseSources: Map<string, LicenseSource[]>;
  /** Set for a Windows artifact. */
  windows?: WindowsArtifactFacts;
  /** `--hash sha512`: readers of members (wheels, archives) hash with SHA-512 too. */
  sha512?: boolean;
  /** An overlay chose the document's namespace (`namespace:`): the identity step keeps it. */
  namespaceChosen?: boolean;
}

/** One step of the pipeline: what it is called, which files of the scan it needs, what it does. */
export interface StepAction {
  name: string;
  /** Files whose bytes the step needs from the scan (default: none). */
  wants(path: string): boolean;
  /**
   * Files the step looks at while the scan reads them, keeping what it learns instead of the
   * bytes (the file evidence step reads every text file of the tree this way).
   */
  reads?: ContentReader;
  apply(context: StepContext): Promise<void> | void;
}

/** A step as the pipeline runs it: an action and the subjects it applies to. */
export interface Step extends StepAction {
  subjects: readonly SubjectKind[];
}
