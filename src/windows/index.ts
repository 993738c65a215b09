import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError, describeSystemError } from '../errors.js';
import type { Finding } from '../detect/types.js';
import type { Profile } from '../generate/profile.js';
import type { SbomDocument } from '../model/types.js';
import { KNOWN_PATTERNS, type WindowsArtifactName, parseWindowsArtifactName } from './artifact-name.js';
import { applyWindowsComplete } from './complete.js';
import { pythonOrgFacts } from './python-org.js';
import { readSourceTree } from './source-tree.js';
import { sha256File } from '../util/sha256-file.js';
import { listZipMembers } from './zip-members.js';

export { parseWindowsArtifactName, looksLikeWindowsArtifact } from './artifact-name.js';
export type { WindowsArtifactName } from './artifact-name.js';

export interface WindowsBuildOptions {
  /** The release's source directory or tarball. */
  source: string | undefined;
  profile: Profile;
  created: string;
}

export interface WindowsBuildResult {
  document: SbomDocument;
  artifact: WindowsArtifactName;
  findings: Finding[];
  warnings: string[];
}

/**
 * The SBOM of a python.org Windows artifact (installer, embeddable package, PyManager package),
 * from its name and bytes and the release's source tree. `python.org`: the facts python.org's
 * release tooling writes. `complete`: those plus what the build and the artifact say (see
 * complete.ts). A zip is read (bounded) under both profiles, so a corrupt one is refused either way.
 */
export async function buildWindowsSbom(artifactPath: string, options: WindowsBuildOptions): Promise<WindowsBuildResult> {
  const name = parseWindowsArtifactName(basename(artifactPath));
  if (!name) {
    throw new InputError(`${artifactPath}: not a python.org Windows artifact name (expected ${KNOWN_PATTERNS})`);
  }
  const info = await stat(artifactPath).catch((error: unknown) => {
    throw new InputError(describeSystemError(error, artifactPath));
  });
  if (!info.isFile()) throw new InputError(`${artifactPath}: not a file`);
  if (options.source === undefined) {
    throw new InputError(`${artifactPath}: a Windows artifact needs --source TREE (the release's source directory or tarball)`);
  }
  const members = name.container === 'zip' ? await listZipMembers(artifactPath) : undefined;
  const sha256 = await sha256File(artifactPath);
  const tree = await readSourceTree(options.source, name);
  const facts = await pythonOrgFacts({ name, sha256 }, tree, options.created);
  if (options.profile === 'complete') facts.warnings.push(...applyWindowsComplete(facts, tree, name, members));
  return { document: facts.document, artifact: name, findings: facts.findings, warnings: facts.warnings };
}
