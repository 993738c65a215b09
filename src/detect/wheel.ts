import { crc32 } from 'node:zlib';
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
