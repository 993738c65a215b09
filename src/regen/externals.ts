import type { External } from '../detect/externals.js';
import { isObject, packageName, type JsonObject } from './manifest.js';

export { GET_EXTERNALS_PATH as GET_EXTERNALS } from '../cpython/paths.js';
export const SOURCE_DEPS_ARCHIVE = 'https://github.com/python/cpython-source-deps/archive/refs/tags/';

/**
 * Updates each package of Misc/externals.spdx.json in place from get_externals.bat: versionInfo,
 * the version field of each CPE, and the download location. A package whose download location
 * changed loses its checksums (they describe the old archive). Returns the names whose checksums
 * were dropped. Packages not named by the .bat are left alone (the caller reports them).
 */
export function updateExternals(packages: JsonObject[], externals: Map<string, External>, options: { cpe?: boolean } = {}): string[] {
  const dropped: string[] = [];
  for (const pkg of packages) {
    const external = externals.get(packageName(pkg));
    if (!external) continue;
    pkg.versionInfo = external.version;
    // The CPE's version field is updated by scripts from 3.13 on; the first ones left it alone.
    const refs = options.cpe !== false && Array.isArray(pkg.externalRefs) ? pkg.externalRefs : [];
    for (const ref of refs) {
      if (!isObject(ref) || ref.referenceType !== 'cpe23Type' || typeof ref.referenceLocator !== 'string') continue;
      // The version is the fifth field of a CPE 2.3 name.
      ref.referenceLocator = ref.referenceLocator.replace(/^(cpe(?::[^:]+){4}):[^:]+:/, (_, head: string) => `${head}:${external.version}:`);
    }
    const location = `${SOURCE_DEPS_ARCHIVE}${external.tag}.tar.gz`;
    if (location !== pkg.downloadLocation) {
      delete pkg.checksums;
      dropped.push(external.name);
    }
    pkg.downloadLocation = location;
  }
  return dropped;
}
