import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { InputError, describeSystemError } from '../errors.js';

/** SHA-256 of a file, streamed (an artifact of hundreds of MB is never held); unreadable: InputError. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  let handle;
  try {
    // Non-blocking, and only a regular file: a FIFO would block the run, a device never end.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new InputError(describeSystemError(error, path));
  }
  try {
    if (!(await handle.stat()).isFile()) throw new InputError(`${path}: not a regular file; refusing to read it`);
    for await (const chunk of handle.createReadStream({ autoClose: false }) as AsyncIterable<Buffer>) hash.update(chunk);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(describeSystemError(error, path));
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}
