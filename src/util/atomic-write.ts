import { randomBytes } from 'node:crypto';
import { constants, write as fsWrite, rmSync } from 'node:fs';
import { type FileHandle, chmod, lstat, open, readlink, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, describeSystemError } from '../errors.js';

export interface PendingOutput {
  path: string;
  data: string | Uint8Array;
}

/** How a target is written: replaced whole through a temporary sibling, or written in place. */
type Staged =
  | { kind: 'replace'; path: string; target: string; tmp: string }
  | { kind: 'in-place'; path: string; handle: FileHandle | number; data: string | Uint8Array };

/** Symbolic links followed at most this many times (as the kernel's ELOOP bound). */
const MAX_LINKS = 40;

/**
 * Writes files so that a reader (or a failed run) never sees a half-written file and an existing
 * file is only ever replaced whole:
 *
 * - a regular file, or an absent one, is written to a temporary sibling and renamed over it; a
 *   file replaced keeps its permission bits (a 0600 file stays 0600);
 * - a symbolic link is written through: the file it points to is replaced that way, the link kept;
 * - a character device, FIFO or socket (`/dev/null`, a named pipe) is written in place: renaming
 *   over it would replace the device node with a regular file; `/dev/stdout`, `/dev/stderr` and
 *   `/dev/fd/N` are written to the descriptor this process already holds;
 * - a directory (or anything else that cannot be written) is an error.
 *
 * All or none: every file is staged first, then everything written in place (a FIFO whose reader
 * goes away fails here), and only when all of that succeeded are the staged files renamed over
 * their targets. Temporary files are removed on every way out: an error (a full disk included),
 * and SIGINT, SIGTERM or SIGHUP while they exist.
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
        // /dev/stdout and friends name a descriptor this process already has (which may be a
        // socket, which cannot be opened by name): that descriptor is written.
        const inherited = inheritedDescriptor(path);
        // O_NONBLOCK: a FIFO nobody reads fails at once (ENXIO) instead of hanging the run.
        const handle =
          inherited ??
          (await open(target.path, constants.O_WRONLY | constants.O_NONBLOCK).catch((error: unknown) =>
            fail((error as NodeJS.ErrnoException).code === 'ENXIO' ? new Error('a FIFO with no reader, or a socket') : error, path),
          ));
        staged.push({ kind: 'in-place', path, handle, data });
        continue;
      }
      const tmp = join(dirname(target.path), `.${basename(target.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      // Registered before it exists, so a write that fails half way (ENOSPC) or a signal leaves nothing.
      staged.push({ kind: 'replace', path, target: target.path, tmp });
      liveTemporaries.add(tmp);
      watchSignals();
      const mode = target.mode ?? 0o666;
      await writeFile(tmp, data, { flag: 'wx', mode }).catch((error: unknown) => fail(error, path));
      // The umask narrowed `mode` at creation; the replaced file's bits are given back exactly.
      if (target.mode !== undefined) await chmod(tmp, target.mode).catch((error: unknown) => fail(error, path));
    }
    for (const entry of staged) {
      if (entry.kind === 'in-place') await writeAll(entry.handle, entry.data).catch((error: unknown) => fail(error, entry.path));
    }
    for (const entry of staged) {
      if (entry.kind !== 'replace') continue;
      await rename(entry.tmp, entry.target).catch((error: unknown) => fail(error, entry.path));
      liveTemporaries.delete(entry.tmp);
    }
  } catch (error) {
    await Promise.all(
      staged.map((entry) =>
        (entry.kind === 'replace' && liveTemporaries.has(entry.tmp) ? rm(entry.tmp, { force: true }) : Promise.resolve()).catch(() => undefined),
      ),
    );
    throw error;
  } finally {
    for (const entry of staged) if (entry.kind === 'replace') liveTemporaries.delete(entry.tmp);
    unwatchSignalsWhenIdle();
    await Promise.all(
      staged.map((entry) => (entry.kind === 'in-place' && typeof entry.handle !== 'number' ? entry.handle.close() : undefined)?.catch(() => undefined)),
    );
  }
}

/** Temporary files that exist right now, removed if the process is told to stop. */
const liveTemporaries = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let watching = false;

function onSignal(signal: NodeJS.Signals): void {
  for (const tmp of liveTemporaries) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // nothing more can be done on the way out
    }
  }
  liveTemporaries.clear();
  unwatchSignals();
  // Ends as the signal would have ended it (status 128 + n), now that nothing is left behind.
  process.kill(process.pid, signal);
}

function watchSignals(): void {
  if (watching) return;
  watching = true;
  for (const signal of SIGNALS) process.on(signal, onSignal);
}

function unwatchSignals(): void {
  if (!watching) return;
  watching = false;
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

function unwatchSignalsWhenIdle(): void {
  if (liveTemporaries.size === 0) unwatchSignals();
}

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await writeFilesAtomic([{ path, data }]);
}

/**
 * Where and how `path` is written: a regular file (through any symbolic links) is replaced at its
 * real path; a device, FIFO or socket is written in place through the path as given (so
 * `/dev/stdout`, a link into /proc, still reaches the process's pipe); an absent file, or a
 * dangling link, is created where the link chain points.
 */
async function resolveTarget(path: string): Promise<{ kind: 'replace' | 'in-place'; path: string; mode?: number }> {
  // Standard output named as a file is what the caller already opened (perhaps `>> log`): it is
  // written as it is, like `--output -`, never replaced.
  if (inheritedDescriptor(path) !== undefined) return { kind: 'in-place', path };
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'replace', path: await danglingTarget(path) };
    throw error;
  }
  if (info.isFile()) return { kind: 'replace', path: await realpath(path), mode: info.mode & 0o777 };
  if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  if (info.isCharacterDevice() || info.isFIFO() || info.isSocket()) return { kind: 'in-place', path: resolve(path) };
  throw new Error('not a regular file, device or FIFO');
}

/** The path a chain of symbolic links ends at when its last target does not exist (yet). */
async function danglingTarget(path: string): Promise<string> {
  let current = resolve(path);
  for (let links = 0; ; links++) {
    let info;
    try {
      info = await lstat(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return current;
      throw error;
    }
    if (!info.isSymbolicLink()) return current;
    if (links >= MAX_LINKS) throw Object.assign(new Error('too many levels of symbolic links'), { code: 'ELOOP' });
    current = resolve(dirname(current), await readlink(current));
  }
}

/** The descriptor `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` or `/proc/self/fd/N` names, if any. */
function inheritedDescriptor(path: string): number | undefined {
  const named = /^\/dev\/(stdout|stderr)$/.exec(path)?.[1];
  if (named) return named === 'stdout' ? 1 : 2;
  const number = /^\/(?:dev|proc\/self)\/fd\/(\d+)$/.exec(path)?.[1];
  return number === undefined ? undefined : Number(number);
}

/** Writes all of `data`; a FIFO opened non-blocking may take it in pieces (EAGAIN when full). */
async function writeAll(handle: FileHandle | number, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const writeSome = (offset: number): Promise<{ bytesWritten: number }> =>
    typeof handle === 'number'
      ? new Promise((done, failed) =>
          fsWrite(handle, bytes, offset, bytes.length - offset, null, (error, bytesWritten) => (error ? failed(error) : done({ bytesWritten }))),
        )
      : handle.write(bytes, offset, bytes.length - offset, null);
  let offset = 0;
  while (offset < bytes.length) {
    try {
      const { bytesWritten } = await writeSome(offset);
      offset += bytesWritten;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      await new Promise((wait) => setTimeout(wait, 5));
    }
  }
}
