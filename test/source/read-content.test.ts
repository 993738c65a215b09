import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanSource } from '../../src/source/index.js';
import { makeTar } from '../detect/archive-helpers.js';
import { makeTree } from '../detect/helpers.js';
import { tempDir } from '../support/cli.js';

/** A reader that records what it is shown. */
function recorder(wanted: (path: string) => boolean) {
  const shown = new Map<string, string>();
  return { shown, reader: { wants: wanted, see: (path: string, bytes: Buffer) => shown.set(path, bytes.toString('utf8')) } };
}

async function tarball(files: Record<string, string>): Promise<string> {
  const tar = join(tempDir(), 'Python-3.13.0.tar');
  writeFileSync(tar, await makeTar(Object.entries(files).map(([name, content]) => ({ name: `Python-3.13.0/${name}`, content }))));
  execFileSync('gzip', ['-f', tar]);
  return `${tar}.gz`;
}

const FILES = { 'Include/patchlevel.h': '#define PY_VERSION "3.13.0"\n', 'Lib/a.py': '# Copyright 2020 A\n', 'Lib/b.png': 'not text', 'Lib/c.py': 'x = 1\n' };

describe('readContent: files shown as they are read, not kept', () => {
  it.each([
    ['a directory', () => Promise.resolve(makeTree(FILES, '3.13.0'))],
    ['a tarball', () => tarball(FILES)],
  ])('in %s', async (_, source) => {
    const { shown, reader } = recorder((path) => path.endsWith('.py'));
    const scan = await scanSource(await source(), { wantContent: (path) => path === 'Lib/c.py', readContent: reader });
    expect(Object.fromEntries(shown)).toEqual({ 'Lib/a.py': '# Copyright 2020 A\n', 'Lib/c.py': 'x = 1\n' });
    // Only what wantContent asks for is kept; what a reader was shown is not.
    expect([...scan.contents.keys()]).toEqual(['Lib/c.py']);
    expect(scan.files.map((file) => file.path)).toEqual(['Include/patchlevel.h', 'Lib/a.py', 'Lib/b.png', 'Lib/c.py']);
  });
});
