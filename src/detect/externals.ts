import { EXTERNALS_MANIFEST } from '../cpython/paths.js';
import { type Catalog, fillTemplate, loadCatalog } from '../catalog/catalog.js';
import { purlFromTemplate } from '../model/purl.js';
import type { Package } from '../model/types.js';
import type { DetectContext, Detection, Detector } from './types.js';
import { parseJsonBounded } from '../util/bounded-json.js';

/** generate_sbom.py's pattern for one library line (the catalog's `externals.regex` says the same). */
const SET_LIBRARIES = String.raw`set\s+libraries\s*=\s*%libraries%\s+([a-zA-Z0-9.-]+)\s`;

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
export function parseExternals(bat: string, regex: string = SET_LIBRARIES): Map<string, External> {
  const externals = new Map<string, External>();
  for (const match of bat.matchAll(new RegExp(regex, 'g'))) {
    const tag = match[1] as string;
    const dash = tag.lastIndexOf('-');
    const name = dash === -1 ? '' : tag.slice(0, dash);
    const version = tag.slice(dash + 1);
    externals.set(name, { name, version, tag });
  }
  return externals;
}

/**
 * The Windows build dependencies `PCbuild/get_externals.bat` fetches from
 * python/cpython-source-deps (only when asked for: `generate --externals`). Read as CPython's
 * generate_sbom.py reads them: each `set libraries=%libraries% NAME-VERSION` line is one library.
 * They own no files of the tree. Where Misc/externals.spdx.json exists, its versions must agree
 * (a finding otherwise) and its recorded archive hashes are used.
 */
export function externalsDetector(catalog: Catalog = loadCatalog()): Detector {
  const spec = catalog.externals;
  return {
    name: 'externals',
    wants: (path) => spec !== undefined && (path === spec.file || path === EXTERNALS_MANIFEST),
    detect(context: DetectContext): Detection {
      const detection: Detection = { packages: [], findings: [], warnings: [] };
      if (!spec) return detection;
      const bat = context.content(spec.file)?.toString('latin1');
      if (bat === undefined) {
        detection.warnings.push(`--externals: no ${spec.file} in the tree; no externals listed`);
        return detection;
      }
      const recorded = readExternalsManifest(context);
      const listed = parseExternals(bat, spec.regex);
      for (const { name, version, tag } of listed.values()) {
        if (!name) continue;
        const library = spec.libraries[name];
        if (!library) detection.warnings.push(`${spec.file}: ${name} is not in the catalog's externals; listed without CPE`);
        const pkg: Package = {
          ref: `externals/${name}`,
          spdxId: `SPDXRef-PACKAGE-externals-${name}`,
          name,
          version,
          purpose: 'SOURCE',
          licenseConcluded: 'NOASSERTION',
          downloadLocation: spec.downloadLocation.replaceAll('{tag}', tag).replaceAll('{name}', name).replaceAll('{version}', version),
          checksums: {},
          files: [],
          dependsOn: [],
          comment: `Windows build dependency fetched by ${spec.file} (tag ${tag})`,
        };
        if (library?.cpe) pkg.cpe = fillTemplate(library.cpe, version);
        if (library?.purl) pkg.purl = purlFromTemplate(library.purl, version);
        if (library?.originator) pkg.originator = library.originator;
        const inManifest = recorded?.get(name);
        if (inManifest && inManifest.version !== version) {
          detection.findings.push({
            kind: 'version-drift',
            component: name,
            path: EXTERNALS_MANIFEST,
            message: `${name}: ${spec.file} fetches ${version} but ${EXTERNALS_MANIFEST} says ${inManifest.version}`,
          });
        } else if (inManifest?.sha256) {
          pkg.checksums = { SHA256: inManifest.sha256 };
        }
        detection.packages.push(pkg);
      }
      if (recorded) {
        for (const name of recorded.keys()) {
          if (!listed.has(name)) detection.warnings.push(`${EXTERNALS_MANIFEST} lists ${name} but ${spec.file} does not fetch it`);
        }
      }
      return detection;
    },
  };
}

/** name -> version and archive SHA-256 from Misc/externals.spdx.json; undefined when absent. */
function readExternalsManifest(context: DetectContext): Map<string, { version: string; sha256?: string }> | undefined {
  const bytes = context.content(EXTERNALS_MANIFEST);
  if (!bytes) return undefined;
  type ExternalsJson = { packages?: { name?: unknown; versionInfo?: unknown; checksums?: { algorithm?: unknown; checksumValue?: unknown }[] }[] };
  const json = parseJsonBounded(bytes.toString('utf8'), EXTERNALS_MANIFEST) as ExternalsJson;
  const map = new Map<string, { version: string; sha256?: string }>();
  for (const pkg of Array.isArray(json?.packages) ? json.packages : []) {
    if (typeof pkg?.name !== 'string' || typeof pkg.versionInfo !== 'string') continue;
    const sha256 = pkg.checksums?.find((checksum) => checksum?.algorithm === 'SHA256')?.checksumValue;
    map.set(pkg.name, typeof sha256 === 'string' ? { version: pkg.versionInfo, sha256 } : { version: pkg.versionInfo });
  }
  return map;
}
