/**
 * JSON text exactly as CPython's `json.dumps(value, sort_keys=True, ...)` writes it, because
 * CPython's `Misc/sbom.spdx.json` and python.org's release SBOMs are written that way and we must
 * reproduce them byte for byte: keys sorted by code point, `\uXXXX` escapes for everything outside
 * printable ASCII (ensure_ascii), `", "`/`": "` separators when compact and `","` plus newlines
 * when indented, no trailing newline.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

// Everything Python's ensure_ascii escapes: quote, backslash, and all outside ' '..'~'.
// JavaScript strings are UTF-16, so astral characters already arrive as surrogate pairs, which is
// exactly how Python writes them.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/g;

const HAS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/;

export function pythonJsonString(value: string): string {
  // Nearly every string in an SBOM (paths, ids, hex digests) needs no escape at all.
  if (!HAS_ESCAPE.test(value)) return `"${value}"`;
  return `"${value.replace(NEEDS_ESCAPE, (ch) => {
    const named = ESCAPES[ch];
    if (named) return named;
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  })}"`;
}

/** Code point order, as Python compares str (equal to UTF-16 order outside the astral planes). */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function scalar(value: JsonValue): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return pythonJsonString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // SBOMs written this way hold no fractions; refuse rather than guess Python's float repr.
      if (!Number.isSafeInteger(value)) throw new TypeError(`cannot write ${value} as Python JSON`);
      return String(value);
    default:
      return undefined;
  }
}

function sortedKeys(object: { [key: string]: JsonValue }): string[] {
  const keys = Object.keys(object);
  let kept = keys;
  for (let i = 0; i < keys.length; i++) {
    if (object[keys[i] as string] !== undefined) continue;
    kept = keys.filter((key) => object[key] !== undefined);
    break;
  }
  // The default order of `sort` for strings is UTF-16 code unit order, compareCodePoints' own,
  // and needs no call back into JavaScript for each comparison.
  return kept.sort();
}

/** `json.dumps(value, indent=2, sort_keys=True)`. */
export function pythonJsonDumpsIndented(value: JsonValue, indent = 2): string {
  const parts: string[] = [];
  const write = (node: JsonValue, depth: number): void => {
    const simple = scalar(node);
    if (simple !== undefined) {
      parts.push(simple);
      return;
    }
    const inner = `\n${' '.repeat(indent * (depth + 1))}`;
    const outer = `\n${' '.repeat(indent * depth)}`;
    if (Array.isArray(node)) {
      if (node.length === 0) {
        parts.push('[]');
        return;
      }
      parts.push('[');
      node.forEach((item, index) => {
        parts.push(index === 0 ? inner : `,${inner}`);
        write(item, depth + 1);
      });
      parts.push(outer, ']');
      return;
    }
    const object = node as { [key: string]: JsonValue };
    const keys = sortedKeys(object);
    if (keys.length === 0) {
      parts.push('{}');
      return;
    }
    parts.push('{');
    keys.forEach((key, index) => {
      parts.push(index === 0 ? inner : `,${inner}`, pythonJsonString(key), ': ');
      write(object[key] as JsonValue, depth + 1);
    });
    parts.push(outer, '}');
  };
  write(value, 0);
  return parts.join('');
}

/** `json.dumps(value, sort_keys=True)`: the compact form python.org's tooling sorts lists by. */
export function pythonJsonDumpsCompact(value: JsonValue): string {
  const simple = scalar(value);
  if (simple !== undefined) return simple;
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumpsCompact).join(', ')}]`;
  const object = value as { [key: string]: JsonValue };
  return `{${sortedKeys(object)
    .map((key) => `${pythonJsonString(key)}: ${pythonJsonDumpsCompact(object[key] as JsonValue)}`)
    .join(', ')}}`;
}

/**
 * python.org's release tooling normalizes a document by sorting every list (deepest first) by the
 * compact JSON text of its items. Returns a sorted deep copy. Each node's compact text is built
 * once, from its children's, so nested lists are not written out again at every level.
 */
export function sortListsLikeReleaseTools(value: JsonValue): JsonValue {
  return sortedWithKey(value).value;
}

function sortedWithKey(value: JsonValue): { value: JsonValue; key: string } {
  if (Array.isArray(value)) {
    const items = value.map(sortedWithKey);
    items.sort((a, b) => compareCodePoints(a.key, b.key));
    return { value: items.map((item) => item.value), key: `[${items.map((item) => item.key).join(', ')}]` };
  }
  if (value !== null && typeof value === 'object') {
    const copy: { [key: string]: JsonValue } = {};
    const parts: string[] = [];
    for (const key of sortedKeys(value)) {
      const child = sortedWithKey(value[key] as JsonValue);
      copy[key] = child.value;
      parts.push(`${pythonJsonString(key)}: ${child.key}`);
    }
    return { value: copy, key: `{${parts.join(', ')}}` };
  }
  return { value, key: pythonJsonDumpsCompact(value) };
}

/**
 * `json.dumps(sort_lists(value), indent=2, sort_keys=True)` in one pass, i.e. exactly
 * `pythonJsonDumpsIndented(sortListsLikeReleaseTools(value))` without the sorted copy or the
 * second walk: each node yields its indented text and, only where an enclosing list needs it to
 * sort by, its compact text.
 */
export function pythonJsonDumpsSortedLists(value: JsonValue, indent = 2): string {
  const pads: string[] = [];
  const pad = (depth: number): string => (pads[depth] ??= `\n${' '.repeat(indent * depth)}`);
  // `known`: an object's sorted keys, when a list's sorting has already found them (distinctLeads).
  const render = (node: JsonValue, depth: number, wantKey: boolean, known?: string[]): { text: string; key: string } => {
    const simple = scalar(node);
    if (simple !== undefined) return { text: simple, key: simple };
    if (Array.isArray(node)) {
      if (node.length === 0) return { text: '[]', key: '[]' };
      const leads = wantKey ? undefined : distinctLeads(node);
      const items = leads
        ? node.map((item, index) => ({ text: render(item, depth + 1, false, leads.keys[index]).text, key: leads.leads[index] as string }))
        : node.map((item) => render(item, depth + 1, true));
      items.sort((a, b) => compareCodePoints(a.key, b.key));
      return {
        text: `[${pad(depth + 1)}${items.map((item) => item.text).join(`,${pad(depth + 1)}`)}${pad(depth)}]`,
        key: wantKey ? `[${items.map((item) => item.key).join(', ')}]` : '',
      };
    }
    const object = node as { [key: string]: JsonValue };
    const keys = known ?? sortedKeys(object);
    if (keys.length === 0) return { text: '{}', key: '{}' };
    const texts: string[] = [];
    const compact: string[] = [];
    for (const key of keys) {
      const name = pythonJsonString(key);
      const child = render(object[key] as JsonValue, depth + 1, wantKey);
      texts.push(`${name}: ${child.text}`);
      if (wantKey) compact.push(`${name}: ${child.key}`);
    }
    return {
      text: `{${pad(depth + 1)}${texts.join(`,${pad(depth + 1)}`)}${pad(depth)}}`,
      key: wantKey ? `{${compact.join(', ')}}` : '',
    };
  };
  return render(value, 0, false).text;
}

/**
 * When every item of a list is an object whose first key (in sorted order) is the same and holds
 * a string, and those strings all differ (SPDX's elements by their SPDXID, checksums by their
 * algorithm), the items' compact texts first differ inside those strings: an escaped string holds
 * no bare quote, so one cannot run on where another has ended. Sorting by the escaped strings
 * then gives the order sorting by the whole compact texts would, without writing those texts.
 * Returns the strings to sort by, with each item's sorted keys (for writing it), or undefined
 * when the list is not of that kind.
 */
function distinctLeads(items: JsonValue[]): { leads: string[]; keys: string[][] } | undefined {
  let first: string | undefined;
  const leads: string[] = new Array(items.length);
  const itemKeys: string[][] = new Array(items.length);
  const seen = new Set<string>();
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return undefined;
    const keys = sortedKeys(item);
    const key = keys[0];
    if (key === undefined || (first !== undefined && key !== first)) return undefined;
    first = key;
    const value = item[key];
    if (typeof value !== 'string' || seen.has(value)) return undefined;
    seen.add(value);
    leads[i] = pythonJsonString(value);
    itemKeys[i] = keys;
  }
  return { leads, keys: itemKeys };
}
