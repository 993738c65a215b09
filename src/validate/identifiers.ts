import { PackageURL } from 'packageurl-js';

/**
 * Syntax of the identifiers vulnerability scanners match on: package URLs (read by packageurl-js,
 * the purl specification's JavaScript implementation) and CPE names (the CPE 2.3 formatted-string
 * binding, and the CPE 2.2 URI binding CycloneDX also allows, after NISTIR 7695 §6). Each check
 * returns what is wrong, or undefined when the text is well formed. Written as small scanners over
 * the text, not as one regular expression: the grammar's nested repetitions backtrack badly.
 */

/** Longest identifier looked at; real purls and CPEs are well under 1 KiB. */
const MAX_IDENTIFIER = 4096;

export function purlProblem(text: string): string | undefined {
  if (text.length > MAX_IDENTIFIER) return `not a valid package URL: longer than ${MAX_IDENTIFIER} characters`;
  try {
    PackageURL.fromString(text);
    return undefined;
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid purl:\s*/i, '');
    return `not a valid package URL (${reason}); found ${JSON.stringify(text)}`;
  }
}

/** Characters a CPE 2.3 value may carry unquoted (NISTIR 7695 §6.2: ALPHA, DIGIT, `-`, `.`, `_`). */
const UNRESERVED = /^[A-Za-z0-9._-]$/;
/** Characters that must be quoted with `\` in a formatted string (its `punc` and `special`). */
const QUOTABLE = new Set('\\*?!"#$%&\'()+,/:;<=>@[]^`{|}~-._'.split(''));
const CPE23_FIELDS = ['part', 'vendor', 'product', 'version', 'update', 'edition', 'language', 'sw_edition', 'target_sw', 'target_hw', 'other'];
const LANGUAGE = /^[A-Za-z]{2,3}(?:-(?:[A-Za-z]{2}|[0-9]{3}))?$/;

/** Splits a formatted string at the colons that are not quoted. */
function splitUnquoted(text: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (char === '\\' && i + 1 < text.length) {
      current += char + (text[i + 1] as string);
      i++;
    } else if (char === ':') {
      fields.push(current);
      current = '';
    } else current += char;
  }
  fields.push(current);
  return fields;
}

/** One attribute value of a formatted string: `*`, `-`, or a value with optional leading/trailing wildcards. */
function valueProblem(value: string): string | undefined {
  if (value === '*' || value === '-') return undefined;
  if (value === '') return 'is empty (write * for ANY or - for NA)';
  let start = 0;
  let end = value.length;
  // Leading `*` once, or any number of `?`; the same at the end (unquoted).
  if (value[0] === '*') start = 1;
  else while (start < end && value[start] === '?') start++;
  if (value[end - 1] === '*' && !isQuoted(value, end - 1)) end--;
  else while (end > start && value[end - 1] === '?' && !isQuoted(value, end - 1)) end--;
  if (start >= end) return 'holds only wildcards';
  for (let i = start; i < end; i++) {
    const char = value[i] as string;
    if (char === '\\') {
      const next = value[i + 1];
      if (next === undefined || i + 1 >= end) return 'ends with a lone backslash';
      if (!QUOTABLE.has(next)) return `quotes ${JSON.stringify(next)}, which is not a character to quote`;
      i++;
    } else if (char === '*' || char === '?') {
      return `has an unquoted ${char} inside the value (wildcards go only at its start or end)`;
    } else if (!UNRESERVED.test(char)) {
      return `has the character ${JSON.stringify(char)}, which must be quoted with a backslash`;
    }
  }
  return undefined;
}

/** True when the character at `index` is preceded by an odd number of backslashes. */
function isQuoted(value: string, index: number): boolean {
  let slashes = 0;
  for (let i = index - 1; i >= 0 && value[i] === '\\'; i--) slashes++;
  return slashes % 2 === 1;
}

/** CPE 2.3 formatted string: `cpe:2.3:part:vendor:product:version:update:edition:language:sw_edition:target_sw:target_hw:other`. */
export function cpe23Problem(text: string): string | undefined {
  const found = `; found ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}`;
  if (text.length > MAX_IDENTIFIER) return `not a valid CPE 2.3 name: longer than ${MAX_IDENTIFIER} characters`;
  if (!text.startsWith('cpe:2.3:')) return `not a valid CPE 2.3 name: a formatted string starts with "cpe:2.3:"${found}`;
  const fields = splitUnquoted(text).slice(2);
  if (fields.length !== CPE23_FIELDS.length) {
    return `not a valid CPE 2.3 name: expected 11 attributes after "cpe:2.3:" (part through other), found ${fields.length}${found}`;
  }
  const part = fields[0] as string;
  if (!['a', 'o', 'h', '*', '-'].includes(part)) return `not a valid CPE 2.3 name: part must be a, o, h, * or -, not ${JSON.stringify(part)}${found}`;
  const language = fields[6] as string;
  if (language !== '*' && language !== '-' && !LANGUAGE.test(language)) {
    return `not a valid CPE 2.3 name: language must be a language tag (en, en-us), * or -, not ${JSON.stringify(language)}${found}`;
  }
  for (let index = 1; index < fields.length; index++) {
    if (index === 6) continue;
    const problem = valueProblem(fields[index] as string);
    if (problem) return `not a valid CPE 2.3 name: ${CPE23_FIELDS[index]} ${problem}${found}`;
  }
  return undefined;
}

/** CPE 2.2 URI: `cpe:/part:vendor:product:version:update:edition:language`, trailing parts optional. */
export function cpe22Problem(text: string): string | undefined {
  const found = `; found ${JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)}`;
  if (text.length > MAX_IDENTIFIER) return `not a valid CPE 2.2 name: longer than ${MAX_IDENTIFIER} characters`;
  // As NIST's pattern for the binding has it: a lower-case c, then p and e in either case.
  if (!/^c[pP][eE]:\//.test(text)) return `not a valid CPE 2.2 name: a URI starts with "cpe:/"${found}`;
  const fields = text.slice(5).split(':');
  if (fields.length > 7) return `not a valid CPE 2.2 name: at most 7 components after "cpe:/", found ${fields.length}${found}`;
  if (!['', 'a', 'o', 'h', 'A', 'O', 'H'].includes(fields[0] as string)) {
    return `not a valid CPE 2.2 name: part must be a, o or h, not ${JSON.stringify(fields[0])}${found}`;
  }
  for (const [index, field] of fields.entries()) {
    for (let i = 0; i < field.length; i++) {
      const char = field[i] as string;
      if (char === '%') {
        if (!/^[0-9A-Fa-f]{2}$/.test(field.slice(i + 1, i + 3))) return `not a valid CPE 2.2 name: a % not followed by two hex digits${found}`;
        i += 2;
      } else if (!/^[A-Za-z0-9._~-]$/.test(char)) {
        return `not a valid CPE 2.2 name: component ${index + 1} has the character ${JSON.stringify(char)}, which must be percent-encoded${found}`;
      }
    }
  }
  return undefined;
}

/** A CPE in either binding, for CycloneDX's `cpe` field (which allows both). */
export function cpeProblem(text: string): string | undefined {
  return /^c[pP][eE]:\//.test(text) ? cpe22Problem(text) : cpe23Problem(text);
}
