/**
 * `exclude` globs of an overlay, matched against tree paths (POSIX, relative to SOURCE).
 * `**` is any number of whole path segments (`debian/**` is everything under `debian/`), `*` and
 * `?` stay inside one segment, `[abc]` is a character class. Unlike shell globs, names that start
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
      out += segmentRegex(segment) + (last ? '' : '/');
    }
  });
  return new RegExp(`^${out}$`, 's');
}

function segmentRegex(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i] as string;
    if (ch === '*') {
      out += '[^/]*';
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) {
        out += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, end);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^/' : ''}${body.replace(/[\\\]^]/g, (c) => `\\${c}`)}]`;
      i = end;
    } else {
      out += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return out;
}
