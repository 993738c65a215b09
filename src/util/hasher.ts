import { type Hash, createHash } from 'node:crypto';

/** The digests of one file: SHA-1 and SHA-256 always, SHA-512 when a scan is asked for it (`--hash sha512`). */
export interface FileDigests {
  sha1: string;
  sha256: string;
  sha512?: string;
}

/**
 * The hasher of a scan's one pass over a file: fed each chunk once, it gives every digest at the
 * end, so asking for SHA-512 never reads a file twice.
 */
export function fileHasher(sha512 = false): { update(chunk: Uint8Array): void; digest(): FileDigests } {
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  const extra: Hash | undefined = sha512 ? createHash('sha512') : undefined;
  return {
    update(chunk) {
      sha1.update(chunk);
      sha256.update(chunk);
      extra?.update(chunk);
    },
    digest() {
      return { sha1: sha1.digest('hex'), sha256: sha256.digest('hex'), ...(extra ? { sha512: extra.digest('hex') } : {}) };
    },
  };
}
