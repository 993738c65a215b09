import { InputError } from '../errors.js';
import type { ScanResult } from '../source/types.js';

export const PATCHLEVEL_PATH = 'Include/patchlevel.h';

/**
 * The CPython version of a tree, from `PY_VERSION` in Include/patchlevel.h (the tree's own
 * record). A tree without it is not CPython.
 */
export function readCPythonVersion(scan: ScanResult): string {
  const bytes = scan.contents.get(PATCHLEVEL_PATH);
  if (!bytes) {
    throw new InputError(`${scan.location}: not a CPython source tree (no ${PATCHLEVEL_PATH})`);
  }
  const match = /#define\s+PY_VERSION\s+"([^"]+)"/.exec(bytes.toString('latin1'));
  if (!match) throw new InputError(`${scan.location}: ${PATCHLEVEL_PATH} has no PY_VERSION`);
  return (match[1] as string).replace(/\+$/, '');
}

/** `3.13.0rc1` -> `3.13.0`: python.org's download directories drop pre-release suffixes. */
export function releaseDirectory(version: string): string {
  return /^[0-9.]+/.exec(version)?.[0]?.replace(/\.$/, '') ?? version;
}

/** Whether an artifact file name is the upstream one for this version (Python-X.Y.Z.tgz / .tar.xz). */
export function isUpstreamArtifactName(fileName: string, version: string): boolean {
  return [`Python-${version}.tgz`, `Python-${version}.tar.xz`, `Python-${version}.tar.gz`].includes(fileName);
}
