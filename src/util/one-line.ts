/**
 * Error messages are one line. Text quoted from input (a JSON parser quoting the bytes around the
 * error, a file name) may hold newlines or control characters: they are escaped, and long quotes
 * are cut, so an error never spans lines.
 */
export function oneLine(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (ch) =>
    ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : ch === '\t' ? ' ' : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** The longest line any message (error, warning, finding, note) is printed with. */
export const MAX_MESSAGE_LINE = 2000;

/**
 * Text for stderr with every line at most `max` characters: a longer one (a warning quoting a
 * huge value from the input, a finding naming a path thousands of characters long) is cut, saying
 * how much was left out, so no line of input can flood a terminal or a CI log.
 */
export function boundLines(text: string, max = MAX_MESSAGE_LINE): string {
  if (text.length <= max) return text;
  return text
    .split('\n')
    .map((line) => (line.length > max ? `${line.slice(0, max)}… (${line.length - max} more characters)` : line))
    .join('\n');
}
