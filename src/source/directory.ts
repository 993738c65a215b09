import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readFile, readdir, readlink, realpath } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { InputError, describeSystemError } from '../errors.js';
import { ignoredByGit, ignoredByRules, isGitCheckout, type IgnoreMatcher } from './gitignore.js';
import { comparePaths } from './paths.js';
import { DEFAULT_LIMITS, type ScanOptions, type ScanResult, type ScannedFile, type SkippedEntry } from './types.js';

const READ_CONCURRENCY = 16;
/** Files up to this size are read whole; larger ones are streamed through the hashes. */
const WHOLE_READ_LIMIT = 16 * 1024 * 1024;

/**
 * Walks a directory without following symbolic links (so it can neither loop nor leave the tree),
 * skipping `.git` and, in a git checkout, what git ignores. Every regular file is hashed.
 */
export async function scanDirectory(path: string, options: ScanOptions = {}): Promise<ScanResult> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const wantContent = options.wantContent ?? (() => false);
  let root: string;
  try {
    root = await realpath(path);
  } catch (error) {
    throw new InputError(describeSystemError(error, path));
  }

  let ignored: IgnoreMatcher | undefined;
  if (options.respectGitignore !== false && isGitCheckout(root)) {
    ignored = (await ignoredByGit(root)) ?? ignoredByRules(root);
  }

  const regular: { path: string; size: number }[] = [];
  const skipped: SkippedEntry[] = [];
  const walk = async (relativeDir: string): Promise<void> => {
    const absoluteDir = relativeDir ? join(root, relativeDir) : root;
    let entries;
    try {
      entries = await readdir(absoluteDir, { withFileTypes: true });
    } catch (error) {
      throw new InputError(`cannot read ${describeSystemError(error, absoluteDir)}`);
    }
    entries.sort((a, b) => comparePaths(a.name, b.name));
    for (const entry of entries) {
      const relative = relativeDir ? `${relativeDir}/${entry.name}` : entry.name;
      if (entry.name === '.git' && relativeDir === '') continue;
      if (regular.length + skipped.length > limits.maxEntries) {
        throw new InputError(`${path}: more than ${limits.maxEntries} entries; refusing to go on`);
      }
      if (entry.isDirectory()) {
        if (ignored?.ignores(relative, true)) continue;
        await walk(relative);
      } else if (entry.isFile()) {
        if (ignored?.ignores(relative, false)) continue;
        regular.push({ path: relative, size: 0 });
      } else if (entry.isSymbolicLink()) {
        if (ignored?.ignores(relative, false)) continue;
        const target = await readlink(join(root, relative)).catch(() => '?');
        skipped.push({ path: relative, reason: `symlink to ${target}` });
      } else {
        skipped.push({ path: relative, reason: 'not a regular file' });
      }
    }
  };
  await walk('');

  const files: ScannedFile[] = new Array(regular.length);
  const contents = new Map<string, Buffer>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < regular.length) {
      const index = next++;
      const relative = (regular[index] as { path: string }).path;
      const absolute = join(root, relative);
      const hashed = await hashFile(absolute, wantContent(relative), limits.maxContentBytes);
      files[index] = { path: relative, size: hashed.size, sha1: hashed.sha1, sha256: hashed.sha256 };
      if (hashed.bytes) contents.set(relative, hashed.bytes);
      options.onProgress?.(index + 1, regular.length);
    }
  };
  await Promise.all(Array.from({ length: READ_CONCURRENCY }, worker));

  return { kind: 'directory', location: root, rootName: basename(root), files, contents, skipped };
}

async function hashFile(
  absolute: string,
  keep: boolean,
  maxContentBytes: number,
): Promise<{ size: number; sha1: string; sha256: string; bytes?: Buffer }> {
  let info;
  try {
    info = await lstat(absolute);
  } catch (error) {
    throw new InputError(`cannot read ${describeSystemError(error, absolute)}`);
  }
  if (keep && info.size > maxContentBytes) {
    throw new InputError(`${absolute}: ${info.size} bytes, more than the ${maxContentBytes} this tool reads`);
  }
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  try {
    if (info.size <= WHOLE_READ_LIMIT || keep) {
      const bytes = await readFile(absolute);
      sha1.update(bytes);
      sha256.update(bytes);
      return { size: bytes.length, sha1: sha1.digest('hex'), sha256: sha256.digest('hex'), ...(keep ? { bytes } : {}) };
    }
    let size = 0;
    for await (const chunk of createReadStream(absolute) as AsyncIterable<Buffer>) {
      sha1.update(chunk);
      sha256.update(chunk);
      size += chunk.length;
    }
    return { size, sha1: sha1.digest('hex'), sha256: sha256.digest('hex') };
  } catch (error) {
    throw new InputError(`cannot read ${describeSystemError(error, absolute)}`);
  }
}
