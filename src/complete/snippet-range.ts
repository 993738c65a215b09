/**
 * Where a piece of third-party code sits inside a file: from the line where `start` matches to
 * the line where `end` (searched after the start) stops matching, whole lines, as SPDX snippets
 * count them (1-based, inclusive byte and line pointers). The text is read as latin1 so that
 * string offsets are byte offsets whatever the file's encoding.
 */
export interface SnippetRange {
  byteRange: [number, number];
  lineRange: [number, number];
  /** The snippet's own text (whole lines). */
  text: string;
}

export function findSnippetRange(content: Buffer, start: string, end: string): SnippetRange | undefined {
  const text = content.toString('latin1');
  const startMatch = new RegExp(start).exec(text);
  if (!startMatch) return undefined;
  const from = text.lastIndexOf('\n', startMatch.index - 1) + 1;
  const endPattern = new RegExp(end, 'g');
  endPattern.lastIndex = startMatch.index + startMatch[0].length;
  const endMatch = endPattern.exec(text);
  if (!endMatch) return undefined;
  // The last line is the one holding the match's last character (a match ending in a newline
  // ends that line, not the next).
  const lastChar = endMatch.index + Math.max(endMatch[0].length, 1) - 1;
  const newline = text.indexOf('\n', lastChar);
  const to = newline < 0 ? text.length : newline + 1;
  const lineOf = (offset: number) => countNewlines(text, offset) + 1;
  return {
    byteRange: [from + 1, to],
    lineRange: [lineOf(from), lineOf(to - 1)],
    text: text.slice(from, to),
  };
}

function countNewlines(text: string, before: number): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < before; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
