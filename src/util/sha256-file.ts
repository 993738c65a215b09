import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { InputError, describeSystemError } from '../errors.js';
import { type FileDigests, fileHasher } from './hasher.js';

/** SHA-256 of a file, streamed (an artifact of hundreds of MB is never held); unreadable: InputError. */
export async function sha256File(path: string): Promise<string> {
  return (await digestFile(path)).sha256;
}

/**
 * SHA-1, SHA-256 and (when asked) SHA-512 of a file, in one streamed pass. Only a regular file is
 * read, opened non-blocking: a FIFO would block the run, a device never end. Unreadable: InputError.
 */
export async function digestFile(path: string, sha512 = false): Promise<FileDigests> {
  const hasher = fileHasher(sha512);
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new InputError(describeSystemError(error, path));
  }
  try {
    if (!(await handle.stat()).isFile()) throw new InputError(`${path}: not a regular file; refusing to read it`);
    for await (const chunk of handle.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) hasher.update(chunk);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(describeSystemError(error, path));
  } finally {
    await handle.close();
  }
  return hasher.digest();
}
