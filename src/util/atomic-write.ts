import { randomBytes } from 'node:crypto';
import { realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InputError, describeSystemError } from '../errors.js';

export interface PendingOutput {
  path: string;
  data: string | Uint8Array;
}

/**
 * Where an output goes. A regular file (or a link to one) is replaced through a temporary sibling
 * of the real file, so the link stays a link. A device, FIFO or socket (`/dev/stdout`,
 * `/dev/null`, or a link to one) is written straight into: renaming over it would replace the
 * device with a plain file.
 */
async function target(path: string): Promise<{ path: string; direct: boolean }> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { path, direct: false };
    throw new InputError(`cannot write ${describeSystemError(error, path)}`, { cause: error });
  }
  if (info.isFile()) return { path: await realpath(path), direct: false };
  if (info.isCharacterDevice() || info.isFIFO() || info.isSocket()) return { path, direct: true };
  throw new InputError(`cannot write ${path}: not a regular file`);
}

/**
 * Writes files through temporary siblings and renames, so a reader (or a failed run) never sees
 * a half-written file and an existing file is only ever replaced whole. All temporary files are
 * written before the first rename, so a failure while writing leaves every target as it was.
 */
export async function writeFilesAtomic(outputs: PendingOutput[]): Promise<void> {
  const staged: { tmp: string; path: string }[] = [];
  const direct: PendingOutput[] = [];
  const fail = (error: unknown, path: string): never => {
    throw new InputError(`cannot write ${describeSystemError(error, path)}`, { cause: error });
  };
  try {
    for (const output of outputs) {
      const where = await target(output.path);
      if (where.direct) {
        direct.push(output);
        continue;
      }
      const tmp = join(dirname(where.path), `.${basename(where.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      await writeFile(tmp, output.data, { flag: 'wx' }).catch((error: unknown) => fail(error, output.path));
      staged.push({ tmp, path: where.path });
    }
    for (const { path, data } of direct) await writeFile(path, data).catch((error: unknown) => fail(error, path));
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
