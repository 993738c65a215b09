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

type Atom = { kind: 'star' } | { kind: 'any' } | { kind: 'char'; char: string } | { kind: 'class'; negate: boolean; ranges: [string, string][] };

/**
 * The same language as `fnmatchSegment`, matched without a regular expression: `*a*a*a…b`
 * against a long name makes a backtracking regex engine take exponential time, while this
 * greedy matcher (it only ever returns to the latest `*`) takes at most pattern × name steps.
 * For names from a tree that may be hostile.
 */
export function compileFnmatch(segment: string): (name: string) => boolean {
  const atoms = parseAtoms(segment, 'python');
  return (name) => matchAtoms(atoms, [...name]);
}

/**
 * One segment of a `.gitignore` pattern, as git's wildmatch reads it: like `compileFnmatch`, plus
 * a backslash escaping the next character and `[^seq]` as well as `[!seq]`. The same linear matcher.
 */
export function compileGitSegment(segment: string): (name: string) => boolean {
  const atoms = parseAtoms(segment, 'git');
  return (name) => matchAtoms(atoms, [...name]);
}

function parseAtoms(segment: string, flavour: 'python' | 'git'): Atom[] {
  const atoms: Atom[] = [];
  const chars = [...segment];
  const negations = flavour === 'git' ? ['!', '^'] : ['!'];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (flavour === 'git' && ch === '\\' && i + 1 < chars.length) {
      atoms.push({ kind: 'char', char: chars[++i] as string });
    } else if (ch === '*') {
      if (atoms[atoms.length - 1]?.kind !== 'star') atoms.push({ kind: 'star' });
    } else if (ch === '?') {
      atoms.push({ kind: 'any' });
    } else if (ch === '[') {
      let j = i + 1;
      if (negations.includes(chars[j] as string)) j++;
      if (chars[j] === ']') j++;
      while (j < chars.length && chars[j] !== ']') j++;
      if (j >= chars.length) {
        atoms.push({ kind: 'char', char: '[' });
        continue;
      }
      let body = chars.slice(i + 1, j);
      const negate = negations.includes(body[0] as string);
      if (negate) body = body.slice(1);
      const ranges: [string, string][] = [];
      for (let k = 0; k < body.length; k++) {
        const from = body[k] as string;
        if (body[k + 1] === '-' && k + 2 < body.length) {
          ranges.push([from, body[k + 2] as string]);
          k += 2;
        } else {
          ranges.push([from, from]);
        }
      }
      atoms.push({ kind: 'class', negate, ranges });
      i = j;
    } else {
      atoms.push({ kind: 'char', char: ch });
    }
  }
  return atoms;
}

function atomMatches(atom: Atom, ch: string): boolean {
  if (ch === '/') return false;
  if (atom.kind === 'any') return true;
  if (atom.kind === 'char') return atom.char === ch;
  if (atom.kind === 'class') {
    const inside = atom.ranges.some(([from, to]) => from <= ch && ch <= to);
    return inside !== atom.negate;
  }
  return false;
}

function matchAtoms(atoms: Atom[], name: string[]): boolean {
  let a = 0;
  let n = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (n < name.length) {
    const atom = atoms[a];
    if (atom && atom.kind !== 'star' && atomMatches(atom, name[n] as string)) {
      a++;
      n++;
    } else if (atom?.kind === 'star') {
      starAt = a++;
      resumeAt = n;
    } else if (starAt !== -1 && name[resumeAt] !== '/') {
      // Let the latest `*` take one more character and try again from there.
      a = starAt + 1;
      n = ++resumeAt;
    } else {
      return false;
    }
  }
  while (atoms[a]?.kind === 'star') a++;
  return a === atoms.length;
}
