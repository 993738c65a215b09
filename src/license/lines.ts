/**
 * The lines of a text, made on demand: a notice scan looks at a few lines around each notice
 * word, so splitting a whole file into strings would be most of its cost. Each line is without
 * its line ending (LF, CRLF) and at most LINE_CHARS long (generated data has lines of megabytes).
 */
export const LINE_CHARS = 2000;

export interface Lines {
  readonly length: number;
  get(index: number): string;
  /** Index of the line holding a character offset of the text. */
  lineOf(offset: number): number;
  /** Character offset where a line starts. */
  startOf(index: number): number;
}

export function linesOf(text: string): Lines {
  const starts: number[] = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  const cache = new Map<number, string>();
  return {
    length: starts.length,
    get(index: number): string {
      const known = cache.get(index);
      if (known !== undefined) return known;
      if (index < 0 || index >= starts.length) return '';
      const start = starts[index] as number;
      let end = index + 1 < starts.length ? (starts[index + 1] as number) - 1 : text.length;
      if (end > start && text.charCodeAt(end - 1) === 13) end--;
      const line = text.slice(start, Math.min(end, start + LINE_CHARS));
      cache.set(index, line);
      return line;
    },
    lineOf(offset: number): number {
      let low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >>> 1;
        if ((starts[middle] as number) <= offset) low = middle;
        else high = middle - 1;
      }
      return low;
    },
    startOf: (index) => starts[Math.max(0, Math.min(index, starts.length - 1))] as number,
  };
}

/** Lines of an array of strings (texts already split). */
export function linesOfArray(lines: readonly string[]): Lines {
  return {
    length: lines.length,
    get: (index) => lines[index] ?? '',
    lineOf: () => 0,
    startOf: () => 0,
  };
}
