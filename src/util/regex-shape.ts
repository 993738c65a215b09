import { pushAll } from './arrays.js';
/**
 * A small static analyser for regular expressions: it finds the two shapes that make
 * a backtracking engine take super-linear time on a crafted input, without running anything:
 * - nested: a group repeated without bound whose body repeats something without bound, and where
 *   one pass of the body is not fenced by a required atom the inner repetition cannot match
 *   (`(a+)+`, `(\w+\s?)*`; `(?:,[^,]+)*` is fine: every pass needs a `,` that `[^,]` cannot eat);
 * - adjacent: two unbounded repetitions in a row (only optional or zero-width items between them)
 *   whose characters overlap (`\s*\S*\s*$`, `\d+\.?\d+`, `.*.*`), so the input can be split
 *   between them in quadratically many ways.
 * Used on this project's own patterns by a test (test/architecture/regex-shape.test.ts) and, at
 * run time, on patterns that come from input (a checkout's generate_sbom.py). Character sets
 * are compared on a fixed alphabet of representative characters, each tested against the atom with
 * the engine itself. It errs on the side of flagging: a pattern it
 * flags may in fact be linear, and is then rewritten or listed with the reason.
 */

// biome-ignore format: a table
const ALPHABET = [
  'a', 'z', 'A', 'Z', '0', '9', '_', ' ', '\t', '\n', '\r', '-', '.', ',', ';', ':', '/', '\\', '(', ')', '[', ']', '{', '}',
  '<', '>', '"', "'", '`', '#', '*', '+', '?', '=', '@', '!', '$', '%', '&', '|', '^', '~', 'é', '©', '\u00a0', '\u2028', '\0', 'x', 'e',
];

interface Quant {
  min: number;
  max: number;
}

type Node = { kind: 'atom'; src: string; quant: Quant; zeroWidth: boolean } | { kind: 'group'; alts: Node[][]; quant: Quant; lookaround: boolean };

const MAX_PATTERN_LENGTH = 2000;

const ONE: Quant = { min: 1, max: 1 };

/** Parses a pattern into sequences of atoms and groups (enough of the syntax for the checks). */
export function parseRegex(source: string): Node[][] {
  let i = 0;
  const past = (index: number): number => (index === -1 ? source.length : index + 1);
  const parseAlts = (): Node[][] => {
    const alts: Node[][] = [[]];
    while (i < source.length) {
      const c = source[i] as string;
      if (c === ')') break;
      if (c === '|') {
        alts.push([]);
        i++;
        continue;
      }
      const node = parseAtom();
      node.quant = parseQuant();
      (alts[alts.length - 1] as Node[]).push(node);
    }
    return alts;
  };
  const parseAtom = (): Node => {
    const start = i;
    const c = source[i] as string;
    if (c === '(') {
      i++;
      let lookaround = false;
      if (source[i] === '?') {
        if (source[i + 1] === ':') i += 2;
        else if (source[i + 1] === '=' || source[i + 1] === '!') {
          lookaround = true;
          i += 2;
        } else if (source[i + 1] === '<' && (source[i + 2] === '=' || source[i + 2] === '!')) {
          lookaround = true;
          i += 3;
        } else if (source[i + 1] === '<') {
          i = past(source.indexOf('>', i));
        } else i += 1;
      }
      const alts = parseAlts();
      i++; // ')'
      return { kind: 'group', alts, quant: ONE, lookaround };
    }
    if (c === '[') {
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
      return { kind: 'atom', src: source.slice(start, i), quant: ONE, zeroWidth: false };
    }
    if (c === '\\') {
      i += 2;
      const k = source[i - 1] as string;
      if (k === 'u' && source[i] === '{') i = past(source.indexOf('}', i));
      else if (k === 'u') i += 4;
      else if (k === 'x') i += 2;
      else if (k === 'p' || k === 'P') i = past(source.indexOf('}', i));
      else if (k === 'c') i += 1;
      else if (k === 'k') i = past(source.indexOf('>', i));
      return { kind: 'atom', src: source.slice(start, i), quant: ONE, zeroWidth: k === 'b' || k === 'B' };
    }
    i++;
    return { kind: 'atom', src: c, quant: ONE, zeroWidth: c === '^' || c === '$' };
  };
  const parseQuant = (): Quant => {
    const c = source[i];
    let quant: Quant | undefined;
    if (c === '*') quant = { min: 0, max: Infinity };
    else if (c === '+') quant = { min: 1, max: Infinity };
    else if (c === '?') quant = { min: 0, max: 1 };
    else if (c === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
      if (match) {
        const min = Number(match[1]);
        const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
        i += match[0].length - 1;
        quant = { min, max };
      }
    }
    if (!quant) return ONE;
    i++;
    if (source[i] === '?') i++; // lazy: the same number of ways to split
    return quant;
  };
  return parseAlts();
}

/** Which of the alphabet's characters an atom matches (a bitmask as a set of indexes). */
const atomSets = new Map<string, Set<number>>();

function atomSet(src: string, flags: string): Set<number> {
  const key = `${flags}/${src}`;
  let out = atomSets.get(key);
  if (!out) {
    out = computeAtomSet(src, flags);
    if (atomSets.size < 10_000) atomSets.set(key, out);
  }
  return out;
}

function computeAtomSet(src: string, flags: string): Set<number> {
  const out = new Set<number>();
  if (/^\\[1-9k]/.test(src)) {
    for (let index = 0; index < ALPHABET.length; index++) out.add(index); // a back-reference: anything
    return out;
  }
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${src})$`, flags.replace(/[gy]/g, ''));
  } catch {
    for (let index = 0; index < ALPHABET.length; index++) out.add(index);
    return out;
  }
  ALPHABET.forEach((char, index) => {
    if (re.test(char)) out.add(index);
  });
  return out;
}

function nodeSet(node: Node, flags: string): Set<number> {
  if (node.kind === 'atom') return node.zeroWidth ? new Set() : atomSet(node.src, flags);
  if (node.lookaround) return new Set();
  const out = new Set<number>();
  for (const alt of node.alts) for (const child of alt) for (const index of nodeSet(child, flags)) out.add(index);
  return out;
}

const overlaps = (a: Set<number>, b: Set<number>): boolean => [...a].some((x) => b.has(x));
const unbounded = (node: Node): boolean => node.quant.max === Infinity;

/** Unbounded items anywhere inside a sequence (lookarounds aside). */
function unboundedInside(seq: Node[]): Node[] {
  const out: Node[] = [];
  for (const node of seq) {
    if (node.kind === 'group' && node.lookaround) continue;
    if (unbounded(node)) out.push(node);
    if (node.kind === 'group') for (const alt of node.alts) pushAll(out, unboundedInside(alt));
  }
  return out;
}

/** The problems of one pattern: empty when it is linear for the two shapes checked. */
export function checkPattern(source: string, flags = ''): string[] {
  // The checks are quadratic in the pattern's length; nothing legitimate is this long.
  if (source.length > MAX_PATTERN_LENGTH) return [`a pattern of ${source.length} characters, more than ${MAX_PATTERN_LENGTH}`];
  const problems: string[] = [];
  const show = (node: Node): string => (node.kind === 'atom' ? `${node.src}` : 'a group');
  const visit = (alts: Node[][]): void => {
    for (const seq of alts) {
      // Items of a plain group (no quantifier, one alternative) sit in the sequence around it.
      const flat = flatten(seq);
      // adjacent: what an unbounded repetition can end with, against what the next one can start with
      for (let a = 0; a < flat.length; a++) {
        const first = flat[a] as Node;
        const tail = edgeSet(first, flags, 'tail');
        if (tail.size === 0) continue;
        for (let b = a + 1; b < flat.length; b++) {
          const next = flat[b] as Node;
          if (overlaps(tail, edgeSet(next, flags, 'head'))) {
            problems.push(`adjacent unbounded repetitions ${show(first)} and ${show(next)} can split the same characters`);
            break;
          }
          if (next.quant.min > 0 && !(next.kind === 'atom' && next.zeroWidth) && !(next.kind === 'group' && next.lookaround)) break;
        }
      }
      for (const node of seq) {
        if (node.kind !== 'group') continue;
        if (unbounded(node) && !node.lookaround) {
          for (const body of node.alts) {
            const inner = unboundedInside(body);
            if (inner.length === 0) continue;
            const innerSets = inner.map((n) => nodeSet(n, flags));
            const fenced = flatten(body).some(
              (item) =>
                item.quant.min > 0 &&
                !(item.kind === 'atom' && item.zeroWidth) &&
                innerSets.every((s) => !overlaps(s, nodeSet(item, flags))) &&
                nodeSet(item, flags).size > 0,
            );
            if (!fenced) problems.push(`nested unbounded repetition: a group repeated without bound holds ${show(inner[0] as Node)} repeated without bound`);
          }
        }
        visit(node.alts);
      }
    }
  };
  visit(parseRegex(source));
  return [...new Set(problems)];
}

/**
 * The characters of the unbounded repetitions a node can start (`head`) or end (`tail`) with:
 * an unbounded atom's own set; through a group, its alternatives' edges, past optional items; for
 * a group repeated without bound, every item up to its first required one, bounded or not.
 */
function edgeSet(node: Node, flags: string, edge: 'head' | 'tail'): Set<number> {
  if (node.kind === 'atom') return unbounded(node) && !node.zeroWidth ? atomSet(node.src, flags) : new Set();
  if (node.lookaround) return new Set();
  const repeated = unbounded(node);
  const out = new Set<number>();
  for (const alt of node.alts) {
    const items = edge === 'head' ? alt : [...alt].reverse();
    for (const item of items) {
      // In a repeated group every item repeats: what a pass starts (or ends) with counts whole.
      for (const index of repeated ? nodeSet(item, flags) : edgeSet(item, flags, edge)) out.add(index);
      if (item.quant.min > 0 && !(item.kind === 'atom' && item.zeroWidth) && !(item.kind === 'group' && item.lookaround)) break;
    }
  }
  return out;
}

function flatten(seq: Node[]): Node[] {
  const out: Node[] = [];
  for (const node of seq) {
    if (node.kind === 'group' && !node.lookaround && node.alts.length === 1 && node.quant.min === 1 && node.quant.max === 1)
      pushAll(out, flatten(node.alts[0] as Node[]));
    else out.push(node);
  }
  return out;
}
