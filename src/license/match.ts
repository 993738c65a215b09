import { createHash } from 'node:crypto';
import { bigramSet, normalizedWords } from './normalize.js';
import { type SpdxLicenseIndex, findKey, loadLicenseIndex } from './spdx-index.js';

/**
 * Which SPDX license a text states, by normalised-text similarity to the license list's texts
 * (word bigrams, as askalono compares n-grams and licensee word sets):
 * - `containment`: the share of the license's bigrams found in the text. A license file or header
 *   holds the whole license plus a copyright line, a title or a project name, so a text is
 *   measured by how much of each license it holds, not by how alike the two are overall.
 * - of the licenses the text holds at least THRESHOLD of, the one closest to the text overall
 *   wins (Sørensen–Dice coefficient): BSD-3-Clause over BSD-2-Clause, whose clauses it contains,
 *   Apache-2.0 over Pixar, which is Apache-2.0 with more words.
 */
export const THRESHOLD = 0.8;

export interface LicenseMatch {
  id: string;
  /** Share of the license's text found, 0–1. */
  confidence: number;
}

const cache = new Map<string, LicenseMatch | null>();

export function identifyLicense(text: string): LicenseMatch | undefined {
  const tagged = spdxIdentifier(text);
  if (tagged) return { id: tagged, confidence: 1 };
  const key = createHash('sha1').update(text).digest('hex');
  const known = cache.get(key);
  if (known !== undefined) return known ?? undefined;
  const result = computeMatch(text);
  cache.set(key, result ?? null);
  return result;
}

function computeMatch(text: string): LicenseMatch | undefined {
  return computeMatches(normalizedWords(text), false)[0];
}

/**
 * Every license a text holds (a license file may hold several: CPython's LICENSE holds the
 * Python license stack and the Zero-Clause BSD license of its documentation's examples). The best
 * match comes first, as identifyLicense finds it; another license is added when at least half of
 * its bigrams that the text holds are not already accounted for by the licenses before it, so a
 * license contained in a bigger one (BSD-2-Clause in BSD-3-Clause, PSF-2.0 in Python-2.0) is not
 * reported beside it.
 */
export function identifyLicenses(text: string): LicenseMatch[] {
  const tagged = spdxIdentifier(text);
  if (tagged) return [{ id: tagged, confidence: 1 }];
  return matchLicenseTexts(text);
}

/** identifyLicenses without the SPDX tag shortcut: only what the text's words hold. */
export function matchLicenseTexts(text: string, threshold: number = THRESHOLD): LicenseMatch[] {
  // Keyed by the normalised words: copies of one notice under other copyright lines (every file
  // of a vendored library) are matched once.
  const words = normalizedWords(text);
  const key = `${threshold}:${words.join(' ')}`;
  const known = multiCache.get(key);
  if (known) return known;
  const result = computeMatches(words, true, threshold);
  if (multiCache.size > 2_000) multiCache.clear();
  multiCache.set(key, result);
  return result;
}

const multiCache = new Map<string, LicenseMatch[]>();

/**
 * Kept in small functions: the optimizing compiler compiles each on its own, and a single big one
 * cost it about 80 ms per compilation, several times a run (it is recompiled when the shapes it
 * sees change).
 */
function computeMatches(words: readonly string[], all: boolean, threshold: number = THRESHOLD): LicenseMatch[] {
  const index = loadLicenseIndex();
  const bigrams = bigramSet(words);
  if (bigrams.size === 0) return [];
  const candidates = candidatesOf(index, countHits(index, bigrams), bigrams.size, threshold);
  const best = bestCandidate(index, candidates, bigrams);
  if (!best) return [];
  const found = [asMatch(index, best)];
  if (!all || candidates.length === 1) return found;
  return addContainedLicenses(index, found, best, candidates, bigrams);
}

interface Candidate {
  index: number;
  dice: number;
  containment: number;
  hits: number;
}

/** How many of each license's bigrams the text holds. */
function countHits(index: SpdxLicenseIndex, bigrams: Set<number>): Uint32Array {
  const matched = new Uint32Array(index.ids.length);
  const { keys, starts, postings } = index;
  for (const hash of bigrams) {
    const key = findKey(keys, hash);
    if (key === -1) continue;
    const end = starts[key + 1] as number;
    for (let p = starts[key] as number; p < end; p++) (matched[postings[p] as number] as number)++;
  }
  return matched;
}

/** The licenses the text holds at least `threshold` of, closest overall first. */
function candidatesOf(index: SpdxLicenseIndex, matched: Uint32Array, textSize: number, threshold: number): Candidate[] {
  const candidates: Candidate[] = [];
  for (let license = 0; license < matched.length; license++) {
    const hits = matched[license] as number;
    const size = index.sizes[license] ?? 1;
    const containment = hits / size;
    if (containment >= threshold) candidates.push({ index: license, dice: (2 * hits) / (size + textSize), containment, hits });
  }
  return candidates.sort((a, b) => b.dice - a.dice);
}

/**
 * The closest candidate, except that a license that is another plus a condition (ISC is 0BSD plus
 * "provided that the above copyright notice ... appear in all copies"; MIT is MIT-0 plus the same)
 * wins when the text holds most of what it adds, even if its holder names make it look less alike
 * overall.
 */
function bestCandidate(index: SpdxLicenseIndex, candidates: Candidate[], bigrams: Set<number>): Candidate | undefined {
  let best = candidates[0];
  for (let i = 1; i < candidates.length; i++) {
    const other = candidates[i] as Candidate;
    if (!best || (index.sizes[other.index] ?? 0) <= (index.sizes[best.index] ?? 0)) continue;
    const base = licenseBigrams(index, best.index);
    const added = [...licenseBigrams(index, other.index)].filter((hash) => !base.has(hash));
    if (added.length > 0 && added.filter((hash) => bigrams.has(hash)).length / added.length >= 0.5) best = other;
  }
  return best;
}

function asMatch(index: SpdxLicenseIndex, candidate: Candidate): LicenseMatch {
  return { id: index.ids[candidate.index] as string, confidence: Math.round(candidate.containment * 1000) / 1000 };
}

/** Other licenses the text holds beside `best`: each must bring at least half of its bigrams the text has that the licenses before it did not. */
function addContainedLicenses(index: SpdxLicenseIndex, found: LicenseMatch[], best: Candidate, candidates: Candidate[], bigrams: Set<number>): LicenseMatch[] {
  const covered = new Set<number>(heldBigrams(index, best.index, bigrams));
  const rest = candidates.filter((candidate) => candidate !== best).sort((a, b) => b.hits - a.hits);
  for (const candidate of rest) {
    const hashes = heldBigrams(index, candidate.index, bigrams);
    let novel = 0;
    for (const hash of hashes) if (!covered.has(hash)) novel++;
    if (hashes.length === 0 || novel / hashes.length < 0.5) continue;
    found.push(asMatch(index, candidate));
    for (const hash of hashes) covered.add(hash);
  }
  return found;
}

/** What one license holds of the text: its bigrams the text has (a license's are a sorted run of `members`, walked as an array: a Set is several times slower to walk). */
function heldBigrams(index: SpdxLicenseIndex, license: number, bigrams: Set<number>): number[] {
  const out: number[] = [];
  const end = index.memberStarts[license + 1] as number;
  for (let i = index.memberStarts[license] as number; i < end; i++) {
    const hash = index.members[i] as number;
    if (bigrams.has(hash)) out.push(hash);
  }
  return out;
}

const licenseSets = new Map<number, Set<number>>();

/** One license's bigrams (only for the rare close calls). */
function licenseBigrams(index: SpdxLicenseIndex, license: number): Set<number> {
  let set = licenseSets.get(license);
  if (set) return set;
  set = new Set(index.members.subarray(index.memberStarts[license], index.memberStarts[license + 1]));
  licenseSets.set(license, set);
  return set;
}

/** How much of one named license's text the given text holds (0–1); 0 for an unknown id. */
export function containmentOf(text: string, id: string): number {
  const index = loadLicenseIndex();
  const position = index.ids.indexOf(id);
  if (position === -1) return 0;
  let hits = 0;
  for (const hash of bigramSet(normalizedWords(text))) {
    const key = findKey(index.keys, hash);
    if (key !== -1 && index.postings.subarray(index.starts[key], index.starts[key + 1]).includes(position)) hits++;
  }
  return hits / (index.sizes[position] ?? 1);
}

/**
 * An `SPDX-License-Identifier:` line states the license outright (REUSE, the Linux kernel, many
 * C libraries); the expression is taken when it is a single id or a simple expression.
 */
export function spdxIdentifier(text: string): string | undefined {
  // What `/SPDX-License-Identifier:\s*([A-Za-z0-9.+()\- ]+?)\s*(?:\*\/|-->|$)/m` would capture, found
  // in one pass: that expression backtracks quadratically over a run of blanks after the id.
  const marker = 'SPDX-License-Identifier:';
  for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + 1)) {
    const found = identifierAfter(text, at + marker.length);
    if (found !== undefined) return found.trim() || undefined;
  }
  return undefined;
}

const isIdChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9.+()\- ]/.test(c);
const isBlank = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
const isLineEnd = (c: string | undefined): boolean => c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';

/**
 * The capture of the expression above at `from` (just after the colon), or undefined when it does
 * not match there. `ends[p]`: the id may stop at p (blanks, then a line end, the text's end, `*\/`
 * or `-->`), computed right to left so the whole is linear.
 */
function identifierAfter(text: string, from: number): string | undefined {
  let start = from;
  while (isBlank(text[start])) start++;
  let end = start;
  while (isIdChar(text[end])) end++;
  // Whether p may end the id; for p past `end` only blanks matter, so one scan right of `end`.
  let after = end;
  while (isBlank(text[after]) && !isLineEnd(text[after])) after++;
  const stopsAt = (p: number): boolean => p >= text.length || isLineEnd(text[p]) || text.startsWith('*/', p) || text.startsWith('-->', p);
  const ends: boolean[] = new Array(end - from + 1).fill(false);
  ends[end - from] = stopsAt(after) || isLineEnd(text[after]);
  for (let p = end - 1; p >= from; p--) {
    const c = text[p];
    ends[p - from] = isLineEnd(c) || (isBlank(c) ? (ends[p + 1 - from] as boolean) : stopsAt(p));
  }
  // The greedy blanks first, the shortest id after them.
  for (let p = start + 1; p <= end; p++) if (ends[p - from]) return text.slice(start, p);
  // Backtracking into the blanks: only spaces may be taken as the id then (trimmed to nothing).
  // (The shortest such id is one space; a longer one can only stop where a shorter one can.)
  for (let s = start - 1; s >= from; s--) if (text[s] === ' ' && ends[s + 1 - from]) return ' ';
  return undefined;
}
