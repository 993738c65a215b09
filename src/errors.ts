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
export function describeSystemError(error: unknown, path: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
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
    default:
      return `${path}: ${(error as Error | undefined)?.message ?? String(error)}`;
  }
}
