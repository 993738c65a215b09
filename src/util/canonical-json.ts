/**
 * The JSON Canonicalization Scheme (RFC 8785) for values parsed from JSON: object members sorted
 * by their names' UTF-16 code units, no whitespace, strings and numbers as ECMAScript's
 * JSON.stringify writes them (which is what RFC 8785 specifies). Signatures over a JSON document
 * (JSF) are made over these bytes, so reformatting the document does not break them.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts);
  return parts.join('');
}

function write(value: unknown, out: string[]): void {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('JSON cannot hold a non-finite number');
    out.push(JSON.stringify(value) ?? 'null');
    return;
  }
  if (Array.isArray(value)) {
    out.push('[');
    value.forEach((item, index) => {
      if (index > 0) out.push(',');
      write(item, out);
    });
    out.push(']');
    return;
  }
  const record = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as RFC 8785 §3.2.3 asks.
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  out.push('{');
  keys.forEach((key, index) => {
    if (index > 0) out.push(',');
    out.push(JSON.stringify(key), ':');
    write(record[key], out);
  });
  out.push('}');
}
