import type { FileRules } from './catalog.js';
import { fnmatchSegment } from '../util/fnmatch.js';

/**
 * Matching of catalog globs against the scanned file list (never the disk), with the meaning
 * Python's `glob.glob(pattern, recursive=True)` gives them, because CPython's generate_sbom.py
 * lists a component's files that way: `*`, `?` and `[...]` stay inside one path segment, `**` as
 * a whole segment spans any number of directories, and neither matches a name starting with a dot
 * unless the pattern segment itself starts with one. Written out rather than taken from picomatch
 * or micromatch: those also expand braces, extglobs and `!` negation, which Python's glob does not.
 */
export function globToRegExp(pattern: string): RegExp {
  const segments = pattern.split('/');
  let source = '';
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '**') {
      // Zero or more visible directories; at the end, one or more visible names (we match files).
      source += last ? '(?!\\.)[^/]+(?:/(?!\\.)[^/]+)*' : '(?:(?!\\.)[^/]+/)*';
      return;
    }
    const hiddenGuard = segment.startsWith('.') || !/[*?[]/.test(segment) ? '' : '(?!\\.)';
    source += hiddenGuard + fnmatchSegment(segment) + (last ? '' : '/');
  });
  return new RegExp(`^${source}$`);
}

/**
 * The paths a component owns: those some include glob matches, minus the exact paths of
 * `exclude` (generate_sbom.py compares excludes as plain paths). Sorted.
 */
export function selectFiles(paths: Iterable<string>, rules: FileRules): string[] {
  const includes = rules.include.map(globToRegExp);
  const excluded = new Set(rules.exclude);
  const selected: string[] = [];
  for (const path of paths) {
    if (!excluded.has(path) && includes.some((regex) => regex.test(path))) selected.push(path);
  }
  return selected.sort();
}
