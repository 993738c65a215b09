import { fileChecksums } from '../model/document.js';
import { type WindowsArtifactCatalog, loadCatalog } from '../catalog/catalog.js';
import { globToRegExp } from '../catalog/glob.js';
import type { FileEntry, Package, SbomDocument } from '../model/types.js';
import { EXCLUDED_ANNOTATION } from '../model/annotations.js';
import type { ArtifactMember, StepAction, StepContext, WindowsArtifactFacts } from '../steps/types.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { manifestBuildUse, projectsCompilingExternal, readPcbuild } from './build-use.js';
import { externalRef } from './python-org.js';

/**
 * The complete profile of a Windows artifact: python.org's facts, then what the artifact
 * actually holds, in three steps (generate/steps.ts runs them for Windows artifacts only):
 * - `windows-build-use`: components of Misc/sbom.spdx.json the Windows build does not compile are
 *   marked excluded, with the PCbuild file that says so (3.13: the vendored mpdecimal 2.5.1;
 *   `_decimal` is built from mpdecimal 4.0.0 of the externals);
 * - `windows-runtime`: the Microsoft Visual C++ runtime, in every Windows build and no python.org
 *   SBOM, is listed;
 * - `windows-members`: a zip's members are listed with SHA-1 and SHA-256, each owned by the
 *   component it comes from (the catalog's `windowsArtifact` rules; CPython owns the rest),
 *   CPython's members naming what they link statically; components no member carries are marked
 *   excluded (the embeddable package has no Tcl/Tk). An installer is not unpacked: its document
 *   says so and lists no member.
 */
export function windowsCompleteSteps(catalog: WindowsArtifactCatalog | undefined = loadCatalog().windowsArtifact): StepAction[] {
  return [
    { name: 'windows-build-use', wants: () => false, apply: (context) => buildUse(context) },
    { name: 'windows-runtime', wants: () => false, apply: (context) => runtime(context, catalog) },
    { name: 'windows-members', wants: () => false, apply: (context) => members(context, catalog) },
  ];
}

type WindowsContext = StepContext & { windows: WindowsArtifactFacts };

function windowsOf(context: StepContext): WindowsContext {
  if (!context.windows) throw new Error(`a Windows step ran on ${context.subject}`);
  return context as WindowsContext;
}

function cpythonOf(document: SbomDocument): Package {
  return document.packages.find((pkg) => pkg.ref === 'cpython') as Package;
}

/** Marks a package as not in the artifact, saying why, and drops it from CPython's dependencies. */
function exclude(document: SbomDocument, pkg: Package, why: string): void {
  const cpython = cpythonOf(document);
  pkg.scope = 'excluded';
  cpython.dependsOn = cpython.dependsOn.filter((ref) => ref !== pkg.ref);
  document.annotations.push({
    subject: pkg.ref,
    annotator: `Tool: ${TOOL_NAME}-${TOOL_VERSION}`,
    date: document.created,
    type: 'OTHER',
    comment: `${EXCLUDED_ANNOTATION}${why}`,
  });
}

const KINDS = {
  installer: 'installer',
  embeddable: 'embeddable package',
  pymanager: 'PyManager package',
  'pymanager-test': 'PyManager package with the test suite',
};

/** What PCbuild compiles decides which vendored copies the build uses. */
function buildUse(given: StepContext): void {
  const { document, windows, detect } = windowsOf(given);
  const cpython = cpythonOf(document);
  cpython.comment = `CPython ${windows.version} for Windows (${windows.arch}), ${windows.freeThreaded ? 'free-threaded build, ' : ''}${KINDS[windows.kind]}.`;
  const pcbuild = readPcbuild(detect);
  const decisions = manifestBuildUse(
    pcbuild,
    windows.manifest.map((pkg) => ({ pkg, files: windows.manifestFiles.get(pkg.ref) ?? [] })),
    windows.externals,
  );
  for (const pkg of windows.manifest) {
    const decision = decisions.get(pkg.ref);
    if (!decision) continue;
    if (decision.used) pkg.comment = `Used by the Windows build: ${decision.reason}.`;
    else exclude(document, pkg, `not used by the Windows build of CPython ${windows.version}: ${decision.reason}.`);
    // The other way round: the build compiles the vendored copy and no project the external twin.
    const twin = windows.externals.find((external) => external.name === pkg.name);
    if (decision.used && pcbuild.found && twin && projectsCompilingExternal(pcbuild, twin).length === 0) {
      exclude(
        document,
        twin,
        `not used by the Windows build of CPython ${windows.version}: no PCbuild project compiles it; the build compiles the vendored ${pkg.name} ${pkg.version} (${decision.reason}).`,
      );
    }
  }
  for (const pkg of windows.externals) {
    const projects = projectsCompilingExternal(pcbuild, pkg);
    if (projects.length > 0)
      pkg.comment = `Windows build dependency (PCbuild/get_externals.bat), compiled by ${projects.map((p) => `PCbuild/${p}`).join(', ')}.`;
    else pkg.comment = 'Windows build dependency (PCbuild/get_externals.bat).';
  }
}

/** The runtime libraries every Windows build ships that no source tree holds. */
function runtime(given: StepContext, catalog: WindowsArtifactCatalog | undefined): void {
  const { document } = windowsOf(given);
  const cpython = cpythonOf(document);
  for (const [ref, entry] of Object.entries(catalog?.runtime ?? {})) {
    const pkg: Package = {
      ref,
      spdxId: `SPDXRef-PACKAGE-${ref}`,
      name: entry.name,
      version: '',
      purpose: 'LIBRARY',
      downloadLocation: 'NOASSERTION',
      licenseConcluded: 'NOASSERTION',
      checksums: {},
      files: [],
      dependsOn: [],
      filesAnalyzed: false,
    };
    if (entry.supplier) pkg.supplier = entry.supplier;
    if (entry.originator) pkg.originator = entry.originator;
    if (entry.comment) pkg.comment = entry.comment;
    document.packages.push(pkg);
    cpython.dependsOn.push(ref);
  }
  cpython.dependsOn.sort();
}

/** The zip's members, each owned by its component; what no member carries is excluded. */
function members(given: StepContext, catalog: WindowsArtifactCatalog | undefined): void {
  const { document, windows, warnings } = windowsOf(given);
  const cpython = cpythonOf(document);
  if (!windows.members) {
    document.comment =
      `${windows.fileName} is an installer; it is not unpacked, so its members are not listed. ` +
      'Its components are those of the Windows build, as the source tree and its PCbuild files say.';
  } else {
    const linked = listMembers(document, cpython, windows.members, catalog, warnings);
    for (const pkg of document.packages) {
      if (pkg === cpython || pkg.scope === 'excluded' || present(document, pkg, linked)) continue;
      exclude(document, pkg, `not in ${windows.fileName}: none of its members carries it.`);
    }
    document.comment =
      `Every member of ${windows.fileName} is listed with its SHA-1 and SHA-256 and belongs to the component ` +
      "it comes from; CPython's members say which components' code they carry.";
  }
  cpython.dependsOn.sort();
}

/** Whether a member carries the package (it owns one, or one links it), or, for a project pip vendors, pip does. */
function present(document: SbomDocument, pkg: Package, linked: Set<string>): boolean {
  if (pkg.files.length > 0 || linked.has(pkg.ref)) return true;
  if (!pkg.ref.startsWith('pip/')) return false;
  const pip = document.packages.find((candidate) => candidate.ref === 'pip');
  return pip !== undefined && present(document, pip, linked);
}

/** The package a catalog component name means in this document: a used one before an excluded one. */
function resolveComponent(document: SbomDocument, component: string): Package | undefined {
  const candidates = document.packages.filter(
    (pkg) => pkg.ref === component || pkg.ref === externalRef(component) || (pkg.name === component && !pkg.ref.startsWith('pip/')),
  );
  return candidates.find((pkg) => pkg.scope !== 'excluded') ?? candidates[0];
}

function listMembers(
  document: SbomDocument,
  cpython: Package,
  members: ArtifactMember[],
  catalog: WindowsArtifactCatalog | undefined,
  warnings: string[],
): Set<string> {
  const ownerRules = (catalog?.members ?? []).map((rule) => ({ regex: globToRegExp(rule.glob), component: rule.component }));
  const linkRules = (catalog?.carriedBy ?? []).map((rule) => ({ regex: globToRegExp(rule.glob), components: rule.components, how: rule.how }));
  const linkedRefs = new Set<string>();
  const files: FileEntry[] = [];
  for (const member of members) {
    const entry: FileEntry = { path: member.path, checksums: fileChecksums(member) };
    files.push(entry);
    const rule = ownerRules.find((candidate) => candidate.regex.test(member.path));
    const owner = rule ? resolveComponent(document, rule.component) : cpython;
    if (rule && !owner) warnings.push(`${member.path}: the catalog gives it to ${rule.component}, which this document does not list; CPython keeps it`);
    (owner ?? cpython).files.push(member.path);
    if ((owner ?? cpython) !== cpython) continue;
    const says: string[] = [];
    for (const link of linkRules.filter((candidate) => candidate.regex.test(member.path))) {
      const carried: string[] = [];
      for (const component of link.components) {
        const pkg = resolveComponent(document, component);
        if (!pkg || pkg.scope === 'excluded' || linkedRefs.has(`${member.path}\0${pkg.ref}`)) continue;
        linkedRefs.add(`${member.path}\0${pkg.ref}`);
        carried.push(`${pkg.name} ${pkg.version}`.trim());
        linkedRefs.add(pkg.ref);
      }
      if (carried.length > 0) says.push(`${link.how} ${carried.join(', ')}`);
    }
    if (says.length > 0) entry.comment = `CPython's; this member ${says.join('; ')}`;
  }
  document.files = files;
  for (const pkg of document.packages) {
    pkg.files.sort();
    pkg.filesAnalyzed = pkg.files.length > 0;
  }
  return linkedRefs;
}
