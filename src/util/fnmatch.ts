/**
 * Python's `fnmatch.translate` for one path segment, as regular-expression source: `*` and `?`
 * never cross a `/`, `[seq]` and `[!seq]` are character classes (a `]` right after the opening
 * bracket is a member), and an unclosed `[` is a literal bracket. Shared by the catalog's
 * Python-glob matcher, regen's disk glob and the overlay's exclude patterns, which differ only in
 * how they join segments.
 */
export function fnmatchSegment(segment: string): string {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i] as string;
    if (ch === '*') {
      out += '[^/]*';
      while (segment[i + 1] === '*') i++;
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      let j = i + 1;
      if (segment[j] === '!') j++;
      if (segment[j] === ']') j++;
      while (j < segment.length && segment[j] !== ']') j++;
      if (j >= segment.length) {
        out += '\\[';
        continue;
      }
      let body = segment.slice(i + 1, j);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^/' : ''}${body.replace(/[\\^\]]/g, (c) => `\\${c}`)}]`;
      i = j;
    } else {
      out += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return out;
}
