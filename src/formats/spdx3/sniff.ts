import { SPDX3_CONTEXT_PREFIX } from './vocabulary.js';

/**
 * Telling SPDX 3 JSON-LD from everything else by content: a JSON object whose `@context` is (or
 * lists) the SPDX 3 JSON-LD context, `https://spdx.org/rdf/3.0.1/spdx-context.jsonld`. SPDX 2 and
 * CycloneDX JSON have no `@context`, so the test never claims one of theirs.
 */

const CONTEXT_URL = /^https:\/\/spdx\.org\/rdf\/(3\.\d{1,4}(?:\.\d{1,4})?)\/spdx-context\.jsonld$/;

/** The SPDX version a parsed document's `@context` names (`3.0.1`), or undefined when it is not SPDX 3. */
export function spdx3ContextVersion(json: unknown): string | undefined {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const context = (json as Record<string, unknown>)['@context'];
  for (const entry of Array.isArray(context) ? context : [context]) {
    if (typeof entry !== 'string' || !entry.startsWith(SPDX3_CONTEXT_PREFIX)) continue;
    const match = CONTEXT_URL.exec(entry);
    if (match) return match[1];
  }
  return undefined;
}

/** True for a parsed SPDX 3 JSON-LD document. */
export function isSpdx3Json(json: unknown): boolean {
  return spdx3ContextVersion(json) !== undefined;
}

/**
 * A cheap look at the text before anything parses it: false means it is certainly not SPDX 3
 * JSON-LD; true means the context URL occurs and a parse will tell (spdx3ContextVersion).
 */
export function mayBeSpdx3Text(text: string): boolean {
  let first = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (first < text.length && ' \t\r\n'.includes(text.charAt(first))) first++;
  return text.charAt(first) === '{' && text.includes('"@context"') && text.includes(SPDX3_CONTEXT_PREFIX);
}
