import { basename } from 'node:path';
import { MANIFEST_PATH } from '../cpython/paths.js';
import { describeTree } from '../detect/describe.js';
import { detectorsWant, treeDetectors } from '../detect/registry.js';
import type { ContentReader, ScanLimits } from '../source/types.js';
import type { StepContext, SubjectKind } from '../steps/types.js';

/**
 * The subjects `generate` describes, each supplying facts only: a python.org-shaped document, the
 * one scan of the source tree (with the bytes the steps asked for), what failed a check, what is
 * worth a warning. Which subject a SOURCE is follows from its name.
 */

export interface SubjectRequest {
  path: string;
  /** Files whose bytes the steps need (the subject adds what its own detectors read). */
  wants: (path: string) => boolean;
  /** Source trees: what the steps look at as the scan reads it, without keeping it. */
  readContent?: ContentReader;
  /** Source trees: also list the Windows build's externals (`--externals`). */
  externals?: boolean;
  /** Windows artifacts: the release's source tree or tarball (`--source`). */
  source?: string;
  /** Platform builds: which (`--platform`), and the assumptions their recipes' conditions need. */
  platform?: 'macos' | 'android' | 'ios';
  deploymentTarget?: string;
  host?: string;
  limits?: Partial<ScanLimits>;
  /** `--hash sha512`: every file, member and artifact hashed with SHA-512 too, in the same pass. */
  sha512?: boolean;
  onScan?: (done: number, total: number) => void;
  onDetect?: () => void;
}

/** A subject's facts: the steps' context before any step ran, and what names the outputs. */
export interface SubjectFacts extends Omit<StepContext, 'subject' | 'notes' | 'licenseSources'> {
  /** What SOURCE turned out to be. */
  sourceKind: 'directory' | 'tarball' | 'windows-artifact' | 'platform-artifact';
  /** Outputs are named after it: the tarball or artifact (`Python-3.13.15.tar.xz`), or the tree. */
  baseName: string;
}

/**
 * python.org Windows artifacts are told by their names (`python-3.13.15-embed-amd64.zip`); a tree
 * or tarball with `--platform macos|android|ios` is that platform's build (`--platform windows`
 * is the tree with the Windows build's externals).
 */
export async function subjectOf(path: string, flags: Record<string, unknown> = {}): Promise<SubjectKind> {
  // Platform artifacts first: an iOS XCframework .zip is a python-….zip too.
  const { looksLikePlatformArtifact } = await import('../platforms/artifact.js');
  if (looksLikePlatformArtifact(basename(path))) return 'platform-artifact';
  const { looksLikeWindowsArtifact } = await import('../windows/artifact-name.js');
  if (looksLikeWindowsArtifact(basename(path))) return 'windows-artifact';
  if (flags.platform !== undefined && flags.platform !== 'windows') return 'platform';
  return 'source';
}

export const SUBJECTS: Record<SubjectKind, (request: SubjectRequest) => Promise<SubjectFacts>> = {
  /** A source directory or release tarball: scanned once, described by the detectors' registry. */
  async source(request) {
    const { scanSource } = await import('../source/index.js');
    const detectors = treeDetectors({ externals: request.externals === true });
    const detectorWants = detectorsWant(detectors);
    const scan = await scanSource(request.path, {
      wantContent: (path) => detectorWants(path) || request.wants(path),
      ...(request.readContent ? { readContent: request.readContent } : {}),
      ...(request.sha512 ? { sha512: true } : {}),
      ...(request.onScan ? { onProgress: request.onScan } : {}),
      ...(request.limits ? { limits: request.limits } : {}),
    });
    request.onDetect?.();
    const described = await describeTree(scan, detectors);
    return { ...described, sourceKind: scan.kind, baseName: scan.artifact?.fileName ?? scan.rootName };
  },

  /** What a platform's build of a tree bundles, from the tree's build recipe (`--platform`). */
  async platform(request) {
    const { describePlatform } = await import('../platforms/index.js');
    const facts = await describePlatform(request.path, {
      platform: request.platform ?? 'macos',
      ...(request.deploymentTarget !== undefined ? { deploymentTarget: request.deploymentTarget } : {}),
      ...(request.host !== undefined ? { host: request.host } : {}),
      wants: request.wants,
      ...(request.limits ? { limits: request.limits } : {}),
      ...(request.onScan ? { onScan: request.onScan } : {}),
    });
    return platformFacts(facts, facts.sourceKind);
  },

  /** A python.org Android, iOS or macOS artifact, with the release's source tree (`--source`). */
  async 'platform-artifact'(request) {
    const { describePlatformArtifact } = await import('../platforms/artifact.js');
    const facts = await describePlatformArtifact(request.path, {
      source: request.source,
      ...(request.deploymentTarget !== undefined ? { deploymentTarget: request.deploymentTarget } : {}),
      wants: request.wants,
    });
    return platformFacts(facts, 'platform-artifact');
  },

  /** A python.org Windows artifact, with the release's source tree (`--source`). */
  async 'windows-artifact'(request) {
    const { describeWindowsArtifact } = await import('../windows/index.js');
    const detectors = treeDetectors();
    const detectorWants = detectorsWant(detectors);
    const facts = await describeWindowsArtifact(request.path, {
      source: request.source,
      wants: (path) => detectorWants(path) || request.wants(path),
      vendored: detectors.vendored,
      ...(request.sha512 ? { sha512: true } : {}),
    });
    return {
      document: facts.document,
      detect: facts.tree.context,
      cpythonVersion: facts.windows.version,
      hasManifest: facts.tree.scan.contents.has(MANIFEST_PATH),
      findings: facts.findings,
      warnings: facts.warnings,
      drift: [],
      driftFindings: facts.driftFindings,
      windows: facts.windows,
      sourceKind: 'windows-artifact',
      baseName: facts.windows.fileName,
    };
  },
};

/** The fields of a subject's request that flags decide (generate/pipeline.ts adds the rest). */
export function subjectFlags(subject: SubjectKind, flags: Record<string, unknown>, sha512: boolean): Partial<SubjectRequest> {
  return {
    // --platform windows: what the Windows build bundles is the tree with its externals.
    ...(flags.externals === true || flags.platform === 'windows' ? { externals: true } : {}),
    ...(subject === 'platform' ? { platform: flags.platform as 'macos' | 'android' | 'ios' } : {}),
    ...(typeof flags.deploymentTarget === 'string' ? { deploymentTarget: flags.deploymentTarget } : {}),
    ...(typeof flags.host === 'string' ? { host: flags.host } : {}),
    ...(typeof flags.source === 'string' ? { source: flags.source } : {}),
    ...(sha512 ? { sha512: true } : {}),
  };
}

/** A platform document's facts: its own scan, no manifest checks, no drift (the recipe is all it reads). */
function platformFacts(
  facts: { document: SubjectFacts['document']; context: SubjectFacts['detect']; cpythonVersion: string; warnings: string[]; baseName: string },
  sourceKind: SubjectFacts['sourceKind'],
): SubjectFacts {
  return {
    document: facts.document,
    detect: facts.context,
    cpythonVersion: facts.cpythonVersion,
    hasManifest: facts.context.scan.contents.has(MANIFEST_PATH),
    findings: [],
    warnings: facts.warnings,
    drift: [],
    driftFindings: [],
    sourceKind,
    baseName: facts.baseName,
  };
}
