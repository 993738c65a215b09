import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/cli.js';

/**
 * The folders of src/ in layers, lowest first. A module may import from its own folder and from
 * folders of lower layers only: never upward, never sideways into a peer of the same layer, so no
 * two folders can form a cycle. README "How it works" draws the same picture.
 */
const LAYERS: string[][] = [
  ['errors.ts', 'version.ts'],
  ['util'],
  ['model'],
  ['catalog', 'cpython'],
  ['source', 'license'],
  ['formats'],
  ['detect'],
  ['steps'],
  ['complete', 'overlay', 'windows', 'platforms', 'validate', 'diff', 'verify', 'regen', 'sign'],
  // vex: the step generate --advisories runs (shaped like complete's), rendered and validated as every document.
  ['vex'],
  ['generate'],
  ['api'],
  ['commands'],
  ['cli.ts', 'index.ts'],
];

const SRC = join(REPO, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/** `util` for src/util/x.ts, `cli.ts` for src/cli.ts. */
function unitOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  return parts.length === 1 ? (parts[0] as string) : (parts[0] as string);
}

function rankOf(unit: string): number {
  const rank = LAYERS.findIndex((layer) => layer.includes(unit));
  if (rank === -1) throw new Error(`src/${unit} is in no layer of test/architecture/layers.test.ts: add it`);
  return rank;
}

const IMPORT = /(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function edges(): { from: string; to: string; file: string }[] {
  const found: { from: string; to: string; file: string }[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const spec = (match[1] ?? match[2]) as string;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC)) continue;
      const from = unitOf(file);
      const to = unitOf(target.replace(/\.js$/, '.ts'));
      if (from !== to) found.push({ from, to, file: relative(REPO, file) });
    }
  }
  return found;
}

describe('the layers of src/', () => {
  it('every module imports only from its own folder or a lower layer', () => {
    const wrong = edges()
      .filter(({ from, to }) => rankOf(to) >= rankOf(from))
      .map(({ from, to, file }) => `${file}: ${from} (layer ${rankOf(from)}) imports ${to} (layer ${rankOf(to)})`);
    expect(wrong).toEqual([]);
  });

  it('every folder of src/ is placed in a layer', () => {
    const units = new Set(sourceFiles(SRC).map(unitOf));
    for (const unit of units) expect(() => rankOf(unit)).not.toThrow();
  });
});

describe("generate's orchestration", () => {
  it('lives in one file under 150 lines (subjects, steps and rendering are their own modules)', () => {
    const lines = readFileSync(join(SRC, 'generate', 'pipeline.ts'), 'utf8').split('\n').length - 1;
    expect(lines).toBeLessThan(150);
  });
});
