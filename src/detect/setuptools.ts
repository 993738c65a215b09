import { type Catalog, loadCatalog } from '../catalog/catalog.js';
import { pythonOrgPypiPurl } from '../model/purl.js';
import type { Package } from '../model/types.js';
import { parseVendorTxt, type VendoredProject } from './pip.js';
import { readWheelMembers } from './wheel.js';
import { pushAll } from '../util/arrays.js';

export interface SetuptoolsVendored {
  packages: Package[];
  /** Where the pins came from, for the setuptools package's comment. */
  source?: string;
  warnings: string[];
}

/**
 * What the bundled setuptools wheel vendors (setuptools/_vendor and pkg_resources/_vendor), as
 * packages setuptools DEPENDS_ON. The pins come from the `vendored.txt` lists when the wheel
 * carries them, else from the catalog's copy of them for that setuptools release (the wheels
 * CPython 3.8–3.11 bundled do not ship the lists). A project pinned in both lists at one version
 * is one package; at two versions, two.
 */
export async function setuptoolsVendored(wheel: Buffer, wheelPath: string, version: string, catalog: Catalog = loadCatalog()): Promise<SetuptoolsVendored> {
  const spec = catalog.wheels?.setuptools;
  if (!spec) return { packages: [], warnings: [] };
  const members = await readWheelMembers(wheel, wheelPath, spec.vendorLists);
  const projects: VendoredProject[] = [];
  let source: string | undefined;
  if (members.size > 0) {
    for (const list of spec.vendorLists) {
      const text = members.get(list);
      if (text) pushAll(projects, parseVendorTxt(text.toString('utf8'), `${wheelPath}!${list}`));
    }
    source = `pins from ${[...members.keys()].join(' and ')} in the wheel`;
  } else {
    const known = spec.knownVendored?.[version];
    if (!known) {
      return {
        packages: [],
        warnings: [
          `${wheelPath}: the wheel lists no vendored projects and the catalog has no pins for setuptools ${version}; its vendored projects are not listed`,
        ],
      };
    }
    for (const [list, pins] of Object.entries(known)) pushAll(projects, parseVendorTxt(pins.join('\n'), `catalog: setuptools ${version} ${list}`));
    source = `pins from ${Object.keys(known).join(' and ')} of setuptools ${version} (pypa/setuptools, tag v${version}); the wheel does not carry them`;
  }

  const versions = new Map<string, Set<string>>();
  for (const project of projects) versions.set(project.name, (versions.get(project.name) ?? new Set()).add(project.version));
  const packages: Package[] = [];
  for (const [name, pinned] of [...versions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const pin of [...pinned].sort()) {
      const suffix = pinned.size > 1 ? `@${pin}` : '';
      packages.push({
        ref: `setuptools/${name}${suffix}`,
        spdxId: `SPDXRef-PACKAGE-setuptools-${name}${suffix ? `-${pin}` : ''}`,
        name,
        version: pin,
        purpose: 'SOURCE',
        licenseConcluded: 'NOASSERTION',
        downloadLocation: 'NOASSERTION',
        checksums: {},
        purl: pythonOrgPypiPurl(name, pin),
        files: [],
        dependsOn: [],
      });
    }
  }
  return source === undefined ? { packages, warnings: [] } : { packages, source, warnings: [] };
}
