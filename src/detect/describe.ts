import { fileChecksums } from '../model/document.js';
import { PYTHON_ORG_LICENSE_LIST_VERSION } from '../cpython/paths.js';
import { PSF, cpythonRelease, isUpstreamArtifactName, readCPythonVersion, releaseDirectory } from '../cpython/release.js';
import { contentNamespace } from '../model/namespace.js';
import type { FileEntry, Package, SbomDocument } from '../model/types.js';
import type { ScanResult, ScannedFile } from '../source/types.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { type Drift, versionDrift } from './drift.js';
import type { TreeDetectors } from './registry.js';
import type { DetectContext, Detector, Finding } from './types.js';
import { pushAll } from '../util/arrays.js';

/**
 * A source tree as python.org's release tooling describes it: the manifest's packages (or, without
 * a manifest, what the catalog's detectors find), the bundled wheels, the Windows externals when
 * asked for, CPython owning every file no other package claims, every file hashed. What the
 * complete profile adds is left to its steps.
 */
export interface TreeDescription {
  document: SbomDocument;
  detect: DetectContext;
  cpythonVersion: string;
  hasManifest: boolean;
  findings: Finding[];
  warnings: string[];
  /** Components whose sources declare another version than the manifest, and the findings saying so. */
  drift: Drift[];
  driftFindings: Finding[];
}

export async function describeTree(scan: ScanResult, detectors: TreeDetectors): Promise<TreeDescription> {
  const cpythonVersion = readCPythonVersion(scan);
  const files = new Map<string, ScannedFile>(scan.files.map((file) => [file.path, file]));
  const detect: DetectContext = { scan, files, content: (path) => scan.contents.get(path), cpythonVersion };
  const findings: Finding[] = [];
  const warnings: string[] = [];
  if (scan.ignored) pushAll(warnings, describeIgnored(scan.ignored));

  const run = async (list: Detector[]): Promise<Package[]> => {
    const packages: Package[] = [];
    for (const detector of list) {
      const detection = await detector.detect(detect);
      pushAll(packages, detection.packages);
      pushAll(findings, detection.findings);
      pushAll(warnings, detection.warnings);
    }
    return packages;
  };
  const manifest = detectors.manifest.read(detect);
  const detected = await run(detectors.vendored);
  // Asked-for extras (Windows externals) describe what no manifest covers: always listed, never held against it.
  const extras = await run(detectors.externals ? [detectors.externals] : []);

  let components: Package[];
  let drift: Drift[] = [];
  if (manifest) {
    pushAll(findings, manifest.findings);
    pushAll(warnings, manifest.warnings);
    const held = versionDrift(manifest.packages, detected);
    drift = held.drifts;
    pushAll(findings, held.findings);
    components = [...manifest.packages, ...extras];
  } else {
    components = [...detected, ...extras];
  }

  // With a manifest, python.org gives the wheel file to CPython; without one, to its package.
  const wheels = await detectors.wheels(!manifest).detect(detect);
  pushAll(findings, wheels.findings);
  pushAll(warnings, wheels.warnings);
  const pip = wheels.packages.find((pkg) => pkg.ref === 'pip');
  if (pip && manifest && manifest.pipFiles.length > 0) pip.files = [...manifest.pipFiles];
  if (!pip) warnings.push(`no pip wheel in Lib/ensurepip/_bundled/; pip is not listed`);

  const cpython = cpythonPackage(scan, cpythonVersion, warnings);
  const topLevel = [...components, ...wheels.packages.filter((pkg) => !pkg.ref.includes('/'))];
  cpython.dependsOn = topLevel.map((pkg) => pkg.ref).sort();
  const packages = [cpython, ...components, ...wheels.packages];
  assignOwnership(packages, cpython, scan.files, warnings);
  for (const pkg of packages) {
    pkg.supplier = PSF;
    pkg.filesAnalyzed = true;
  }

  const fileEntries: FileEntry[] = scan.files.map((file) => {
    const entry: FileEntry = { path: file.path, checksums: fileChecksums(file) };
    const keptId = manifest?.fileIds.get(file.path);
    if (keptId) entry.spdxId = keptId;
    return entry;
  });

  const document: SbomDocument = {
    name: 'CPython SBOM',
    namespace: documentNamespace(scan, cpythonVersion),
    created: '',
    creators: [`Tool: ${TOOL_NAME}-${TOOL_VERSION}`],
    dataLicense: 'CC0-1.0',
    licenseListVersion: PYTHON_ORG_LICENSE_LIST_VERSION,
    describes: [cpython.ref],
    packages: [cpython, ...[...components, ...wheels.packages].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0))],
    files: fileEntries,
    relationships: [],
    annotations: [],
  };
  // Version drift, wherever a detector found it (the manifest against the sources, ensurepip's pin
  // against its wheel), is reported as the drift step decides: a warning, or a finding with --strict.
  const driftFindings = findings.filter((finding) => finding.kind === 'version-drift');
  const others = findings.filter((finding) => finding.kind !== 'version-drift');
  return { document, detect, cpythonVersion, hasManifest: manifest !== undefined, findings: others, warnings, drift, driftFindings };
}

/** Shown in the warning about what a checkout's ignore rules left out. */
const IGNORED_SHOWN = 10;

/** A checkout's ignore rules never hide a path silently: how many, which, and judged how. */
export function describeIgnored(ignored: NonNullable<ScanResult['ignored']>): string[] {
  const lines = [...ignored.warnings];
  const count = ignored.paths.length;
  if (count > 0) {
    const shown = ignored.paths.slice(0, IGNORED_SHOWN).join(', ');
    lines.push(
      `${count} untracked path${count === 1 ? '' : 's'} the checkout's ignore rules leave out ${count === 1 ? 'is' : 'are'} not described ` +
        `(${shown}${count > IGNORED_SHOWN ? `, … ${count - IGNORED_SHOWN} more` : ''}; judged by ${ignored.rules})`,
    );
  }
  return lines;
}

function cpythonPackage(scan: ScanResult, version: string, warnings: string[]): Package {
  const name = scan.artifact?.fileName;
  if (name && !isUpstreamArtifactName(name, version)) {
    warnings.push(`${name} is not named like the upstream release (Python-${version}.tar.xz or .tgz); its download location will not resolve`);
  }
  return cpythonRelease(version, scan.artifact);
}

/**
 * A tarball's namespace is where python.org publishes its SBOM. A directory has no such place:
 * its namespace is derived from the tree's content, so the same tree always gets the same one.
 */
function documentNamespace(scan: ScanResult, version: string): string {
  if (scan.artifact) {
    return `https://www.python.org/ftp/python/${releaseDirectory(version)}/${scan.artifact.fileName}.spdx.json`;
  }
  return contentNamespace(`Python-${version}`, scan.files);
}

/** Each file has exactly one owner: the first package that claims it, else CPython. */
function assignOwnership(packages: Package[], cpython: Package, files: ScannedFile[], warnings: string[]): void {
  const owner = new Map<string, string>();
  for (const pkg of packages) {
    if (pkg === cpython) continue;
    pkg.files = pkg.files.filter((path) => {
      const previous = owner.get(path);
      if (previous !== undefined) {
        warnings.push(`${path} is claimed by both ${previous} and ${pkg.name}; ${previous} keeps it`);
        return false;
      }
      owner.set(path, pkg.name);
      return true;
    });
    pkg.files.sort();
  }
  cpython.files = files.map((file) => file.path).filter((path) => !owner.has(path));
}
