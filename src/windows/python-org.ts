import { parseJsonBounded } from '../util/bounded-json.js';
import { PSF, cpythonRelease, releaseDirectory } from '../cpython/release.js';
import { EXTERNALS_MANIFEST, PYTHON_ORG_LICENSE_LIST_VERSION } from '../cpython/paths.js';
import { externalsDetector } from '../detect/externals.js';
import { readManifest } from '../detect/manifest.js';
import { bundledWheelsDetector } from '../detect/pip.js';
import type { Finding } from '../detect/types.js';
import { spdxToModel } from '../formats/spdx/read.js';
import type { Package, SbomDocument } from '../model/types.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { type WindowsArtifactName, carriesPip } from './artifact-name.js';
import type { SourceTree } from './source-tree.js';
import { pushAll } from '../util/arrays.js';

/** The artifact a Windows SBOM describes: its parsed name and the SHA-256 of its bytes. */
export interface WindowsArtifact {
  name: WindowsArtifactName;
  sha256: string;
}

export interface WindowsFacts {
  document: SbomDocument;
  findings: Finding[];
  warnings: string[];
  /** Package refs by where they came from, for the complete profile's decisions. */
  externals: Package[];
  manifest: Package[];
  /** Files each Misc/sbom.spdx.json package owns in the source tree (not listed in the document). */
  manifestFiles: Map<string, string[]>;
}

/** Ref of a library of PCbuild/get_externals.bat (the same ref `generate --externals` gives it). */
export function externalRef(name: string): string {
  return `externals/${name}`;
}

/**
 * The facts python.org's release tooling writes for a Windows artifact (release-tools `sbom.py`,
 * `create_sbom_for_windows_artifact`), from the artifact's name and hash and the release's tree:
 * - the packages of Misc/externals.spdx.json as recorded there (the libraries the Windows build
 *   fetches), checked against PCbuild/get_externals.bat;
 * - every package of Misc/sbom.spdx.json without its files, its SPDX id made unique with its
 *   version (`SPDXRef-PACKAGE-mpdecimal-2.5.1`, beside the external `SPDXRef-PACKAGE-mpdecimal`);
 * - CPython with the version of the artifact's name, its python.org download location and the
 *   artifact's SHA-256, DEPENDS_ON each of those;
 * - pip and what it vendors, from the bundled wheel, except in an embeddable package;
 * - the PSF as every package's supplier, and `LIBRARY` where the sources said `SOURCE` (they have
 *   been compiled).
 * No file is listed: the release tooling does not look inside the artifact. Packages say
 * `filesAnalyzed: false` (the release tooling leaves the field out, which SPDX reads as true and
 * then requires a verification code no package has).
 */
export async function pythonOrgFacts(artifact: WindowsArtifact, tree: SourceTree, created: string): Promise<WindowsFacts> {
  const { context } = tree;
  const findings: Finding[] = [];
  const warnings: string[] = [];

  // The externals: as Misc/externals.spdx.json records them; get_externals.bat must agree.
  const fetched = await externalsDetector().detect(context);
  pushAll(findings, fetched.findings);
  pushAll(
    warnings,
    fetched.warnings.filter((warning) => !warning.startsWith('--externals:')),
  );
  const recorded = context.content(EXTERNALS_MANIFEST);
  let externals: Package[];
  if (recorded) {
    // Bounded in depth like every JSON the tree holds (a deep value would exhaust the stack).
    const json = parseJsonBounded(recorded.toString('utf8'), EXTERNALS_MANIFEST);
    externals = spdxToModel(json, EXTERNALS_MANIFEST).packages.map((pkg) => ({ ...pkg, ref: externalRef(pkg.name), files: [], dependsOn: [] }));
  } else {
    // python.org's tooling needs this file; without it the build's own list is the best there is.
    warnings.push(`no ${EXTERNALS_MANIFEST} in the tree; the Windows build's libraries are taken from PCbuild/get_externals.bat`);
    externals = fetched.packages.map((pkg) => ({ ...pkg, ref: externalRef(pkg.name), spdxId: `SPDXRef-PACKAGE-${pkg.name}` }));
  }

  const manifest = readManifest(context);
  const sourcePackages: Package[] = [];
  const manifestFiles = new Map<string, string[]>();
  if (manifest) {
    pushAll(findings, manifest.findings);
    for (const pkg of manifest.packages) {
      manifestFiles.set(pkg.ref, pkg.files);
      sourcePackages.push({ ...pkg, spdxId: `SPDXRef-PACKAGE-${pkg.name}-${pkg.version}`, files: [], dependsOn: [] });
    }
  } else {
    warnings.push('no Misc/sbom.spdx.json in the tree; its vendored packages are not listed');
  }

  const cpython = cpythonRelease(artifact.name.version, { fileName: artifact.name.fileName, sha256: artifact.sha256 });
  cpython.dependsOn = [...externals, ...sourcePackages].map((pkg) => pkg.ref).sort();

  let pipPackages: Package[] = [];
  if (carriesPip(artifact.name)) {
    const wheels = await bundledWheelsDetector({ ownWheelFiles: false }).detect(context);
    pushAll(findings, wheels.findings);
    pushAll(warnings, wheels.warnings);
    pipPackages = wheels.packages.filter((pkg) => pkg.ref === 'pip' || pkg.ref.startsWith('pip/'));
    if (pipPackages.some((pkg) => pkg.ref === 'pip')) cpython.dependsOn.push('pip');
    else warnings.push(`no pip wheel in Lib/ensurepip/_bundled/; pip is not listed`);
  }

  const packages = [cpython, ...externals, ...sourcePackages, ...pipPackages];
  for (const pkg of packages) {
    pkg.supplier = PSF;
    if (pkg.purpose === 'SOURCE') pkg.purpose = 'LIBRARY';
    pkg.filesAnalyzed = false;
  }
  const document: SbomDocument = {
    name: 'CPython SBOM',
    namespace: `https://www.python.org/ftp/python/${releaseDirectory(artifact.name.version)}/${artifact.name.fileName}.spdx.json`,
    created,
    creators: [`Tool: ${TOOL_NAME}-${TOOL_VERSION}`],
    dataLicense: 'CC0-1.0',
    licenseListVersion: PYTHON_ORG_LICENSE_LIST_VERSION,
    describes: [cpython.ref],
    packages,
    files: [],
    relationships: [],
    annotations: [],
  };
  return { document, findings, warnings, externals, manifest: sourcePackages, manifestFiles };
}
