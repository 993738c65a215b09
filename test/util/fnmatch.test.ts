import { describe, expect, it } from 'vitest';
import { fnmatchSegment } from '../../src/util/fnmatch.js';

const matches = (pattern: string, name: string) => new RegExp(`^${fnmatchSegment(pattern)}$`).test(name);

// Cases checked against Python's fnmatch.fnmatchcase.
describe('fnmatchSegment', () => {
  it('translates *, ? and classes within one segment', () => {
    expect(matches('*.c', 'xmlparse.c')).toBe(true);
    expect(matches('*.c', 'dir/xmlparse.c')).toBe(false);
    expect(matches('?.h', 'a.h')).toBe(true);
    expect(matches('[ab].h', 'b.h')).toBe(true);
    expect(matches('[!ab].h', 'b.h')).toBe(false);
    expect(matches('[!ab].h', 'c.h')).toBe(true);
  });

  it('treats a ] right after [ as a member and an unclosed [ as literal', () => {
    expect(matches('[]a]', ']')).toBe(true);
    expect(matches('[]a]', 'a')).toBe(true);
    expect(matches('[!]a]', 'b')).toBe(true);
    expect(matches('[x', '[x')).toBe(true);
    expect(matches('a^b', 'a^b')).toBe(true);
    expect(matches('[^]', '^')).toBe(true);
  });

  it('escapes regular-expression characters', () => {
    expect(matches('a+b(c).d', 'a+b(c).d')).toBe(true);
    expect(matches('a.d', 'abd')).toBe(false);
  });
});
