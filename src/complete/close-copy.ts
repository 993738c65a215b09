import type { CatalogComponent, Fingerprint } from '../catalog/catalog.js';
import { fillTemplate } from '../catalog/catalog.js';
import { purlFromTemplate } from '../model/purl.js';
import type { Package } from '../model/types.js';
import type { ScannedFile } from '../source/types.js';

/**
 * A vendored copy whose files carry no version and match no known release exactly (CPython
 * patched a few of them) is still that release with changes, not "no version": when at least
 * half of the files are byte-identical to one fingerprint, the complete profile gives the copy
 * that release's version and says exactly which files differ.
 */
export const CLOSE_COPY_SHARE = 0.5;

export interface CloseCopy {
  fingerprint: Fingerprint;
  total: number;
  /** Files of the copy or of the release that are not byte-identical (changed, added or missing). */
  differing: string[];
}

export function closestRelease(owned: readonly string[], files: ReadonlyMap<string, ScannedFile>, fingerprints: readonly Fingerprint[]): CloseCopy | undefined {
  let best: CloseCopy | undefined;
  for (const fingerprint of fingerprints) {
    const paths = [...new Set([...Object.keys(fingerprint.files), ...owned])].sort();
    const differing = paths.filter((path) => files.get(path)?.sha256 !== fingerprint.files[path] || !owned.includes(path));
    if (!best || differing.length < best.differing.length) best = { fingerprint, total: paths.length, differing };
  }
  if (!best || best.differing.length === 0) return undefined; // an exact match is the detector's business
  return (best.total - best.differing.length) / best.total >= CLOSE_COPY_SHARE ? best : undefined;
}

/** Gives an unversioned package the version of the release it is a modified copy of, with a note. */
export function applyCloseCopy(pkg: Package, component: CatalogComponent, files: ReadonlyMap<string, ScannedFile>): CloseCopy | undefined {
  if (pkg.version || !component.fingerprints) return undefined;
  const close = closestRelease(pkg.files, files, component.fingerprints);
  if (!close) return undefined;
  const { version, seenIn } = close.fingerprint;
  pkg.version = version;
  const note =
    `modified copy of ${pkg.name} ${version}: ${close.differing.length} of ${close.total} files differ from ${version} as shipped in CPython ${seenIn} ` +
    `(${close.differing.join(', ')})`;
  pkg.comment = note;
  pkg.sourceInfo = `version identified by content: ${close.total - close.differing.length} of ${close.total} files identical to ${pkg.name} ${version}`;
  if (component.cpe) pkg.cpe = fillTemplate(component.cpe, version);
  if (component.purl) pkg.purl = purlFromTemplate(component.purl, version);
  const known = component.knownDownloads?.[version];
  if (known ?? component.downloadLocation) pkg.downloadLocation = known ?? fillTemplate(component.downloadLocation as string, version);
  return close;
}
