/**
 * Error messages are one line. Text quoted from input (a JSON parser quoting the bytes around the
 * error, a file name) may hold newlines or control characters: they are escaped, and long quotes
 * are cut, so an error never spans lines.
 */
export function oneLine(text: string, max = 300): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (ch) => (ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : ch === '\t' ? ' ' : `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`));
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
