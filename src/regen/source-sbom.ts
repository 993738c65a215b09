import { createHash } from 'node:crypto';
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { comparePaths } from '../source/paths.js';
import { normalizeLineEndings } from '../util/line-endings.js';
import { InputError, describeSystemError } from '../errors.js';
import { keepNotIgnored, type KeptPaths } from './ignored.js';
import type { JsonObject } from './manifest.js';
import { encodeSpdxId } from '../formats/spdx/ids.js';
import type { PackageFiles } from './package-files.js';
import { pythonGlob } from './pyglob.js';
import type { ScriptRules } from './script-rules.js';

export interface SourceFiles {
  files: JsonObject[];
  relationships: JsonObject[];
  /** Components whose include globs list no file (vendored directory removed, or a bad glob). */
  empty: { name: string; include: string; missingDir?: string }[];
  how: KeptPaths['how'];
  /** Why the checkout's index was not used to judge ignored paths, when it was not. */
  why?: string;
  /** Ignore files that could not be read. */
  ignoreWarnings: string[];
}

/**
 * The `files` and `relationships` generate_sbom.py writes: packages by name, each package's
 * includes sorted, each include's paths globbed, filtered through git's ignore rules and sorted;
 * directories and excluded paths skipped; every file hashed (SHA-1, SHA-256), after CRLF->LF when
 * it has no NUL byte if the script's generation does that (3.13 on), else as raw bytes. Only these
 * vendored files are read.
 */
export async function buildSourceFiles(
  root: string,
  packages: Map<string, PackageFiles>,
  rules: Pick<ScriptRules, 'normalizeLineEndings' | 'windowsPaths'>,
): Promise<SourceFiles> {
  const names = [...packages.keys()].sort(comparePaths);
  const plan: { name: string; include: string; paths: string[] }[] = [];
  for (const name of names) {
    const rules = packages.get(name) as PackageFiles;
    for (const include of [...rules.include].sort(comparePaths)) {
      plan.push({ name, include, paths: pythonGlob(include, root) });
    }
  }
  // Judge which paths are ignored while the candidate files are hashed (the few ignored files are
  // hashed for nothing).
  const unique = [...new Set(plan.flatMap((step) => step.paths))];
  const judged = keepNotIgnored(root, unique);
  judged.catch(() => undefined); // reported when awaited below
  const hashes = new Map<string, Promise<FileHashes | undefined>>();
  const hash = (path: string, include: string) => {
    let pending = hashes.get(path);
    if (!pending) {
      pending = hashIfFile(root, path, rules.normalizeLineEndings, include);
      pending.catch(() => undefined); // reported when awaited below
      hashes.set(path, pending);
    }
    return pending;
  };
  const excluded = (name: string, path: string) => (packages.get(name) as PackageFiles).exclude.includes(toName(path));
  const toName = (path: string) => (rules.windowsPaths ? path.replaceAll('\\', '/') : path);
  for (const { name, include, paths } of plan) for (const path of paths) if (!excluded(name, path)) hash(toName(path), include);
  const { how, why, kept, warnings: ignoreWarnings } = await judged;

  const files: JsonObject[] = [];
  const relationships: JsonObject[] = [];
  const empty: SourceFiles['empty'] = [];
  for (const { name, include, paths } of plan) {
    const exclude = new Set((packages.get(name) as PackageFiles).exclude);
    const listed = paths.filter((path) => kept.has(path)).sort(comparePaths);
    // 3.13's PurePosixPath(PureWindowsPath(path)): backslashes become slashes.
    const candidates = listed.map(toName).filter((path) => !exclude.has(path));
    const hashed = await Promise.all(candidates.map((path) => hash(path, include)));
    hashed.forEach((checksums, index) => {
      if (!checksums) return;
      const path = candidates[index] as string;
      const fileId = encodeSpdxId(`SPDXRef-FILE-${path}`);
      files.push({
        SPDXID: fileId,
        fileName: path,
        checksums: [
          { algorithm: 'SHA1', checksumValue: checksums.sha1 },
          { algorithm: 'SHA256', checksumValue: checksums.sha256 },
        ],
      });
      relationships.push({
        spdxElementId: encodeSpdxId(`SPDXRef-PACKAGE-${name}`),
        relatedSpdxElement: fileId,
        relationshipType: 'CONTAINS',
      });
    });
    // The script's test: the include matched nothing git keeps (directories count).
    if (listed.length === 0) empty.push({ name, include, missingDir: await missingDirectory(root, include) });
  }
  return { files, relationships, empty, how, ...(why !== undefined ? { why } : {}), ignoreWarnings };
}

type FileHashes = { sha1: string; sha256: string };

async function hashIfFile(root: string, path: string, normalize: boolean, include: string): Promise<FileHashes | undefined> {
  const absolute = join(root, path);
  try {
    if (!(await stat(absolute)).isFile()) return undefined;
  } catch {
    return undefined; // dangling link, vanished: Path.is_file() is False
  }
  // A symbolic link to a file is hashed as its target, as the script does, but only inside the tree.
  if ((await lstat(absolute)).isSymbolicLink()) {
    const [target, top] = await Promise.all([realpath(absolute), realpath(root)]);
    if (!target.startsWith(`${top}/`)) {
      throw new InputError(`include '${include}': ${path} is a symbolic link to ${target}, outside the tree; refused (regen never reads outside the tree)`);
    }
  }
  let data: Buffer;
  try {
    data = await readFile(absolute);
  } catch (error) {
    throw new InputError(`cannot read ${describeSystemError(error, path)}`);
  }
  const normalized = normalize ? normalizeLineEndings(data) : data;
  return {
    sha1: createHash('sha1').update(normalized).digest('hex'),
    sha256: createHash('sha256').update(normalized).digest('hex'),
  };
}

/** The literal directory an include glob starts from, when it does not exist (an unbundled component). */
async function missingDirectory(root: string, include: string): Promise<string | undefined> {
  const literal = include.split('/');
  const firstMagic = literal.findIndex((part) => /[*?[]/.test(part));
  const dir = literal.slice(0, firstMagic === -1 ? -1 : firstMagic).join('/');
  if (!dir) return undefined;
  try {
    return (await stat(join(root, dir))).isDirectory() ? undefined : dir;
  } catch {
    return dir;
  }
}
