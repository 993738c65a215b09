import { InputError } from '../errors.js';
import { MANIFEST_PATH, PATCHLEVEL_PATH, PYTHON_ORG_LICENSE_LIST_VERSION } from '../cpython/paths.js';
import { PSF, cpythonRelease, isUpstreamArtifactName, readCPythonVersion, releaseDirectory } from '../cpython/release.js';
import { recordSourcesVersion, versionDrift } from '../detect/drift.js';
import { readManifest } from '../detect/manifest.js';
import { bundledWheelsDetector, isBundledWheel } from '../detect/pip.js';
import { vendoredDetectors } from '../detect/registry.js';
import type { DetectContext, Detector, Finding } from '../detect/types.js';
import type { FileEntry, Package, SbomDocument } from '../model/types.js';
import { scanSource } from '../source/index.js';
import { contentNamespace } from '../model/namespace.js';
import { type CompleteStep, type LicenseSource, applyCompleteProfile, completeSteps } from '../complete/index.js';
import { DEFAULT_PROFILE, type Profile } from './profile.js';
import type { ScanLimits, ScanResult, ScannedFile } from '../source/types.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';


export interface BuildOptions {
  /** ISO 8601 creation time (`SOURCE_DATE_EPOCH` or now). */
  created: string;
  onProgress?: (done: number, total: number) => void;
  /** Called when the scan is over and detection starts (progress lines). */
  onPhase?: (phase: 'detect') => void;
  /** Detectors beyond the built-in ones (e.g. Windows externals when asked for). */
  extraDetectors?: Detector[];
  limits?: Partial<ScanLimits>;
  /** No-op, kept for callers of the old option: version drift is a warning unless `strict`. */
  allowDrift?: boolean;
  /** What the document keeps (default: complete). */
  profile?: Profile;
  /**
   * SPDX creators besides the tool (`Organization: X`, `Person: Y (email)`), replacing the
   * complete profile's default (the PSF); any profile.
   */
  creators?: string[];
  /** Version drift (manifest vs vendored sources) is a finding, not a warning. */
  strict?: boolean;
}

export interface BuildResult {
  document: SbomDocument;
  scan: ScanResult;
  cpythonVersion: string;
  /** Problems with the tree's facts; the caller refuses to write when there are any. */
  findings: Finding[];
  warnings: string[];
  /** Whether Misc/sbom.spdx.json was there. */
  hasManifest: boolean;
  /** Complete profile: the texts that may state each component's license, by package or snippet ref. */
  licenseSources: Map<string, LicenseSource[]>;
}

/** `SOURCE_DATE_EPOCH` as the creation time, so runs are reproducible; otherwise now. */
export function creationTime(env: NodeJS.ProcessEnv, now: Date = new Date()): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  let date = now;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d+$/.test(epoch)) throw new InputError(`SOURCE_DATE_EPOCH: not a whole number of seconds: ${epoch}`);
    date = new Date(Number(epoch) * 1000);
    if (Number.isNaN(date.getTime())) throw new InputError(`SOURCE_DATE_EPOCH: out of range: ${epoch}`);
  }
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The one pipeline: scan the tree once, let each detector claim its component's files, give
 * CPython everything else, and assemble the format-free document.
 */
export async function buildSbom(source: string, options: BuildOptions): Promise<BuildResult> {
  const vendored = vendoredDetectors();
  const profile = options.profile ?? DEFAULT_PROFILE;
  const steps: CompleteStep[] = profile === 'complete' ? completeSteps() : [];
  // Asked-for extras (Windows externals) describe what no manifest covers: always listed, never held against it.
  const extras = options.extraDetectors ?? [];
  const wanted = (path: string) =>
    path === PATCHLEVEL_PATH ||
    path === MANIFEST_PATH ||
    isBundledWheel(path) ||
    vendored.some((d) => d.wants(path)) ||
    extras.some((d) => d.wants(path)) ||
    steps.some((step) => step.wants(path));

  const scan = await scanSource(source, {
    wantContent: wanted,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  options.onPhase?.('detect');
  const cpythonVersion = readCPythonVersion(scan);
  const files = new Map<string, ScannedFile>(scan.files.map((file) => [file.path, file]));
  const context: DetectContext = { scan, files, content: (path) => scan.contents.get(path), cpythonVersion };

  const findings: Finding[] = [];
  const warnings: string[] = [];
  if (scan.ignored) warnings.push(...describeIgnored(scan.ignored));
  const manifest = readManifest(context);
  const runAll = async (detectors: Detector[]): Promise<Package[]> => {
    const packages: Package[] = [];
    for (const detector of detectors) {
      const detection = await detector.detect(context);
      packages.push(...detection.packages);
      findings.push(...detection.findings);
      warnings.push(...detection.warnings);
    }
    return packages;
  };
  const detected = await runAll(vendored);
  const extraPackages = await runAll(extras);

  let components: Package[];
  if (manifest) {
    findings.push(...manifest.findings);
    warnings.push(...manifest.warnings);
    const drift = versionDrift(manifest.packages, detected);
    findings.push(...drift.findings);
    // The complete profile describes the tree as it is; python.org's keeps the manifest's word.
    if (profile === 'complete') for (const entry of drift.drifts) recordSourcesVersion(entry);
    components = [...manifest.packages, ...extraPackages];
  } else {
    components = [...detected, ...extraPackages];
  }

  // With a manifest, python.org gives the wheel file to CPython; without one, to its package.
  const wheelDetection = await bundledWheelsDetector({ ownWheelFiles: !manifest }).detect(context);
  findings.push(...wheelDetection.findings);
  warnings.push(...wheelDetection.warnings);
  const pip = wheelDetection.packages.find((pkg) => pkg.ref === 'pip');
  if (pip && manifest && manifest.pipFiles.length > 0) pip.files = [...manifest.pipFiles];
  if (!pip) warnings.push(`no pip wheel in Lib/ensurepip/_bundled/; pip is not listed`);

  const cpython = cpythonPackage(scan, cpythonVersion, warnings);
  const topLevel = [...components, ...wheelDetection.packages.filter((pkg) => !pkg.ref.includes('/'))];
  cpython.dependsOn = topLevel.map((pkg) => pkg.ref).sort();
  const packages = [cpython, ...components, ...wheelDetection.packages];
  assignOwnership(packages, cpython, scan.files, warnings);
  for (const pkg of packages) {
    pkg.supplier = PSF;
    pkg.filesAnalyzed = true;
  }

  const fileEntries: FileEntry[] = scan.files.map((file) => {
    const entry: FileEntry = { path: file.path, checksums: { SHA1: file.sha1, SHA256: file.sha256 } };
    const keptId = manifest?.fileIds.get(file.path);
    if (keptId) entry.spdxId = keptId;
    return entry;
  });

  const document: SbomDocument = {
    name: 'CPython SBOM',
    namespace: documentNamespace(scan, cpythonVersion),
    created: options.created,
    creators: [`Tool: ${TOOL_NAME}-${TOOL_VERSION}`],
    dataLicense: 'CC0-1.0',
    licenseListVersion: PYTHON_ORG_LICENSE_LIST_VERSION,
    describes: [cpython.ref],
    packages: [cpython, ...[...components, ...wheelDetection.packages].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0))],
    files: fileEntries,
    relationships: [],
    annotations: [],
  };
  const licenseSources = new Map<string, LicenseSource[]>();
  await applyCompleteProfile(steps, { document, detect: context, cpythonVersion, hasManifest: manifest !== undefined, findings, warnings, licenseSources });
  if (options.creators && options.creators.length > 0) {
    document.creators = [...document.creators.filter((creator) => creator.startsWith('Tool:')), ...options.creators];
  }
  // Drift is reported, not fatal, unless asked to be (`--strict`); a hash disagreement always is.
  if (!options.strict) {
    for (const finding of findings.filter((f) => f.kind === 'version-drift')) warnings.push(finding.message);
    findings.splice(0, findings.length, ...findings.filter((f) => f.kind !== 'version-drift'));
  }
  return { document, scan, cpythonVersion, findings, warnings, hasManifest: manifest !== undefined, licenseSources };
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
