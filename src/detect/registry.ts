import { type Catalog, loadCatalog } from '../catalog/catalog.js';
import { catalogDetector } from './catalog-detector.js';
import { ensurepipDetector } from './ensurepip.js';
import { externalsDetector } from './externals.js';
import type { Detector } from './types.js';

/**
 * Detectors of vendored components that find them from the tree itself (no manifest needed).
 * Each returns model packages owning the component's files. Where Misc/sbom.spdx.json exists,
 * their versions are checked against it; where it does not, they are the source of truth.
 * Every catalog component gets the generic detector; ensurepip's pins are checked beside them.
 */
export function vendoredDetectors(catalog: Catalog = loadCatalog()): Detector[] {
  return [...catalog.components.map((component) => catalogDetector(component)), ensurepipDetector()];
}

/** Detectors a command asks for on top of the built-in ones, by flag. */
export function optionalDetectors(options: { externals?: boolean }, catalog: Catalog = loadCatalog()): Detector[] {
  return options.externals ? [externalsDetector(catalog)] : [];
}
