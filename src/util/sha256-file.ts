import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { InputError, describeSystemError } from '../errors.js';
import { type FileDigests, fileHasher } from './hasher.js';

/** SHA-256 of a file, streamed (an artifact of hundreds of MB is never held); unreadable: InputError. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  } catch (error) {
    throw new InputError(describeSystemError(error, path));
  }
  return hash.digest('hex');
}

/** SHA-1, SHA-256 and (when asked) SHA-512 of a file, in one streamed pass; unreadable: InputError. */
export async function digestFile(path: string, sha512 = false): Promise<FileDigests> {
  const hasher = fileHasher(sha512);
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hasher.update(chunk);
  } catch (error) {
    throw new InputError(describeSystemError(error, path));
  }
  return hasher.digest();
}
