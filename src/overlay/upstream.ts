import { basename } from 'node:path';
import { PATCHLEVEL_PATH } from '../cpython/paths.js';
import { cpythonRelease, readCPythonVersion } from '../cpython/release.js';
import { sha256File } from '../util/sha256-file.js';
import { InputError, describeSystemError } from '../errors.js';
import { readSbomFile } from '../formats/registry.js';
import type { Package } from '../model/types.js';
import { readFileHead, sniffCompression } from '../source/decompress.js';
import { scanSource } from '../source/index.js';

export const UPSTREAM_REF = 'cpython-upstream';

/**
 * The upstream release a distributor's tree derives from, as a package: from the release tarball
 * itself (hashed here; version from its name, else from its Include/patchlevel.h) or from an SBOM
 * of that release (its described package, taken as it is).
 */
export async function readUpstream(path: string): Promise<Package> {
  let head: Buffer;
  try {
    head = await readFileHead(path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(describeSystemError(error, path));
  }
  if (/^\s*[{<]/.test(head.toString('latin1'))) return upstreamFromSbom(path);
  const compression = sniffCompression(head);
  if (compression !== 'gzip' && compression !== 'xz') {
    throw new InputError(`${path}: neither a .tar.xz/.tgz release tarball nor an SPDX or CycloneDX document`);
  }
  return upstreamFromTarball(path);
}

async function upstreamFromSbom(path: string): Promise<Package> {
  const { document } = await readSbomFile(path);
  const described = document.packages.find((pkg) => pkg.ref === document.describes[0]);
  if (!described) throw new InputError(`${path}: the document describes no package to take as the upstream release`);
  return {
    ...described,
    ref: UPSTREAM_REF,
    spdxId: 'SPDXRef-PACKAGE-cpython',
    // The upstream's own files are in its SBOM; this document lists the distributor's.
    files: [],
    dependsOn: [],
    filesAnalyzed: false,
    comment: `Upstream release this build derives from, as described by ${basename(path)}`,
  };
}

/** `Python-3.13.5.tar.xz`, `Python-3.13.5.tgz`, Debian's `python3.13_3.13.5.orig.tar.xz`. */
export function versionFromTarballName(name: string): { version: string; extension: string } | undefined {
  const match =
    /^Python-(\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?)(\.tgz|\.tar\.gz|\.tar\.xz)$/.exec(name) ??
    /^python\d\.\d+_(\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?)(?:\+[^.]+)?\.orig(\.tar\.gz|\.tar\.xz)$/.exec(name);
  if (!match) return undefined;
  return { version: match[1] as string, extension: match[2] === '.tar.gz' ? '.tgz' : (match[2] as string) };
}

async function upstreamFromTarball(path: string): Promise<Package> {
  const name = basename(path);
  const sha256 = await sha256File(path);
  let named = versionFromTarballName(name);
  if (!named) {
    // A name that does not say: the tree inside does (one streamed pass, nothing extracted).
    const scan = await scanSource(path, { wantContent: (p) => p === PATCHLEVEL_PATH });
    const extension = /\.tar\.xz$/.test(name) ? '.tar.xz' : '.tgz';
    named = { version: readCPythonVersion(scan), extension };
  }
  const { version, extension } = named;
  // python.org publishes the release under its own name; a renamed copy (Debian's .orig) has the same bytes.
  return {
    ...cpythonRelease(version, { fileName: `Python-${version}${extension}`, sha256 }),
    ref: UPSTREAM_REF,
    filesAnalyzed: false,
    comment: `Upstream release this build derives from (${name})`,
  };
}
