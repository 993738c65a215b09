import { constants } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { InputError, describeSystemError } from '../errors.js';
import { MAX_DOCUMENT_BYTES, MAX_INFLATED_BYTES } from './limits.js';

/** `-` names standard input wherever a document is read. */
export const STDIN = '-';

/**
 * Reads a document the user named, bounded: only a regular file (or `-`, standard input) is read,
 * at most `maxBytes` of it. A FIFO, a device (`/dev/urandom`), a socket or a directory is refused
 * before it is opened for reading, and the file is opened non-blocking and checked again, so a
 * path swapped for a FIFO in between cannot make the read hang.
 */
export async function readInputBytes(path: string, maxBytes = MAX_DOCUMENT_BYTES): Promise<Buffer> {
  if (path === STDIN) return readStdin(maxBytes);
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new InputError(describeSystemError(error, path));
  }
  refuseNonRegular(path, info);
  if (info.size > maxBytes) throw tooLarge(path, maxBytes);
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new InputError(describeSystemError(error, path));
  }
  try {
    const opened = await handle.stat();
    refuseNonRegular(path, opened);
    const bytes = await readHandleBounded(handle, maxBytes);
    if (bytes === undefined) throw tooLarge(path, maxBytes);
    return bytes;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${describeSystemError(error, path)}`);
  } finally {
    await handle.close();
  }
}

/**
 * The rest of an open file, at most `maxBytes`, or undefined when there is more. Reads up to one
 * byte past the bound, so a file that grew after it was checked is still caught.
 */
export async function readHandleBounded(handle: FileHandle, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buffer = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) break;
    chunks.push(buffer.subarray(0, bytesRead));
    total += bytesRead;
    if (total > maxBytes) return undefined;
  }
  return Buffer.concat(chunks, total);
}

function refuseNonRegular(
  path: string,
  info: { isFile(): boolean; isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean },
): void {
  if (info.isFile()) return;
  const what = info.isDirectory()
    ? 'a directory'
    : info.isFIFO()
      ? 'a FIFO (named pipe)'
      : info.isCharacterDevice() || info.isBlockDevice()
        ? 'a device'
        : info.isSocket()
          ? 'a socket'
          : 'not a regular file';
  throw new InputError(`${path}: ${what}, not a regular file; refusing to read it (use '-' for standard input)`);
}

function tooLarge(path: string, maxBytes: number): InputError {
  return new InputError(`${path === STDIN ? 'standard input' : path}: larger than ${maxBytes} bytes; refusing to read it`);
}

async function readStdin(maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      process.stdin.destroy();
      throw tooLarge(STDIN, maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

/** Inflates gzip data, refusing output past `maxBytes` (a small file can inflate to gigabytes). */
export function gunzipBounded(bytes: Buffer, path: string, maxBytes = MAX_INFLATED_BYTES): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new InputError(`${path}: gzip data inflates to more than ${maxBytes} bytes; refusing to read it`);
    }
    throw new InputError(`${path}: damaged gzip data (${(error as Error).message})`);
  }
}

/** Bytes as text: UTF-8, with a leading byte-order mark dropped. */
export function decodeDocument(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
