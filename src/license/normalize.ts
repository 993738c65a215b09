/**
 * License text normalisation, in the spirit of licensee and askalono: two copies of one license
 * should compare equal although one is wrapped in comment markers, re-flowed, spelled with
 * British "licence", quoted with curly quotes, numbered differently or carries another copyright
 * line. What is left is a list of lower-case words.
 */

/** A word no text has, standing where a placeholder was. */
const GAP = 'zqxplaceholderzqx';

/** Lines that name who holds the copyright: they differ between every copy of a license. */
const COPYRIGHT_LINE = /^\s*(?:copyright\s*(?:\(c\)|©|\d{4}|by\b|\[yyyy\]|\{yyyy\})|\(c\)\s*\d{4}|©|all rights reserved)/i;

const END_OF_TERMS = /^[\s#*/_-]*end of (?:the )?terms and conditions[\s#*/_.-]*$/i;

/** Spellings that vary between copies of the same license text. */
const VARIANTS: [RegExp, string][] = [
  [/\blicen[cs]e/g, 'license'],
  [/\bper cent\b/g, 'percent'],
  [/\bcopyright holders?\b|\bcopyright owners?\b/g, 'copyright holder'],
  [/\b(?:https?|ftp):\/\/\S+/g, ' '],
  [/\bwww\.\S+/g, ' '],
  [/&/g, ' and '],
  [/\band\/or\b/g, 'and'],
];

/** Comment markers and list markers at the start of a line. */
const LINE_PREFIX = /^\s*(?:(?:\/\*+|\*+\/?|\/\/+|#+|;+|--+|"""|''')\s*)?(?:(?:\d+|[a-z]|[ivx]+)[.)]\s+|\((?:\d+|[a-z]|[ivx]+)\)\s+|[-*•·]\s+)?/i;

/** The words of a license text, normalised (see the module comment). */
export function normalizedWords(text: string): string[] {
  const kept: string[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    // What follows the terms (Apache-2.0's appendix on applying the license) is not the license.
    if (END_OF_TERMS.test(rawLine)) break;
    if (COPYRIGHT_LINE.test(rawLine.replace(/^\s*(?:\/\*+|\*+|\/\/+|#+|;+)\s*/, ''))) continue;
    kept.push(rawLine.replace(LINE_PREFIX, ''));
  }
  let flat = kept.join(' ').toLowerCase();
  // Template placeholders of the SPDX texts (<year>, <copyright holders>) and angle-bracket
  // e-mails: a gap no bigram spans, since a copy has the holder's name there ("the name of
  // Vinay Sajip not be used"), which would otherwise cost the license two bigrams per placeholder.
  flat = flat.replace(/<[^<>\n]{0,80}>/g, ` ${GAP} `);
  for (const [pattern, replacement] of VARIANTS) flat = flat.replace(pattern, replacement);
  flat = flat.replace(/[\u2018\u2019\u201c\u201d`'"]/g, '').replace(/[\u2010-\u2015]/g, '-');
  return flat.split(/[^a-z0-9]+/).filter((word) => word.length > 0);
}

/** FNV-1a over a word pair: bigrams are compared as 32-bit numbers, not strings. */
function hashPair(a: string, b: string): number {
  let hash = 0x811c9dc5;
  const text = `${a} ${b}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The distinct word bigrams of a normalised text, hashed; none spans a placeholder. */
export function bigramSet(words: readonly string[]): Set<number> {
  const set = new Set<number>();
  for (let i = 0; i + 1 < words.length; i++) {
    const a = words[i] as string;
    const b = words[i + 1] as string;
    if (a !== GAP && b !== GAP) set.add(hashPair(a, b));
  }
  return set;
}
