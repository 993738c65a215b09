import { isUtf8 } from 'node:buffer';

/**
 * Bytes of a file as text, for reading its notices. A file is UTF-8 when its bytes are (every
 * CPython source file but a few test inputs is); UTF-16 when it starts with a byte order mark;
 * otherwise it is taken as Windows-1252, the legacy encoding whose bytes are all defined, so that
 * `Copyright \xA9 1999 J\xF6rg` reads `Copyright © 1999 Jörg`. Decoding UTF-8 bytes as Latin-1
 * is what turns `©` into `Â©`; it never happens here.
 */
const windows1252 = new TextDecoder('windows-1252');
const utf16le = new TextDecoder('utf-16le');
const utf16be = new TextDecoder('utf-16be');

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: utf16le.decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: utf16be.decode(bytes.subarray(2)), encoding: 'utf-16be' };
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  if (isUtf8(body)) return { text: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'), encoding: 'utf-8' };
  return { text: windows1252.decode(body), encoding: 'windows-1252' };
}

/** Whether the bytes look like a binary file: a NUL byte in the first 8 KiB (as git and grep judge), unless UTF-16 says why. */
export function looksBinary(bytes: Uint8Array): boolean {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return false;
  return bytes.subarray(0, 8192).indexOf(0) !== -1;
}
