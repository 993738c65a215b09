/**
 * File and member names must be UTF-8: an SBOM names files in JSON and XML text, and a name that
 * is not UTF-8 can only be written with its bytes replaced (U+FFFD), naming no file that exists.
 * Such names are refused, with the name shown escaped so the user can find it.
 */

const strict = new TextDecoder('utf-8', { fatal: true });

/** The bytes decoded as UTF-8, or undefined when they are not UTF-8. */
export function decodeUtf8Name(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

/** A name's bytes for a message: printable ASCII as is, every other byte as `\xNN`. */
export function escapeNameBytes(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    out += byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/**
 * Control characters (U+0000–U+001F, U+007F) in a name: XML 1.0 cannot carry most of them at all,
 * and a newline or carriage return does not survive an XML round trip (attribute values are
 * normalised), so the same tree would name different files in SPDX JSON and CycloneDX XML. Such
 * names are refused everywhere, alike.
 */
export function hasControlCharacter(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

export const CONTROL_CHARACTER = 'has a control character (shown as \\xNN); file names must not, so that every format names the same file';

export const NOT_UTF8 = 'is not UTF-8 (shown with such bytes as \\xNN); file names must be UTF-8';
