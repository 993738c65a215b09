import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { InputError, describeSystemError } from '../errors.js';
import { type FileDigests, fileHasher } from '../util/hasher.js';
import { MAX_SEEN_BYTES } from './types.js';

/**
 * One regular file of a source directory, opened, sized and read the way the scan reads every
 * file, on the main thread (directory.ts) or on the reading thread (tree-read-worker.ts).
 */

/** Files up to this size are read whole; larger ones are streamed through the hashes. */
export const WHOLE_READ_LIMIT = 16 * 1024 * 1024;

/** Opened without following a link, and without waiting on a FIFO: what the listing saw must still be a regular file. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** What the scan wants of a file besides its digests. */
export interface FileWants {
  /** The caller keeps its bytes (detectors' content). */
  keep: boolean;
  /** A content reader is shown its bytes (up to MAX_SEEN_BYTES). */
  show: boolean;
}

/** How a file of `size` bytes is read: whole, keeping its bytes or not, or streamed through the hashes. */
export function readingOf(size: number, wants: FileWants, maxContentBytes: number, absolute: string): { whole: boolean; bytes: boolean } {
  if (wants.keep && size > maxContentBytes) {
    throw new InputError(`${absolute}: ${size} bytes, more than the ${maxContentBytes} this tool reads`);
  }
  const bytes = wants.keep || (wants.show && size <= MAX_SEEN_BYTES);
  return { whole: bytes || size <= WHOLE_READ_LIMIT, bytes };
}

/** An error on the way to a file's bytes, said as the scan says it. */
export function readError(error: unknown, absolute: string): InputError {
  return error instanceof InputError ? error : new InputError(`cannot read ${describeSystemError(error, absolute)}`);
}

/**
 * A descriptor of the regular file the listing found at `absolute`, and its size. If it has been
 * replaced since (by a link, which could lead out of the tree, or a FIFO, which would block), it
 * is refused instead of followed. Every way of reading a file opens it here.
 */
export function openRegularFile(absolute: string): { fd: number; size: number } {
  const changed = () => new InputError(`${absolute}: no longer a regular file (it changed while the tree was read)`);
  let fd: number;
  try {
    fd = openSync(absolute, OPEN_FLAGS);
  } catch (error) {
    // O_NOFOLLOW's answer for a link.
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw changed();
    throw readError(error, absolute);
  }
  let size: number | undefined;
  try {
    const info = fstatSync(fd);
    if (info.isFile()) size = info.size;
  } catch (error) {
    throw readError(error, absolute);
  } finally {
    if (size === undefined) closeSync(fd);
  }
  if (size === undefined) throw changed();
  return { fd, size };
}

/** A file as the scan read it: the size read, its digests, and its bytes when they were wanted. */
export interface FileRead {
  size: number;
  digests: FileDigests;
  bytes?: Buffer;
}

/**
 * A file opened and read synchronously as `readingOf` says, for the reading thread (see
 * readOpenedSync).
 */
export function readRegularFileSync(absolute: string, wants: FileWants, maxContentBytes: number, sha512: boolean, scratch: Buffer): FileRead {
  const { fd, size } = openRegularFile(absolute);
  try {
    return readOpenedSync(fd, size, readingOf(size, wants, maxContentBytes, absolute), sha512, scratch);
  } catch (error) {
    throw readError(error, absolute);
  } finally {
    closeSync(fd);
  }
}

/**
 * An opened file of `size` bytes (by its status) read and hashed synchronously: into a buffer of
 * its own when its bytes are wanted (so the reading thread can hand it over without a copy), else
 * in chunks through `scratch`. A file read whole stops at `size`, or reads to its end when that is
 * 0 (as readFileSync does; a file that shrank is taken as it was read); one that is not read whole
 * is read to its end. The size returned is what was read. The main thread reads whole files with
 * it too, and streams the rest asynchronously (directory.ts).
 */
export function readOpenedSync(fd: number, size: number, reading: { whole: boolean; bytes: boolean }, sha512: boolean, scratch: Buffer): FileRead {
  const hasher = fileHasher(sha512);
  const limit = reading.whole && size > 0 ? size : Number.POSITIVE_INFINITY;
  if (reading.bytes && size > 0) {
    const bytes = Buffer.allocUnsafeSlow(size);
    let read = 0;
    for (let got = 1; read < size && got > 0; read += got) got = readSync(fd, bytes, read, size - read, null);
    const whole = read === size ? bytes : bytes.subarray(0, read);
    hasher.update(whole);
    return { size: read, digests: hasher.digest(), bytes: whole };
  }
  const parts: Buffer[] | undefined = reading.bytes ? [] : undefined;
  let read = 0;
  while (read < limit) {
    const got = readSync(fd, scratch, 0, Math.min(scratch.length, limit - read), null);
    if (got === 0) break;
    hasher.update(scratch.subarray(0, got));
    parts?.push(Buffer.from(scratch.subarray(0, got)));
    read += got;
  }
  if (parts) {
    // Bytes wanted of a file whose status said 0 (one that grew, or a special file's view).
    const bytes = Buffer.allocUnsafeSlow(read);
    let at = 0;
    for (const part of parts) at += part.copy(bytes, at);
    return { size: read, digests: hasher.digest(), bytes };
  }
  return { size: read, digests: hasher.digest() };
}
