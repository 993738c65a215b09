import type { Checksums, FileEntry, Package, SbomDocument } from './types.js';

/** Normalizes a package name as PyPI does (PEP 503): lower case, runs of `-_.` as one `-`. */
export function normalizePackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

export function findPackage(document: SbomDocument, ref: string): Package | undefined {
  return document.packages.find((pkg) => pkg.ref === ref);
}

export function fileIndex(document: SbomDocument): Map<string, FileEntry> {
  return new Map(document.files.map((file) => [file.path, file]));
}

/** Map from file path to the ref of the package that contains it (first one wins). */
export function fileOwners(document: SbomDocument): Map<string, string> {
  const owners = new Map<string, string>();
  for (const pkg of document.packages) {
    for (const path of pkg.files) if (!owners.has(path)) owners.set(path, pkg.ref);
  }
  return owners;
}

/** A file's checksums from the digests a reader computed (SHA-512 only when it was asked for). */
export function fileChecksums(digests: { sha1: string; sha256: string; sha512?: string }): Checksums {
  return { SHA1: digests.sha1, SHA256: digests.sha256, ...(digests.sha512 ? { SHA512: digests.sha512 } : {}) };
}

/** The strongest digest two checksum sets share, for comparing files across documents. */
export function comparableDigest(a: Checksums, b: Checksums): { algorithm: string; a: string; b: string } | undefined {
  for (const algorithm of ['SHA256', 'SHA512', 'SHA384', 'SHA1', 'MD5'] as const) {
    const left = a[algorithm];
    const right = b[algorithm];
    if (left && right) return { algorithm, a: left.toLowerCase(), b: right.toLowerCase() };
  }
  return undefined;
}

/** Expected hex length of each algorithm's digest. */
export const DIGEST_HEX_LENGTH: Record<string, number> = {
  SHA1: 40,
  SHA224: 56,
  SHA256: 64,
  SHA384: 96,
  SHA512: 128,
  'SHA3-256': 64,
  'SHA3-384': 96,
  'SHA3-512': 128,
  'BLAKE2b-256': 64,
  'BLAKE2b-384': 96,
  'BLAKE2b-512': 128,
  BLAKE3: 64,
  MD2: 32,
  MD4: 32,
  MD5: 32,
  ADLER32: 8,
};

export function emptyDocument(): SbomDocument {
  return {
    name: '',
    namespace: '',
    created: '',
    creators: [],
    dataLicense: 'CC0-1.0',
    describes: [],
    packages: [],
    files: [],
    relationships: [],
    annotations: [],
  };
}
