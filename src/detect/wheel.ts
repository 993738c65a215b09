import yauzl from 'yauzl';
import { InputError } from '../errors.js';

/** Bounds for reading members of a wheel: wheels come from the tree and may be hostile. */
const MAX_ENTRIES = 100_000;
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
  await new Promise<void>((resolve, reject) => {
    const stop = (error: Error) => {
      zip.close();
      reject(error instanceof InputError ? error : fail(error.message));
    };
    zip.on('error', stop);
    zip.on('end', resolve);
    zip.on('entry', (entry: yauzl.Entry) => {
      if (!remaining.has(entry.fileName)) {
        zip.readEntry();
        return;
      }
      remaining.delete(entry.fileName);
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
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_MEMBER_BYTES) {
            stream.destroy();
            stop(fail(`${entry.fileName} inflates past ${MAX_MEMBER_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        stream.on('error', (streamError: Error) => stop(fail(`${entry.fileName}: ${streamError.message}`)));
        stream.on('end', () => {
          found.set(entry.fileName, Buffer.concat(chunks));
          if (remaining.size === 0) {
            zip.close();
            resolve();
          } else zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return found;
}

/** `pip-26.2.1-py3-none-any.whl` -> { project: 'pip', version: '26.2.1' } (PEP 427 file names). */
export function parseWheelFileName(fileName: string): { project: string; version: string } | undefined {
  const match = /^([A-Za-z0-9_.]+)-([^-]+)(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/.exec(fileName);
  if (!match) return undefined;
  return { project: match[1] as string, version: match[2] as string };
}

/** Most bytes all members of one wheel may inflate to (a bomb made of many small members). */
const MAX_WHEEL_INFLATED_BYTES = 512 * 1024 * 1024;

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
 * Every regular member of a wheel, hashed (SHA-1, SHA-256) as it inflates, in the zip's order;
 * the bytes are kept only for members `keep` selects. Bounded like readWheelMembers, plus a
 * bound on the whole wheel's inflated size.
 */
export async function readAllWheelMembers(
  bytes: Buffer,
  wheelPath: string,
  keep: (name: string) => boolean,
): Promise<WheelMember[]> {
  const { createHash } = await import('node:crypto');
  const members: WheelMember[] = [];
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
  let total = 0;
  await new Promise<void>((resolve, reject) => {
    const stop = (error: Error) => {
      zip.close();
      reject(error instanceof InputError ? error : fail(error.message));
    };
    zip.on('error', stop);
    zip.on('end', resolve);
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/')) {
        zip.readEntry();
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
        const sha1 = createHash('sha1');
        const sha256 = createHash('sha256');
        const kept: Buffer[] | undefined = keep(entry.fileName) ? [] : undefined;
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          total += chunk.length;
          if (size > MAX_MEMBER_BYTES || total > MAX_WHEEL_INFLATED_BYTES) {
            stream.destroy();
            stop(fail(`${entry.fileName} inflates past the bound`));
            return;
          }
          sha1.update(chunk);
          sha256.update(chunk);
          kept?.push(chunk);
        });
        stream.on('error', (streamError: Error) => stop(fail(`${entry.fileName}: ${streamError.message}`)));
        stream.on('end', () => {
          members.push({
            name: entry.fileName,
            size,
            sha1: sha1.digest('hex'),
            sha256: sha256.digest('hex'),
            ...(kept ? { bytes: Buffer.concat(kept) } : {}),
          });
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return members;
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
