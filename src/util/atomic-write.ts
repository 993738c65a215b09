import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, lstat, open, readlink, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, describeSystemError } from '../errors.js';

export interface PendingOutput {
  path: string;
  data: string | Uint8Array;
}

/** How a target is written: replaced whole through a temporary sibling, or written in place. */
type Staged =
  | { kind: 'replace'; path: string; target: string; tmp: string }
  | { kind: 'in-place'; path: string; handle: FileHandle; data: string | Uint8Array };

/** Symbolic links followed at most this many times (as the kernel's ELOOP bound). */
const MAX_LINKS = 40;

/**
 * Writes files so that a reader (or a failed run) never sees a half-written file and an existing
 * file is only ever replaced whole:
 *
 * - a regular file, or an absent one, is written to a temporary sibling and renamed over it;
 * - a symbolic link is written through: the file it points to is replaced that way, the link kept;
 * - a character device, FIFO or socket (`/dev/null`, `/dev/stdout`, a pipe) is written in place:
 *   renaming over it would replace the device node with a regular file;
 * - a directory (or anything else that cannot be written) is an error.
 *
 * Every target is staged and checked before the first rename, so when any one cannot be written
 * every existing target is left as it was.
 */
export async function writeFilesAtomic(outputs: PendingOutput[]): Promise<void> {
  const staged: Staged[] = [];
  const fail = (error: unknown, path: string): never => {
    throw new InputError(`cannot write ${describeSystemError(error, path)}`, { cause: error });
  };
  try {
    for (const { path, data } of outputs) {
      const target = await resolveTarget(path).catch((error: unknown) => fail(error, path));
      if (target.kind === 'in-place') {
        // O_NONBLOCK: a FIFO nobody reads fails at once (ENXIO) instead of hanging the run.
        const handle = await open(target.path, constants.O_WRONLY | constants.O_NONBLOCK).catch((error: unknown) =>
          fail((error as NodeJS.ErrnoException).code === 'ENXIO' ? new Error('a FIFO with no reader') : error, path),
        );
        staged.push({ kind: 'in-place', path, handle, data });
        continue;
      }
      const tmp = join(dirname(target.path), `.${basename(target.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      await writeFile(tmp, data, { flag: 'wx' }).catch((error: unknown) => fail(error, path));
      staged.push({ kind: 'replace', path, target: target.path, tmp });
    }
    for (const entry of staged) {
      if (entry.kind === 'replace') await rename(entry.tmp, entry.target).catch((error: unknown) => fail(error, entry.path));
    }
    for (const entry of staged) {
      if (entry.kind === 'in-place') await writeAll(entry.handle, entry.data).catch((error: unknown) => fail(error, entry.path));
    }
  } catch (error) {
    await Promise.all(
      staged.map((entry) => (entry.kind === 'replace' ? rm(entry.tmp, { force: true }) : Promise.resolve()).catch(() => undefined)),
    );
    throw error;
  } finally {
    await Promise.all(staged.map((entry) => (entry.kind === 'in-place' ? entry.handle.close() : undefined)?.catch(() => undefined)));
  }
}

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await writeFilesAtomic([{ path, data }]);
}

/**
 * Where and how `path` is written: symbolic links are followed (a dangling one to the path it
 * names), then a regular or absent file is replaced and a device, FIFO or socket written in place.
 */
async function resolveTarget(path: string): Promise<{ kind: 'replace' | 'in-place'; path: string }> {
  let current = resolve(path);
  for (let links = 0; ; links++) {
    let info;
    try {
      info = await lstat(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'replace', path: current };
      throw error;
    }
    if (info.isSymbolicLink()) {
      if (links >= MAX_LINKS) throw Object.assign(new Error('too many levels of symbolic links'), { code: 'ELOOP' });
      current = resolve(dirname(current), await readlink(current));
      continue;
    }
    if (info.isFile()) return { kind: 'replace', path: current };
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (info.isCharacterDevice() || info.isFIFO() || info.isSocket()) return { kind: 'in-place', path: current };
    throw new Error('not a regular file, device or FIFO');
  }
}

/** Writes all of `data`; a FIFO opened non-blocking may take it in pieces (EAGAIN when full). */
async function writeAll(handle: FileHandle, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  let offset = 0;
  while (offset < bytes.length) {
    try {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, null);
      offset += bytesWritten;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      await new Promise((wait) => setTimeout(wait, 5));
    }
  }
}
