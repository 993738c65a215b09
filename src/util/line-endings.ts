/**
 * CPython's generate_sbom.py hashes a file after `data.replace(b"\r\n", b"\n")` unless the data
 * holds a NUL byte (its test for binary), so a checkout made with CRLF line endings hashes the same.
 * Returns the same buffer when nothing changes. Works on bytes: the file need not be UTF-8.
 */
export function normalizeLineEndings(data: Buffer): Buffer {
  if (data.includes(0)) return data;
  let at = data.indexOf('\r\n');
  if (at === -1) return data;
  const parts: Buffer[] = [];
  let from = 0;
  while (at !== -1) {
    parts.push(data.subarray(from, at));
    from = at + 1; // keep the \n
    at = data.indexOf('\r\n', from);
  }
  parts.push(data.subarray(from));
  return Buffer.concat(parts);
}
