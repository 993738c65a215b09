import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE, run, tempDir } from '../support/cli.js';

describe('verify --exclude', () => {
  it("leaves out paths the SBOM omits on purpose (an overlay's exclude), and only those", async () => {
    const dir = tempDir();
    const tree = join(dir, 'tree');
    cpSync(SAMPLE, tree, { recursive: true });
    const sbom = join(dir, 'tree.spdx.json');
    expect((await run(['generate', tree, '--output', sbom])).code).toBe(0);

    mkdirSync(join(tree, 'debian', 'patches'), { recursive: true });
    writeFileSync(join(tree, 'debian', 'control'), 'Source: python3.13\n');
    writeFileSync(join(tree, 'debian', 'patches', 'series'), 'fix.patch\n');
    writeFileSync(join(tree, 'Lib', 'extra.py'), 'x = 1\n');

    const strict = await run(['verify', sbom, tree, '--format', 'json']);
    expect(strict.code).toBe(1);
    expect((JSON.parse(strict.stdout) as { unexpected: string[] }).unexpected).toEqual(['Lib/extra.py', 'debian/control', 'debian/patches/series']);

    const excluded = await run(['verify', sbom, tree, '--format', 'json', '--exclude', 'debian/**']);
    expect(excluded.code).toBe(1);
    expect((JSON.parse(excluded.stdout) as { unexpected: string[] }).unexpected).toEqual(['Lib/extra.py']);

    const both = await run(['verify', sbom, tree, '--exclude', 'debian/**', '--exclude', 'extra.py']);
    expect(both.code, both.stdout).toBe(0);
  });
});
