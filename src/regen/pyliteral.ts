import { InputError } from '../errors.js';
import { MAX_NESTING_DEPTH } from '../util/limits.js';

/**
 * Reads the few Python expressions of generate_sbom.py that regen needs as data, never running
 * them: set, frozenset and list literals of strings (ALLOWED_LICENSE_EXPRESSIONS,
 * REQUIRED_PROPERTIES_PACKAGE) and the dict templates the PyPI-era scripts fill pip's entry from
 * (`{"name": "pip", "versionInfo": pip_version, "referenceLocator": f"pkg:pypi/pip@{pip_version}"}`).
 * Understood: string literals (plain, r, f with `{name}` fields), names bound by the caller, calls
 * of functions the caller supplies, dicts, lists, sets, `frozenset(...)`. Anything else is refused
 * with the file and line: guessing at an expression would silently write the wrong manifest.
 */

export type PyValue = string | PyValue[] | { [key: string]: PyValue };

export interface PyScope {
  names?: Record<string, PyValue>;
  calls?: Record<string, (argument: PyValue) => PyValue>;
}

/** Bounds on what is read: the literals regen reads are a few hundred tokens, a few levels deep. */
const MAX_TOKENS = 100_000;

type Token = { kind: 'string' | 'name' | 'punct'; text: string; line: number; fstring?: boolean };

/** Position just after `prefix` (a regex matched at a line start), or undefined when absent. */
export function findAssignment(source: string, name: string): number | undefined {
  const match = new RegExp(`^${name}\\s*(?::[^=\\n]*)?=\\s*`, 'm').exec(source);
  return match ? match.index + match[0].length : undefined;
}

/** Evaluates the expression starting at `offset` of `source`. */
export function evaluateAt(source: string, offset: number, file: string, scope: PyScope = {}): PyValue {
  const firstLine = lineAt(source, offset);
  const tokens = tokenize(source, offset, firstLine, file);
  let pos = 0;
  const peek = () => tokens[pos];
  const fail = (what: string): never => {
    const token = peek();
    throw new InputError(`${file}:${token?.line ?? firstLine}: cannot read ${what} (found ${token ? `'${token.text}'` : 'the end'})`);
  };
  const accept = (text: string): boolean => {
    const token = peek();
    if (token?.kind === 'punct' && token.text === text) {
      pos++;
      return true;
    }
    return false;
  };
  const items = (close: string): PyValue[] => {
    const values: PyValue[] = [];
    while (!accept(close)) {
      values.push(expression());
      if (!accept(',')) {
        if (!accept(close)) fail(`a literal: expected ',' or '${close}'`);
        break;
      }
    }
    return values;
  };
  const expression = (): PyValue => {
    const token = peek();
    if (!token) return fail('an expression');
    pos++;
    if (token.kind === 'string') {
      let text = token.text;
      // Adjacent literals concatenate, as in Python.
      while (peek()?.kind === 'string') text += substitute(tokens[pos++] as Token);
      return token.fstring ? substitute({ ...token, text }) : text;
    }
    if (token.kind === 'name') {
      if (accept('(')) {
        const argument = items(')');
        if (token.text === 'frozenset' || token.text === 'set' || token.text === 'list') {
          if (argument.length !== 1 || !Array.isArray(argument[0])) fail(`${token.text}(...) of a literal`);
          return argument[0] as PyValue[];
        }
        // Own entries only: `constructor(...)` in a script must not find Object's.
        const call = scope.calls && Object.hasOwn(scope.calls, token.text) ? scope.calls[token.text] : undefined;
        if (!call || argument.length !== 1) return fail(`a call of '${token.text}'`);
        return call(argument[0] as PyValue);
      }
      const value = scope.names && Object.hasOwn(scope.names, token.text) ? scope.names[token.text] : undefined;
      if (value === undefined) {
        pos--;
        return fail(`the name '${token.text}'`);
      }
      return value;
    }
    if (token.text === '[') return items(']');
    if (token.text === '{') {
      if (accept('}')) return {};
      const first = expression();
      if (accept(':')) {
        // Without a prototype: a key `__proto__` is a key like any other.
        const dict = Object.create(null) as { [key: string]: PyValue };
        let key = first;
        for (;;) {
          if (typeof key !== 'string') return fail('a dict with string keys');
          dict[key] = expression();
          if (accept('}')) return dict;
          if (!accept(',')) fail("a dict: expected ',' or '}'");
          if (accept('}')) return dict;
          key = expression();
          if (!accept(':')) fail("a dict: expected ':'");
        }
      }
      // A set literal: the first item is already read.
      if (accept('}')) return [first];
      if (!accept(',')) fail("a set: expected ',' or '}'");
      return [first, ...items('}')];
    }
    pos--;
    return fail('an expression');
  };
  const substitute = (token: Token): string => {
    if (!token.fstring) return token.text;
    return token.text.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}|\{\{|\}\}|[{}]/g, (whole, name: string | undefined) => {
      if (whole === '{{') return '{';
      if (whole === '}}') return '}';
      const value = name === undefined || !scope.names || !Object.hasOwn(scope.names, name) ? undefined : scope.names[name];
      if (typeof value !== 'string') throw new InputError(`${file}:${token.line}: cannot read the f-string field '${whole}'`);
      return value;
    });
  };
  return expression();
}

function lineAt(source: string, offset: number): number {
  let line = 1;
  for (let i = source.indexOf('\n'); i !== -1 && i < offset; i = source.indexOf('\n', i + 1)) line++;
  return line;
}

/** Tokens of one bracketed expression (or a single string or name) from `offset`. */
function tokenize(source: string, offset: number, firstLine: number, file: string): Token[] {
  const tokens: Token[] = [];
  let line = firstLine;
  let depth = 0;
  for (let i = offset; i < source.length; ) {
    const ch = source[i] as string;
    if (ch === '\n') {
      // Outside brackets a newline ends the expression.
      if (depth === 0 && tokens.length > 0) return tokens;
      line++;
      i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\\') {
      i++;
    } else if (ch === '#') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (/[A-Za-z_]/.test(ch)) {
      const name = (/^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i, i + 100)) as RegExpExecArray)[0];
      const quote = source[i + name.length];
      if ((quote === '"' || quote === "'") && /^[rRfFbB]{1,2}$/.test(name)) {
        const prefix = name.toLowerCase();
        if (prefix.includes('b')) throw new InputError(`${file}:${line}: unsupported bytes literal`);
        const [text, end] = stringLiteral(source, i + name.length, line, file, prefix.includes('r'));
        tokens.push({ kind: 'string', text, line, fstring: prefix.includes('f') });
        i = end;
      } else {
        tokens.push({ kind: 'name', text: name, line });
        i += name.length;
      }
    } else if (ch === '"' || ch === "'") {
      const [text, end] = stringLiteral(source, i, line, file, false);
      tokens.push({ kind: 'string', text, line });
      i = end;
    } else if ('{}()[],:'.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch, line });
      i++;
      if ('{(['.includes(ch) && ++depth > MAX_NESTING_DEPTH) {
        throw new InputError(`${file}:${line}: a literal nested more than ${MAX_NESTING_DEPTH} deep; refusing to read it`);
      }
      if (tokens.length > MAX_TOKENS) throw new InputError(`${file}:${line}: a literal of more than ${MAX_TOKENS} tokens; refusing to read it`);
      if ('})]'.includes(ch)) {
        depth--;
        if (depth < 0) return tokens.slice(0, -1);
        // The expression ends where its outermost bracket closes.
        if (depth === 0) return tokens;
      }
    } else {
      if (depth === 0 && tokens.length > 0) return tokens;
      throw new InputError(`${file}:${line}: unexpected ${JSON.stringify(ch)} in a literal regen reads`);
    }
  }
  if (depth === 0 && tokens.length > 0) return tokens;
  throw new InputError(`${file}:${line}: a literal regen reads is not closed`);
}

/** A one-line string literal (no triple quotes); escapes other than \\ \" \' \n are refused. */
function stringLiteral(source: string, start: number, line: number, file: string, raw: boolean): [string, number] {
  const quote = source[start] as string;
  if (source.startsWith(quote.repeat(3), start)) throw new InputError(`${file}:${line}: unsupported triple-quoted string`);
  let text = '';
  for (let i = start + 1; i < source.length; i++) {
    const ch = source[i] as string;
    if (ch === '\n') break;
    if (ch === quote) return [text, i + 1];
    if (ch === '\\') {
      const next = source[i + 1] as string;
      if (raw) {
        text += ch + next;
      } else if (next === '\\' || next === '"' || next === "'") {
        text += next;
      } else if (next === 'n') {
        text += '\n';
      } else {
        throw new InputError(`${file}:${line}: unsupported escape '\\${next}' in a string`);
      }
      i++;
      continue;
    }
    text += ch;
  }
  throw new InputError(`${file}:${line}: unterminated string literal`);
}
