import { basename } from 'node:path';
import { stat } from 'node:fs/promises';
import { globToRegExp } from '../catalog/glob.js';
import { releaseDirectory } from '../cpython/release.js';
import { InputError, describeSystemError } from '../errors.js';
import type { FileEntry, SbomDocument } from '../model/types.js';
import { scanTarball } from '../source/tarball.js';
import { sha256File } from '../util/sha256-file.js';
import { readXar } from '../util/xar.js';
import { readZip } from '../util/zip.js';
import { type PlatformFacts, describePlatform, platformRef } from './index.js';
import { PLATFORM_LABELS, type RecipePlatform } from './recipe.js';

/**
 * python.org's artifacts of the recipe platforms, by the names their build scripts give them:
 * - Android: `python-3.14.0-aarch64-linux-android.tar.gz` (Android/android.py `package()`:
 *   `python-{version}-{host}`, a gzip tarball of the package directory, names starting `./`);
 * - iOS: `python-3.14.0-iOS-XCframework.tar.gz` (Apple/__main__.py `package()`), or a `.zip` of it;
 * - macOS: `python-3.14.0-macos11.pkg` (the installer, a xar archive).
 * The artifact is read (every member hashed; a .pkg's payloads, not unpacked) with the release's
 * source tree (`--source`), whose recipe says which libraries the build bundled.
 */

export interface PlatformArtifactName {
  fileName: string;
  platform: RecipePlatform;
  version: string;
  host?: string;
  container: 'tar.gz' | 'zip' | 'xar';
}

const VERSION = '(\\d+\\.\\d+\\.\\d+(?:(?:a|b|rc)\\d+)?)';
const PATTERNS: { platform: RecipePlatform; re: RegExp; container: (match: RegExpExecArray) => PlatformArtifactName['container'] }[] = [
  { platform: 'android', re: new RegExp(`^python-${VERSION}-([a-z0-9_]+-linux-android(?:eabi)?)\\.tar\\.gz$`), container: () => 'tar.gz' },
  { platform: 'ios', re: new RegExp(`^python-${VERSION}-iOS-XCframework\\.(tar\\.gz|zip)$`), container: (match) => (match[2] === 'zip' ? 'zip' : 'tar.gz') },
  { platform: 'macos', re: new RegExp(`^python-${VERSION}-macos(?:x?\\d+(?:\\.\\d+)?)?\\.pkg$`), container: () => 'xar' },
];

export const PLATFORM_ARTIFACT_PATTERNS = 'python-X.Y.Z-HOST-linux-android.tar.gz, python-X.Y.Z-iOS-XCframework.tar.gz|.zip, python-X.Y.Z-macosNN.pkg';

export function parsePlatformArtifactName(fileName: string): PlatformArtifactName | undefined {
  for (const pattern of PATTERNS) {
    const match = pattern.re.exec(fileName);
    if (!match) continue;
    return {
      fileName,
      platform: pattern.platform,
      version: match[1] as string,
      ...(pattern.platform === 'android' ? { host: match[2] as string } : {}),
      container: pattern.container(match),
    };
  }
  return undefined;
}

export function looksLikePlatformArtifact(fileName: string): boolean {
  return parsePlatformArtifactName(fileName) !== undefined;
}

interface Member {
  path: string;
  size: number;
  sha1: string;
  sha256: string;
}

async function readMembers(path: string, name: PlatformArtifactName): Promise<Member[]> {
  if (name.container === 'xar') return readXar(path);
  if (name.container === 'zip') {
    const members = await readZip({ path }, path, {
      limits: { maxEntries: 100_000, maxMemberBytes: 1024 * 1024 * 1024, maxTotalBytes: 4 * 1024 * 1024 * 1024 },
    });
    return members.map(({ name: member, size, sha1, sha256 }) => ({ path: member, size, sha1, sha256 }));
  }
  const scan = await scanTarball(path, { wholeNames: true });
  if (scan.files.length === 0) throw new InputError(`${path}: the archive holds no file`);
  return scan.files;
}

export interface PlatformArtifactRequest {
  source: string | undefined;
  deploymentTarget?: string;
  wants?: (path: string) => boolean;
}

/**
 * The SBOM of a platform artifact: the recipe's libraries (from `--source`) and CPython, each
 * owning the members the catalog's `members` globs give it; CPython the rest.
 */
export async function describePlatformArtifact(artifactPath: string, request: PlatformArtifactRequest): Promise<PlatformFacts> {
  const name = parsePlatformArtifactName(basename(artifactPath));
  if (!name) throw new InputError(`${artifactPath}: not a python.org Android, iOS or macOS artifact name (expected ${PLATFORM_ARTIFACT_PATTERNS})`);
  const info = await stat(artifactPath).catch((error: unknown) => {
    throw new InputError(describeSystemError(error, artifactPath));
  });
  if (!info.isFile()) throw new InputError(`${artifactPath}: not a file`);
  if (request.source === undefined)
    throw new InputError(`${artifactPath}: a platform artifact needs --source TREE (the release's source directory or tarball)`);
  const members = await readMembers(artifactPath, name);
  const sha256 = await sha256File(artifactPath);
  const facts = await describePlatform(request.source, {
    platform: name.platform,
    ...(name.host ? { host: name.host } : {}),
    ...(request.deploymentTarget !== undefined ? { deploymentTarget: request.deploymentTarget } : {}),
    ...(request.wants ? { wants: request.wants } : {}),
  });
  if (facts.cpythonVersion !== name.version) {
    throw new InputError(`--source ${request.source}: the tree is CPython ${facts.cpythonVersion} but ${name.fileName} is ${name.version}`);
  }
  const document = artifactDocument(facts.document, name, sha256, members, facts);
  return { ...facts, document, baseName: name.fileName };
}

function artifactDocument(base: SbomDocument, name: PlatformArtifactName, sha256: string, members: Member[], facts: PlatformFacts): SbomDocument {
  const document: SbomDocument = structuredClone(base);
  const cpython = document.packages.find((pkg) => pkg.ref === 'cpython');
  if (!cpython) throw new Error('platforms: the document has no CPython package');
  cpython.packageFileName = name.fileName;
  cpython.downloadLocation = `https://www.python.org/ftp/python/${releaseDirectory(name.version)}/${name.fileName}`;
  cpython.checksums = { SHA256: sha256 };
  cpython.filesAnalyzed = true;
  delete cpython.purl;

  // Each library owns the members its catalog globs match (first library wins); CPython the rest.
  const rules = facts.recipe.libraries.map((item) => ({
    ref: platformRef(item.library),
    patterns: (item.library.members ?? []).map((glob) => globToRegExp(glob)),
  }));
  const files: FileEntry[] = [];
  const owned = new Map<string, string[]>();
  for (const member of members) {
    files.push({ path: member.path, checksums: { SHA1: member.sha1, SHA256: member.sha256 } });
    const owner = rules.find((rule) => rule.patterns.some((pattern) => pattern.test(member.path)))?.ref ?? 'cpython';
    owned.set(owner, [...(owned.get(owner) ?? []), member.path]);
  }
  for (const pkg of document.packages) {
    pkg.files = owned.get(pkg.ref) ?? [];
    if (pkg.ref === 'cpython') continue;
    pkg.filesAnalyzed = pkg.files.length > 0;
    if (pkg.files.length === 0) {
      const why =
        name.container === 'xar'
          ? 'the installer is not unpacked beyond its payloads, so no member is its file'
          : "no member of the artifact is its file (it is linked into CPython's binaries)";
      pkg.comment = `${pkg.comment ?? ''} In ${name.fileName}: ${why}.`.trim();
    }
  }
  document.files = files;
  document.name = `${name.fileName} (CPython ${name.version} ${PLATFORM_LABELS[name.platform]})`;
  document.namespace = `https://www.python.org/ftp/python/${releaseDirectory(name.version)}/${name.fileName}.spdx.json`;
  document.lifecycles = ['post-build'];
  document.comment = `${document.comment ?? ''} Members of ${name.fileName} are hashed as stored${name.container === 'xar' ? ' (a .pkg is a xar archive; its payloads are listed, not unpacked)' : ''}.`;
  return document;
}
