import { isObject, packageName, type JsonObject } from './manifest.js';

export const GET_EXTERNALS = 'PCbuild/get_externals.bat';
export const SOURCE_DEPS_ARCHIVE = 'https://github.com/python/cpython-source-deps/archive/refs/tags/';

export interface External {
  name: string;
  version: string;
  tag: string;
}

/**
 * The `set libraries=%libraries% NAME-VERSION` lines of get_externals.bat, with generate_sbom.py's
 * regex (so conditional lines, `if NOT "%X%"=="false" set libraries=...`, count too, and a tag
 * must be followed by whitespace). The name is everything before the last dash; a later line for
 * the same name wins, as in the script's dict.
 */
export function parseExternals(bat: string): Map<string, External> {
  const externals = new Map<string, External>();
  for (const match of bat.matchAll(/set\s+libraries\s*=\s*%libraries%\s+([a-zA-Z0-9.-]+)\s/g)) {
    const tag = match[1] as string;
    const dash = tag.lastIndexOf('-');
    const name = dash === -1 ? '' : tag.slice(0, dash);
    const version = tag.slice(dash + 1);
    externals.set(name, { name, version, tag });
  }
  return externals;
}

/**
 * Updates each package of Misc/externals.spdx.json in place from get_externals.bat: versionInfo,
 * the version field of each CPE, and the download location. A package whose download location
 * changed loses its checksums (they describe the old archive). Returns the names whose checksums
 * were dropped. Packages not named by the .bat are left alone (the caller reports them).
 */
export function updateExternals(packages: JsonObject[], externals: Map<string, External>): string[] {
  const dropped: string[] = [];
  for (const pkg of packages) {
    const external = externals.get(packageName(pkg));
    if (!external) continue;
    pkg.versionInfo = external.version;
    const refs = Array.isArray(pkg.externalRefs) ? pkg.externalRefs : [];
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
