import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError, describeSystemError } from '../errors.js';
import { versionDrift } from '../detect/drift.js';
import type { Detector, Finding } from '../detect/types.js';
import type { Package, SbomDocument } from '../model/types.js';
import type { WindowsArtifactFacts } from '../steps/types.js';
import { KNOWN_PATTERNS, type WindowsArtifactName, parseWindowsArtifactName } from './artifact-name.js';
import { pythonOrgFacts } from './python-org.js';
import { type SourceTree, readSourceTree } from './source-tree.js';
import { digestFile } from '../util/sha256-file.js';
import { ZIP_LIMITS, listZipMembers } from './zip-members.js';
import { pushAll } from '../util/arrays.js';

export { parseWindowsArtifactName, looksLikeWindowsArtifact } from './artifact-name.js';
export type { WindowsArtifactName } from './artifact-name.js';
export { windowsCompleteSteps } from './complete.js';

export interface WindowsSubjectRequest {
  /** The release's source directory or tarball (`--source`). */
  source: string | undefined;
  /** Files of the source tree whose bytes the steps need, besides what the Windows facts read. */
  wants: (path: string) => boolean;
  /** Detectors of vendored components, to hold the manifest against the sources (drift). */
  vendored: Detector[];
  /** `--hash sha512`: the artifact and its members hashed with SHA-512 too. */
  sha512?: boolean;
}

export interface WindowsSubjectFacts {
  document: SbomDocument;
  tree: SourceTree;
  windows: WindowsArtifactFacts;
  findings: Finding[];
  warnings: string[];
  driftFindings: Finding[];
}

/**
 * A python.org Windows artifact (installer, embeddable package, PyManager package) as a subject of
 * the pipeline: the facts python.org's release tooling writes for it (python-org.ts), from its name
 * and bytes and the release's source tree, plus what the complete profile's Windows steps read
 * (complete.ts): the zip's members, the externals, the manifest's packages and their files. A zip
 * is read (bounded) under both profiles, so a corrupt one is refused either way.
 */
export async function describeWindowsArtifact(artifactPath: string, request: WindowsSubjectRequest): Promise<WindowsSubjectFacts> {
  const name = parseWindowsArtifactName(basename(artifactPath));
  if (!name) {
    throw new InputError(`${artifactPath}: not a python.org Windows artifact name (expected ${KNOWN_PATTERNS})`);
  }
  const info = await stat(artifactPath).catch((error: unknown) => {
    throw new InputError(describeSystemError(error, artifactPath));
  });
  if (!info.isFile()) throw new InputError(`${artifactPath}: not a file`);
  if (request.source === undefined) {
    throw new InputError(`${artifactPath}: a Windows artifact needs --source TREE (the release's source directory or tarball)`);
  }
  const members = name.container === 'zip' ? await listZipMembers(artifactPath, ZIP_LIMITS, request.sha512 === true) : undefined;
  const { sha256, sha512 } = await digestFile(artifactPath, request.sha512 === true);
  const tree = await readSourceTree(request.source, name, request.wants);
  const facts = await pythonOrgFacts({ name, sha256 }, tree, '');

  // The same drift checks as for the source tree: the manifest against what its sources declare,
  // ensurepip's pins against the bundled wheels.
  const detected: Package[] = [];
  const driftFindings: Finding[] = [];
  for (const detector of request.vendored) {
    const detection = await detector.detect(tree.context);
    pushAll(detected, detection.packages);
    pushAll(
      driftFindings,
      detection.findings.filter((finding) => finding.kind === 'version-drift'),
    );
  }
  pushAll(driftFindings, versionDrift(facts.manifest, detected).findings);

  return {
    document: facts.document,
    tree,
    windows: { ...windowsFacts(name, members, facts), ...(sha512 ? { sha512 } : {}) },
    findings: facts.findings,
    warnings: facts.warnings,
    driftFindings,
  };
}

function windowsFacts(
  name: WindowsArtifactName,
  members: WindowsArtifactFacts['members'],
  facts: Awaited<ReturnType<typeof pythonOrgFacts>>,
): WindowsArtifactFacts {
  return {
    fileName: name.fileName,
    version: name.version,
    arch: name.arch,
    kind: name.kind,
    freeThreaded: name.freeThreaded,
    members,
    externals: facts.externals,
    manifest: facts.manifest,
    manifestFiles: facts.manifestFiles,
  };
}
