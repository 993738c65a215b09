import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { InputError, describeSystemError } from '../errors.js';

/**
 * Reads one file of a tree the user handed us (a checkout's `.gitignore` or index, an overlay's
 * patches), never leaving it: every directory on the way must be a real directory inside `root`
 * (no symbolic link), the file itself a regular file (a link, FIFO or device is refused: a FIFO
 * would block, a device could be read without end), at most `maxBytes` long. Undefined when the
 * file does not exist. `root` itself is trusted (the caller resolved it).
 *
 * The final open uses O_NOFOLLOW and O_NONBLOCK and checks the opened file again, so a path
 * swapped for a link or a FIFO between the checks and the read is refused, not followed.
 * Synchronous on purpose: these files are small and bounded, and their readers (ignore rules
 * consulted while a directory listing is filtered) are synchronous.
 */
export function readFileInTree(root: string, relative: string, maxBytes: number): Buffer | undefined {
  const parts = relative.split('/');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) {
    throw new InputError(`${relative}: not a plain path inside ${root}`);
  }
  let dir = root;
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part);
    const info = lstatOrUndefined(dir);
    if (!info) return undefined;
    if (info.isSymbolicLink()) throw new InputError(`${dir}: a symbolic link; not followed out of ${root}`);
    if (!info.isDirectory()) return undefined;
  }
  const path = join(root, relative);
  const info = lstatOrUndefined(path);
  if (!info) return undefined;
  if (info.isSymbolicLink()) throw new InputError(`${path}: a symbolic link; not followed out of ${root}`);
  if (!info.isFile()) throw new InputError(`${path}: not a regular file`);
  if (info.size > maxBytes) throw new InputError(`${path}: ${info.size} bytes, more than the ${maxBytes} read from such a file`);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    throw new InputError(`cannot read ${describeSystemError(error, path)}`);
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) throw new InputError(`${path}: not a regular file`);
    const buffer = Buffer.allocUnsafe(Math.min(opened.size, maxBytes) + 1);
    let total = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, total, buffer.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total === buffer.length) break;
    }
    if (total > opened.size) throw new InputError(`${path}: changed while it was read`);
    return buffer.subarray(0, total);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${describeSystemError(error, path)}`);
  } finally {
    closeSync(fd);
  }
}

function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new InputError(`cannot read ${describeSystemError(error, path)}`);
  }
}

/**
 * Where `relative` really is inside `root` once every link is followed (`root` resolved too), or
 * undefined when nothing is there. A path whose real location is outside `root` (a link on the way
 * or as the file, pointing out of the checkout) is an InputError naming the path, not its target.
 * With `parentOnly`, only the directory holding the file must exist (a file about to be written);
 * the file itself, when present, is checked as well.
 */
export function resolveInTree(root: string, relative: string, parentOnly = false): string | undefined {
  const top = realpathOrUndefined(root);
  if (top === undefined) return undefined;
  const inside = (real: string): boolean => real === top || real.startsWith(top.endsWith(sep) ? top : `${top}${sep}`);
  const path = join(root, relative);
  const real = realpathOrUndefined(path);
  if (real !== undefined) {
    if (!inside(real))
      throw new InputError(`${relative}: resolves outside ${root} through a symbolic link; refused (nothing outside the tree is read or written)`);
    return real;
  }
  // A dangling link is refused too: writing through it would create its target wherever it points.
  if (lstatOrUndefined(path)?.isSymbolicLink()) {
    throw new InputError(`${relative}: a symbolic link to nothing; refused (nothing outside the tree is read or written)`);
  }
  if (!parentOnly) return undefined;
  const parent = realpathOrUndefined(dirname(path));
  if (parent === undefined) return undefined;
  if (!inside(parent))
    throw new InputError(`${relative}: resolves outside ${root} through a symbolic link; refused (nothing outside the tree is read or written)`);
  return join(parent, basename(path));
}

/**
 * Reads a file of a checkout the way a script run in it would (links inside the checkout are
 * followed), but never outside it: the real path must be inside `root`, the file regular (a FIFO
 * or device is refused) and at most `maxBytes` long. Undefined when it does not exist.
 */
export function readFileResolvedInTree(root: string, relative: string, maxBytes: number): Buffer | undefined {
  const real = resolveInTree(root, relative);
  if (real === undefined) return undefined;
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    throw new InputError(`cannot read ${describeSystemError(error, relative)}`);
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) throw new InputError(`${relative}: not a regular file`);
    if (opened.size > maxBytes) throw new InputError(`${relative}: ${opened.size} bytes, more than the ${maxBytes} read from such a file`);
    const buffer = Buffer.allocUnsafe(opened.size + 1);
    let total = 0;
    for (;;) {
      const bytesRead = readSync(fd, buffer, total, buffer.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total === buffer.length) throw new InputError(`${relative}: changed while it was read`);
    }
    return buffer.subarray(0, total);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${describeSystemError(error, relative)}`);
  } finally {
    closeSync(fd);
  }
}

function realpathOrUndefined(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new InputError(`cannot read ${describeSystemError(error, path)}`);
  }
}

/** The most read from one text file of a checkout (a script, a header, a Makefile): 64 MiB. */
export const MAX_CHECKOUT_FILE_BYTES = 64 * 1024 * 1024;
