import { type Catalog, loadCatalog } from '../catalog/catalog.js';
import type { Package } from '../model/types.js';
import { MANIFEST_PATH } from './manifest.js';
import type { Finding } from './types.js';

/**
 * Holds what the vendored sources say against Misc/sbom.spdx.json: a component whose detected
 * version differs from the manifest's is a finding naming both versions and where the detected
 * one was read. A disagreement the catalog records as a known erratum of that exact CPython
 * release (same component, same two versions) is a warning instead, so the release's own SBOM
 * can still be reproduced; any other value is refused.
 */
export function versionDrift(
  manifestPackages: readonly Package[],
  detected: readonly Package[],
  cpythonVersion: string,
  catalog: Catalog = loadCatalog(),
): { findings: Finding[]; warnings: string[] } {
  const findings: Finding[] = [];
  const warnings: string[] = [];
  for (const found of detected) {
    const listed = manifestPackages.find((pkg) => pkg.name === found.name);
    if (!listed || !found.version || listed.version === found.version) continue;
    const where = found.comment?.replace(/^version from /, '') ?? 'detected';
    const component = catalog.components.find((entry) => (entry.packageName ?? entry.name) === found.name);
    const erratum = component?.manifestErrata?.find(
      (known) => known.cpython === cpythonVersion && known.manifest === listed.version && known.sources === found.version,
    );
    if (erratum) {
      warnings.push(`${found.name}: ${MANIFEST_PATH} says ${listed.version} but the sources are ${found.version} (${where}); known erratum of CPython ${cpythonVersion}: ${erratum.note}`);
      continue;
    }
    findings.push({
      kind: 'version-drift',
      component: found.name,
      message: `${found.name}: the vendored sources say ${found.version} (${where}) but ${MANIFEST_PATH} says ${listed.version}`,
    });
  }
  return { findings, warnings };
}
