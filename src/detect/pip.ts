import { InputError } from '../errors.js';
import { readCycloneDx } from '../formats/cyclonedx/read.js';
import { normalizePackageName } from '../model/document.js';
import { pythonOrgPypiPurl } from '../model/purl.js';
import type { Package } from '../model/types.js';
import type { DetectContext, Detection, Detector, Finding } from './types.js';
import { setuptoolsVendored } from './setuptools.js';
import { parseWheelFileName, readWheelMembers } from './wheel.js';
import { pushAll } from '../util/arrays.js';
import { oneLine } from '../util/one-line.js';

export const BUNDLED_DIR = 'Lib/ensurepip/_bundled/';
const VENDOR_TXT = 'pip/_vendor/vendor.txt';
const VENDOR_BOM = 'pip/_vendor/bom.cdx.json';

export const PYPA = 'Organization: Python Packaging Authority';

/** PyPI's predictable URL for a pure-Python wheel; it resolves without knowing the file's hash. */
export function pypiWheelUrl(project: string, fileName: string): string {
  return `https://files.pythonhosted.org/packages/py3/${project.charAt(0).toLowerCase()}/${project}/${fileName}`;
}

export interface VendoredProject {
  name: string;
  version: string;
  line: number;
}

/**
 * Parses pip's `vendor.txt`: `name==version` pins, indented lines (a vendored project's own
 * vendored dependencies) included, comments and blank lines skipped. Names are lower-cased as
 * python.org's tooling does.
 */
/** Longer than any project on PyPI; a name is written into purls, which are bounded. */
const MAX_PROJECT_NAME = 200;

export function parseVendorTxt(text: string, file: string): VendoredProject[] {
  const projects: VendoredProject[] = [];
  const pinnedAt = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.split('#', 1)[0]?.trim() ?? '';
    if (!line) return;
    const match = /^([A-Za-z0-9][A-Za-z0-9_.-]*)==([A-Za-z0-9_.!+-]+)$/.exec(line);
    if (!match) throw new InputError(`${file}:${index + 1}: not a 'name==version' pin: ${oneLine(line, 120)}`);
    if ((match[1] as string).length > MAX_PROJECT_NAME) throw new InputError(`${file}:${index + 1}: a project name longer than ${MAX_PROJECT_NAME} characters`);
    // Two pins of one project would be two packages of one name: which one pip vendors is unknown.
    const key = normalizePackageName(match[1] as string);
    const first = pinnedAt.get(key);
    if (first !== undefined) throw new InputError(`${file}:${index + 1}: ${match[1]} is pinned twice (first on line ${first})`);
    pinnedAt.set(key, index + 1);
    projects.push({ name: (match[1] as string).toLowerCase(), version: match[2] as string, line: index + 1 });
  });
  return projects;
}

/** Compares vendor.txt with pip's own CycloneDX list of what it vendors; one finding per disagreement. */
export function compareWithVendorBom(projects: VendoredProject[], bomText: string, where: string): Finding[] {
  // pip's own CycloneDX document, read like any other: every component but pip itself.
  const { document } = readCycloneDx(bomText, where);
  const fromBom = new Map<string, string>();
  for (const pkg of document.packages) {
    if (document.describes.includes(pkg.ref) || !pkg.version) continue;
    fromBom.set(normalizePackageName(pkg.name), pkg.version);
  }
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const project of projects) {
    const key = normalizePackageName(project.name);
    seen.add(key);
    const version = fromBom.get(key);
    if (version === undefined) {
      findings.push({
        kind: 'pip-bom-mismatch',
        component: project.name,
        message: `pip vendors ${project.name} ${project.version} (vendor.txt) but ${where} does not list it`,
      });
    } else if (version !== project.version) {
      findings.push({
        kind: 'pip-bom-mismatch',
        component: project.name,
        message: `pip's vendor.txt pins ${project.name} ${project.version} but ${where} says ${version}`,
      });
    }
  }
  for (const [name, version] of fromBom) {
    if (!seen.has(name)) {
      findings.push({ kind: 'pip-bom-mismatch', component: name, message: `${where} lists ${name} ${version} but pip's vendor.txt does not` });
    }
  }
  return findings;
}

/** A wheel directly in Lib/ensurepip/_bundled/. */
export function isBundledWheel(path: string): boolean {
  return path.startsWith(BUNDLED_DIR) && path.endsWith('.whl') && !path.slice(BUNDLED_DIR.length).includes('/');
}

/**
 * ensurepip installs one wheel per project; two (pip-24.0 and pip-25.0 side by side) means a broken
 * or tampered tree, and the SBOM cannot say which one is used: refused, naming both.
 */
function refuseTwoWheelsOfOneProject(wheels: string[]): void {
  const byProject = new Map<string, string>();
  for (const path of wheels) {
    const project = parseWheelFileName(path.slice(BUNDLED_DIR.length))
      ?.project.toLowerCase()
      .replace(/[-_.]+/g, '-');
    if (project === undefined) continue;
    const other = byProject.get(project);
    if (other !== undefined) throw new InputError(`${other} and ${path}: two ${project} wheels in ${BUNDLED_DIR}; ensurepip bundles one`);
    byProject.set(project, path);
  }
}

export interface BundledWheelOptions {
  /** Whether each wheel's package owns the wheel file (trees without a manifest) or CPython does. */
  ownWheelFiles: boolean;
}

/**
 * The wheels ensurepip bundles (pip; setuptools up to 3.11): one package per wheel, named and
 * versioned from the PEP 427 file name, hashed, with PyPI's purl and the wheel URL. pip's
 * vendored projects become packages pip DEPENDS_ON.
 */
export function bundledWheelsDetector(options: BundledWheelOptions): Detector {
  return {
    name: 'ensurepip',
    wants: isBundledWheel,
    async detect(context: DetectContext): Promise<Detection> {
      const detection: Detection = { packages: [], findings: [], warnings: [] };
      const wheels = [...context.files.keys()].filter((path) => this.wants(path)).sort();
      refuseTwoWheelsOfOneProject(wheels);
      const bundledProjects = new Set(wheels.map((path) => parseWheelFileName(path.slice(BUNDLED_DIR.length))?.project.toLowerCase()));
      for (const path of wheels) {
        const fileName = path.slice(BUNDLED_DIR.length);
        const parsed = parseWheelFileName(fileName);
        if (!parsed) {
          detection.warnings.push(`${path}: not a wheel file name; left to CPython`);
          continue;
        }
        const project = parsed.project.toLowerCase();
        const scanned = context.files.get(path);
        const pkg: Package = {
          ref: project,
          spdxId: `SPDXRef-PACKAGE-${project}`,
          name: project,
          version: parsed.version,
          purpose: 'SOURCE',
          licenseConcluded: 'NOASSERTION',
          downloadLocation: pypiWheelUrl(project, fileName),
          checksums: scanned ? { SHA256: scanned.sha256 } : {},
          purl: pythonOrgPypiPurl(project, parsed.version),
          originator: PYPA,
          files: options.ownWheelFiles ? [path] : [],
          dependsOn: [],
        };
        if (project === 'setuptools') {
          pkg.cpe = `cpe:2.3:a:python:setuptools:${parsed.version}:*:*:*:*:*:*:*`;
          const bytes = context.content(path);
          if (!bytes) throw new InputError(`${path}: could not read the wheel`);
          const vendored = await setuptoolsVendored(bytes, path, parsed.version);
          pushAll(detection.warnings, vendored.warnings);
          if (vendored.source) pkg.comment = `vendored projects: ${vendored.source}`;
          pkg.dependsOn = vendored.packages.map((dependency) => dependency.ref);
          pushAll(detection.packages, vendored.packages);
        }
        if (project === 'pip') {
          pkg.cpe = `cpe:2.3:a:pypa:pip:${parsed.version}:*:*:*:*:*:*:*`;
          const bytes = context.content(path);
          if (!bytes) throw new InputError(`${path}: could not read the wheel`);
          const members = await readWheelMembers(bytes, path, [VENDOR_TXT, VENDOR_BOM]);
          const vendorTxt = members.get(VENDOR_TXT);
          if (!vendorTxt) {
            detection.warnings.push(`${path}: no ${VENDOR_TXT}; pip's vendored projects are not listed`);
          } else {
            const projects = parseVendorTxt(vendorTxt.toString('utf8'), `${path}!${VENDOR_TXT}`);
            const bom = members.get(VENDOR_BOM);
            if (bom) pushAll(detection.findings, compareWithVendorBom(projects, bom.toString('utf8'), `${path}!${VENDOR_BOM}`));
            for (const vendored of projects) {
              const ref = `pip/${vendored.name}`;
              pkg.dependsOn.push(ref);
              detection.packages.push({
                ref,
                // 3.11 bundles setuptools 65.5.0 beside pip's vendored setuptools 44.0.0: the wheel keeps the plain id.
                spdxId: bundledProjects.has(vendored.name) ? `SPDXRef-PACKAGE-pip-${vendored.name}` : `SPDXRef-PACKAGE-${vendored.name}`,
                name: vendored.name,
                version: vendored.version,
                purpose: 'SOURCE',
                licenseConcluded: 'NOASSERTION',
                downloadLocation: 'NOASSERTION',
                checksums: {},
                purl: pythonOrgPypiPurl(vendored.name, vendored.version),
                files: [],
                dependsOn: [],
              });
            }
          }
        }
        detection.packages.push(pkg);
      }
      return shareIdenticalVendored(detection);
    },
  };
}

/**
 * pip and setuptools both vendor some projects at the same version (3.11: packaging 21.3,
 * pyparsing 3.0.9, tomli 2.0.1). Such a project is one package both wheels DEPEND_ON — the same
 * name, version and purl twice would be one component listed twice.
 */
function shareIdenticalVendored(detection: Detection): Detection {
  const byPin = new Map<string, string>();
  for (const pkg of detection.packages) {
    if (pkg.ref.startsWith('pip/')) byPin.set(`${pkg.name}==${pkg.version}`, pkg.ref);
  }
  const replaced = new Map<string, string>();
  detection.packages = detection.packages.filter((pkg) => {
    const shared = pkg.ref.includes('/') && !pkg.ref.startsWith('pip/') ? byPin.get(`${pkg.name}==${pkg.version}`) : undefined;
    if (shared) replaced.set(pkg.ref, shared);
    return shared === undefined;
  });
  for (const pkg of detection.packages) pkg.dependsOn = pkg.dependsOn.map((ref) => replaced.get(ref) ?? ref);
  return detection;
}
