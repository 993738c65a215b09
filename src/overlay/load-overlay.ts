import { existsSync, lstatSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, posix, resolve } from 'node:path';
import { InputError, describeSystemError } from '../errors.js';
import type { Package, Patch } from '../model/types.js';
import { globMatcher } from '../util/exclude-glob.js';
import { readFileInTree } from '../util/tree-file.js';
import { type Located, type OverlaySpec, readOverlaySpec } from './load.js';
import { analyzePatch, parseSeries } from './patches.js';
import { readUpstream } from './upstream.js';

/** An overlay read and checked against SOURCE: patches analyzed, upstream hashed. */
export interface Overlay {
  spec: OverlaySpec;
  /** The source directory, absolute. */
  source: string;
  patches: Patch[];
  upstream?: Package;
  excluded: (path: string) => boolean;
}

/**
 * Reads and checks an overlay before the (slower) scan of SOURCE, so a typo in it costs nothing:
 * every problem is one line naming the overlay's file and line.
 */
export async function loadOverlay(overlayPath: string, source: string, cwd: string): Promise<Overlay> {
  const spec = await readOverlaySpec(resolve(cwd, overlayPath), overlayPath);
  const info = await stat(source).catch((error: unknown) => {
    throw new InputError(describeSystemError(error, source));
  });
  if (!info.isDirectory()) {
    throw new InputError(`${overlayPath}: an overlay describes a patched source directory; ${source} is not a directory`);
  }
  const at = (located: Located, message: string): InputError => new InputError(`${spec.file}:${located.line}: ${message}`);

  const patches: Patch[] = [];
  const planned = spec.patches ? await plannedPatches(spec.patches, source, at) : [];
  for (const [index, entry] of planned.entries()) {
    const bytes = readOverlayFile(source, entry.path, MAX_PATCH_BYTES, (message) => at(entry.named, `${entry.where}: ${message}`));
    patches.push(
      analyzePatch(bytes, {
        path: entry.path,
        order: index + 1,
        strip: entry.strip,
        inTree: (path) => existsSync(join(source, path)),
      }),
    );
  }

  let upstream: Package | undefined;
  if (spec.upstream) {
    const located = spec.upstream;
    try {
      upstream = await readUpstream(resolve(source, located.value));
    } catch (error) {
      if (error instanceof InputError) throw at(located, `upstream: ${error.message}`);
      throw error;
    }
  }
  return { spec, source, patches, ...(upstream ? { upstream } : {}), excluded: globMatcher(spec.exclude) };
}

interface PlannedPatch {
  /** Tree path of the patch file. */
  path: string;
  strip: number;
  /** The overlay value that led to it, for messages. */
  named: Located;
  /** `debian/patches/series:12` or the directory, for messages. */
  where: string;
}

async function plannedPatches(
  patches: NonNullable<OverlaySpec['patches']>,
  source: string,
  at: (located: Located, message: string) => InputError,
): Promise<PlannedPatch[]> {
  const inside = (located: Located, path: string): string => {
    const normalized = posix.normalize(path.replaceAll('\\', '/'));
    if (isAbsolute(path) || normalized.startsWith('../') || normalized === '..') {
      throw at(located, `${path}: patches must be inside SOURCE (paths are relative to it)`);
    }
    return normalized;
  };

  if (patches.series) {
    const series = patches.series;
    const seriesPath = inside(series, series.value);
    const text = readOverlayFile(source, seriesPath, MAX_SERIES_BYTES, (message) => at(series, `patches.series: ${message}`)).toString('utf8');
    const directory = posix.dirname(seriesPath);
    const entries = parseSeries(text);
    if (entries.length === 0) throw at(series, `patches.series: ${seriesPath} names no patch`);
    return entries.map((entry) => {
      const path = inside(series, posix.join(directory, entry.name));
      const where = `${seriesPath}:${entry.line}`;
      if (!isFile(join(source, path))) throw at(series, `${where} names ${entry.name}, which is not in ${directory}/`);
      return { path, strip: entry.strip, named: series, where };
    });
  }

  const dir = patches.dir as Located;
  const dirPath = inside(dir, dir.value);
  let names: string[];
  try {
    names = (await readdir(join(source, dirPath), { withFileTypes: true }))
      .filter((entry) => entry.isFile() && /\.(patch|diff)$/.test(entry.name))
      .map((entry) => entry.name)
      // Applied in name order, as distributors number them (0001-…, Patch00001-…).
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  } catch (error) {
    throw at(dir, `patches.dir: ${describeSystemError(error, dirPath)}`);
  }
  if (names.length === 0) throw at(dir, `patches.dir: ${dirPath} holds no *.patch or *.diff file`);
  return names.map((name) => ({ path: posix.join(dirPath, name), strip: 1, named: dir, where: dirPath }));
}

function isFile(path: string): boolean {
  try {
    lstatSync(path); // present (a link or special file is refused when it is read, with its reason)
    return true;
  } catch {
    return false;
  }
}

/** A patch is at most this long (CPython's largest upstream patches are well under 1 MiB). */
const MAX_PATCH_BYTES = 64 * 1024 * 1024;
const MAX_SERIES_BYTES = 1024 * 1024;

/**
 * A file the overlay names inside SOURCE, read without leaving it: a symbolic link on the way or
 * as the file, a FIFO or a device is refused (its target is never read, so nothing outside SOURCE
 * reaches the SBOM or a message), and so is a file past `maxBytes`.
 */
function readOverlayFile(source: string, path: string, maxBytes: number, fail: (message: string) => InputError): Buffer {
  let bytes: Buffer | undefined;
  try {
    bytes = readFileInTree(source, path, maxBytes);
  } catch (error) {
    if (error instanceof InputError) throw fail(error.message.replace(`${source}/`, ''));
    throw error;
  }
  if (bytes === undefined) throw fail(`${path}: no such file or directory`);
  return bytes;
}
