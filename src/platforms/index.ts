import { createHash } from 'node:crypto';
import { type PlatformLibrary, fillTemplate, loadCatalog } from '../catalog/catalog.js';
import { PATCHLEVEL_PATH } from '../cpython/paths.js';
import { cpythonRelease, readCPythonVersion } from '../cpython/release.js';
import type { DetectContext } from '../detect/types.js';
import { InputError } from '../errors.js';
import { contentNamespace } from '../model/namespace.js';
import { genericPurl } from '../model/purl.js';
import type { ExtractedLicense, Package, Patch, Relationship, SbomDocument } from '../model/types.js';
import { type ScanResult, type ScannedFile, scanSource } from '../source/index.js';
import type { ScanLimits } from '../source/types.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { MAC_BUILDSCRIPT, MAC_RECIPE, readMacRecipe } from './macos.js';
import { ANDROID_RECIPE, APPLE_RECIPE, readAndroidRecipe, readAppleRecipe } from './mobile.js';
import { PLATFORM_LABELS, type PlatformRecipe, type RecipeLibrary, type RecipePlatform } from './recipe.js';

export { RECIPE_PLATFORMS, PLATFORM_LABELS, type PlatformRecipe, type RecipePlatform, type RecipeLibrary } from './recipe.js';
export { readMacRecipe, defaultDeploymentTarget } from './macos.js';
export { readAndroidRecipe, readAppleRecipe, DEFAULT_ANDROID_HOST, DEFAULT_IOS_HOST } from './mobile.js';

/** What `generate TREE --platform P` is asked for. */
export interface PlatformRequest {
  platform: RecipePlatform;
  /** macOS only: the deployment target a recipe's conditions test. */
  deploymentTarget?: string;
  /** Android and iOS: the host triple whose libraries are downloaded. */
  host?: string;
  wants?: (path: string) => boolean;
  limits?: Partial<ScanLimits>;
  onScan?: (done: number, total: number) => void;
}

export interface PlatformFacts {
  document: SbomDocument;
  recipe: PlatformRecipe;
  context: DetectContext;
  cpythonVersion: string;
  baseName: string;
  sourceKind: 'directory' | 'tarball';
  warnings: string[];
}

/** The ref of a platform library's package. */
export function platformRef(library: PlatformLibrary): string {
  return `platform/${library.key}`;
}

function recipeFile(platform: RecipePlatform): string {
  return platform === 'macos' ? MAC_RECIPE : platform === 'android' ? ANDROID_RECIPE : APPLE_RECIPE;
}

/** Reads the tree (only the recipe, its patches and Include/patchlevel.h are kept) and its platform recipe. */
export async function describePlatform(treePath: string, request: PlatformRequest): Promise<PlatformFacts> {
  if (request.deploymentTarget !== undefined && request.platform !== 'macos') {
    throw new InputError(`--deployment-target is an assumption of the macOS recipe; it does not apply to --platform ${request.platform}`);
  }
  if (request.host !== undefined && request.platform === 'macos') {
    throw new InputError('--host names an Android or iOS host triple; the macOS installer is universal2 (use --deployment-target)');
  }
  const file = recipeFile(request.platform);
  const scan = await scanSource(treePath, {
    wantContent: (path) =>
      path === PATCHLEVEL_PATH ||
      path === file ||
      path === 'iOS/README.rst' ||
      (path.startsWith(MAC_BUILDSCRIPT) && path.endsWith('.patch')) ||
      (request.wants?.(path) ?? false),
    ...(request.limits ? { limits: request.limits } : {}),
    ...(request.onScan ? { onProgress: request.onScan } : {}),
  });
  const version = readCPythonVersion(scan);
  const recipe = readRecipe(scan, version, request);
  const document = platformDocument(scan, version, recipe);
  const files = new Map<string, ScannedFile>(scan.files.map((entry) => [entry.path, entry]));
  return {
    document,
    recipe,
    context: { scan, files, content: (path) => scan.contents.get(path), cpythonVersion: version },
    cpythonVersion: version,
    baseName: `${scan.artifact?.fileName ?? scan.rootName}.${request.platform}`,
    sourceKind: scan.kind,
    warnings: [],
  };
}

/** The platform's recipe of a scanned tree, or a one-line refusal when the tree has none. */
export function readRecipe(
  scan: Pick<ScanResult, 'location' | 'contents'>,
  version: string,
  request: Pick<PlatformRequest, 'platform' | 'deploymentTarget' | 'host'>,
): PlatformRecipe {
  const libraries = loadCatalog().platformLibraries ?? [];
  const file = recipeFile(request.platform);
  const bytes = scan.contents.get(file);
  if (!bytes) {
    const since = request.platform === 'android' ? '3.13' : request.platform === 'ios' ? '3.14' : '3.10';
    const hint =
      request.platform === 'ios' && scan.contents.has('iOS/README.rst')
        ? ' (its iOS/README.rst leaves the libraries and their versions to whoever builds)'
        : '';
    throw new InputError(
      `${scan.location}: CPython ${version} has no ${file}, the recipe of its ${PLATFORM_LABELS[request.platform]} build's libraries${hint}; --platform ${request.platform} reads trees of CPython ${since} and later`,
    );
  }
  const text = bytes.toString('utf8');
  if (request.platform === 'macos') {
    return readMacRecipe(
      text,
      version,
      libraries,
      (path) => scan.contents.get(path),
      request.deploymentTarget !== undefined ? { deploymentTarget: request.deploymentTarget } : {},
    );
  }
  if (request.platform === 'android') return readAndroidRecipe(text, libraries, request.host);
  return readAppleRecipe(text, libraries, request.host);
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The license a catalog entry gives for a version: the first whose `since` the version reaches. */
export function catalogLicense(library: PlatformLibrary, version: string): string {
  for (const entry of library.license) {
    if (entry.since === undefined || compareLibraryVersions(version, entry.since) >= 0) return entry.expression;
  }
  return 'NOASSERTION';
}

/** Compares dotted numeric versions (`3.0.19` > `1.1.1s`'s 1.1.1): letters after a number are ignored. */
function compareLibraryVersions(a: string, b: string): number {
  const parts = (text: string) => text.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const left = parts(a);
  const right = parts(b);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

/** Files a unified diff touches (`+++ b/unix/tkUnixPort.h`), without the first path component. */
function touchedFiles(diff: string): string[] {
  const touched = new Set<string>();
  for (const match of diff.matchAll(/^\+\+\+ (\S+)/gm)) {
    const path = (match[1] as string).replace(/^[^/]+\//, '');
    if (path !== '/dev/null' && touched.size < 1000) touched.add(path);
  }
  return [...touched].sort();
}

const PUBLIC_DOMAIN: ExtractedLicense = {
  id: 'LicenseRef-public-domain',
  name: 'Public domain dedication',
  text: 'The authors placed the code in the public domain (liblzma of XZ Utils before 5.6.0: "liblzma is in the public domain").',
  comment: 'From the catalog of cpython-sbom (catalog/components.yaml, platforms): the library sources are not in the CPython tree.',
};

/** A library of the recipe as a package of the document. */
export function libraryPackage(item: RecipeLibrary, recipe: PlatformRecipe, patchBytes: (path: string) => Buffer | undefined): Package {
  const { library } = item;
  const license = catalogLicense(library, item.version);
  const fileName = item.url.slice(item.url.lastIndexOf('/') + 1);
  const qualifiers: Record<string, string> = { download_url: item.url };
  if (item.checksum?.algorithm === 'SHA256') qualifiers.checksum = `sha256:${item.checksum.value}`;
  const localPatches = item.patches.filter((patch) => patch.local);
  const pedigreePatches: Patch[] = localPatches.map((patch, index) => {
    const bytes = patchBytes(patch.location) as Buffer;
    return {
      path: patch.location,
      order: index + 1,
      sha256: sha256(bytes),
      type: /backport/i.test(patch.location) ? 'backport' : 'unofficial',
      touches: touchedFiles(bytes.toString('utf8')),
      resolves: [],
      description: `applied by ${recipe.file} to the ${library.name} sources before building`,
    };
  });
  const remote = item.patches.filter((patch) => !patch.local);
  const comment = [
    `${PLATFORM_LABELS[recipe.platform]} build: CPython ${item.link === 'STATIC_LINK' ? 'links it statically' : 'links it dynamically'} (${item.linkReason}).`,
    item.download === 'binary'
      ? `Downloaded prebuilt by ${recipe.file} ${recipe.entryPoint}() as release ${item.recipeName} (build ${item.build}); the recipe records no checksum.`
      : `Built from the source archive ${recipe.file} ${recipe.entryPoint}() downloads and checks (${item.checksum?.algorithm}).`,
    ...remote.map(
      (patch) => `Also applies the ${patch.kind} ${patch.location}${patch.checksum ? ` (${patch.checksum.algorithm} ${patch.checksum.value})` : ''}.`,
    ),
  ].join(' ');
  const pkg: Package = {
    ref: platformRef(library),
    name: library.name,
    version: item.version,
    purpose: 'LIBRARY',
    supplier: recipe.supplier ?? library.originator ?? 'NOASSERTION',
    ...(library.originator ? { originator: library.originator } : {}),
    downloadLocation: item.url,
    packageFileName: fileName,
    licenseConcluded: license,
    licenseDeclared: license,
    licenseComments: `From cpython-sbom's catalog (catalog/components.yaml, platforms: ${library.key}): the library's sources are not in the CPython tree, so no file of it was read.`,
    checksums: item.checksum ? { [item.checksum.algorithm]: item.checksum.value } : {},
    ...(item.checksum ? { downloadChecksums: { [item.checksum.algorithm]: item.checksum.value } } : {}),
    purl: genericPurl(library.key, item.version, qualifiers),
    ...(library.cpe ? { cpe: fillTemplate(library.cpe, item.version) } : {}),
    files: [],
    dependsOn: [],
    filesAnalyzed: false,
    comment,
    sourceInfo: `${item.where}: ${recipe.entryPoint}() names ${JSON.stringify(item.recipeName)}${library.cpeSource ? `; CPE: ${library.cpeSource}` : ''}`,
    evidence: { licenses: [{ expression: license, method: 'catalog' }], copyrights: [], occurrences: [] },
    // What is downloaded: a tarball (of sources for macOS, of a build for Android and iOS).
    artifactProperties: { executable: false, archive: true, structured: true },
  };
  if (pedigreePatches.length > 0) pkg.pedigree = { ancestors: [], patches: pedigreePatches };
  return pkg;
}

/** The document: CPython as the root, each library the recipe downloads, how CPython links it. */
export function platformDocument(scan: ScanResult, version: string, recipe: PlatformRecipe): SbomDocument {
  const cpython = cpythonRelease(version, scan.artifact ? { fileName: scan.artifact.fileName, sha256: scan.artifact.sha256 } : undefined);
  cpython.purpose = recipe.platform === 'android' ? 'LIBRARY' : 'FRAMEWORK';
  cpython.purl = genericPurl('cpython', version, cpython.downloadLocation?.startsWith('https://') ? { download_url: cpython.downloadLocation } : undefined);
  cpython.filesAnalyzed = false;
  cpython.licenseDeclared = 'PSF-2.0';
  cpython.artifactProperties = { executable: false, archive: true, structured: true };
  cpython.comment = `CPython ${version} as its ${PLATFORM_LABELS[recipe.platform]} build bundles it: the libraries are those ${recipe.file} ${recipe.entryPoint}() downloads for the assumptions in the document comment.`;
  const patchBytes = (path: string) => scan.contents.get(path);
  const libraries = recipe.libraries.map((item) => libraryPackage(item, recipe, patchBytes));
  const seen = new Set<string>();
  for (const pkg of libraries) {
    if (seen.has(pkg.ref)) throw new InputError(`${recipe.file}: ${pkg.name} is downloaded twice`);
    seen.add(pkg.ref);
  }
  cpython.dependsOn = libraries.map((pkg) => pkg.ref).sort();
  const relationships: Relationship[] = recipe.libraries.map((item) => ({
    from: 'cpython',
    type: item.link,
    to: platformRef(item.library),
    comment: item.linkReason,
  }));
  const assumptions = recipe.assumptions.map((assumption) => `${assumption.name}=${assumption.value} (${assumption.why})`).join('; ');
  const salt = `${recipe.platform}\n${assumptions}\n${JSON.stringify(libraries.map((pkg) => [pkg.ref, pkg.version, pkg.downloadLocation]))}`;
  const extracted = libraries.some((pkg) => pkg.licenseDeclared?.includes(PUBLIC_DOMAIN.id)) ? [PUBLIC_DOMAIN] : [];
  return {
    name: `CPython ${version} ${PLATFORM_LABELS[recipe.platform]} build`,
    namespace: contentNamespace(`cpython-${version}-${recipe.platform}`, [], salt),
    created: '',
    creators: [`Tool: ${TOOL_NAME}-${TOOL_VERSION}`],
    dataLicense: 'CC0-1.0',
    describes: ['cpython'],
    packages: [cpython, ...libraries],
    files: [],
    relationships,
    annotations: [],
    lifecycles: ['pre-build'],
    comment: `What CPython ${version}'s ${PLATFORM_LABELS[recipe.platform]} build bundles, read from ${recipe.file} ${recipe.entryPoint}() (read as data, not run). Assumptions: ${assumptions}.`,
    ...(extracted.length > 0 ? { extractedLicenses: extracted } : {}),
  };
}
