import { compileFnmatch, fnmatchSegment } from './fnmatch.js';

/**
 * `exclude` globs of an overlay, matched against tree paths (POSIX, relative to SOURCE).
 * `**` is any number of whole path segments (`debian/**` is everything under `debian/`), `*` and
 * `?` stay inside one segment, `[abc]` and `[!abc]` are character classes. Unlike shell globs, names that start
 * with a dot are matched like any other: `.pc/**` is the point of the exercise.
 * A pattern without a slash matches the base name at any depth (`*.orig`), as in .gitignore.
 */
export function globMatcher(patterns: string[]): (path: string) => boolean {
  const matchers = patterns.map(compileGlob);
  return (path) => matchers.some((matches) => matches(path));
}

/**
 * The language of `globRegex`, matched without a regular expression: segment by segment, keeping
 * the set of pattern positions reached (a `**` keeps its place while it takes a segment), so a
 * chain of `**` and `*` costs pattern × path, never the backtracking a regex engine can fall into
 * (`**​/a/**​/a/…` against a deep path).
 */
export function compileGlob(pattern: string): (path: string) => boolean {
  const segments = globSegments(pattern);
  const last = segments.length - 1;
  const match = segments.map((segment) => (segment === '**' ? undefined : compileFnmatch(segment)));
  // A `**` before the last segment is any number of whole segments, none included; as the last
  // segment it is the rest of the path (one segment or more: paths never end with a slash).
  const close = (states: Set<number>): Set<number> => {
    for (const i of [...states].sort((a, b) => a - b)) {
      for (let k = i; k < last && segments[k] === '**' && !states.has(k + 1); k++) states.add(k + 1);
    }
    return states;
  };
  return (path) => {
    let states = close(new Set([0]));
    for (const part of path.split('/')) {
      const next = new Set<number>();
      for (const i of states) {
        if (i > last) continue;
        if (segments[i] === '**') {
          next.add(i);
          if (i === last) next.add(i + 1);
        } else if ((match[i] as (name: string) => boolean)(part)) next.add(i + 1);
      }
      states = close(next);
      if (states.size === 0) return false;
    }
    return states.has(segments.length);
  };
}

function globSegments(pattern: string): string[] {
  let glob = pattern.replace(/^\.\//, '').replace(/\/+$/, '/**');
  if (!glob.includes('/')) glob = `**/${glob}`;
  return glob.split('/');
}

export function globRegex(pattern: string): RegExp {
  let glob = pattern.replace(/^\.\//, '').replace(/\/+$/, '/**');
  if (!glob.includes('/')) glob = `**/${glob}`;
  const segments = glob.split('/');
  let out = '';
  segments.forEach((segment, index) => {
    const last = index === segments.length - 1;
    if (segment === '**') {
      // Any run of whole segments, including none.
      out += last ? '.*' : '(?:[^/]*/)*';
    } else {
      out += fnmatchSegment(segment) + (last ? '' : '/');
    }
  });
  return new RegExp(`^${out}$`, 's');
}
