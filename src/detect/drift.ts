import type { Package } from '../model/types.js';
import { MANIFEST_PATH } from '../cpython/paths.js';
import type { Finding } from './types.js';

/** One component whose vendored sources declare another version than Misc/sbom.spdx.json. */
export interface Drift {
  /** The manifest's package. */
  listed: Package;
  /** The package as detected from the sources (version, identifiers, download location). */
  found: Package;
  /** Where the sources' version was read (`Modules/expat/expat.h`). */
  where: string;
}

/**
 * Holds what the vendored sources say against Misc/sbom.spdx.json: a component whose detected
 * version differs from the manifest's is drift, reported naming both versions and where the
 * detected one was read (3.13.3 and 3.13.7 ship expat 2.7.1 while their manifests say 2.6.3).
 * Drift is a `version-drift` finding here; `generate` reports it as a warning unless `--strict`,
 * and the complete profile records the sources' version (see generate/build.ts).
 */
export function versionDrift(manifestPackages: readonly Package[], detected: readonly Package[]): { findings: Finding[]; drifts: Drift[] } {
  const findings: Finding[] = [];
  const drifts: Drift[] = [];
  for (const found of detected) {
    const listed = manifestPackages.find((pkg) => pkg.name === found.name);
    if (!listed || !found.version || listed.version === found.version) continue;
    const where = found.comment?.replace(/^version from /, '') ?? 'detected';
    drifts.push({ listed, found, where });
    findings.push({
      kind: 'version-drift',
      component: found.name,
      message: `${found.name}: the vendored sources say ${found.version} (${where}) but ${MANIFEST_PATH} says ${listed.version}`,
    });
  }
  return { findings, drifts };
}

/**
 * The complete profile describes what the tree holds: the manifest's package takes the version the
 * sources declare, with the identifiers and download location detection derived from it, and a
 * comment keeping the manifest's version. Its files stay the manifest's.
 */
export function recordSourcesVersion(drift: Drift): void {
  const { listed, found, where } = drift;
  const manifestVersion = listed.version;
  listed.version = found.version;
  if (found.cpe) listed.cpe = found.cpe;
  else delete listed.cpe;
  if (found.purl) listed.purl = found.purl;
  else delete listed.purl;
  listed.downloadLocation = found.downloadLocation ?? 'NOASSERTION';
  listed.checksums = { ...found.checksums };
  const note = `version ${found.version} from ${where}; ${MANIFEST_PATH} says ${manifestVersion}`;
  listed.comment = listed.comment ? `${listed.comment}; ${note}` : note;
}
