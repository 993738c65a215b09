import { type Catalog, loadCatalog } from '../catalog/catalog.js';
import { PATCHLEVEL_PATH } from '../cpython/paths.js';
import { catalogDetector } from './catalog-detector.js';
import { ensurepipDetector } from './ensurepip.js';
import { externalsDetector } from './externals.js';
import { type ManifestDetector, manifestDetector } from './manifest.js';
import { bundledWheelsDetector } from './pip.js';
import type { Detector } from './types.js';

/**
 * Every detector of a source tree, by the part it plays (detect/describe.ts runs them in this
 * order and assembles the document):
 * - `manifest`: Misc/sbom.spdx.json, CPython's own record of its vendored packages;
 * - `vendored`: every catalog component, found from the tree itself (no manifest needed), and
 *   ensurepip's pins; where a manifest exists their versions are held against it (drift);
 * - `wheels`: the wheels Lib/ensurepip/_bundled carries (pip and what it vendors);
 * - `externals`: the Windows build's libraries of PCbuild/get_externals.bat, when asked for.
 */
export interface TreeDetectors {
  manifest: ManifestDetector;
  vendored: Detector[];
  /** With `ownWheelFiles`, each wheel's package owns the wheel file (trees without a manifest). */
  wheels(ownWheelFiles: boolean): Detector;
  externals?: Detector;
}

export function treeDetectors(options: { externals?: boolean } = {}, catalog: Catalog = loadCatalog()): TreeDetectors {
  return {
    manifest: manifestDetector(),
    vendored: vendoredDetectors(catalog),
    wheels: (ownWheelFiles) => bundledWheelsDetector({ ownWheelFiles }),
    ...(options.externals ? { externals: externalsDetector(catalog) } : {}),
  };
}

/** The files whose bytes the detectors read (the scan keeps them); CPython's version always. */
export function detectorsWant(detectors: TreeDetectors): (path: string) => boolean {
  const all = [detectors.manifest, ...detectors.vendored, detectors.wheels(false), ...(detectors.externals ? [detectors.externals] : [])];
  return (path) => path === PATCHLEVEL_PATH || all.some((detector) => detector.wants(path));
}

/**
 * Detectors of vendored components that find them from the tree itself (no manifest needed).
 * Each returns model packages owning the component's files. Every catalog component gets the
 * generic detector; ensurepip's pins are checked beside them.
 */
export function vendoredDetectors(catalog: Catalog = loadCatalog()): Detector[] {
  return [...catalog.components.map((component) => catalogDetector(component)), ensurepipDetector()];
}
