import parseExpression from 'spdx-expression-parse';
import { commentSyntaxOf, stripCommentMarkers } from './comment-syntax.js';
import { copyrightStatements } from './copyright.js';
import { decodeText, looksBinary } from './decode.js';
import { THRESHOLD, matchLicenseTexts } from './match.js';
import { commentSpans, noticeBlocks } from './notice-blocks.js';
import { licenseReferences } from './references.js';
import { type Lines, linesOf } from './lines.js';

/**
 * What one file's own text says about its license and copyright, as a per-file scanner
 * (ScanCode, Debian's licensecheck) reads it:
 * - `SPDX-License-Identifier:` and `SPDX-FileCopyrightText:` tags (REUSE): taken as stated;
 * - license texts and notices (a license quoted in a header comment, a LICENSE file), matched
 *   against the SPDX license list's texts;
 * - standard short references that name a license ("Licensed under the Apache License, Version
 *   2.0"), by their wording;
 * - copyright statements, whole (see copyright.ts).
 * Pure: the same bytes give the same evidence, and nothing but the bytes and the path (for the
 * kind of file, hence its comment syntax) is looked at. Bounded: a file up to WHOLE_BYTES is read
 * whole, a bigger one only in its first HEAD_BYTES and last TAIL_BYTES, where notices are; a
 * cheap search for the words every notice has ("copyright", "license", "©", "public domain",
 * "(c) <year>") decides before any decoding whether there is anything to read.
 */
export interface FileLicenseEvidence {
  /** SPDX license expression. */
  expression: string;
  /** How it was found: a REUSE tag, a whole license text (a license file), a notice in a comment, a short reference. */
  method: 'spdx-tag' | 'license-text' | 'notice' | 'reference';
  /** Share of the SPDX license text found, 0–1 (`license-text`, `notice`). */
  confidence?: number;
  /** 1-based line where the statement starts. */
  line?: number;
}

export interface FileEvidence {
  licenses: FileLicenseEvidence[];
  /** Copyright statements, whole, in file order, each once. */
  copyrights: string[];
  /** 1-based line where each of `copyrights` starts (same order). */
  copyrightLines?: number[];
  /** The file says its code is licensed to the PSF under a contributor agreement (CPython's own, whoever holds the copyright). */
  contributorAgreement?: boolean;
  /** Of `copyrights`, those the contributor-agreement sentence speaks for (the statements just above it, or just below it). */
  contributed?: string[];
  /** Permission notices no SPDX license text matches and no reference names, as written (without comment markers). */
  notices?: { line: number; text: string }[];
  /** The sentence that puts the file's code (or part of it) in the public domain. */
  publicDomain?: string;
  /** Tag values that are not valid SPDX expressions, as written (reported, not used). */
  invalidTags?: string[];
}

/** A file up to this size is read whole; a bigger one in its head and tail. */
export const WHOLE_BYTES = 80 * 1024;
export const HEAD_BYTES = 64 * 1024;
export const TAIL_BYTES = 16 * 1024;
/** Notices read per file (a license file collecting many licenses has one per section). */
const MAX_BLOCKS = 32;
/** Least share of a license's text a notice must hold to be called that license (stricter than a license file's: a notice is short, and a near miss is another license). */
export const NOTICE_THRESHOLD = 0.85;

/**
 * Byte strings one of which every notice holds, searched for before anything is decoded. A
 * search runs from each place its first byte occurs, so each needle starts with a letter that is
 * rare in code: "yright" (Copyright, copyright, SPDX-FileCopyrightText) is several times cheaper
 * than "copyright", "cense" (license, licensed; SPDX-License-Identifier) than "license". A notice
 * whose only such word is in capitals ("COPYRIGHT HOLDERS") has it in lower case too; "(c)
 * 2013-2017 Christian Heimes" has neither word.
 */
const NEEDLES = ['yright', 'cense', '(c) 1', '(c) 2'].map((needle) => Buffer.from(needle, 'latin1'));
/** "public domain" in any case, found from its rarer "ublic" ("Released to the public domain, by Tim Peters"). */
const PUBLIC = Buffer.from('ublic', 'latin1');
const DOMAIN = Buffer.from(' domain', 'latin1');
/** The © sign, as UTF-8 and as Latin-1/Windows-1252 (its last byte either way). */
const COPYRIGHT_SIGN = 0xa9;

/**
 * Words that make a line part of a notice, lower case, each searched for on its own (a string
 * search per word is several times faster than one regular expression with all of them); `check`
 * confirms a short one where it needs what follows it.
 */
const HIT_WORDS: { word: string; check?: RegExp }[] = [
  // "yright" is where "copyright" is, and cheaper to find (see NEEDLES).
  { word: 'yright' },
  { word: 'licen' },
  { word: 'spdx-' },
  { word: 'public domain' },
  { word: '\u00a9' },
  { word: '(c)', check: /^\(c\) ?(?:\d{4}|copyright)/ },
  { word: 'permission ', check: /^permission (?:is hereby granted|to use)/ },
  { word: 'written ', check: /^written (?:in \d{4} )?by/ },
];

/**
 * Words a license notice has: a grant, a condition or a disclaimer. A block without any (a
 * docstring that mentions `license()`) is not matched against the license texts; short
 * references are looked for by their own words (references.ts).
 */
const NOTICE_WORDS = /without restriction|permission|redistribut|warrant|liabl|as[- ]is\b|public domain|terms and conditions|licen[cs]ed under|licen[cs]ed to/i;

/**
 * What a license text (as opposed to a mention of one) always has: a disclaimer, a grant
 * ("hereby granted", HPND's "permission notice"), a dedication, or FSFUL's "unlimited
 * permission". Only such notices are matched against the SPDX texts: the matcher is the scan's
 * dearest part, and documentation that talks about licenses has none of these words.
 */
const LICENSE_TEXT_WORDS = /warrant|as[- ]is\b|public domain|unlimited permission|liabl|hereby granted|permission notice/i;

const LICENSE_FILE = /^(?:licen[cs]e|copying|copyright|notice|unlicense|patents)(?:[._-][^/]*)?$/i;

/** Words saying the code or text after them comes from elsewhere. */
const ORIGIN = /based on|derived from|taken from|adapted from|which is:/i;

/** How many lines above its contributor-agreement sentence a copyright statement may be and still be the one it speaks for. */
const AGREEMENT_DISTANCE = 4;

/** Words that grant a permission: a notice with them that matched nothing is an unidentified license. */
const GRANT =
  /permission (?:is hereby granted|to use|to copy)|hereby grant|may be used and copied|redistribution and use|you may (?:use|copy|redistribute|modify)|(?:can|may) (?:redistribute|use) (?:it|this)|freely (?:use|distribute|redistribute)|use this software in any way|without restriction/i;

/** Longest text kept of an unidentified notice. */
const NOTICE_CHARS = 3000;

/** Words of a license's paragraphs; a notice ends at the first paragraph without any. */
const LICENSE_PARAGRAPH = /warrant|liab|permission|copyright|licen[cs]|provided|condition|disclaim|as[- ]is|notice|restriction|granted|fee\b/i;

/**
 * The permission notice in a block, without comment markers: from the paragraph with its first
 * granting sentence, as long as paragraphs read like a license (the comment may go on about code).
 */
function permissionNotice(lines: Lines, start: number, end: number): { start: number; text: string } | undefined {
  for (let i = start; i < end; i++) {
    if (!GRANT.test(lines.get(i))) continue;
    let from = i;
    while (from > start && stripCommentMarkers(lines.get(from - 1)).trim() !== '' && i - from < 6) from--;
    const paragraphs: string[][] = [[]];
    for (let j = from; j < end; j++) {
      const line = stripCommentMarkers(lines.get(j)).trim();
      // A rule of dashes or stars closes a comment box; it is no part of the notice.
      if (/^[-=*#_~+]{3,}$/.test(line)) break;
      if (line === '') {
        if ((paragraphs[paragraphs.length - 1] as string[]).length > 0) paragraphs.push([]);
        continue;
      }
      (paragraphs[paragraphs.length - 1] as string[]).push(line);
    }
    const kept: string[] = [];
    for (const paragraph of paragraphs) {
      const text = paragraph.join('\n');
      if (text === '' || (kept.length > 0 && !LICENSE_PARAGRAPH.test(text))) break;
      kept.push(text);
      if (kept.join('\n\n').length >= NOTICE_CHARS) break;
    }
    return { start: from, text: kept.join('\n\n').slice(0, NOTICE_CHARS) };
  }
  return undefined;
}

/** A sentence saying the code is the PSF's to license, whoever wrote it (CPython's contributor agreement). */
const CONTRIBUTOR_AGREEMENT = /licen[cs]ed to (?:the )?(?:psf|python software foundation) under (?:a|the) contributor agreement/i;

interface Region {
  start: number;
  end: number;
}

export function scanFileEvidence(path: string, input: Buffer): FileEvidence | undefined {
  if (input.length === 0 || looksBinary(input)) return undefined;
  // UTF-16 (Windows resource files): its notice words are not the bytes searched for.
  const bytes = isUtf16(input) ? Buffer.from(decodeText(input.subarray(0, WHOLE_BYTES * 2)).text, 'utf8') : input;
  const regions = examinedRegions(bytes.length).filter((region) => mentionsNotice(bytes, region));
  if (regions.length === 0) return undefined;

  const syntax = commentSyntaxOf(path);
  const base = path.slice(path.lastIndexOf('/') + 1);
  const textMethod: FileLicenseEvidence['method'] = LICENSE_FILE.test(base) ? 'license-text' : 'notice';
  const licenses: FileLicenseEvidence[] = [];
  const copyrights: string[] = [];
  const copyrightLines: number[] = [];
  const invalidTags: string[] = [];
  let contributorAgreement = false;
  const agreementLines: number[] = [];
  /** `agreementLine:statementLine` pairs with an origin sentence between them. */
  const derivedBetween = new Set<string>();
  const notices: { line: number; text: string }[] = [];
  let publicDomain: string | undefined;

  for (const region of regions) {
    const text = regionText(bytes, region);
    const lines = linesOf(text);
    const hits = hitLines(text, lines);
    if (hits.length === 0) continue;
    let offset: number | undefined;
    // Line numbers in a file's tail count the lines before it, only when something is found there.
    const lineNumber = (index: number): number => {
      offset ??= region.start === 0 ? 0 : countNewlines(bytes, 0, lineStart(bytes, region.start));
      return offset + index + 1;
    };

    // REUSE tags: authoritative, as stated.
    for (const i of hits) {
      const line = lines.get(i);
      if (!line.includes('SPDX-')) continue;
      const license = /SPDX-License-Identifier:(.+)$/.exec(line);
      if (license) {
        const expression = tagValue(license[1] as string);
        if (isExpression(expression)) addLicense({ expression, method: 'spdx-tag', line: lineNumber(i) });
        else if (expression) invalidTags.push(expression);
      }
      const copyright = /SPDX-FileCopyrightText:(.+)$/.exec(line);
      if (copyright) {
        const value = tagValue(copyright[1] as string);
        const statement = value.replace(/\s+/g, ' ');
        if (statement) addCopyright(/^(?:copyright|\(c\)|©)/i.test(statement) ? statement : `Copyright ${statement}`, lineNumber(i));
      }
    }

    for (const statement of copyrightStatements(lines, hits)) {
      if (lines.get(statement.line).includes('SPDX-FileCopyrightText')) continue;
      addCopyright(statement.text, lineNumber(statement.line));
    }

    const spans = commentSpans(text, lines, syntax, hits[hits.length - 1] as number);
    for (const block of noticeBlocks(lines, hits, syntax, spans, MAX_BLOCKS)) {
      const notice = blockText(lines, block.start, block.end);
      if (CONTRIBUTOR_AGREEMENT.test(notice.replace(/\s+/g, ' '))) {
        contributorAgreement = true;
        for (let i = block.start; i < block.end; i++) {
          if (!/contributor agreement/i.test(lines.get(i))) continue;
          agreementLines.push(lineNumber(i));
          for (let j = i + 1, origin = false; j < block.end && j <= i + AGREEMENT_DISTANCE + 1; j++) {
            origin ||= ORIGIN.test(lines.get(j));
            if (origin) derivedBetween.add(`${lineNumber(i)}:${lineNumber(j)}`);
          }
        }
      }
      const line = lineNumber(block.seed);
      const before = licenses.length;
      const references = licenseReferences(notice);
      for (const reference of references) addLicense({ expression: reference.expression, method: 'reference', line });
      if (!NOTICE_WORDS.test(notice)) continue;
      publicDomain ??= publicDomainSentence(notice);
      const threshold = textMethod === 'license-text' ? THRESHOLD : NOTICE_THRESHOLD;
      const matched = LICENSE_TEXT_WORDS.test(notice) ? matchLicenseTexts(notice, threshold) : [];
      for (const match of matched) addLicense({ expression: match.id, method: textMethod, confidence: match.confidence, line });
      if (matched.length === 0 && references.length === 0 && licenses.length === before) {
        const unmatched = permissionNotice(lines, block.start, block.end);
        if (unmatched && notices.length < 4) notices.push({ line: lineNumber(unmatched.start), text: unmatched.text });
      }
    }
  }

  // CC0 is how its authors put the code in the public domain: the license says it.
  if (licenses.some((license) => license.expression === 'CC0-1.0')) publicDomain = undefined;
  if (licenses.length === 0 && copyrights.length === 0 && !contributorAgreement && !publicDomain && invalidTags.length === 0 && notices.length === 0)
    return undefined;
  // The holders a contributor-agreement sentence speaks for: the statements just above it, or
  // just below it in the same notice unless the lines between say the code comes from elsewhere
  // ("Based on the file ... which is: Copyright (c) 2002 Unicode, Inc.").
  const contributed = copyrights.filter((_, i) => {
    const at = copyrightLines[i] as number;
    return agreementLines.some(
      (line) =>
        (line - at >= 0 && line - at <= AGREEMENT_DISTANCE) || (at > line && at - line <= AGREEMENT_DISTANCE + 1 && !derivedBetween.has(`${line}:${at}`)),
    );
  });
  return {
    licenses,
    copyrights,
    ...(copyrights.length > 0 ? { copyrightLines } : {}),
    ...(contributorAgreement ? { contributorAgreement } : {}),
    ...(contributed.length > 0 ? { contributed } : {}),
    ...(notices.length > 0 ? { notices } : {}),
    ...(publicDomain ? { publicDomain } : {}),
    ...(invalidTags.length > 0 ? { invalidTags } : {}),
  };

  function addLicense(found: FileLicenseEvidence): void {
    // One entry per expression: a tag is stronger than a text, a text than a reference.
    const index = licenses.findIndex((known) => known.expression === found.expression);
    if (index === -1) licenses.push(found);
    else if (STRENGTH[found.method] > STRENGTH[(licenses[index] as FileLicenseEvidence).method]) licenses[index] = found;
  }
  function addCopyright(statement: string, line: number): void {
    if (copyrights.includes(statement)) return;
    copyrights.push(statement);
    copyrightLines.push(line);
  }
}

const STRENGTH: Record<FileLicenseEvidence['method'], number> = { 'spdx-tag': 3, 'license-text': 2, notice: 2, reference: 1 };

function isUtf16(bytes: Buffer): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/** The whole file, or its head and tail. */
function examinedRegions(size: number): Region[] {
  if (size <= WHOLE_BYTES) return [{ start: 0, end: size }];
  return [
    { start: 0, end: HEAD_BYTES },
    { start: size - TAIL_BYTES, end: size },
  ];
}

function mentionsNotice(bytes: Buffer, region: Region): boolean {
  const view = bytes.subarray(region.start, region.end);
  if (view.indexOf(COPYRIGHT_SIGN) !== -1 || NEEDLES.some((needle) => view.indexOf(needle) !== -1)) return true;
  for (let at = view.indexOf(PUBLIC); at !== -1; at = view.indexOf(PUBLIC, at + PUBLIC.length)) {
    if (followedByDomain(view, at + PUBLIC.length)) return true;
  }
  return false;
}

/** Whether " domain" (any case) starts at `at`. */
function followedByDomain(view: Buffer, at: number): boolean {
  if (at + DOMAIN.length > view.length) return false;
  for (let i = 0; i < DOMAIN.length; i++) {
    // ASCII letters compare caselessly with their 0x20 bit set; the space is compared as is.
    const byte = view[at + i] as number;
    const want = DOMAIN[i] as number;
    if (i === 0 ? byte !== want : (byte | 0x20) !== want) return false;
  }
  return true;
}

/** The region as text; a region cut mid-file starts and ends at line boundaries. */
function regionText(bytes: Buffer, region: Region): string {
  let start = region.start;
  let end = region.end;
  if (start > 0) start = lineStart(bytes, start);
  if (end < bytes.length) {
    const last = bytes.lastIndexOf(0x0a, end - 1);
    if (last > start) end = last + 1;
  }
  const { text } = decodeText(bytes.subarray(start, end));
  // Old Mac OS files end their lines with CR alone.
  return text.includes('\n') || !text.includes('\r') ? text : text.replaceAll('\r', '\n');
}

function blockText(lines: Lines, start: number, end: number): string {
  const parts: string[] = [];
  for (let i = start; i < end; i++) parts.push(lines.get(i));
  return parts.join('\n');
}

/** Indices of the lines with notice words, in order, each once. */
function hitLines(text: string, lines: Lines): number[] {
  // A few letters (İ) grow when lower-cased; then offsets would drift: their lines are found by
  // searching the text as it is, lower-casing only what is compared.
  const lower = text.toLowerCase();
  const exact = lower.length === text.length;
  const haystack = exact ? lower : text;
  const found = new Set<number>();
  for (const { word, check } of HIT_WORDS) {
    const positions = exact ? allIndexes(haystack, word) : caselessIndexes(text, word);
    for (const at of positions) {
      if (check && !check.test(haystack.slice(at, at + 40).toLowerCase())) continue;
      found.add(lines.lineOf(at));
    }
  }
  return [...found].sort((a, b) => a - b);
}

function allIndexes(text: string, word: string): number[] {
  const out: number[] = [];
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + word.length)) out.push(at);
  return out;
}

function caselessIndexes(text: string, word: string): number[] {
  const out: number[] = [];
  const pattern = new RegExp(word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) out.push(match.index);
  return out;
}

/** The offset of the first line that starts at or after `offset`. */
function lineStart(bytes: Buffer, offset: number): number {
  const newline = bytes.indexOf(0x0a, offset - 1);
  return newline === -1 ? offset : newline + 1;
}

function countNewlines(bytes: Buffer, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (bytes[i] === 0x0a) count++;
  return count;
}

/** A tag's value without what closes the comment or string it is in. */
function tagValue(raw: string): string {
  let value = stripCommentMarkers(`x ${raw.trim()}`).slice(2).trim();
  while (value !== '' && `"'\``.includes(value[value.length - 1] as string)) value = value.slice(0, -1);
  return value.trim();
}

function isExpression(expression: string): boolean {
  if (!expression) return false;
  try {
    parseExpression(expression);
    return true;
  } catch {
    return false;
  }
}

/** "Released to the public domain, by Tim Peters, 15 April 1998.": the line that says so. */
function publicDomainSentence(notice: string): string | undefined {
  if (!/public domain/i.test(notice)) return undefined;
  const lines = notice.split('\n').map((line) => stripCommentMarkers(line).trim());
  const at = lines.findIndex((line) => /public domain/i.test(line));
  if (at === -1) return undefined;
  // A line that goes on from the one before ("... have dedicated all copyright\nand related ... to the public domain").
  let text = lines[at] as string;
  for (let i = at - 1; i >= 0 && i >= at - 3 && /^[a-z(]/.test(text) && (lines[i] as string) !== ''; i--) text = `${lines[i]} ${text}`;
  const lower = text.toLowerCase();
  // "public domain" in other words (a license's title, "public domain software") is no dedication:
  // a dedication puts the code in it, or says it is there.
  if (!/\b(?:released|placed|put|dedicated|donated|is|are|in|into|to)\b[^.]{0,60}public domain|public domain\s*[.,;:]|public domain$/.test(lower))
    return undefined;
  return text.replace(/\s+/g, ' ').slice(0, 300);
}
