import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError, describeSystemError } from '../errors.js';

export interface PendingOutput {
  path: string;
  data: string | Uint8Array;
}

/**
 * Writes files through temporary siblings and renames, so a reader (or a failed run) never sees
 * a half-written file and an existing file is only ever replaced whole. All temporary files are
 * written before the first rename, so a failure while writing leaves every target as it was.
 */
export async function writeFilesAtomic(outputs: PendingOutput[]): Promise<void> {
  const staged: { tmp: string; path: string }[] = [];
  const fail = (error: unknown, path: string): never => {
    throw new InputError(`cannot write ${describeSystemError(error, path)}`, { cause: error });
  };
  try {
    for (const { path, data } of outputs) {
      const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      await writeFile(tmp, data, { flag: 'wx' }).catch((error: unknown) => fail(error, path));
      staged.push({ tmp, path });
    }
    for (const { tmp, path } of staged) {
      await rename(tmp, path).catch((error: unknown) => fail(error, path));
    }
  } catch (error) {
    await Promise.all(staged.map(({ tmp }) => rm(tmp, { force: true }).catch(() => undefined)));
    throw error;
  }
}

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await writeFilesAtomic([{ path, data }]);
}
