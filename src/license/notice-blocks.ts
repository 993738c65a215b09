import type { CommentSyntax } from './comment-syntax.js';
import type { Lines } from './lines.js';

/**
 * The extent of each notice in a file: the comment (or docstring, or section of a text file) that
 * holds the lines with notice words. A license is matched against a whole notice, so the extent
 * decides what the matcher sees: a C block comment, a run of `#` or `//` lines, a Python
 * docstring, a section of a license file between two headings. Spans are found with string
 * searches over the text, not by parsing the language: a `/*` inside a string literal may start a
 * span, which only adds code words the matcher ignores.
 */
export interface NoticeBlock {
  /** First line (0-based) of the notice. */
  start: number;
  /** One past its last line. */
  end: number;
  /** The first line with notice words in it. */
  seed: number;
}

/** Longest stretch of lines a notice may span on each side of its first notice words. */
export const BLOCK_LINES = 400;

const DELIMITERS: Partial<Record<CommentSyntax, [string, string][]>> = {
  c: [['/*', '*/']],
  markup: [['<!--', '-->']],
  python: [
    ['"""', '"""'],
    ["'''", "'''"],
  ],
};

/**
 * Block comments and docstrings of a text, as line ranges [start, end), up to the one holding
 * line `last` (spans after it hold no notice words).
 */
export function commentSpans(text: string, lines: Lines, syntax: CommentSyntax, last: number): [number, number][] {
  const delimiters = DELIMITERS[syntax];
  if (!delimiters) return [];
  const limit = last + 1 < lines.length ? lines.startOf(last + 1) : text.length;
  // The next position of each opening delimiter, searched again only once passed.
  const next = delimiters.map(([open]) => text.indexOf(open));
  const spans: [number, number][] = [];
  let at = 0;
  for (;;) {
    let which = -1;
    for (let k = 0; k < delimiters.length; k++) {
      if ((next[k] as number) !== -1 && (next[k] as number) < at) next[k] = text.indexOf((delimiters[k] as [string, string])[0], at);
      const found = next[k] as number;
      if (found !== -1 && (which === -1 || found < (next[which] as number))) which = k;
    }
    if (which === -1) break;
    const open = next[which] as number;
    if (open > limit) break;
    const [start, end] = delimiters[which] as [string, string];
    const close = text.indexOf(end, open + start.length);
    const stop = close === -1 ? text.length : close + end.length;
    spans.push([lines.lineOf(open), lines.lineOf(Math.max(open, stop - 1)) + 1]);
    if (close === -1) break;
    at = stop;
  }
  return spans;
}

/** The span holding a line, if any (spans are sorted and do not overlap). */
function spanOf(spans: readonly [number, number][], line: number): [number, number] | undefined {
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const span = spans[middle] as [number, number];
    if (line < span[0]) high = middle - 1;
    else if (line >= span[1]) low = middle + 1;
    else return span;
  }
  return undefined;
}

/** Whether a line is a line comment of the syntax (`#`, `//`, `;`, `--`, `dnl`, `REM`). */
function isLineComment(line: string, syntax: CommentSyntax): boolean {
  const trimmed = line.trimStart();
  switch (syntax) {
    case 'c':
      return trimmed.startsWith('//');
    case 'python':
    case 'hash':
      return trimmed.startsWith('#');
    case 'm4':
      return trimmed.startsWith('#') || trimmed.startsWith('dnl');
    case 'semicolon':
      return trimmed.startsWith(';');
    case 'batch':
      return /^@?rem\b/i.test(trimmed) || trimmed.startsWith('::');
    case 'dashes':
      return trimmed.startsWith('--');
    default:
      return false;
  }
}

/** A line that ends a section of a text file: a heading's underline or a rule. */
const SECTION_RULE = /^[ \t]*([=\-~^*#_+])\1{3,}[ \t]*$/;

export function noticeBlocks(
  lines: Lines,
  hits: readonly number[],
  syntax: CommentSyntax,
  spans: readonly [number, number][],
  maxBlocks: number,
): NoticeBlock[] {
  const blocks: NoticeBlock[] = [];
  for (const hit of hits) {
    const last = blocks[blocks.length - 1];
    if (last && hit < last.end) continue;
    let start = hit;
    let end = hit + 1;
    const span = spanOf(spans, hit);
    if (span) {
      start = Math.max(span[0], hit - BLOCK_LINES);
      end = Math.min(span[1], hit + BLOCK_LINES);
    } else if (syntax === 'prose') {
      // A section: up to a heading's underline, a rule, or two blank lines.
      while (
        start > 0 &&
        hit - start < BLOCK_LINES &&
        !SECTION_RULE.test(lines.get(start - 1)) &&
        !(lines.get(start - 1).trim() === '' && lines.get(start - 2).trim() === '')
      )
        start--;
      // The heading above an underline belongs to the next section, not this one.
      while (
        end < lines.length &&
        end - hit < BLOCK_LINES &&
        !SECTION_RULE.test(lines.get(end)) &&
        !(lines.get(end).trim() === '' && lines.get(end + 1).trim() === '')
      )
        end++;
      if (end < lines.length && SECTION_RULE.test(lines.get(end)) && end - 1 > hit) end--;
    } else if (isLineComment(lines.get(hit), syntax)) {
      while (start > 0 && hit - start < BLOCK_LINES && isLineComment(lines.get(start - 1), syntax)) start--;
      while (end < lines.length && end - hit < BLOCK_LINES && isLineComment(lines.get(end), syntax)) end++;
    }
    if (last && start <= last.end && syntax !== 'prose') {
      last.end = Math.max(last.end, end);
      continue;
    }
    if (blocks.length >= maxBlocks) break;
    blocks.push({ start: Math.max(start, last?.end ?? 0), end, seed: hit });
  }
  return blocks;
}
