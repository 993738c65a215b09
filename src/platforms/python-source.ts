import { pushAll } from '../util/arrays.js';
import { InputError } from '../errors.js';

/**
 * A reader for the small part of Python that CPython's build recipes write their data in
 * (`Mac/BuildScript/build-installer.py`, `Android/android.py`, `Apple/__main__.py`). Nothing is
 * executed: the source is tokenized, a function's statements are parsed into a tree, and only the
 * literals, names, string formatting and conditions the recipes use are evaluated, against
 * assumptions the caller states (a deployment target, a host). Anything else — a statement or
 * expression of another shape, a name no assumption gives — is an InputError naming the file and
 * line, never a guess.
 */

/** Most bytes of a recipe file read. */
export const MAX_RECIPE_BYTES = 2 * 1024 * 1024;
/** Deepest nesting of expressions and blocks. */
const MAX_DEPTH = 64;

type TokenKind = 'name' | 'number' | 'string' | 'op' | 'newline' | 'indent' | 'dedent' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  line: number;
  /** For strings: the decoded value, and whether it was an f-string. */
  value?: string;
  fstring?: boolean;
}

export class RecipeSource {
  readonly lines: string[];
  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    if (text.length > MAX_RECIPE_BYTES) throw new InputError(`${file}: larger than ${MAX_RECIPE_BYTES} bytes; not read as a build recipe`);
    this.lines = text.split('\n');
  }

  fail(line: number, why: string): never {
    throw new InputError(`${this.file}:${line}: ${why}`);
  }

  /** 1-based line of a top-level `def NAME(`, or undefined. */
  defLine(name: string): number | undefined {
    const head = `def ${name}`;
    const index = this.lines.findIndex((line) => line.startsWith(head) && /^\s*\(/.test(line.slice(head.length)));
    return index === -1 ? undefined : index + 1;
  }

  /** The lines of a top-level function (its `def` line first), up to the next top-level statement. */
  functionLines(name: string): { start: number; text: string } | undefined {
    const start = this.defLine(name);
    if (start === undefined) return undefined;
    let end = start; // index (0-based) of the first line after the function
    // The signature may span lines: skip to the line ending with ':'.
    while (end < this.lines.length && !/\)\s*(->[^:]*)?:\s*(#.*)?$/.test(this.lines[end - 1] as string)) end++;
    while (end < this.lines.length) {
      const line = this.lines[end] as string;
      if (line.trim() !== '' && !/^\s/.test(line) && !line.startsWith('#')) break;
      end++;
    }
    return { start, text: this.lines.slice(start - 1, end).join('\n') };
  }

  /** A top-level `NAME = EXPR` assignment: its expression's text and line. */
  moduleAssignment(name: string): { line: number; text: string } | undefined {
    const index = this.lines.findIndex((line) => assignedText(line, name) !== undefined);
    if (index === -1) return undefined;
    // Take following lines while brackets are open.
    let text = assignedText(this.lines[index] as string, name) as string;
    let depth = bracketBalance(text);
    let next = index + 1;
    while (depth > 0 && next < this.lines.length && next - index < 200) {
      text += `\n${this.lines[next] as string}`;
      depth = bracketBalance(text);
      next++;
    }
    return { line: index + 1, text };
  }
}

function bracketBalance(text: string): number {
  let depth = 0;
  for (const token of tokenize(new RecipeSource('<expr>', text), 1, text)) {
    if (token.kind === 'op' && '([{'.includes(token.text)) depth++;
    if (token.kind === 'op' && ')]}'.includes(token.text)) depth--;
  }
  return depth;
}

const OPERATORS = [
  '**',
  '//',
  '==',
  '!=',
  '<=',
  '>=',
  '->',
  '+=',
  '-=',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '.',
  '%',
  '+',
  '-',
  '*',
  '/',
  '<',
  '>',
  '=',
  '|',
  '&',
  '@',
  '~',
  ';',
];

/** Python's tokens, with INDENT/DEDENT/NEWLINE as its tokenizer makes them (enough for recipes). */
export function tokenize(source: RecipeSource, firstLine: number, text: string): Token[] {
  const tokens: Token[] = [];
  const indents = [0];
  let line = firstLine;
  let i = 0;
  let depth = 0;
  let atLineStart = true;
  while (i < text.length) {
    if (atLineStart && depth === 0) {
      let column = 0;
      let j = i;
      while (j < text.length && (text[j] === ' ' || text[j] === '\t')) {
        column += text[j] === '\t' ? 8 - (column % 8) : 1;
        j++;
      }
      const rest = text[j];
      if (rest === '\n' || rest === '#' || rest === undefined || (rest === '\r' && text[j + 1] === '\n')) {
        // A blank or comment-only line: no indentation change.
        i = j;
        while (i < text.length && text[i] !== '\n') i++;
        if (text[i] === '\n') {
          i++;
          line++;
        }
        continue;
      }
      const current = indents[indents.length - 1] as number;
      if (column > current) {
        indents.push(column);
        tokens.push({ kind: 'indent', text: '', line });
      } else {
        while (column < (indents[indents.length - 1] as number)) {
          indents.pop();
          tokens.push({ kind: 'dedent', text: '', line });
        }
        if (column !== indents[indents.length - 1]) source.fail(line, 'inconsistent indentation');
      }
      atLineStart = false;
      i = j;
      continue;
    }
    const c = text[i] as string;
    if (c === '\n') {
      if (depth === 0) {
        tokens.push({ kind: 'newline', text: '', line });
        atLineStart = true;
      }
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      line++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    const stringStart = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(text.slice(i, i + 5));
    if (stringStart && (stringStart[1] === '' || /^[A-Za-z_]/.test(c))) {
      const prefix = (stringStart[1] as string).toLowerCase();
      const quote = stringStart[2] as string;
      const startLine = line;
      let j = i + stringStart[0].length;
      let raw = '';
      for (;;) {
        if (j >= text.length) source.fail(startLine, 'unterminated string');
        if (text.startsWith(quote, j)) {
          j += quote.length;
          break;
        }
        const ch = text[j] as string;
        if (ch === '\n') {
          if (quote.length === 1) source.fail(startLine, 'unterminated string');
          line++;
        }
        if (ch === '\\' && j + 1 < text.length) {
          if (text[j + 1] === '\n') line++;
          raw += ch + (text[j + 1] as string);
          j += 2;
          continue;
        }
        raw += ch;
        j++;
      }
      if (prefix.includes('b')) source.fail(startLine, 'a bytes literal is not a recipe value');
      const value = prefix.includes('r') ? raw : decodeEscapes(raw, source, startLine);
      tokens.push({ kind: 'string', text: text.slice(i, j), line: startLine, value, fstring: prefix.includes('f') });
      i = j;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 256));
    if (name) {
      tokens.push({ kind: 'name', text: name[0], line });
      i += name[0].length;
      continue;
    }
    const number = /^[0-9][0-9_]*(\.[0-9_]+)?/.exec(text.slice(i, i + 64));
    if (number) {
      tokens.push({ kind: 'number', text: number[0], line });
      i += number[0].length;
      continue;
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
    if (!op) source.fail(line, `unexpected character ${JSON.stringify(c)}`);
    if ('([{'.includes(op)) depth++;
    if (')]}'.includes(op)) depth = Math.max(0, depth - 1);
    tokens.push({ kind: 'op', text: op, line });
    i += op.length;
  }
  if (!atLineStart) tokens.push({ kind: 'newline', text: '', line });
  while (indents.length > 1) {
    indents.pop();
    tokens.push({ kind: 'dedent', text: '', line });
  }
  tokens.push({ kind: 'end', text: '', line });
  return tokens;
}

function decodeEscapes(raw: string, source: RecipeSource, line: number): string {
  return raw.replace(/\\(\n|[\\'"abfnrtv0]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})/g, (_whole, esc: string) => {
    switch (esc[0]) {
      case '\n':
        return '';
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      case 'a':
      case 'b':
      case 'f':
      case 'v':
        return ' ';
      case 'x':
      case 'u':
        return String.fromCharCode(Number.parseInt(esc.slice(1), 16));
      default:
        if (esc.length !== 1) source.fail(line, 'unknown escape');
        return esc;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Syntax tree

export type Expr =
  | { kind: 'str'; value: string; fstring: boolean; line: number }
  | { kind: 'num'; value: number; line: number }
  | { kind: 'const'; value: boolean | null; line: number }
  | { kind: 'name'; id: string; line: number }
  | { kind: 'tuple' | 'list'; items: Expr[]; line: number }
  | { kind: 'dictlit'; entries: [Expr, Expr][]; line: number }
  | { kind: 'call'; func: Expr; args: Expr[]; kwargs: [string, Expr][]; line: number }
  | { kind: 'attr'; object: Expr; attr: string; line: number }
  | { kind: 'subscript'; object: Expr; index: Expr; line: number }
  | { kind: 'binop'; op: string; left: Expr; right: Expr; line: number }
  | { kind: 'not'; operand: Expr; line: number }
  | { kind: 'bool'; op: 'and' | 'or'; left: Expr; right: Expr; line: number }
  | { kind: 'compare'; op: string; left: Expr; right: Expr; line: number };

export type Stmt =
  | { kind: 'assign'; target: string; value: Expr; line: number }
  | { kind: 'expr'; value: Expr; line: number }
  | { kind: 'if'; branches: { test: Expr | undefined; body: Stmt[] }[]; line: number }
  | { kind: 'for'; target: string; iter: Expr; body: Stmt[]; line: number }
  | { kind: 'return'; value: Expr | undefined; line: number }
  | { kind: 'pass'; line: number };

class Parser {
  private position = 0;
  private depth = 0;
  constructor(
    private readonly source: RecipeSource,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)] as Token;
  }
  private next(): Token {
    const token = this.peek();
    this.position++;
    return token;
  }
  private isOp(text: string): boolean {
    const token = this.peek();
    return token.kind === 'op' && token.text === text;
  }
  private isName(text: string): boolean {
    const token = this.peek();
    return token.kind === 'name' && token.text === text;
  }
  private expectOp(text: string): Token {
    const token = this.next();
    if (token.kind !== 'op' || token.text !== text) this.source.fail(token.line, `expected '${text}' here, found ${describe(token)}`);
    return token;
  }
  private expect(kind: TokenKind): Token {
    const token = this.next();
    if (token.kind !== kind) this.source.fail(token.line, `expected ${kind} here, found ${describe(token)}`);
    return token;
  }
  private enter(line: number): void {
    if (++this.depth > MAX_DEPTH) this.source.fail(line, `nested deeper than ${MAX_DEPTH}`);
  }

  /** A `def NAME(...):` followed by its block. */
  functionBody(): Stmt[] {
    const def = this.next();
    if (def.kind !== 'name' || def.text !== 'def') this.source.fail(def.line, 'expected a function definition');
    this.expect('name');
    // Skip the signature (parameters and annotations are not read).
    this.expectOp('(');
    let open = 1;
    while (open > 0) {
      const token = this.next();
      if (token.kind === 'end') this.source.fail(def.line, 'unterminated signature');
      if (token.kind === 'op' && '([{'.includes(token.text)) open++;
      if (token.kind === 'op' && ')]}'.includes(token.text)) open--;
    }
    while (!this.isOp(':')) {
      const token = this.next();
      if (token.kind === 'end' || token.kind === 'newline') this.source.fail(def.line, 'expected ":" after the signature');
    }
    this.expectOp(':');
    return this.block();
  }

  private block(): Stmt[] {
    this.expect('newline');
    this.expect('indent');
    const body: Stmt[] = [];
    while (this.peek().kind !== 'dedent' && this.peek().kind !== 'end') body.push(this.statement());
    if (this.peek().kind === 'dedent') this.next();
    return body;
  }

  statement(): Stmt {
    const token = this.peek();
    this.enter(token.line);
    try {
      if (token.kind === 'name' && token.text === 'if') return this.ifStatement();
      if (token.kind === 'name' && token.text === 'for') {
        this.next();
        const target = this.expect('name').text;
        if (!this.isName('in')) this.source.fail(token.line, 'only `for NAME in EXPR:` loops are read');
        this.next();
        const iter = this.expression();
        this.expectOp(':');
        return { kind: 'for', target, iter, body: this.block(), line: token.line };
      }
      if (token.kind === 'name' && token.text === 'return') {
        this.next();
        const value = this.peek().kind === 'newline' ? undefined : this.expression();
        this.expect('newline');
        return { kind: 'return', value, line: token.line };
      }
      if (token.kind === 'name' && token.text === 'pass') {
        this.next();
        this.expect('newline');
        return { kind: 'pass', line: token.line };
      }
      if (
        token.kind === 'name' &&
        ['while', 'with', 'try', 'def', 'class', 'import', 'from', 'global', 'del', 'raise', 'lambda', 'yield'].includes(token.text)
      ) {
        this.source.fail(token.line, `a '${token.text}' statement is not a shape this reader knows`);
      }
      if (token.kind === 'name' && this.peek(1).kind === 'op' && this.peek(1).text === '=') {
        this.next();
        this.next();
        const value = this.expression();
        this.expect('newline');
        return { kind: 'assign', target: token.text, value, line: token.line };
      }
      const value = this.expression();
      if (!this.isOp('=') && this.peek().kind !== 'newline') this.source.fail(token.line, `unexpected ${describe(this.peek())}`);
      if (this.isOp('=')) this.source.fail(token.line, 'only assignments to a plain name are read');
      this.expect('newline');
      return { kind: 'expr', value, line: token.line };
    } finally {
      this.depth--;
    }
  }

  private ifStatement(): Stmt {
    const line = this.next().line;
    const branches: { test: Expr | undefined; body: Stmt[] }[] = [];
    const test = this.expression();
    this.expectOp(':');
    branches.push({ test, body: this.block() });
    while (this.isName('elif')) {
      this.next();
      const elifTest = this.expression();
      this.expectOp(':');
      branches.push({ test: elifTest, body: this.block() });
    }
    if (this.isName('else')) {
      this.next();
      this.expectOp(':');
      branches.push({ test: undefined, body: this.block() });
    }
    return { kind: 'if', branches, line };
  }

  expression(): Expr {
    const line = this.peek().line;
    this.enter(line);
    try {
      const first = this.orExpr();
      if (this.isOp(',') && this.tupleAllowed) {
        const items = [first];
        while (this.isOp(',')) {
          this.next();
          if (this.peek().kind === 'newline' || this.isOp('=') || this.isOp(')') || this.isOp(':')) break;
          items.push(this.orExpr());
        }
        return { kind: 'tuple', items, line };
      }
      if (this.isName('if')) this.source.fail(line, 'a conditional expression is not a shape this reader knows');
      return first;
    } finally {
      this.depth--;
    }
  }
  private tupleAllowed = true;

  private orExpr(): Expr {
    let left = this.andExpr();
    while (this.isName('or')) {
      const line = this.next().line;
      left = { kind: 'bool', op: 'or', left, right: this.andExpr(), line };
    }
    return left;
  }
  private andExpr(): Expr {
    let left = this.notExpr();
    while (this.isName('and')) {
      const line = this.next().line;
      left = { kind: 'bool', op: 'and', left, right: this.notExpr(), line };
    }
    return left;
  }
  private notExpr(): Expr {
    if (this.isName('not')) {
      const line = this.next().line;
      return { kind: 'not', operand: this.notExpr(), line };
    }
    return this.comparison();
  }
  private comparison(): Expr {
    const left = this.arith();
    const token = this.peek();
    if (token.kind === 'op' && ['<', '<=', '>', '>=', '==', '!='].includes(token.text)) {
      this.next();
      return { kind: 'compare', op: token.text, left, right: this.arith(), line: token.line };
    }
    if (token.kind === 'name' && (token.text === 'in' || (token.text === 'not' && this.peek(1).text === 'in'))) {
      this.source.fail(token.line, "an 'in' test is not a shape this reader knows");
    }
    return left;
  }
  private arith(): Expr {
    let left = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const token = this.next();
      left = { kind: 'binop', op: token.text, left, right: this.term(), line: token.line };
    }
    return left;
  }
  private term(): Expr {
    let left = this.unary();
    while (this.isOp('%') || this.isOp('*') || this.isOp('/') || this.isOp('//')) {
      const token = this.next();
      left = { kind: 'binop', op: token.text, left, right: this.unary(), line: token.line };
    }
    return left;
  }
  private unary(): Expr {
    if (this.isOp('-')) {
      const line = this.next().line;
      return { kind: 'binop', op: '-', left: { kind: 'num', value: 0, line }, right: this.unary(), line };
    }
    return this.postfix();
  }
  private postfix(): Expr {
    let expr = this.atom();
    for (;;) {
      if (this.isOp('.')) {
        const line = this.next().line;
        expr = { kind: 'attr', object: expr, attr: this.expect('name').text, line };
      } else if (this.isOp('(')) {
        const line = this.next().line;
        const args: Expr[] = [];
        const kwargs: [string, Expr][] = [];
        while (!this.isOp(')')) {
          if (this.peek().kind === 'name' && this.peek(1).kind === 'op' && this.peek(1).text === '=') {
            const key = this.next().text;
            this.next();
            kwargs.push([key, this.single()]);
          } else {
            if (this.isOp('*') || this.isOp('**')) this.source.fail(line, 'argument unpacking is not a shape this reader knows');
            args.push(this.single());
          }
          if (!this.isOp(',')) break;
          this.next();
        }
        this.expectOp(')');
        expr = { kind: 'call', func: expr, args, kwargs, line };
      } else if (this.isOp('[')) {
        const line = this.next().line;
        const index = this.subscriptIndex(line);
        this.expectOp(']');
        expr = { kind: 'subscript', object: expr, index, line };
      } else {
        return expr;
      }
    }
  }
  private subscriptIndex(line: number): Expr {
    // Slices are written as a call of `slice` so the evaluator can refuse or handle them.
    const parts: (Expr | undefined)[] = [undefined];
    let sawColon = false;
    while (!this.isOp(']')) {
      if (this.isOp(':')) {
        this.next();
        sawColon = true;
        parts.push(undefined);
        continue;
      }
      parts[parts.length - 1] = this.single();
    }
    if (!sawColon) return parts[0] as Expr;
    const none: Expr = { kind: 'const', value: null, line };
    return { kind: 'call', func: { kind: 'name', id: 'slice', line }, args: parts.map((part) => part ?? none), kwargs: [], line };
  }
  /** One expression where a comma ends it (arguments, list items). */
  private single(): Expr {
    const saved = this.tupleAllowed;
    this.tupleAllowed = false;
    try {
      return this.expression();
    } finally {
      this.tupleAllowed = saved;
    }
  }
  private atom(): Expr {
    const token = this.next();
    switch (token.kind) {
      case 'string': {
        let value = token.value as string;
        let fstring = token.fstring === true;
        // Adjacent literals are one string.
        while (this.peek().kind === 'string') {
          const more = this.next();
          if (more.fstring) fstring = true;
          value += more.value as string;
        }
        return { kind: 'str', value, fstring, line: token.line };
      }
      case 'number':
        if (token.text.includes('.')) this.source.fail(token.line, 'a float is not a recipe value');
        return { kind: 'num', value: Number.parseInt(token.text.replaceAll('_', ''), 10), line: token.line };
      case 'name':
        if (token.text === 'True' || token.text === 'False') return { kind: 'const', value: token.text === 'True', line: token.line };
        if (token.text === 'None') return { kind: 'const', value: null, line: token.line };
        if (['lambda', 'yield', 'await', 'if', 'else', 'for', 'in', 'is'].includes(token.text)) {
          this.source.fail(token.line, `'${token.text}' is not a shape this reader knows`);
        }
        return { kind: 'name', id: token.text, line: token.line };
      case 'op':
        if (token.text === '(') return this.sequence(')', 'tuple', token.line);
        if (token.text === '[') return this.sequence(']', 'list', token.line);
        if (token.text === '{') return this.dictLiteral(token.line);
        break;
      default:
        break;
    }
    this.source.fail(token.line, `unexpected ${describe(token)}`);
  }
  private sequence(close: string, kind: 'tuple' | 'list', line: number): Expr {
    const items: Expr[] = [];
    let trailingComma = false;
    while (!this.isOp(close)) {
      items.push(this.single());
      if (this.isName('for')) this.source.fail(line, 'a comprehension is not a shape this reader knows');
      trailingComma = false;
      if (!this.isOp(',')) break;
      this.next();
      trailingComma = true;
    }
    this.expectOp(close);
    // `(x)` is x; `(x,)` and `()` are tuples.
    if (kind === 'tuple' && items.length === 1 && !trailingComma) return items[0] as Expr;
    return { kind, items, line };
  }
  private dictLiteral(line: number): Expr {
    const entries: [Expr, Expr][] = [];
    while (!this.isOp('}')) {
      const key = this.single();
      this.expectOp(':');
      entries.push([key, this.single()]);
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expectOp('}');
    return { kind: 'dictlit', entries, line };
  }
}

function describe(token: Token): string {
  if (token.kind === 'newline') return 'the end of the line';
  if (token.kind === 'end') return 'the end of the text';
  if (token.kind === 'indent' || token.kind === 'dedent') return 'a change of indentation';
  return `'${token.text.slice(0, 30)}'`;
}

/** The statements of a top-level function's body. */
export function parseFunction(source: RecipeSource, name: string): { line: number; body: Stmt[] } {
  const found = source.functionLines(name);
  if (!found) source.fail(1, `no function ${name}() (the build recipe this reader knows)`);
  const tokens = tokenize(source, found.start, found.text);
  return { line: found.start, body: new Parser(source, tokens).functionBody() };
}

/** One expression's text (a module-level assignment's right-hand side). */
export function parseExpression(source: RecipeSource, line: number, text: string): Expr {
  const tokens = tokenize(source, line, text.trim());
  const parser = new Parser(source, tokens);
  const expr = parser.expression();
  return expr;
}

// ---------------------------------------------------------------------------------------------
// Values

export type Value = string | number | boolean | null | ValueTuple | Value[] | ValueDict | FunctionRef | Opaque;
export interface ValueTuple {
  tuple: Value[];
}
/** `dict(k=v, …)` or `{…}`: values are evaluated when asked for (most recipe keys are never read). */
export interface ValueDict {
  dict: Map<string, Expr>;
  line: number;
  scope: Scope;
}
export interface FunctionRef {
  function: string;
}
/** A value this reader does not compute (an f-string built from build-time paths): it is never compared. */
export interface Opaque {
  opaque: string;
}

export function isTuple(value: Value): value is ValueTuple {
  return typeof value === 'object' && value !== null && 'tuple' in value;
}
export function isDict(value: Value): value is ValueDict {
  return typeof value === 'object' && value !== null && 'dict' in value;
}
export function isFunctionRef(value: Value): value is FunctionRef {
  return typeof value === 'object' && value !== null && 'function' in value;
}
export function isOpaque(value: Value): value is Opaque {
  return typeof value === 'object' && value !== null && 'opaque' in value;
}

/** What names mean while evaluating: variables, and the functions the caller gives meaning to. */
export interface Scope {
  source: RecipeSource;
  variables: Map<string, Value>;
  /** Calls by name: the caller's assumptions (`getDeptargetTuple()`), or helpers read from the file. */
  call(name: string, args: Value[], line: number): Value;
  /** A name not assigned in the function: a module constant or a function reference. */
  global(name: string, line: number): Value;
  depth?: number;
}

export function evaluate(expr: Expr, scope: Scope): Value {
  const source: RecipeSource = scope.source;
  const depth = (scope.depth ?? 0) + 1;
  if (depth > MAX_DEPTH) source.fail(expr.line, `nested deeper than ${MAX_DEPTH}`);
  const inner: Scope = { ...scope, depth };
  const sub = (e: Expr): Value => evaluate(e, inner);
  switch (expr.kind) {
    case 'str':
      return expr.fstring ? formatFString(expr.value, expr.line, inner) : expr.value;
    case 'num':
      return expr.value;
    case 'const':
      return expr.value;
    case 'name': {
      const variable = scope.variables.get(expr.id);
      if (variable !== undefined) return variable;
      return scope.global(expr.id, expr.line);
    }
    case 'tuple':
      return { tuple: expr.items.map(sub) };
    case 'list':
      return expr.items.map(sub);
    case 'dictlit': {
      const dict = new Map<string, Expr>();
      for (const [key, value] of expr.entries) {
        const k = sub(key);
        if (typeof k !== 'string') source.fail(key.line, 'a dictionary key that is not a string');
        dict.set(k, value);
      }
      return { dict, line: expr.line, scope: inner };
    }
    case 'call': {
      if (expr.func.kind === 'name' && expr.func.id === 'dict') {
        if (expr.args.length > 0) source.fail(expr.line, 'dict() with positional arguments is not a shape this reader knows');
        return { dict: new Map(expr.kwargs), line: expr.line, scope: inner };
      }
      if (expr.func.kind === 'name' && expr.func.id === 'bool' && expr.args.length === 1 && expr.kwargs.length === 0) {
        return truthy(sub(expr.args[0] as Expr), expr.line, source);
      }
      if (expr.func.kind === 'attr') return callMethod(sub(expr.func.object), expr.func.attr, expr, inner);
      if (expr.func.kind !== 'name') source.fail(expr.line, 'a call of something other than a name is not a shape this reader knows');
      if (expr.kwargs.length > 0) source.fail(expr.line, `${expr.func.id}() with keyword arguments is not a shape this reader knows`);
      return scope.call(expr.func.id, expr.args.map(sub), expr.line);
    }
    case 'attr':
      source.fail(expr.line, `the attribute .${expr.attr} is not a value this reader knows`);
      break;
    case 'subscript': {
      const object = sub(expr.object);
      const index = sub(expr.index);
      if (Array.isArray(object) && typeof index === 'number' && index >= 0 && index < object.length) return object[index] as Value;
      if (isTuple(object) && typeof index === 'number' && index >= 0 && index < object.tuple.length) return object.tuple[index] as Value;
      if (isDict(object) && typeof index === 'string' && object.dict.has(index)) return evaluate(object.dict.get(index) as Expr, object.scope);
      source.fail(expr.line, 'an index this reader cannot follow');
      break;
    }
    case 'binop': {
      const left = sub(expr.left);
      const right = sub(expr.right);
      if (expr.op === '%' && typeof left === 'string') return percentFormat(left, right, expr.line, source);
      if (expr.op === '+' && typeof left === 'string' && typeof right === 'string') return left + right;
      if (expr.op === '+' && Array.isArray(left) && Array.isArray(right)) return [...left, ...right];
      if (typeof left === 'number' && typeof right === 'number') {
        if (expr.op === '+') return left + right;
        if (expr.op === '-') return left - right;
        if (expr.op === '*') return left * right;
      }
      if (isOpaque(left) || isOpaque(right)) return { opaque: `${expr.op} of a value not computed` };
      source.fail(expr.line, `the operator '${expr.op}' on these values is not a shape this reader knows`);
      break;
    }
    case 'not':
      return !truthy(sub(expr.operand), expr.line, source);
    case 'bool': {
      const left = truthy(sub(expr.left), expr.line, source);
      if (expr.op === 'and') return left ? truthy(sub(expr.right), expr.line, source) : false;
      return left ? true : truthy(sub(expr.right), expr.line, source);
    }
    case 'compare':
      return compare(sub(expr.left), expr.op, sub(expr.right), expr.line, source);
  }
  source.fail(expr.line, 'an expression this reader does not know');
}

export function truthy(value: Value, line: number, source: RecipeSource): boolean {
  if (typeof value === 'boolean') return value;
  if (value === null) return false;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value !== '';
  if (Array.isArray(value)) return value.length > 0;
  if (isTuple(value)) return value.tuple.length > 0;
  source.fail(line, 'a condition on a value this reader does not compute');
}

function compare(left: Value, op: string, right: Value, line: number, source: RecipeSource): boolean {
  const order = ordering(left, right, line, source);
  switch (op) {
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '==':
      return order === 0;
    default:
      return order !== 0;
  }
}

function ordering(left: Value, right: Value, line: number, source: RecipeSource): number {
  if (typeof left === 'number' && typeof right === 'number') return Math.sign(left - right);
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  if (isTuple(left) && isTuple(right)) {
    for (let i = 0; i < Math.min(left.tuple.length, right.tuple.length); i++) {
      const order = ordering(left.tuple[i] as Value, right.tuple[i] as Value, line, source);
      if (order !== 0) return order;
    }
    return Math.sign(left.tuple.length - right.tuple.length);
  }
  source.fail(line, 'a comparison of values this reader does not compare');
}

function callMethod(object: Value, method: string, expr: Extract<Expr, { kind: 'call' }>, scope: Scope): Value {
  const source: RecipeSource = scope.source;
  const args = expr.args.map((arg) => evaluate(arg, scope));
  if (typeof object === 'string') {
    if (method === 'format') {
      const named = new Map(expr.kwargs.map(([key, value]) => [key, evaluate(value, scope)]));
      let position = 0;
      return object.replace(/\{([A-Za-z_0-9]*)\}/g, (_whole, field: string) => {
        const value = field === '' ? args[position++] : /^\d+$/.test(field) ? args[Number(field)] : named.get(field);
        if (value === undefined) source.fail(expr.line, `format field {${field}} has no value`);
        return str(value, expr.line, source);
      });
    }
    if (method === 'lower' && args.length === 0) return object.toLowerCase();
    if (method === 'upper' && args.length === 0) return object.toUpperCase();
  }
  if (expr.kwargs.length > 0) source.fail(expr.line, `.${method}() with keyword arguments is not a shape this reader knows`);
  source.fail(expr.line, `the method .${method}() is not one this reader knows`);
}

/** `str(value)` for the values recipes format. */
function str(value: Value, line: number, source: RecipeSource): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  source.fail(line, 'formatting a value that is not a string or number');
}

function percentFormat(template: string, args: Value, line: number, source: RecipeSource): string {
  const positional = isTuple(args) ? args.tuple : isDict(args) ? [] : [args];
  let position = 0;
  return template.replace(/%(\(([A-Za-z_][A-Za-z0-9_]*)\))?([sd%])/g, (_whole, _named, name: string | undefined, conversion: string) => {
    if (conversion === '%') return '%';
    if (name !== undefined) {
      if (!isDict(args) || !args.dict.has(name)) source.fail(line, `%(${name})s has no value`);
      return str(evaluate(args.dict.get(name) as Expr, args.scope), line, source);
    }
    const value = positional[position++];
    if (value === undefined) source.fail(line, 'too few values for % formatting');
    return str(value, line, source);
  });
}

/** An f-string whose fields are names, calls and method calls the scope knows. */
function formatFString(template: string, line: number, scope: Scope): Value {
  let opaque = false;
  const text = template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (whole, field: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    const inner = (field as string).replace(/![rsa]$/, '');
    const expr = parseExpression(scope.source, line, inner);
    let value: Value;
    try {
      value = evaluate(expr, scope);
    } catch (error) {
      // A field naming what only the build knows (a path): the string is not computed, never guessed.
      if (error instanceof InputError && /no value|not a value|not one this reader knows|unknown name/.test(error.message)) {
        opaque = true;
        return '';
      }
      throw error;
    }
    if (isOpaque(value)) {
      opaque = true;
      return '';
    }
    return str(value, line, scope.source);
  });
  return opaque ? { opaque: template } : text;
}

/** Runs statements, recording what calls on named lists (`result.extend(...)`) add. */
export function execute(body: Stmt[], scope: Scope, onStatement?: (stmt: Stmt, scope: Scope) => boolean): Value | undefined {
  for (const stmt of body) {
    if (onStatement?.(stmt, scope)) continue;
    switch (stmt.kind) {
      case 'pass':
        break;
      case 'assign':
        scope.variables.set(stmt.target, evaluate(stmt.value, scope));
        break;
      case 'if': {
        for (const branch of stmt.branches) {
          if (branch.test === undefined || truthy(evaluate(branch.test, scope), stmt.line, scope.source)) {
            const returned = execute(branch.body, scope, onStatement);
            if (returned !== undefined) return returned;
            break;
          }
        }
        break;
      }
      case 'return':
        return stmt.value ? evaluate(stmt.value, scope) : null;
      case 'expr': {
        const call = stmt.value;
        if (call.kind === 'call' && call.func.kind === 'attr' && call.func.object.kind === 'name' && ['extend', 'append'].includes(call.func.attr)) {
          const list = scope.variables.get(call.func.object.id);
          if (!Array.isArray(list)) scope.source.fail(stmt.line, `${call.func.object.id} is not a list here`);
          if (call.args.length !== 1 || call.kwargs.length > 0) scope.source.fail(stmt.line, `.${call.func.attr}() with other than one argument`);
          const value = evaluate(call.args[0] as Expr, scope);
          if (call.func.attr === 'append') list.push(value);
          else if (Array.isArray(value)) pushAll(list, value);
          else scope.source.fail(stmt.line, '.extend() of something that is not a list');
          break;
        }
        scope.source.fail(stmt.line, 'a statement this reader does not know (only assignments, if/else, list.extend/append and return are read)');
        break;
      }
      case 'for':
        scope.source.fail(stmt.line, 'a loop is not a shape this reader knows here');
    }
  }
  return undefined;
}

/** What follows `NAME =` (or `NAME: TYPE =`, not `NAME ==`) at the start of a line, else undefined. */
function assignedText(line: string, name: string): string | undefined {
  if (!line.startsWith(name)) return undefined;
  const match = /^\s*(?::[^=]*)?=(?!=)/.exec(line.slice(name.length));
  return match ? line.slice(name.length + match[0].length) : undefined;
}
