/**
 * Errors that reach the user. Every command maps them to the contract's exit codes:
 * 1 for findings (the input is readable but wrong), 2 for everything else.
 * The message is one line: what, which file or member, why.
 */

export const EXIT_OK = 0;
export const EXIT_FINDING = 1;
export const EXIT_ERROR = 2;

/** Bad usage, unreadable or malformed input, not a CPython tree, I/O failure. Exit 2. */
export class InputError extends Error {
  readonly exitCode: number = EXIT_ERROR;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InputError';
  }
}

/** The input is readable but a check failed: hash drift, version drift, stale file. Exit 1. */
export class FindingError extends Error {
  readonly exitCode: number = EXIT_FINDING;
  /** Further lines (one per finding) printed after the message. */
  readonly details: string[];
  constructor(message: string, details: string[] = []) {
    super(message);
    this.name = 'FindingError';
    this.details = details;
  }
}

export function isUserFacingError(error: unknown): error is InputError | FindingError {
  return error instanceof InputError || error instanceof FindingError;
}

/** A one-line description of a Node.js system error (ENOENT and friends) for a path. */
/** Paths longer than this are shown by their ends in messages. */
const MAX_SHOWN_PATH = 400;

export function describeSystemError(error: unknown, given: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  // A path thousands of characters long (a directory nested hundreds deep) is shown by its two ends,
  // so the reason after it survives the bound on message length.
  const path = given.length > MAX_SHOWN_PATH ? `${given.slice(0, MAX_SHOWN_PATH / 2)}…${given.slice(-MAX_SHOWN_PATH / 2)}` : given;
  switch (code) {
    case 'ENAMETOOLONG':
      return `${path}: file name too long (${given.length} characters; the system allows fewer)`;
    case 'ENOENT':
      return `${path}: no such file or directory`;
    case 'EACCES':
    case 'EPERM':
      return `${path}: permission denied`;
    case 'EISDIR':
      return `${path}: is a directory`;
    case 'ENOTDIR':
      return `${path}: not a directory`;
    case 'ELOOP':
      return `${path}: too many levels of symbolic links`;
    case 'ENOSPC':
      return `${path}: no space left on device`;
    default: {
      // Node's message repeats the path (`EIO: i/o error, read '/very/long/…'`): said once, above.
      const message = (error as Error | undefined)?.message ?? String(error);
      return `${path}: ${code === undefined ? message : message.split(given).join('…')}`;
    }
  }
}
