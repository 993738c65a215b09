import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/cli.js';

// Issue 23, class 5: spreading an input-sized array into a call (`push(...files)`, `Math.min(...)`)
// passes every element as an argument and overflows the stack past ~100,000 of them. src/ uses
// loops (`pushAll`, `minOf`, `maxOf` in src/util/arrays.ts) instead; spreads into array literals are fine.

/** Calls with a spread argument that are fine, with the reason (by file and call text). */
const REVIEWED: Record<string, string> = {};

function spreadCalls(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...spreadCalls(path));
      continue;
    }
    if (!entry.name.endsWith('.ts')) continue;
    const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const walk = (node: ts.Node): void => {
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && (node.arguments ?? []).some(ts.isSpreadElement)) {
        const line = file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
        const key = `${relative(join(REPO, 'src'), path)} ${node.getText(file).split('\n')[0]}`;
        if (REVIEWED[key] === undefined) out.push(`${key} (line ${line})`);
      }
      ts.forEachChild(node, walk);
    };
    walk(file);
  }
  return out;
}

describe('no spread of an array into a call in src/', () => {
  it('finds none', () => {
    expect(spreadCalls(join(REPO, 'src'))).toEqual([]);
  });
});
