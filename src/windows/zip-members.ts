import { DEFAULT_LIMITS } from '../source/types.js';
import { WHEEL_LIMITS, readZip, type ZipLimits } from '../util/zip.js';

/** One member of a zip artifact, hashed as stored after inflating. */
export interface ZipMember {
  path: string;
  size: number;
  sha1: string;
  sha256: string;
  sha512?: string;
}

/**
 * A Windows artifact's bounds: a wheel's entry count; members up to 256 MiB (python3XY.dll,
 * libcrypto-3.dll and the standard library zip are several MiB each; members are hashed as they
 * stream, never held); all members together a tarball's bound.
 */
export const ZIP_LIMITS: ZipLimits = {
  maxEntries: WHEEL_LIMITS.maxEntries,
  maxMemberBytes: 256 * 1024 * 1024,
  maxTotalBytes: DEFAULT_LIMITS.maxTotalBytes,
};

/**
 * Every file member of a zip artifact with its SHA-1 and SHA-256, sorted by path, read from the
 * file through the one bounded zip reader (src/util/zip.ts): refused with one line when it cannot
 * be read or breaks a bound.
 */
export async function listZipMembers(zipPath: string, limits: ZipLimits = ZIP_LIMITS, sha512 = false): Promise<ZipMember[]> {
  const members = await readZip({ path: zipPath }, zipPath, { limits, sha512 });
  return members
    .map(({ name, size, sha1, sha256, sha512: sha512Digest }) => ({ path: name, size, sha1, sha256, ...(sha512Digest ? { sha512: sha512Digest } : {}) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
