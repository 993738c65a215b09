import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';
import { InputError } from '../errors.js';
import { MAX_ENTRIES } from '../detect/wheel.js';
import { DEFAULT_LIMITS } from '../source/types.js';

/** One member of a zip artifact, hashed as stored after inflating. */
export interface ZipMember {
  path: string;
  size: number;
  sha1: string;
  sha256: string;
}

export interface ZipLimits {
  /** Most entries (a wheel's bound). */
  maxEntries: number;
  /**
   * Largest member. Members are hashed as they stream, never held, so the bound is a wheel's
   * 8 MiB bound scaled to what a Windows build ships (python3XY.dll, libcrypto-3.dll and the
   * standard library zip are several MiB each).
   */
  maxMemberBytes: number;
  /** Most bytes all members may inflate to (a tarball's bound). */
  maxTotalBytes: number;
}

export const ZIP_LIMITS: ZipLimits = {
  maxEntries: MAX_ENTRIES,
  maxMemberBytes: 256 * 1024 * 1024,
  maxTotalBytes: DEFAULT_LIMITS.maxTotalBytes,
};

/**
 * Every file member of a zip artifact with its SHA-1 and SHA-256, sorted by path. A zip is
 * refused (InputError, exit 2) when it cannot be read, holds too many entries, a member whose
 * name leaves the archive (`..`, an absolute path: yauzl refuses those), a name twice, or a
 * member that claims or inflates past the bounds — a lying size header stops at the bound.
 */
export async function listZipMembers(zipPath: string, limits: ZipLimits = ZIP_LIMITS): Promise<ZipMember[]> {
  const fail = (why: string) => new InputError(`${zipPath}: corrupt or unsafe zip (${why})`);
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false, autoClose: false }, (error, opened) => {
      if (error || !opened) reject(fail(error?.message ?? 'unreadable'));
      else resolve(opened);
    });
  });
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw fail(`${zip.entryCount} entries, more than ${limits.maxEntries}`);
  }
  const members: ZipMember[] = [];
  const seen = new Set<string>();
  let total = 0;
  await new Promise<void>((resolve, reject) => {
    let done = false;
    const stop = (error: Error) => {
      if (done) return;
      done = true;
      zip.close();
      reject(error instanceof InputError ? error : fail(error.message));
    };
    zip.on('error', stop);
    zip.on('end', () => {
      if (done) return;
      done = true;
      zip.close();
      resolve();
    });
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = entry.fileName;
      if (name.endsWith('/')) {
        zip.readEntry();
        return;
      }
      if (seen.has(name)) {
        stop(fail(`${name} is in the archive twice`));
        return;
      }
      seen.add(name);
      if (entry.isEncrypted()) {
        stop(fail(`member ${name} is encrypted`));
        return;
      }
      if (entry.uncompressedSize > limits.maxMemberBytes) {
        stop(fail(`${name} claims ${entry.uncompressedSize} bytes, more than ${limits.maxMemberBytes}`));
        return;
      }
      zip.openReadStream(entry, (error, stream) => {
        if (error || !stream) {
          stop(fail(error?.message ?? `cannot open ${name}`));
          return;
        }
        const sha1 = createHash('sha1');
        const sha256 = createHash('sha256');
        let size = 0;
        // yauzl checks sizes, not the CRC-32 the central directory records: checked here.
        let crc = 0;
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          total += chunk.length;
          crc = crc32(chunk, crc);
          if (size > limits.maxMemberBytes || total > limits.maxTotalBytes) {
            stream.destroy();
            stop(fail(size > limits.maxMemberBytes ? `${name} inflates past ${limits.maxMemberBytes} bytes` : `members inflate past ${limits.maxTotalBytes} bytes`));
            return;
          }
          sha1.update(chunk);
          sha256.update(chunk);
        });
        stream.on('error', (streamError: Error) => stop(fail(`${name}: ${streamError.message}`)));
        stream.on('end', () => {
          if (done) return;
          if (crc >>> 0 !== entry.crc32 >>> 0) {
            stop(fail(`member ${name} fails its CRC-32 check`));
            return;
          }
          members.push({ path: name, size, sha1: sha1.digest('hex'), sha256: sha256.digest('hex') });
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return members.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
