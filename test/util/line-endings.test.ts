import { describe, expect, it } from 'vitest';
import { normalizeLineEndings } from '../../src/util/line-endings.js';

// generate_sbom.py: `if b"\x00" not in data: data = data.replace(b"\r\n", b"\n")`.
describe('normalizeLineEndings', () => {
  it('turns CRLF into LF in text, leaving lone CR and LF alone', () => {
    expect(normalizeLineEndings(Buffer.from('a\r\nb\rc\n\r\n')).toString()).toBe('a\nb\rc\n\n');
  });

  it('leaves data with a NUL byte as it is, and returns the same buffer when nothing changes', () => {
    const binary = Buffer.from('a\r\n\0');
    expect(normalizeLineEndings(binary)).toBe(binary);
    const plain = Buffer.from('a\nb\n');
    expect(normalizeLineEndings(plain)).toBe(plain);
  });

  it('works on bytes that are not UTF-8', () => {
    expect([...normalizeLineEndings(Buffer.from([0xff, 0x0d, 0x0a, 0xfe]))]).toEqual([0xff, 0x0a, 0xfe]);
  });
});
