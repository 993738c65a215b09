import { createHash } from 'node:crypto';

/**
 * The paths a checkout's `.git/index` tracks, read from the file itself (the index format of git's
 * Documentation/gitformat-index: versions 2, 3 and 4). git is never run on a tree we are given:
 * a repository's own configuration (`core.fsmonitor`, filters, hooks) would choose commands to run.
 *
 * Only what tells "tracked" from "untracked" is read: the header, each entry's mode, flags and
 * path, and the extension signatures (a split index keeps its entries in another file, which we do
 * not follow). The trailing checksum (SHA-1, or SHA-256 in a SHA-256 repository) must match, which
 * also tells which object-id length the entries use.
 */
export interface TrackedPaths {
  /** Tracked files (and submodules), POSIX paths relative to the work tree. */
  files: Set<string>;
  /** Every directory that holds a tracked path, at any depth (`Lib`, `Lib/json`). */
  directories: Set<string>;
}

export type IndexReading = { ok: true; tracked: TrackedPaths } | { ok: false; why: string };

/** Most entries read; a checkout of CPython has about 5,000. */
export const MAX_INDEX_ENTRIES = 1_000_000;

const HEADER_BYTES = 12;
const STAT_BYTES = 40;
const MODE_OFFSET = 24;
const GITLINK_MODE = 0o160000;
const DIRECTORY_MODE = 0o040000;

export function parseGitIndex(bytes: Buffer): IndexReading {
  if (bytes.length < HEADER_BYTES || bytes.toString('latin1', 0, 4) !== 'DIRC') return { ok: false, why: 'not a git index (no DIRC signature)' };
  const version = bytes.readUInt32BE(4);
  if (version < 2 || version > 4) return { ok: false, why: `index version ${version}, which this tool does not read (2, 3 and 4)` };
  const count = bytes.readUInt32BE(8);
  if (count > MAX_INDEX_ENTRIES) return { ok: false, why: `${count} index entries, more than the ${MAX_INDEX_ENTRIES} read` };
  const hashLength = checksumLength(bytes);
  if (hashLength === undefined) return { ok: false, why: 'the index checksum does not match its content' };
  const end = bytes.length - hashLength;

  const files = new Set<string>();
  const directories = new Set<string>();
  let offset = HEADER_BYTES;
  let previous: Buffer = Buffer.alloc(0);
  for (let i = 0; i < count; i++) {
    const start = offset;
    const fixed = STAT_BYTES + hashLength + 2;
    if (offset + fixed > end) return { ok: false, why: `index entry ${i + 1} runs past the end of the file` };
    const mode = bytes.readUInt32BE(offset + MODE_OFFSET);
    const flags = bytes.readUInt16BE(offset + STAT_BYTES + hashLength);
    offset += fixed;
    if (flags & 0x4000) {
      if (version < 3) return { ok: false, why: `index entry ${i + 1} has extended flags in a version 2 index` };
      offset += 2;
    }
    let name: Buffer;
    if (version === 4) {
      // A varint: how many bytes of the previous path to drop, then the rest NUL-terminated.
      let byte = bytes[offset++];
      if (byte === undefined) return { ok: false, why: `index entry ${i + 1} runs past the end of the file` };
      let drop = byte & 0x7f;
      while (byte & 0x80) {
        byte = bytes[offset++];
        if (byte === undefined || drop > previous.length) return { ok: false, why: `index entry ${i + 1} has a bad path prefix` };
        drop = ((drop + 1) << 7) | (byte & 0x7f);
      }
      if (drop > previous.length) return { ok: false, why: `index entry ${i + 1} has a bad path prefix` };
      const nul = bytes.indexOf(0, offset);
      if (nul === -1 || nul >= end) return { ok: false, why: `index entry ${i + 1} has an unterminated path` };
      name = Buffer.concat([previous.subarray(0, previous.length - drop), bytes.subarray(offset, nul)]);
      offset = nul + 1;
    } else {
      const nul = bytes.indexOf(0, offset);
      if (nul === -1 || nul >= end) return { ok: false, why: `index entry ${i + 1} has an unterminated path` };
      name = bytes.subarray(offset, nul);
      // Entries are padded with 1–8 NULs to a multiple of 8 bytes.
      offset = start + Math.ceil((nul + 1 - start) / 8) * 8;
    }
    previous = name;
    let path = name.toString('utf8');
    if (path === '' || path.startsWith('/') || path.split('/').some((part) => part === '.' || part === '..')) {
      return { ok: false, why: `index entry ${i + 1} has an unsafe path` };
    }
    const type = mode & 0o170000;
    if (type === DIRECTORY_MODE) {
      // A sparse index: one entry stands for a whole tracked directory (`dir/`).
      path = path.replace(/\/$/, '');
      directories.add(path);
    } else {
      files.add(path);
      // A submodule is a directory in the work tree; what is inside it is its own repository's.
      if (type === GITLINK_MODE) directories.add(path);
    }
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) directories.add(path.slice(0, slash));
  }
  // Extensions: a split index (`link`) keeps entries in a shared file we do not read.
  while (offset + 8 <= end) {
    const signature = bytes.toString('latin1', offset, offset + 4);
    const size = bytes.readUInt32BE(offset + 4);
    if (signature === 'link') return { ok: false, why: 'a split index (its entries are in another file)' };
    offset += 8 + size;
  }
  return { ok: true, tracked: { files, directories } };
}

/** 20 (SHA-1) or 32 (SHA-256) when the file's last bytes are that hash of the rest. */
function checksumLength(bytes: Buffer): number | undefined {
  for (const [length, algorithm] of [
    [20, 'sha1'],
    [32, 'sha256'],
  ] as const) {
    if (bytes.length < HEADER_BYTES + length) continue;
    const body = bytes.subarray(0, bytes.length - length);
    const digest = createHash(algorithm).update(body).digest();
    if (digest.equals(bytes.subarray(bytes.length - length))) return length;
  }
  return undefined;
}
