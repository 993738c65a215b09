import type { FileRules } from '../catalog/catalog.js';

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
    source += hiddenGuard + translateSegment(segment) + (last ? '' : '/');
  });
  return new RegExp(`^${source}$`);
}

/** fnmatch's translation of one segment: `*`, `?`, `[seq]`, `[!seq]`; an unclosed `[` is literal. */
function translateSegment(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; ) {
    const ch = segment[i] as string;
    i++;
    if (ch === '*') {
      out += '[^/]*';
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      let j = i;
      if (segment[j] === '!') j++;
      if (segment[j] === ']') j++;
      while (j < segment.length && segment[j] !== ']') j++;
      if (j >= segment.length) {
        out += '\\[';
        continue;
      }
      let body = segment.slice(i, j).replaceAll('\\', '\\\\');
      i = j + 1;
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      else if (body.startsWith('^')) body = `\\${body}`;
      out += `[${body}]`;
    } else {
      out += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return out;
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
