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
  const version = parsePyVersion(bytes.toString('latin1'));
  if (!version) throw new InputError(`${scan.location}: ${PATCHLEVEL_PATH} has no PY_VERSION`);
  return version.replace(/\+$/, '');
}

/** `PY_VERSION` as Include/patchlevel.h spells it: `3.13.15`, `3.14.0a1+` (a development tree). */
export function parsePyVersion(patchlevel: string): string | undefined {
  return /^#define\s+PY_VERSION\s+"([^"]+)"/m.exec(patchlevel)?.[1];
}

/** `3.13.0rc1` -> `3.13.0`: python.org's download directories drop pre-release suffixes. */
export function releaseDirectory(version: string): string {
  return /^[0-9.]+/.exec(version)?.[0]?.replace(/\.$/, '') ?? version;
}

/** Whether an artifact file name is the upstream one for this version (Python-X.Y.Z.tgz / .tar.xz). */
export function isUpstreamArtifactName(fileName: string, version: string): boolean {
  return [`Python-${version}.tgz`, `Python-${version}.tar.xz`, `Python-${version}.tar.gz`].includes(fileName);
}
