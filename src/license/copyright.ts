import { stripCommentMarkers } from './comment-syntax.js';
import { type Lines, linesOfArray } from './lines.js';

/**
 * Copyright statements, whole: a statement starts at "Copyright", "(c) <year>" or "© <year>"
 * (anywhere in a line: quoted in a license, after a label, in a string) and goes on over the
 * lines that continue it — a holder list that ends in a comma or "and", a wrapped quotation, the
 * "All rights reserved." under it — so that W3C's "Copyright © 2013 W3C® (MIT, ERCIM, Keio,
 * Beihang), All Rights Reserved." is one statement, not a line cut at its comma. Comment
 * markers, C string escapes and markup are taken off; the holder and years are kept as written.
 * Sentences that only mention copyright ("the above copyright notice", "COPYRIGHT HOLDERS AND
 * CONTRIBUTORS") and templates (`<year> <copyright holders>`, `YEAR ORGANIZATION`) are not
 * statements. Public-domain and CC0 code names its authors instead ("Written in 2012 by Samuel
 * Neves"): such authorship lines count too, where they head a notice.
 */
export interface CopyrightStatement {
  text: string;
  /** 0-based index of the line the statement starts on. */
  line: number;
}

/** Longest statement kept (a runaway join is cut there). */
const MAX_STATEMENT = 400;
/** Most lines one statement spans. */
const MAX_LINES = 5;

/** Where a statement may start: the word, or a (c)/© sign. */
const TOKEN = /copyright\b|\(c\)|©/gi;

/** Words after "copyright" that make it a mention, not a statement. */
const MENTION =
  /^(?:notices?|holders?|owners?|law|laws|statements?|licen[cs]e[sd]?|and|or|to|in|is|of|on|for|the|this|that|these|with|protection|information|info|status|permission|claims?|interest|assignment|transfer|rights?|act|agreement|sign|symbol|character|mark|grant|trademark|notification|disclaimers?|year|years|date|text|message|line|string|header|details|policy|file|section|terms|infringement|page|ownership|assignments|release|purposes|not|will|may|shall|must|does|are|was|be|=|\))\b/i;

/** Placeholders of templates: `<year>`, `[yyyy]`, `{yyyy}`, `YEAR ORGANIZATION`, `__MyCompanyName__`, `%s`. */
const TEMPLATE =
  /<(?:year|name|owner|copyright|author|organization|holder)[^>]{0,40}>|\[(?:yyyy|year|name)[^\]]{0,40}\]|\{(?:yyyy|year|name)[^}]{0,40}\}|\bYEAR\b|\byyyy\b|\bFIRST AUTHOR\b|__MyCompanyName__|%[sd]\b|\{\}/i;

/** A line that is the start of license prose, never part of a holder list. */
const PROSE =
  /^(?:permission|redistribution|licen[cs]ed|this|these|the |use|you|see|released|distributed|all rights|written|by |under|thanks|based|derived|modified|contributed|portions|\(c\)|©|copyright|spdx-|https?:|$)/i;

/** A statement that ends this way goes on to the next line. */
const OPEN_END = /(?:[,&(]|\band|\bby|\bof|\bthe|\bfrom|\(c\)|©|\bcopyright|\s-)$/i;

const AUTHORSHIP = /^(?:written|authored)\s(?:in\s\d{4}(?:-\d{4})?\s)?by\s\S/i;

export function copyrightStatements(lines: Lines, candidates?: readonly number[]): CopyrightStatement[] {
  const found: CopyrightStatement[] = [];
  const seen = new Set<string>();
  const indices = candidates ?? Array.from({ length: lines.length }, (_, i) => i);
  for (const i of indices) {
    const raw = lines.get(i);
    const lower = raw.length > 4000 ? '' : raw.toLowerCase();
    if (!lower.includes('copyright') && !lower.includes('(c)') && !lower.includes('©') && !lower.includes('written') && !lower.includes('authored')) continue;
    const content = stripCommentMarkers(raw).trim();
    if (AUTHORSHIP.test(content) && /public domain|cc0|dedicated all copyright/i.test([0, 1, 2, 3].map((k) => lines.get(i + k)).join(' '))) {
      remember(clean(content), i);
      continue;
    }
    // Sphinx and Pocoo modules: ":copyright: 2008-2014 by Georg Brandl." (or ":copyright: Copyright 2008 by ...").
    const field = /^:copyright:\s*(\S.*)$/i.exec(content);
    if (field) {
      const value = (field[1] as string).trim();
      const statement = finish(/^(?:copyright|\(c\)|©)/i.test(value) ? value : `Copyright ${value}`);
      if (statement && !MENTION.test(value)) remember(statement, i);
      continue;
    }
    // Several statements may share a line ("Copyright © 2001 PSF. Copyright © 2000 BeOpen.com."):
    // a start after the end of a sentence begins the next one; "(c) Copyright CNRI" is one.
    const starts = statementStarts(content);
    const first = starts[0];
    if (first === undefined) continue;
    const cuts = starts.filter((at, k) => k > 0 && /[.;]\s*$/.test(content.slice(first, at)));
    if (cuts.length === 0) {
      const statement = readStatement(lines, i, content, first, raw);
      if (statement) remember(statement, i);
      continue;
    }
    for (const [k, at] of [first, ...cuts].entries()) {
      const statement = finish(content.slice(at, cuts[k] ?? content.length));
      if (statement) remember(statement, i);
    }
  }
  return found;

  function remember(text: string, line: number): void {
    if (!text || seen.has(text)) return;
    seen.add(text);
    found.push({ text, line });
  }
}

/** The statements of a text (a license file, a header), in order, each once. */
export function extractCopyrights(text: string): string[] {
  return copyrightStatements(linesOfArray(text.split(/\r?\n/))).map((statement) => statement.text);
}

/** Offsets in a line where a statement starts. */
function statementStarts(content: string): number[] {
  const starts: number[] = [];
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(content); match && starts.length < 4; match = TOKEN.exec(content)) {
    const at = match.index;
    const before = at === 0 ? '' : (content[at - 1] as string);
    // `__copyright__`, `sys.copyright`, `f(c)`: part of an identifier or an expression.
    if (/[A-Za-z0-9_.]/.test(before)) continue;
    const token = match[0].toLowerCase();
    const rest = content.slice(at + match[0].length).replace(/^[\s:]+/, '');
    if (token === 'copyright') {
      if (/^:copyright:/i.test(content.slice(Math.max(0, at - 1)))) continue;
      const after = rest.replace(/^(?:\(c\)|©|&copy;|\\'a9|\\xa9)\s*/i, '');
      if (after === '' && rest !== after) {
        starts.push(at); // "Copyright (c)" at the end of a line: the year is on the next one.
        continue;
      }
      if (after === '') continue;
      if (MENTION.test(after) || TEMPLATE.test(after)) continue;
      if (!/^(?:\d{4}|[A-Z\u00C0-\u024F]|by\s|\(\d{4})/.test(after)) continue;
      starts.push(at);
    } else {
      // "(c)" and "©" alone start list items as often as statements: a year or "Copyright" must follow.
      if (!/^(?:\d{4}|copyright\b)/i.test(rest)) continue;
      if (/^copyright\b/i.test(rest)) {
        const afterWord = rest.slice('copyright'.length).trim();
        if (MENTION.test(afterWord) || afterWord === '') continue;
      }
      starts.push(at);
    }
  }
  return starts;
}

/** The statement that starts at `start` of line `index`, joined with the lines that continue it. */
function readStatement(lines: Lines, index: number, content: string, start: number, raw: string): string | undefined {
  const before = start > 0 ? (content[start - 1] as string) : '';
  const quote = before === '"' || before === '\u201c' ? (before === '"' ? '"' : '\u201d') : undefined;
  let text = content.slice(start);
  if (quote) {
    // The closing quote may be what stripping the line took off its end: look in the line itself.
    const rest = raw.slice(raw.indexOf(text.slice(0, 20)));
    const close = rest.indexOf(quote);
    if (close !== -1) return finish(rest.slice(0, close));
  }
  for (let j = index + 1, joined = 1; j < lines.length && joined < MAX_LINES && text.length < MAX_STATEMENT; j++, joined++) {
    const next = stripCommentMarkers(lines.get(j)).trim();
    if (next === '') break;
    if (quote) {
      const close = next.indexOf(quote);
      if (close !== -1) return finish(`${text} ${next.slice(0, close)}`);
      text = `${text} ${next}`;
      continue;
    }
    if (/^all rights reserved/i.test(next)) {
      text = `${text} ${next}`;
      break;
    }
    // "... Centrum Amsterdam, / The Netherlands." goes on; "The above copyright notice" does not.
    if (OPEN_END.test(text) && (!PROSE.test(next) || /^The [A-Z]/.test(next))) {
      text = `${text} ${next}`;
      continue;
    }
    if (/^(?:and|&)\s/i.test(next) && !PROSE.test(next.replace(/^(?:and|&)\s+/i, ''))) {
      text = `${text} ${next}`;
      continue;
    }
    // A list of holders, one under the other, each aligned with the first one's name.
    if (!PROSE.test(next) && next.length < 80 && alignedWithHolder(lines.get(index), text, lines.get(j))) {
      text = `${text}, ${next}`;
      continue;
    }
    // A holder's name wrapped onto the next line ("... Virginia Polytechnic / Institute and State
    // University, Blacksburg, Virginia, USA.", "... and Fred / L. Drake, Jr.").
    if (!/[.)>]$/.test(text) && /[A-Za-z]$/.test(text) && (isNameLine(next) || /^[A-Z]\.\s/.test(next))) {
      text = `${text} ${next}`;
      continue;
    }
    break;
  }
  return finish(text);
}

/** A line made only of names: capitalised words, commas, "and", "of" (an organisation's name wrapped). */
function isNameLine(line: string): boolean {
  if (line.length > 80 || !/^[A-Z]/.test(line)) return false;
  const words = line.replace(/\.$/, '').split(/[ ,]+/).filter(Boolean);
  return words.length > 0 && words.every((word) => /^[A-Z][A-Za-z.'&-]*$/.test(word) || /^(?:and|&|of|for|de|van|von|der)$/.test(word));
}

/** Whether a line's text starts in the column where the statement's holder starts. */
function alignedWithHolder(statementLine: string, statement: string, next: string): boolean {
  const holder = holderOf(statement);
  if (holder.length < 3) return false;
  const column = statementLine.indexOf(holder.slice(0, Math.min(12, holder.length)));
  if (column < 8) return false;
  const first = next.search(/[A-Za-z\u00C0-\u024F]/);
  return first === column;
}

/** A statement as it is kept: one line, markup and escapes gone, no dangling punctuation. */
function finish(text: string): string | undefined {
  const statement = endOfStatement(clean(text));
  if (!statement || TEMPLATE.test(statement)) return undefined;
  // A statement names a year or a holder: "Copyright (c)" alone is not one.
  if (!/[A-Za-z0-9\u00C0-\u024F]/.test(statement.replace(/^(?:copyright|\(c\)|©|\s)+/i, ''))) return undefined;
  return statement;
}

/**
 * A statement ends with its holder (and "All rights reserved."): a sentence after it ("You may
 * use this program, or ...", "Licensed to PSF ...") and a clause it was cut in ("Python Software
 * Foundation, and were") are not part of it.
 */
function endOfStatement(statement: string): string {
  let out = statement;
  // A new sentence after the holder: a capitalised word and a lower-case one ("You may ...",
  // "Copying is permitted ...", "Licensed to PSF ..."), except the rights reservation.
  const sentence = /(?:[A-Za-z]{2}|\d|\))\.\s+(?=[A-Z][a-z]*\s+[a-z])(?!All\s+rights)/.exec(out);
  if (sentence) out = out.slice(0, sentence.index + sentence[0].indexOf('.') + 1);
  for (let round = 0; round < 4; round++) {
    const next = trimEnd(out.replace(/(?:^|[\s,;])(?:and|or|which|who|that|are|were|was|is|has|have|by|with|of|the|from|in)$/i, ''), ' ,;:');
    if (next === out || next.length < 12) break;
    out = next;
  }
  return out;
}

function clean(text: string): string {
  let out = text;
  // RTF and HTML spellings of © and &, and markup around a statement (`</string>`).
  if (out.includes('\\')) out = out.replace(/\\'a9|\\xa9/gi, '©');
  if (out.includes('&')) out = out.replace(/&copy;|&#169;|&#xa9;/gi, '©').replace(/&amp;/g, '&');
  if (out.includes('<')) out = out.replace(/<\/?[A-Za-z][A-Za-z0-9:_-]{0,30}\/?>/g, ' ');
  out = out.replace(/\s+/g, ' ').trim();
  if (out.length > MAX_STATEMENT) out = out.slice(0, MAX_STATEMENT).trimEnd();
  // A trailing comma, semicolon or colon, a dangling quote or bracket from the source.
  out = trimEnd(out, ' ,;:"\'`\u201d(');
  return out;
}

/** `text` without any of `chars` at its end (a loop, not a regex: no backtracking over long runs). */
function trimEnd(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.includes(text[end - 1] as string)) end--;
  return text.slice(0, end);
}

/**
 * The holder a statement names: without "Copyright", the (c) sign, years and ranges, "by" and
 * "All rights reserved". Used to tell CPython's own lineage from other holders, and in messages.
 */
export function holderOf(statement: string): string {
  let rest = statement
    .replace(/^spdx-filecopyrighttext:\s*/i, '')
    .replace(/all rights reserved\.?/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  for (let round = 0; round < 6; round++) {
    const next = rest
      .replace(/^(?:portions\s+)?(?:copyright|\(c\)|©)[\s:.,]*/i, '')
      .replace(/^(?:written|authored)\s(?:in\s\d{4}(?:-\d{4})?\s)?by\s/i, '')
      .replace(/^\d{4}(?:[ \t]{0,3}[-–,/][ \t]{0,3}(?:\d{4}|\d{2}|present)){0,20}[\s,.]*/i, '')
      .replace(/^(?:and|by)\s+/i, '');
    if (next === rest) break;
    rest = next;
  }
  // E-mail addresses and web pages say how to reach a holder, not who it is.
  rest = rest.replace(/\s*(?:[;,]\s*)?(?:mailto:\S+|<[^<>\s]*@[^<>\s]*>|\([^()\s]*@[^()\s]*\)|https?:\/\/\S+)/g, '');
  return trimEnd(rest, ' ,;:.');
}
