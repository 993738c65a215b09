import { InputError } from '../errors.js';
import type { Package } from '../model/types.js';

import { PATCHLEVEL_PATH } from './paths.js';
export const PSF = 'Organization: Python Software Foundation';

/**
 * The CPython version of a tree, from `PY_VERSION` in Include/patchlevel.h (the tree's own
 * record). A tree without it is not CPython.
 */
export function readCPythonVersion(scan: { location: string; contents: ReadonlyMap<string, Buffer> }): string {
  const bytes = scan.contents.get(PATCHLEVEL_PATH);
  if (!bytes) {
    throw new InputError(`${scan.location}: not a CPython source tree (no ${PATCHLEVEL_PATH})`);
  }
  const version = parsePyVersion(bytes.toString('latin1'));
  if (!version) throw new InputError(`${scan.location}: ${PATCHLEVEL_PATH} has no PY_VERSION`);
  // The version ends up in names, purls, CPEs and URLs: anything but a plain version is refused
  // here, naming the file, rather than by the document's own validation later.
  if (!SANE_PY_VERSION.test(version)) {
    const shown = version.length > 40 ? `${version.slice(0, 40)}…` : version;
    throw new InputError(`${scan.location}: ${PATCHLEVEL_PATH}: PY_VERSION ${JSON.stringify(shown)} is not a CPython version (e.g. 3.13.15, 3.14.0a1+)`);
  }
  return version.replace(/\+$/, '');
}

/** X.Y[.Z] with an optional a/b/rc pre-release and the `+` of a development tree; 32 characters at most. */
const SANE_PY_VERSION = /^(?=.{1,32}$)\d{1,3}\.\d{1,3}(\.\d{1,4})?((a|b|c|rc)\d{1,4})?\+?$/;

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

/**
 * CPython as a package, with what python.org's release tooling says of every release: PSF-2.0,
 * the PSF as supplier and originator, its CPE, and — for a release artifact — the artifact's
 * name, python.org download location and SHA-256.
 */
export function cpythonRelease(version: string, artifact?: { fileName: string; sha256: string }): Package {
  const pkg: Package = {
    ref: 'cpython',
    spdxId: 'SPDXRef-PACKAGE-cpython',
    name: 'CPython',
    version,
    purpose: 'SOURCE',
    licenseConcluded: 'PSF-2.0',
    originator: PSF,
    supplier: PSF,
    cpe: `cpe:2.3:a:python:python:${version}:*:*:*:*:*:*:*`,
    downloadLocation: 'NOASSERTION',
    checksums: {},
    files: [],
    dependsOn: [],
  };
  if (artifact) {
    pkg.packageFileName = artifact.fileName;
    pkg.downloadLocation = `https://www.python.org/ftp/python/${releaseDirectory(version)}/${artifact.fileName}`;
    pkg.checksums = { SHA256: artifact.sha256 };
  }
  return pkg;
}
