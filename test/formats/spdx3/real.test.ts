import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSpdx } from '../../../src/formats/spdx/read.js';
import { readSpdx3 } from '../../../src/formats/spdx3/index.js';
import { validateText } from '../../../src/validate/index.js';
import { generate } from '../../../src/index.js';
import { lazyTempDir, run } from '../../support/cli.js';
import { REAL, hasReal, realPath } from '../../support/real.js';
import { normalise } from './helpers.js';

/**
 * The complete profile of the real Python-3.13.15.tar.xz in SPDX 2.3 and SPDX 3.0.1: the SPDX 3
 * document passes the official schema, holds the same facts (snippets and file licenses too),
 * diffs as equal, and verifies the tarball; a planted change makes verify fail.
 */
describe.skipIf(!hasReal(REAL.py31315))('SPDX 3.0.1 of the real Python-3.13.15.tar.xz (complete profile)', () => {
  const dir = lazyTempDir('spdx3-real-');
  const tarball = () => realPath(REAL.py31315) as string;
  let paths: { spdx2: string; spdx3: string } | undefined;
  const documents = async () => {
    if (!paths) {
      const result = await generate(tarball(), { format: ['spdx-json', 'spdx3-json'], created: '2024-01-01T00:00:00Z' });
      expect(result.ok).toBe(true);
      paths = { spdx2: join(dir(), 'Python-3.13.15.tar.xz.spdx.json'), spdx3: join(dir(), 'Python-3.13.15.tar.xz.spdx3.json') };
      writeFileSync(paths.spdx2, result.documents['spdx-json'] as string);
      writeFileSync(paths.spdx3, result.documents['spdx3-json'] as string);
    }
    return paths;
  };

  it('passes the official schema and our checks, and reads back as the facts of its SPDX 2.3 twin', async () => {
    const { readFileSync } = await import('node:fs');
    const { spdx2, spdx3 } = await documents();
    const text = readFileSync(spdx3, 'utf8');
    const graph = JSON.parse(text) as { '@graph': { type: string }[] };
    const checked = await validateText(text, spdx3);
    expect(checked.errors).toEqual([]);
    const counts = new Map<string, number>();
    for (const element of graph['@graph']) counts.set(element.type, (counts.get(element.type) ?? 0) + 1);
    process.stderr.write(`SPDX 3.0.1 elements of Python-3.13.15.tar.xz: ${JSON.stringify(Object.fromEntries([...counts].sort()))}\n`);
    const read = readSpdx3(text, spdx3).document;
    const twin = readSpdx(readFileSync(spdx2, 'utf8'), spdx2).document;
    expect(read.files.length).toBe(twin.files.length);
    expect(read.snippets?.length).toBe(3);
    expect(read.files.filter((file) => file.licenseInfoInFiles).length).toBeGreaterThan(10);
    expect(normalise(read)).toEqual(normalise(twin));
  });

  it('diffs as equal to the SPDX 2.3 document and verifies the tarball', async () => {
    const { spdx2, spdx3 } = await documents();
    const diffed = await run(['diff', spdx2, spdx3, '--format', 'json']);
    expect(diffed.code).toBe(0);
    const verified = await run(['verify', spdx3, tarball(), '--format', 'json']);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      ok: true,
      sbom: { format: 'spdx-3.0.1' },
      artifact: { matches: true },
      counts: { changed: 0, missing: 0, unexpected: 0 },
    });
    expect(verified.code).toBe(0);
  });

  it('verify fails on a planted change: a file hash the tarball does not have', async () => {
    const { readFileSync } = await import('node:fs');
    const { spdx3 } = await documents();
    const graph = JSON.parse(readFileSync(spdx3, 'utf8')) as { '@graph': Record<string, unknown>[] };
    const os = graph['@graph'].find((element) => element.type === 'software_File' && element.name === 'Lib/os.py')!;
    for (const hash of os.verifiedUsing as { hashValue: string }[]) hash.hashValue = hash.hashValue.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const planted = join(dir(), 'planted.spdx3.json');
    writeFileSync(planted, JSON.stringify(graph));
    const verified = await run(['verify', planted, tarball(), '--format', 'json']);
    expect(verified.code).toBe(1);
    expect(JSON.parse(verified.stdout).changed.map((file: { path: string }) => file.path)).toEqual(['Lib/os.py']);
  });
});
