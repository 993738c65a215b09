import { InputError } from '../errors.js';
import { MAX_NESTING_DEPTH } from './limits.js';
import { oneLine } from './one-line.js';

/**
 * The index at which `text` first nests JSON arrays/objects deeper than `maxDepth`, or -1.
 * One linear scan that skips string contents; it runs before JSON.parse so that neither the
 * parser nor any recursive walk over the result (schema validators, readers) sees a document
 * deep enough to exhaust the stack.
 */
export function jsonDepthExceeded(text: string, maxDepth = MAX_NESTING_DEPTH): number {
  let depth = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22 /* " */) {
      // Skip the string: find its closing quote, stepping over escapes.
      for (i++; i < length; i++) {
        const c = text.charCodeAt(i);
        if (c === 0x5c /* \ */) i++;
        else if (c === 0x22) break;
      }
    } else if (code === 0x7b /* { */ || code === 0x5b /* [ */) {
      if (++depth > maxDepth) return i;
    } else if (code === 0x7d /* } */ || code === 0x5d /* ] */) {
      depth--;
    }
  }
  return -1;
}

/** Line number (1-based) of an index, for messages. */
export function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * JSON.parse for untrusted documents: a leading byte-order mark is accepted, nesting past
 * MAX_NESTING_DEPTH is refused before parsing, and a syntax error is one line naming the file
 * (V8's message quotes the input around the error, which may hold newlines).
 */
export function parseJsonBounded(text: string, file: string, syntaxLabel = 'not valid JSON', maxDepth = MAX_NESTING_DEPTH): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const deep = jsonDepthExceeded(body, maxDepth);
  if (deep !== -1) {
    throw new InputError(`${file}: JSON nested deeper than ${maxDepth} levels (line ${lineOf(body, deep)}); refusing to read it`);
  }
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new InputError(`${file}: ${syntaxLabel} (${describeJsonSyntaxError(error, body)})`);
  }
}

/** V8's JSON syntax error as one short line, with a line number instead of raw quoted input. */
export function describeJsonSyntaxError(error: unknown, text: string): string {
  const message = (error as Error | undefined)?.message ?? String(error);
  const position = /at position (\d+)/.exec(message);
  // `Unexpected token 'x', "...raw input..." is not valid JSON`: keep the reason, drop the quote.
  const reason = message
    .replace(/,\s*"[\s\S]*" is not valid JSON$/, '')
    .replace(/\s*in JSON at position \d+(?: \(line \d+ column \d+\))?/, '')
    .replace(/\s*\(line \d+ column \d+\)/, '');
  const where = position ? ` at line ${lineOf(text, Number(position[1]))}` : '';
  return oneLine(`${reason}${where}`, 200);
}
