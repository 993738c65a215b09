import { readHandleBounded } from '../util/read-input.js';
import { constants, type Dirent } from 'node:fs';
import { lstat, open, readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { InputError, describeSystemError } from '../errors.js';
import { parseJsonBounded } from '../util/bounded-json.js';
import { oneLine } from '../util/one-line.js';
import { type Advisory, AdvisoryFormatError, readOsvRecord } from './osv.js';

/**
 * Reads a directory of OSV records: a checkout of github.com/psf/advisory-database (its
 * `advisories/` folder is read), or any folder of `*.json` OSV files, or one such file.
 *
 * The files come from outside, so the walk is bounded (files, depth, bytes), never follows a
 * symbolic link (nothing outside DIR is read, and a link cannot make it loop), skips dot-folders
 * (`.git`), and opens each file without following links and non-blocking (a FIFO cannot hang it).
 * A file that cannot be read, is not JSON, nests too deep or is not an OSV record is a warning
 * naming it; the run goes on without it.
 */

export interface AdvisoryLimits {
  /** Most `*.json` files read. */
  maxFiles: number;
  /** Deepest folder level walked below DIR. */
  maxDepth: number;
  /** Largest advisory file (an OSV record is a few kilobytes). */
  maxFileBytes: number;
  /** Most bytes read over all files. */
  maxTotalBytes: number;
  /** Deepest JSON nesting accepted in a record (OSV records nest about 6 levels). */
  maxJsonDepth: number;
}

export const ADVISORY_LIMITS: AdvisoryLimits = {
  maxFiles: 50_000,
  maxDepth: 8,
  maxFileBytes: 4 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
  maxJsonDepth: 32,
};

export interface AdvisorySet {
  /** The directory (or file) as given, resolved. */
  location: string;
  /** Readable records, by id (the first file wins when two give the same id); withdrawn ones left out. */
  advisories: Advisory[];
  /** One line each: a file that was skipped and why. */
  warnings: string[];
  counts: {
    /** `*.json` files found. */
    files: number;
    /** Files skipped as unreadable, not JSON, too deep or not OSV. */
    skipped: number;
    withdrawn: number;
    /** Records whose id an earlier file already gave. */
    duplicates: number;
    /** Symbolic links met and not followed. */
    links: number;
  };
}

export async function loadAdvisories(location: string, limits: Partial<AdvisoryLimits> = {}): Promise<AdvisorySet> {
  const bounds = { ...ADVISORY_LIMITS, ...limits };
  let root: string;
  let info;
  try {
    root = await realpath(location);
    info = await stat(root);
  } catch (error) {
    throw new InputError(`--advisories ${describeSystemError(error, location)}`);
  }
  const set: AdvisorySet = {
    location: root,
    advisories: [],
    warnings: [],
    counts: { files: 0, skipped: 0, withdrawn: 0, duplicates: 0, links: 0 },
  };
  let files: string[];
  let base: string;
  if (info.isFile()) {
    files = [root];
    base = join(root, '..');
  } else if (info.isDirectory()) {
    // A checkout of the PSF database: its records are under advisories/ (the rest is tooling,
    // among it a JSON schema that is no advisory).
    const advisories = join(root, 'advisories');
    base = (await isRealDirectory(advisories)) ? advisories : root;
    files = await listJsonFiles(base, bounds, set);
  } else {
    throw new InputError(`--advisories ${location}: neither a directory nor a file`);
  }
  set.counts.files = files.length;

  const byId = new Map<string, Advisory>();
  let total = 0;
  for (const path of files) {
    const name = relative(base, path).split(sep).join('/') || path;
    const skip = (why: string): void => {
      set.counts.skipped++;
      set.warnings.push(`${name}: ${oneLine(why, 300)}; skipped`);
    };
    let bytes: Buffer;
    try {
      bytes = await readBounded(path, bounds.maxFileBytes);
    } catch (error) {
      skip(error instanceof Error ? error.message : String(error));
      continue;
    }
    total += bytes.length;
    if (total > bounds.maxTotalBytes) {
      throw new InputError(`--advisories ${location}: more than ${bounds.maxTotalBytes} bytes of JSON; point it at the advisories folder itself`);
    }
    let json: unknown;
    try {
      json = parseJsonBounded(bytes.toString('utf8'), name, 'not valid JSON', bounds.maxJsonDepth);
    } catch (error) {
      set.counts.skipped++;
      set.warnings.push(`${oneLine((error as Error).message, 400)}; skipped`);
      continue;
    }
    let advisory: Advisory;
    try {
      advisory = readOsvRecord(json, name);
    } catch (error) {
      if (error instanceof AdvisoryFormatError) {
        skip(`not a usable OSV record: ${error.message}`);
        continue;
      }
      throw error;
    }
    if (advisory.withdrawn !== undefined) {
      set.counts.withdrawn++;
      continue;
    }
    const earlier = byId.get(advisory.id);
    if (earlier) {
      set.counts.duplicates++;
      set.warnings.push(`${name}: ${advisory.id} is already given by ${earlier.file}; this copy is not used`);
      continue;
    }
    byId.set(advisory.id, advisory);
    set.advisories.push(advisory);
  }
  if (set.counts.links > 0) {
    set.warnings.push(
      `${set.counts.links} symbolic link${set.counts.links === 1 ? '' : 's'} under ${location} not followed (only what is inside the directory is read)`,
    );
  }
  return set;
}

async function isRealDirectory(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Every `*.json` below `root`, sorted, walked without following links and within the bounds. */
async function listJsonFiles(root: string, bounds: AdvisoryLimits, set: AdvisorySet): Promise<string[]> {
  const found: string[] = [];
  const stack: { path: string; depth: number }[] = [{ path: root, depth: 0 }];
  let tooDeep = false;
  while (stack.length > 0) {
    const { path, depth } = stack.pop() as { path: string; depth: number };
    let entries: Dirent[];
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch (error) {
      set.warnings.push(`cannot list ${describeSystemError(error, path)}; skipped`);
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const child = join(path, entry.name);
      if (entry.isSymbolicLink()) {
        set.counts.links++;
      } else if (entry.isDirectory()) {
        if (depth + 1 > bounds.maxDepth) tooDeep = true;
        else stack.push({ path: child, depth: depth + 1 });
      } else if (entry.isFile() && entry.name.toLowerCase().endsWith('.json')) {
        found.push(child);
        if (found.length > bounds.maxFiles) {
          throw new InputError(`--advisories ${root}: more than ${bounds.maxFiles} JSON files; point it at the advisories folder itself`);
        }
      }
    }
  }
  if (tooDeep) set.warnings.push(`${root}: folders deeper than ${bounds.maxDepth} levels were not read`);
  return found.sort();
}

/** A regular file's bytes, at most `maxBytes`, opened without following a link and non-blocking. */
async function readBounded(path: string, maxBytes: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    throw new Error(`cannot read it (${describeSystemError(error, 'file')})`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error('not a regular file');
    if (info.size > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
    const bytes = await readHandleBounded(handle, maxBytes);
    if (bytes === undefined) throw new Error(`larger than ${maxBytes} bytes`);
    return bytes;
  } finally {
    await handle.close();
  }
}
