import { fnmatchSegment } from './fnmatch.js';

/**
 * `exclude` globs of an overlay, matched against tree paths (POSIX, relative to SOURCE).
 * `**` is any number of whole path segments (`debian/**` is everything under `debian/`), `*` and
 * `?` stay inside one segment, `[abc]` and `[!abc]` are character classes. Unlike shell globs, names that start
 * with a dot are matched like any other: `.pc/**` is the point of the exercise.
 * A pattern without a slash matches the base name at any depth (`*.orig`), as in .gitignore.
 */
export function globMatcher(patterns: string[]): (path: string) => boolean {
  const regexes = patterns.map(globRegex);
  return (path) => regexes.some((regex) => regex.test(path));
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
