import { AsyncLocalStorage } from 'node:async_hooks';
import { fileHasher } from './hasher.js';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import { InputError } from '../errors.js';
import { normalizeMemberName } from './member-name.js';

/**
 * The one reader of zip archives (wheels in a tree, Windows artifacts): zips come from the input
 * and may be hostile, so every archive goes through the same guards, with the same messages:
 * - at most `maxEntries` entries; a name given twice is refused (tools disagree on which copy
 *   counts); a name that leaves the archive (`..`, absolute) is refused by yauzl;
 * - an encrypted member is refused (its bytes cannot be hashed as they will be installed);
 * - a member claiming more than `maxMemberBytes` is refused before it is inflated, and inflating
 *   stops at the bound (a lying header), as it does when all members together pass `maxTotalBytes`;
 * - the inflated size must match the header and the CRC-32 the central directory records.
 * Members are hashed (SHA-1, SHA-256) as they inflate; their bytes are kept only when asked.
 */
export interface ZipLimits {
  maxEntries: number;
  maxMemberBytes: number;
  maxTotalBytes: number;
}

/** A wheel's bounds: members are small Python files; a whole wheel inflates to little. */
export const WHEEL_LIMITS: ZipLimits = { maxEntries: 100_000, maxMemberBytes: 8 * 1024 * 1024, maxTotalBytes: 512 * 1024 * 1024 };

export interface ZipMember {
  /** Member name inside the archive (`pip/_vendor/six.py`). */
  name: string;
  size: number;
  sha1: string;
  sha256: string;
  /** Only when asked for (`sha512`). */
  sha512?: string;
  /** The bytes, for members `keep` selected. */
  bytes?: Buffer;
}

export interface ReadZipOptions {
  /** Members to inflate and hash (default: every file member); the others are checked by header only. */
  select?: (name: string) => boolean;
  /** Members whose bytes are kept in the result. */
  keep?: (name: string) => boolean;
  limits?: ZipLimits;
  /** A bound shared with other archives of the same run (the archives of a tree, together). */
  budget?: InflateBudget;
  /** Also hash each member with SHA-512 (`generate --hash sha512`). */
  sha512?: boolean;
}

/**
 * What several archives may inflate to together: a tree holding many archives, each under its own
 * bound, still stops here. One per run, shared by every reader of that run's archives.
 */
export class InflateBudget {
  private used = 0;
  constructor(readonly limit: number) {}

  /** Counts `bytes` more; false (and nothing counted) when that would pass the limit. */
  take(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  /** Whether `bytes` more would stay within the limit (nothing counted). */
  fits(bytes: number): boolean {
    return this.used + bytes <= this.limit;
  }

  get spent(): number {
    return this.used;
  }
}

/**
 * What every wheel and archive read during one run (a `generate`, `verify` or `vex` call) may
 * inflate to together, whichever step reads it and however often: a tree of many wheels, each under
 * its own bounds, still stops here. Set for the call by `withRunBudget`; readers charge it beside
 * any budget of their own.
 */
export const RUN_INFLATE_LIMIT = 2 * 1024 * 1024 * 1024;

const runBudgets = new AsyncLocalStorage<InflateBudget>();

/** Runs `fn` with a fresh run-wide inflate budget of `limit` bytes (nested calls share the outer one). */
export function withRunBudget<T>(fn: () => Promise<T>, limit = RUN_INFLATE_LIMIT): Promise<T> {
  if (runBudgets.getStore()) return fn();
  return runBudgets.run(new InflateBudget(limit), fn);
}

/**
 * Runs `fn` with `budget` as its run-wide budget instead of the caller's: a read made ahead of
 * time, whose inflated bytes are counted against the run only once it is used (`runBudgetFits`).
 */
export function withOwnRunBudget<T>(budget: InflateBudget, fn: () => Promise<T>): Promise<T> {
  return runBudgets.run(budget, fn);
}

/** Whether the run's budget has room for `bytes` more (nothing counted). */
export function runBudgetFits(bytes: number): boolean {
  return runBudgets.getStore()?.fits(bytes) ?? true;
}

/** Counts `bytes` inflated against the run's budget; an InputError naming `label` past it. */
export function chargeRun(bytes: number, label: string): void {
  const budget = runBudgets.getStore();
  if (budget && !budget.take(bytes)) {
    throw new InputError(`${label}: not read: the wheels and archives of this run inflate past ${budget.limit} bytes together (archive bombs?)`);
  }
}

/** The one-line error for an archive not read because the run's archives together passed their bound. */
export function budgetExceeded(label: string, budget: InflateBudget): InputError {
  return new InputError(`${label}: not read: the archives of the tree inflate past ${budget.limit} bytes together (archive bombs?)`);
}

/** An archive in memory, or a file read member by member (large Windows artifacts). */
export type ZipSource = { bytes: Buffer } | { path: string };

/**
 * The selected file members of a zip, in the archive's order. `label` names the archive in every
 * message (`Lib/ensurepip/_bundled/pip-25.1.1-py3-none-any.whl: corrupt zip (…)`).
 */
export async function readZip(source: ZipSource, label: string, options: ReadZipOptions = {}): Promise<ZipMember[]> {
  const limits = options.limits ?? WHEEL_LIMITS;
  const select = options.select ?? (() => true);
  const keep = options.keep ?? (() => false);
  const fail = (why: string) => new InputError(`${label}: corrupt zip (${why})`);
  const zip = await openZip(source, fail);
  try {
    if (zip.entryCount > limits.maxEntries) throw fail(`${zip.entryCount} entries, more than ${limits.maxEntries}`);
    const entries = await listEntries(zip, source, fail);
    const members: ZipMember[] = [];
    const names = new Set<string>();
    let total = 0;
    for (const entry of entries) {
      const name = entry.fileName;
      // `a/./b` and `a//b` are `a/b` to an unpacker: one path under two spellings is a duplicate.
      // A control character cannot be named alike in JSON and XML: refused, as in trees and tarballs.
      if (/[\u0000-\u001f\u007f]/.test(name)) throw fail(`member ${JSON.stringify(name).slice(1, -1)} has a control character in its name`);
      const key = normalizeMemberName(name) + (name.endsWith('/') ? '/' : '');
      if (names.has(key)) throw fail(`member ${name} appears more than once`);
      names.add(key);
      if (name.endsWith('/')) continue;
      if (entry.isEncrypted()) throw fail(`member ${name} is encrypted`);
      if (!select(name)) continue;
      if (entry.uncompressedSize > limits.maxMemberBytes)
        throw fail(`member ${name} claims ${entry.uncompressedSize} bytes, more than ${limits.maxMemberBytes}`);
      const hasher = fileHasher(options.sha512 === true);
      const kept: Buffer[] = [];
      const wantBytes = keep(name);
      let size = 0;
      let crc = 0;
      for await (const chunk of memberChunks(zip, source, entry, limits.maxMemberBytes, fail)) {
        size += chunk.length;
        total += chunk.length;
        if (size > limits.maxMemberBytes) throw fail(`member ${name} inflates past ${limits.maxMemberBytes} bytes`);
        if (total > limits.maxTotalBytes) throw fail(`its members inflate past ${limits.maxTotalBytes} bytes`);
        if (options.budget && !options.budget.take(chunk.length)) throw budgetExceeded(label, options.budget);
        chargeRun(chunk.length, label);
        crc = crc32(chunk, crc);
        hasher.update(chunk);
        if (wantBytes) kept.push(chunk);
      }
      if (size !== entry.uncompressedSize) throw fail(`member ${name} inflates to ${size} bytes, not the ${entry.uncompressedSize} its header says`);
      if (crc >>> 0 !== entry.crc32 >>> 0) throw fail(`member ${name} fails its CRC-32 check`);
      members.push({
        name,
        size,
        ...hasher.digest(),
        // A copy: a stored member's chunk is a view of the whole archive, which must not be kept alive.
        ...(wantBytes ? { bytes: Buffer.from(Buffer.concat(kept)) } : {}),
      });
    }
    return members;
  } finally {
    zip.close();
  }
}

function openZip(source: ZipSource, fail: (why: string) => InputError): Promise<yauzl.ZipFile> {
  const options = { lazyEntries: true, validateEntrySizes: true, strictFileNames: false, autoClose: false };
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, opened?: yauzl.ZipFile) => {
      if (error || !opened) reject(fail(error?.message ?? 'unreadable'));
      else resolve(opened);
    };
    if ('bytes' in source) yauzl.fromBuffer(source.bytes, options, done);
    else yauzl.open(source.path, options, done);
  });
}

function listEntries(zip: yauzl.ZipFile, source: ZipSource, fail: (why: string) => InputError): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const list: yauzl.Entry[] = [];
    zip.on('error', (error: Error) => {
      // yauzl checks a stored member's sizes before it hands the entry out, and an encrypted one
      // fails that check first ("size mismatch 317 != 317"): say what is really wrong.
      const encrypted = firstEncryptedMember(source);
      reject(fail(encrypted === undefined ? error.message : `member ${encrypted} is encrypted`));
    });
    zip.on('end', () => resolve(list));
    zip.on('entry', (entry: yauzl.Entry) => {
      list.push(entry);
      zip.readEntry();
    });
    zip.readEntry();
  });
}

/**
 * A member's inflated bytes. In memory: inflated in one call (several times faster than a stream
 * per member for the ~500 small members of a pip wheel), bounded by `maxOutputLength`. From a
 * file: streamed, so a member of hundreds of MiB is never held.
 */
async function* memberChunks(
  zip: yauzl.ZipFile,
  source: ZipSource,
  entry: yauzl.Entry,
  maxMemberBytes: number,
  fail: (why: string) => InputError,
): AsyncGenerator<Buffer> {
  const name = entry.fileName;
  if ('bytes' in source) {
    const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true }).catch((error: Error) => {
      throw fail(`member ${name}: ${error.message}`);
    });
    const stored = source.bytes.subarray(fileDataStart, fileDataStart + entry.compressedSize);
    if (entry.compressionMethod === 0) {
      yield stored;
      return;
    }
    if (entry.compressionMethod !== 8) throw fail(`member ${name}: compression method ${entry.compressionMethod}`);
    try {
      yield inflateRawSync(stored, { maxOutputLength: maxMemberBytes + 1 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw fail(`member ${name} inflates past ${maxMemberBytes} bytes`);
      throw fail(`member ${name}: ${(error as Error).message}`);
    }
    return;
  }
  const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) => {
    zip.openReadStream(entry, (error, opened) => {
      if (error || !opened) reject(fail(`member ${name}: ${error?.message ?? 'cannot be opened'}`));
      else resolve(opened);
    });
  });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw fail(`member ${name}: ${(error as Error).message}`);
  } finally {
    (stream as unknown as { destroy(): void }).destroy();
  }
}

/** How much of the end of a file holds the end-of-central-directory record (22 bytes + a comment). */
const EOCD_SEARCH_BYTES = 22 + 0xffff;
/** Largest central directory read to name an encrypted member. */
const MAX_DIRECTORY_BYTES = 64 * 1024 * 1024;

/**
 * The name of the first central-directory record with the encryption flag (general purpose bit
 * 0), read straight from the end-of-central-directory record; undefined when none is, or the
 * directory cannot be found.
 */
function firstEncryptedMember(source: ZipSource): string | undefined {
  const read = (offset: number, length: number): Buffer | undefined => {
    if ('bytes' in source) return offset >= 0 && offset + length <= source.bytes.length ? source.bytes.subarray(offset, offset + length) : undefined;
    let fd: number | undefined;
    try {
      fd = openSync(source.path, 'r');
      const buffer = Buffer.alloc(length);
      return readSync(fd, buffer, 0, length, offset) === length ? buffer : undefined;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  };
  let size: number;
  if ('bytes' in source) size = source.bytes.length;
  else {
    try {
      const fd = openSync(source.path, 'r');
      size = fstatSync(fd).size;
      closeSync(fd);
    } catch {
      return undefined;
    }
  }
  const tailStart = Math.max(0, size - EOCD_SEARCH_BYTES);
  const tail = read(tailStart, size - tailStart);
  if (!tail) return undefined;
  const at = tail.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
  if (at < 0 || at + 22 > tail.length) return undefined;
  const count = tail.readUInt16LE(at + 10);
  const directorySize = Math.min(tail.readUInt32LE(at + 12), MAX_DIRECTORY_BYTES);
  const directory = read(tail.readUInt32LE(at + 16), directorySize);
  if (!directory) return undefined;
  let offset = 0;
  for (let i = 0; i < count && offset + 46 <= directory.length && directory.readUInt32LE(offset) === 0x02014b50; i++) {
    const nameLength = directory.readUInt16LE(offset + 28);
    if (directory.readUInt16LE(offset + 8) & 1) return directory.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + directory.readUInt16LE(offset + 30) + directory.readUInt16LE(offset + 32);
  }
  return undefined;
}
