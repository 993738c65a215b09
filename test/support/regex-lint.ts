import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export { checkPattern } from '../../src/util/regex-shape.js';

export interface RegexSite {
  file: string;
  line: number;
  source: string;
  flags: string;
  /** `new RegExp(expr)` with a pattern that is not a literal: cannot be checked statically. */
  dynamic?: string;
}

/** Every regular expression literal and `new RegExp(...)`/`RegExp(...)` of the TypeScript files under `dir`. */
export function regexSites(dir: string, root = dir): RegexSite[] {
  const sites: RegexSite[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      sites.push(...regexSites(path, root));
      continue;
    }
    if (!entry.name.endsWith('.ts')) continue;
    const text = readFileSync(path, 'utf8');
    const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
    const name = relative(root, path);
    const lineOf = (node: ts.Node): number => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
    const walk = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const literal = (node as ts.RegularExpressionLiteral).text;
        const end = literal.lastIndexOf('/');
        sites.push({ file: name, line: lineOf(node), source: literal.slice(1, end), flags: literal.slice(end + 1) });
      } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
        const [pattern, flags] = node.arguments ?? [];
        const flagText = flags && ts.isStringLiteralLike(flags) ? flags.text : '';
        if (pattern && ts.isStringLiteralLike(pattern)) sites.push({ file: name, line: lineOf(node), source: pattern.text, flags: flagText });
        else sites.push({ file: name, line: lineOf(node), source: '', flags: flagText, dynamic: pattern ? pattern.getText(file) : '' });
      }
      ts.forEachChild(node, walk);
    };
    walk(file);
  }
  return sites;
}
