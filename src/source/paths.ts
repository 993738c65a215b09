import { CONTROL_CHARACTER, hasControlCharacter } from './names.js';
export { normalizeMemberName } from '../util/member-name.js';

/**
 * Member and file names must stay inside the tree: no absolute paths, no `..` steps, no NUL.
 * Returns why a relative POSIX path is refused, or undefined when it is fine.
 */
export function checkRelativePath(path: string): string | undefined {
  if (path.includes('\0')) return 'has a NUL byte in its name';
  if (hasControlCharacter(path)) return CONTROL_CHARACTER;
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)) return 'has an absolute path';
  const parts = path.split('/');
  if (parts.some((part) => part === '..')) return 'escapes the tree (..)';
  return undefined;
}

/** Sorts paths by code point, the order every writer uses. */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
