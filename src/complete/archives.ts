import { fileChecksums } from '../model/document.js';
import { type ArchivesCatalog, type Catalog, loadCatalog } from '../catalog/catalog.js';
import { PSF } from '../cpython/release.js';
import { PYPA, isBundledWheel, pypiWheelUrl } from '../detect/pip.js';
import { parseWheelFileName } from '../detect/wheel.js';
import { type ArchiveListing, type ArchiveMember, DEFAULT_ARCHIVES_BUDGET, InflateBudget, archiveKindOf, readArchiveMembers } from '../detect/archive.js';
import { InputError } from '../errors.js';
import { chargeRun, runBudgetFits, withOwnRunBudget } from '../util/zip.js';
import { genericPurl, pypiPurl } from '../model/purl.js';
import type { FileEntry, Package, Relationship } from '../model/types.js';
import { globMatcher } from '../util/exclude-glob.js';
import { type VendoredProject, findProject, findVendored, isProjectMetadataMember, vendoredOwner } from './archive-projects.js';
import type { CompleteContext, CompleteStep, LicenseSource } from './index.js';
import { shortName } from './identity.js';
import { checkRecord, isLicenseFile } from './wheel-members.js';
import { pushAll } from '../util/arrays.js';

/**
 * Archives in the tree are packages (complete profile). Every wheel, egg, zip and tarball of the
 * tree but the bundled wheels (wheel-members.ts has those) is opened, bounded (archive/members.ts),
 * and each of its regular members becomes a file of the document named `<archive path>/<member
 * path>` with SHA-1 and SHA-256, as the bundled wheels' members are:
 * - a Python project archive (a wheel, an egg, an sdist: it has core metadata with a name and a
 *   version) is a package of that name and version owning the archive file and its members, with
 *   its vendored projects (pin lists, vendored `.dist-info` directories) as packages it DEPENDS_ON
 *   owning theirs; a wheel's members are held against its RECORD (a mismatch is a finding). License
 *   texts (METADATA, license files, the first module of a vendored project) go to the licenses step;
 * - any other archive (a zip of test fixtures) stays a file of its owner (CPython), and so do its
 *   members; the archive file's comment says what it is.
 * Test-only content says so: a package in a test path (catalog `archives.testPaths`) gets scope
 * `excluded` (CycloneDX) and an SPDX TEST_DEPENDENCY_OF (the tests install it: catalog
 * `testDependencies`; its vendored projects too) or TEST_OF relationship (test data) to the package
 * holding it; a fixture archive that stays CPython's file is TEST_OF CPython. Archives inside an
 * archive are read one level deep; deeper ones are members like any other. An archive that cannot
 * be read (corrupt, a tar format tar-stream does not know, a bound passed) is listed as the one file
 * it is, with the reason in its comment and a warning.
 */
export interface ArchivesStepOptions {
  catalog?: Catalog;
  /**
   * Members whose bytes a later step needs besides the metadata this step reads (a per-file
   * license scan, for instance); they are kept and handed out by `archiveMembersOf`.
   */
  keepMember?: (archive: string, member: string) => boolean;
  /** What all archives of the run may inflate to together. */
  budgetBytes?: number;
}

/** Where an archive was found, and what holds it. */
interface Place {
  path: string;
  bytes: Buffer;
  sha256: string;
  /** 0 for an archive of the tree, 1 inside another archive. */
  depth: number;
  /** Package owning the archive file (CPython, or the archive package holding it). */
  owner: Package;
  /** Whether it sits inside test-only content. */
  testOnly: boolean;
}

const members = new WeakMap<CompleteContext, Map<string, ArchiveMember[]>>();

/**
 * The members read from each archive of the tree by the archives step of this run (archive path ->
 * members, `bytes` set for those `keepMember` or the step itself kept), for steps that run after it.
 */
export function archiveMembersOf(context: CompleteContext): ReadonlyMap<string, ArchiveMember[]> {
  return members.get(context) ?? new Map();
}

/**
 * What the archives read ahead of time may inflate to together: far above a release's test
 * archives (about 5 MiB), far below the step's own budget, so a tree of archive bombs costs at
 * most this much more work.
 */
export const EARLY_READS_BUDGET = 64 * 1024 * 1024;

/** An archive of the tree read while the scan went by, and what it inflated to. */
interface EarlyRead {
  listing: ArchiveListing;
  inflated: number;
}

export function archivesStep(options: ArchivesStepOptions = {}): CompleteStep {
  const catalog = options.catalog ?? loadCatalog();
  const rules: ArchivesCatalog = catalog.archives ?? { fromPypi: [], testPaths: [], testDependencies: [] };
  const wants = (path: string) => archiveKindOf(path) !== undefined && !isBundledWheel(path);
  const keepMember = options.keepMember ?? (() => false);
  // Archives are read as the scan shows them, while the main thread would otherwise wait for the
  // decompressor. Such a read counts against a bound of its own, not the run's; the step takes it
  // only where the run's budgets have room for all it inflated, in the step's own order, so the
  // budgets end where reading then would leave them. Any other read (a failed one, `--hash
  // sha512`, past EARLY_READS_BUDGET) is made again in the step, as if never made early.
  const earlyBudget = new InflateBudget(EARLY_READS_BUDGET);
  const early = new Map<string, Promise<EarlyRead | undefined>>();
  const readEarly = (path: string, bytes: Buffer): Promise<EarlyRead | undefined> => {
    const own = new InflateBudget(EARLY_READS_BUDGET);
    const read = withOwnRunBudget(earlyBudget, () => readArchiveMembers(bytes, path, { budget: own, keep: keepOf(path, 0, keepMember) }));
    return read.then(
      (listing) => ({ listing, inflated: own.spent }),
      () => undefined,
    );
  };
  return {
    name: 'archives',
    wants,
    reads: {
      wants,
      see(path, bytes) {
        if (!early.has(path)) early.set(path, readEarly(path, Buffer.from(bytes)));
      },
    },
    async apply(context: CompleteContext): Promise<void> {
      const { document } = context;
      const cpython = document.packages.find((pkg) => pkg.ref === document.describes[0]);
      if (!cpython) return;
      const run: Run = {
        context,
        cpython,
        budget: new InflateBudget(options.budgetBytes ?? DEFAULT_ARCHIVES_BUDGET),
        keepMember,
        early: context.sha512 === true ? new Map() : early,
        fromPypi: globMatcher(rules.fromPypi),
        testPath: globMatcher(rules.testPaths),
        testDependency: globMatcher(rules.testDependencies),
        entries: new Map(document.files.map((file) => [file.path, file])),
        listed: new Map(),
        touched: new Set([cpython]),
      };
      members.set(context, run.listed);
      const owners = new Map<string, Package>();
      for (const pkg of document.packages) for (const path of pkg.files) owners.set(path, pkg);
      for (const path of [...context.detect.files.keys()].filter(wants).sort()) {
        const bytes = context.detect.content(path);
        const scanned = context.detect.files.get(path);
        if (!bytes || !scanned) continue;
        await describeArchive(run, { path, bytes, sha256: scanned.sha256, depth: 0, owner: owners.get(path) ?? cpython, testOnly: run.testPath(path) });
      }
      for (const pkg of run.touched) pkg.files.sort();
      document.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      document.packages = [document.packages[0] as Package, ...document.packages.slice(1).sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0))];
    },
  };
}

interface Run {
  context: CompleteContext;
  cpython: Package;
  budget: InflateBudget;
  keepMember: (archive: string, member: string) => boolean;
  fromPypi: (path: string) => boolean;
  testPath: (path: string) => boolean;
  testDependency: (path: string) => boolean;
  entries: Map<string, FileEntry>;
  listed: Map<string, ArchiveMember[]>;
  touched: Set<Package>;
  /** Archives of the tree read ahead of time, by path. */
  early: ReadonlyMap<string, Promise<EarlyRead | undefined>>;
}

/** The members whose bytes a read keeps: project metadata, what a later step asked for, the archives in a tree's archive. */
function keepOf(path: string, depth: number, keepMember: Run['keepMember']): (name: string) => boolean {
  return (name) => isProjectMetadataMember(name) || keepMember(path, name) || (depth === 0 && archiveKindOf(name) !== undefined);
}

/** An archive's members: read ahead of time where that read can stand for this one, read now otherwise. */
async function listMembers(run: Run, place: Place): Promise<ArchiveListing> {
  const early = place.depth === 0 ? await run.early.get(place.path) : undefined;
  if (early && run.budget.fits(early.inflated) && runBudgetFits(early.inflated)) {
    run.budget.take(early.inflated);
    chargeRun(early.inflated, place.path);
    return early.listing;
  }
  return readArchiveMembers(place.bytes, place.path, {
    budget: run.budget,
    sha512: run.context.sha512 === true,
    keep: keepOf(place.path, place.depth, run.keepMember),
  });
}

async function describeArchive(run: Run, place: Place): Promise<void> {
  const { context } = run;
  const { path } = place;
  let listing: ArchiveListing;
  try {
    listing = await listMembers(run, place);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const reason = error.message.startsWith(`${path}: `) ? error.message.slice(path.length + 2) : error.message;
    // CPython's tests keep archives that are broken on purpose (tarfile's recursion.tar, a tar of
    // non-UTF-8 names and GNU sparse members): for test data the comment says it. A passed bound
    // is said everywhere: it may be a bomb.
    if (!place.testOnly || reason.startsWith('not read:')) context.warnings.push(`${path}: its members are not listed: ${reason}`);
    note(run, path, `${place.testOnly ? 'Test data: archive' : 'Archive'} whose members are not listed: ${reason}`);
    if (place.testOnly) addRelationship(run, { from: `file:${path}`, type: 'TEST_OF', to: place.owner.ref });
    return;
  }
  run.listed.set(path, listing.members);
  const project = findProject(listing.members, path);
  const holder = project ? projectPackage(run, place, listing, project) : place.owner;
  const vendored = project ? vendoredPackages(run, place, holder, listing) : { owner: () => undefined, packages: [] };

  for (const member of listing.members) {
    const memberPath = `${path}/${member.name}`;
    const entry: FileEntry = { path: memberPath, checksums: fileChecksums(member) };
    document(run).files.push(entry);
    run.entries.set(memberPath, entry);
    const owner = vendored.owner(member.name) ?? holder;
    owner.files.push(memberPath);
    run.touched.add(owner);
  }
  const what = `${listing.kind === 'zip' ? 'zip' : 'tar'} archive of ${listing.members.length} member${listing.members.length === 1 ? '' : 's'}, each listed as ${path}/<member>`;
  const special = listing.special.length > 0 ? `; not files, so not listed: ${listing.special.map((entry) => `${entry.name} (${entry.what})`).join(', ')}` : '';
  if (project) {
    holder.sourceInfo = `${path} in the source tree: a ${project.format === 'wheel' ? 'wheel' : project.format === 'egg' ? 'Python egg' : 'source archive'}, ${what}; name and version from ${project.versionFrom === 'metadata' ? project.metadataMember : `${project.metadataMember} and the file name`}${special}`;
  } else {
    note(run, path, `${place.testOnly ? 'Test data: ' : ''}${what}${special}`);
    if (place.testOnly) addRelationship(run, { from: `file:${path}`, type: 'TEST_OF', to: place.owner.ref });
  }

  if (place.depth > 0) return;
  for (const member of listing.members) {
    if (archiveKindOf(member.name) === undefined || !member.bytes) continue;
    const memberPath = `${path}/${member.name}`;
    const owner = vendored.owner(member.name) ?? holder;
    await describeArchive(run, {
      path: memberPath,
      bytes: member.bytes,
      sha256: member.sha256,
      depth: 1,
      owner,
      testOnly: place.testOnly || run.testPath(memberPath),
    });
  }
}

function document(run: Run) {
  return run.context.document;
}

/** A Python project archive as a package owning the archive file (taken from whoever held it). */
function projectPackage(run: Run, place: Place, listing: ArchiveListing, project: NonNullable<ReturnType<typeof findProject>>): Package {
  const { context } = run;
  const { path } = place;
  const fileName = path.slice(path.lastIndexOf('/') + 1);
  const pypi = run.fromPypi(path);
  const inside = place.depth > 0 ? ` (inside ${place.owner.name} ${place.owner.version})` : '';
  const wheelProject = parseWheelFileName(fileName)?.project;
  const pkg: Package = {
    ref: `archive:${path}`,
    spdxId: `SPDXRef-PACKAGE-${path}`,
    name: project.name,
    version: project.version,
    purpose: 'ARCHIVE',
    supplier: PSF,
    downloadLocation: pypi && wheelProject ? pypiWheelUrl(wheelProject, fileName) : 'NOASSERTION',
    licenseConcluded: 'NOASSERTION',
    checksums: { SHA256: place.sha256 },
    packageFileName: fileName,
    purl: pypi
      ? pypiPurl(project.name, project.version)
      : genericPurl(shortName(project.name, project.name), project.version, { checksum: `sha256:${place.sha256}` }),
    files: [],
    dependsOn: [],
    filesAnalyzed: true,
    comment: pypi
      ? `${project.name} ${project.version} as released on PyPI, found in the tree at ${path}`
      : `${project.name} ${project.version}, found at ${path}${inside}; not known to come from a package index, so its purl names it by its SHA-256`,
    evidence: { licenses: [], copyrights: [], occurrences: [{ path }] },
  };
  if (pypi && (project.name.toLowerCase() === 'setuptools' || project.name.toLowerCase() === 'pip')) pkg.originator = PYPA;
  if (place.testOnly) {
    pkg.scope = 'excluded';
    addRelationship(run, { from: pkg.ref, type: run.testDependency(path) ? 'TEST_DEPENDENCY_OF' : 'TEST_OF', to: place.owner.ref });
  } else {
    place.owner.dependsOn = [...new Set([...place.owner.dependsOn, pkg.ref])].sort();
  }
  // The archive file is the package's, no longer its holder's.
  place.owner.files = place.owner.files.filter((file) => file !== path);
  pkg.files.push(path);
  run.touched.add(place.owner);
  run.touched.add(pkg);
  context.document.packages.push(pkg);

  if (project.format === 'wheel') {
    const findings = checkRecord(listing.members, path);
    if (findings === undefined) context.warnings.push(`${path}: the wheel has no *.dist-info/RECORD, so its members cannot be checked against it`);
    else pushAll(context.findings, findings);
  }
  // Its own metadata and license files (not its vendored projects').
  const byName = new Map(listing.members.map((member) => [member.name, member]));
  const sources: LicenseSource[] = [];
  const metadata = byName.get(project.metadataMember);
  if (metadata?.bytes) sources.push({ text: metadata.bytes.toString('utf8'), file: `${path}/${metadata.name}`, method: 'wheel-metadata' });
  const metaDir = project.metadataMember.slice(0, project.metadataMember.lastIndexOf('/') + 1);
  for (const member of listing.members) {
    const inMetaDir = metaDir !== '' && member.name.startsWith(metaDir) && !member.name.slice(metaDir.length).includes('/');
    const inLicensesDir = metaDir !== '' && member.name.startsWith(`${metaDir}licenses/`);
    const atTop = !member.name.includes('/') || (project.format === 'sdist' && member.name.split('/').length === 2);
    if ((inMetaDir || inLicensesDir || atTop) && isLicenseFile(member.name) && member.bytes) {
      sources.push({ text: member.bytes.toString('utf8'), file: `${path}/${member.name}`, method: 'license-text' });
    }
  }
  addSources(context, pkg.ref, sources);
  return pkg;
}

/** The projects an archive package vendors, as packages it (or the vendored project holding them) DEPENDS_ON. */
function vendoredPackages(
  run: Run,
  place: Place,
  holder: Package,
  listing: ArchiveListing,
): { owner: (member: string) => Package | undefined; packages: Package[] } {
  const { context } = run;
  const projects = findVendored(listing.members, place.path, context.warnings);
  if (projects.length === 0) return { owner: () => undefined, packages: [] };
  const packageOf = new Map<VendoredProject, Package>();
  const keys = new Map<string, number>();
  for (const project of projects) keys.set(project.key, (keys.get(project.key) ?? 0) + 1);
  for (const project of projects) {
    const suffix = (keys.get(project.key) ?? 0) > 1 ? `@${project.version}` : '';
    const pkg: Package = {
      ref: `${holder.ref}/${project.key}${suffix}`,
      spdxId: `SPDXRef-PACKAGE-${place.path}-${project.key}`,
      name: project.name,
      version: project.version,
      purpose: 'SOURCE',
      supplier: PSF,
      downloadLocation: 'NOASSERTION',
      licenseConcluded: 'NOASSERTION',
      checksums: {},
      purl: pypiPurl(project.name, project.version),
      files: [],
      dependsOn: [],
      filesAnalyzed: true,
      comment: `vendored by ${holder.name} ${holder.version} in ${project.dir} (${project.listedIn.join(', ')})`,
      evidence: { licenses: [], copyrights: [], occurrences: [{ path: `${place.path}/${project.dir}` }] },
    };
    if (holder.scope === 'excluded') {
      pkg.scope = 'excluded';
      // Needed to run the tests that install its holder: said of every such package, so SPDX readers see it too.
      addRelationship(run, { from: pkg.ref, type: 'TEST_DEPENDENCY_OF', to: run.cpython.ref });
    }
    packageOf.set(project, pkg);
    run.touched.add(pkg);
  }
  const owner = (member: string): Package | undefined => {
    const project = vendoredOwner(projects, member);
    return project ? packageOf.get(project) : undefined;
  };
  // A project vendored inside another's directory (wheel's vendored packaging) is that one's dependency.
  for (const project of projects) {
    const parent = owner(project.dir.slice(0, -1));
    const dependent = parent && parent !== packageOf.get(project) ? parent : holder;
    dependent.dependsOn = [...new Set([...dependent.dependsOn, (packageOf.get(project) as Package).ref])].sort();
  }
  // License texts: the vendored project's metadata, its license files, else the head of its first module.
  const byName = new Map(listing.members.map((member) => [member.name, member]));
  for (const project of projects) {
    const pkg = packageOf.get(project) as Package;
    const sources: LicenseSource[] = [];
    const metadata = project.distInfo ? byName.get(`${project.dir}${project.distInfo}METADATA`) : undefined;
    if (metadata?.bytes) sources.push({ text: metadata.bytes.toString('utf8'), file: `${place.path}/${metadata.name}`, method: 'wheel-metadata' });
    const owned = listing.members.filter((member) => owner(member.name) === pkg);
    for (const member of owned) {
      if (isLicenseFile(member.name) && member.bytes)
        sources.push({ text: member.bytes.toString('utf8'), file: `${place.path}/${member.name}`, method: 'license-text' });
    }
    if (sources.length === 0) {
      const head = owned.find((member) => member.bytes && /\.py$/.test(member.name));
      if (head?.bytes) sources.push({ text: head.bytes.toString('utf8'), file: `${place.path}/${head.name}`, method: 'header' });
    }
    addSources(context, pkg.ref, sources);
  }
  pushAll(context.document.packages, packageOf.values());
  return { owner, packages: [...packageOf.values()] };
}

function addRelationship(run: Run, relationship: Relationship): void {
  const list = run.context.document.relationships;
  if (!list.some((existing) => existing.from === relationship.from && existing.type === relationship.type && existing.to === relationship.to))
    list.push(relationship);
}

function addSources(context: CompleteContext, ref: string, sources: LicenseSource[]): void {
  if (sources.length === 0) return;
  context.licenseSources.set(ref, [...(context.licenseSources.get(ref) ?? []), ...sources]);
}

/** Adds a sentence to a file's comment. */
function note(run: Run, path: string, text: string): void {
  const entry = run.entries.get(path);
  if (!entry) return;
  entry.comment = entry.comment ? `${entry.comment}; ${text}` : text;
}
