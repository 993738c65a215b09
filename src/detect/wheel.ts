import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { InputError } from '../errors.js';

/** Bounds for reading members of a wheel: wheels come from the tree and may be hostile. */
export const MAX_ENTRIES = 100_000;
const MAX_MEMBER_BYTES = 8 * 1024 * 1024;

/**
 * Reads the named members of a wheel (a zip) held in memory. Sizes are checked against the
 * central directory before inflating and counted while inflating, so a zip bomb or a lying
 * header stops at the bound. Returns the members found; absent ones are simply missing.
 */
export async function readWheelMembers(
  bytes: Buffer,
  wheelPath: string,
  wanted: readonly string[],
): Promise<Map<string, Buffer>> {
  const found = new Map<string, Buffer>();
  const fail = (why: string) => new InputError(`${wheelPath}: corrupt wheel (${why})`);
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (error, opened) => {
      if (error || !opened) reject(fail(error?.message ?? 'unreadable'));
      else resolve(opened);
    });
  });
  if (zip.entryCount > MAX_ENTRIES) {
    zip.close();
    throw fail(`${zip.entryCount} entries, more than ${MAX_ENTRIES}`);
  }
  const remaining = new Set(wanted);
  // Every entry is looked at, not only up to the last wanted one: a name given twice (the first
  // copy read by one tool, the second by another) is refused wherever the second copy sits.
  const names = new Set<string>();
  await new Promise<void>((resolve, reject) => {
    const stop = (error: Error) => {
      zip.close();
      if (error instanceof InputError) return reject(error);
      // yauzl checks sizes before it hands out an entry, and an encrypted stored member fails
      // that check first ("size mismatch 317 != 317"): say what is really wrong.
      const encrypted = firstEncryptedMember(bytes);
      reject(fail(encrypted === undefined ? error.message : `member ${encrypted} is encrypted`));
    };
    zip.on('error', stop);
    zip.on('end', resolve);
    zip.on('entry', (entry: yauzl.Entry) => {
      if (names.has(entry.fileName)) {
        stop(fail(`member ${entry.fileName} appears more than once`));
        return;
      }
      names.add(entry.fileName);
      if (!remaining.has(entry.fileName)) {
        zip.readEntry();
        return;
      }
      remaining.delete(entry.fileName);
      if (entry.isEncrypted()) {
        stop(fail(`member ${entry.fileName} is encrypted`));
        return;
      }
      if (entry.uncompressedSize > MAX_MEMBER_BYTES) {
        stop(fail(`${entry.fileName} claims ${entry.uncompressedSize} bytes, more than ${MAX_MEMBER_BYTES}`));
        return;
      }
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) {
          stop(fail(error?.message ?? `cannot open ${entry.fileName}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        // yauzl checks sizes but not the CRC-32 the central directory records: checked here.
        let crc = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_MEMBER_BYTES) {
            stream.destroy();
            stop(fail(`${entry.fileName} inflates past ${MAX_MEMBER_BYTES} bytes`));
            return;
          }
          crc = crc32(chunk, crc);
          chunks.push(chunk);
        });
        stream.on('error', (streamError: Error) => stop(fail(`${entry.fileName}: ${streamError.message}`)));
        stream.on('end', () => {
          if (crc >>> 0 !== entry.crc32 >>> 0) {
            stop(fail(`member ${entry.fileName} fails its CRC-32 check`));
            return;
          }
          found.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return found;
}

/**
 * The name of the first central-directory record with the encryption flag (general purpose bit
 * 0), read straight from the end-of-central-directory record; undefined when none is or the
 * directory cannot be found.
 */
function firstEncryptedMember(bytes: Buffer): string | undefined {
  const eocd = bytes.lastIndexOf(Buffer.from('PK\x05\x06', 'latin1'));
  if (eocd < 0 || eocd + 22 > bytes.length) return undefined;
  const count = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  for (let i = 0; i < count && at + 46 <= bytes.length && bytes.readUInt32LE(at) === 0x02014b50; i++) {
    const nameLength = bytes.readUInt16LE(at + 28);
    if (bytes.readUInt16LE(at + 8) & 1) return bytes.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return undefined;
}

/** `pip-26.2.1-py3-none-any.whl` -> { project: 'pip', version: '26.2.1' } (PEP 427 file names). */
export function parseWheelFileName(fileName: string): { project: string; version: string } | undefined {
  const match = /^([A-Za-z0-9_.]+)-([^-]+)(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/.exec(fileName);
  if (!match) return undefined;
  return { project: match[1] as string, version: match[2] as string };
}

/** Most bytes all members of one wheel may inflate to (a bomb made of many small members). */
export const MAX_WHEEL_INFLATED_BYTES = 512 * 1024 * 1024;

/**
 * What all the archives of one run may inflate to together: a tree holding many archives, each
 * under its own bound, still stops here. Shared by every reader of that run's archives.
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

  get spent(): number {
    return this.used;
  }
}

export interface ReadMembersOptions {
  /** The run's budget for all archives together (none: only this archive's own bound). */
  budget?: InflateBudget;
  /** What the archive is called in messages (`wheel`, `zip archive`). */
  label?: string;
}

export interface WheelMember {
  /** Member name inside the wheel (`pip/_vendor/six.py`). */
  name: string;
  size: number;
  sha1: string;
  sha256: string;
  /** The bytes, for members the caller asked to keep. */
  bytes?: Buffer;
}

/**
 * Every regular member of a wheel, hashed (SHA-1, SHA-256), in the zip's order; the bytes are kept
 * only for members `keep` selects. yauzl reads the zip's structure (central directory, local
 * headers, with its own checks); each member's data is then inflated in one call from the wheel
 * already in memory, which is several times faster than a stream per member for the ~500 small
 * members of a pip wheel. Bounded like readWheelMembers, plus a bound on the whole wheel's
 * inflated size; a member whose inflated size differs from its header is refused.
 */
export async function readAllWheelMembers(
  bytes: Buffer,
  wheelPath: string,
  keep: (name: string) => boolean,
  options: ReadMembersOptions = {},
): Promise<WheelMember[]> {
  const { createHash } = await import('node:crypto');
  const { inflateRawSync } = await import('node:zlib');
  const fail = (why: string) => new InputError(`${wheelPath}: corrupt ${options.label ?? 'wheel'} (${why})`);
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false }, (error, opened) => {
      if (error || !opened) reject(fail(error?.message ?? 'unreadable'));
      else resolve(opened);
    });
  });
  try {
    if (zip.entryCount > MAX_ENTRIES) throw fail(`${zip.entryCount} entries, more than ${MAX_ENTRIES}`);
    const entries = await new Promise<yauzl.Entry[]>((resolve, reject) => {
      const list: yauzl.Entry[] = [];
      zip.on('error', (error: Error) => reject(fail(error.message)));
      zip.on('end', () => resolve(list));
      zip.on('entry', (entry: yauzl.Entry) => {
        list.push(entry);
        zip.readEntry();
      });
      zip.readEntry();
    });
    const members: WheelMember[] = [];
    const names = new Set<string>();
    let total = 0;
    for (const entry of entries) {
      // A name given twice is refused (as readWheelMembers does): tools disagree on which copy counts.
      if (names.has(entry.fileName)) throw fail(`member ${entry.fileName} appears more than once`);
      names.add(entry.fileName);
      if (entry.fileName.endsWith('/')) continue;
      if (entry.uncompressedSize > MAX_MEMBER_BYTES) throw fail(`${entry.fileName} claims ${entry.uncompressedSize} bytes, more than ${MAX_MEMBER_BYTES}`);
      total += entry.uncompressedSize;
      if (total > MAX_WHEEL_INFLATED_BYTES) throw fail(`its members inflate past ${MAX_WHEEL_INFLATED_BYTES} bytes`);
      if (options.budget && !options.budget.take(entry.uncompressedSize)) {
        throw new InputError(`${wheelPath}: not read: the archives of the tree inflate past ${options.budget.limit} bytes together (archive bombs?)`);
      }
      if (entry.isEncrypted()) throw fail(`${entry.fileName} is encrypted`);
      const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true }).catch((error: Error) => {
        throw fail(`${entry.fileName}: ${error.message}`);
      });
      const stored = bytes.subarray(fileDataStart, fileDataStart + entry.compressedSize);
      let data: Buffer;
      if (entry.compressionMethod === 0) data = stored;
      else if (entry.compressionMethod === 8) {
        try {
          data = inflateRawSync(stored, { maxOutputLength: MAX_MEMBER_BYTES + 1 });
        } catch (error) {
          throw fail(`${entry.fileName}: ${(error as Error).message}`);
        }
      } else throw fail(`${entry.fileName}: compression method ${entry.compressionMethod}`);
      if (data.length !== entry.uncompressedSize) throw fail(`${entry.fileName} inflates to ${data.length} bytes, not the ${entry.uncompressedSize} its header says`);
      if (crc32(data) >>> 0 !== entry.crc32 >>> 0) throw fail(`member ${entry.fileName} fails its CRC-32 check`);
      members.push({
        name: entry.fileName,
        size: data.length,
        sha1: createHash('sha1').update(data).digest('hex'),
        sha256: createHash('sha256').update(data).digest('hex'),
        ...(keep(entry.fileName) ? { bytes: Buffer.from(data) } : {}),
      });
    }
    return members;
  } finally {
    zip.close();
  }
}

export interface RecordEntry {
  path: string;
  /** Hex SHA-256, when RECORD gives one (RECORD itself has none). */
  sha256?: string;
  size?: number;
}

/**
 * A wheel's `*.dist-info/RECORD` (PEP 376/427): CSV rows `path,sha256=<urlsafe base64, no
 * padding>,size`. Quoted fields (paths with commas) are honoured. Other algorithms are ignored.
 */
export function parseRecord(text: string): RecordEntry[] {
  const entries: RecordEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const char = line[i] as string;
      if (quoted) {
        if (char === '"' && line[i + 1] === '"') {
          field += '"';
          i++;
        } else if (char === '"') quoted = false;
        else field += char;
      } else if (char === '"') quoted = true;
      else if (char === ',') {
        fields.push(field);
        field = '';
      } else field += char;
    }
    fields.push(field);
    const [path, hash, size] = fields;
    if (!path) continue;
    const entry: RecordEntry = { path };
    const match = /^sha256=([A-Za-z0-9_-]+)$/.exec(hash ?? '');
    if (match) entry.sha256 = Buffer.from(match[1] as string, 'base64url').toString('hex');
    if (size && /^\d+$/.test(size)) entry.size = Number(size);
    entries.push(entry);
  }
  return entries;
}
