import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shareFormats } from '../../src/generate/render-threads.js';
import { SAMPLE, runBinary, tempDir } from '../support/cli.js';

/**
 * The built CLI renders on worker threads (generate/render-threads.ts); the texts must be the
 * ones one thread renders, byte for byte, whatever the share of formats each thread got.
 */
describe('rendering on threads', () => {
  it('writes, in every format and with each profile, the bytes one thread writes', () => {
    const formats = 'spdx-json,spdx3-json,cyclonedx-json,cyclonedx-xml';
    for (const profile of ['complete', 'python.org']) {
      const threaded = tempDir();
      const single = tempDir();
      const args = ['generate', SAMPLE, '--quiet', '--profile', profile, '--format', formats, '--out-dir'];
      const a = runBinary([...args, threaded], { CPYTHON_SBOM_THREADS: '1' });
      expect(a.code, a.stderr).toBe(0);
      const b = runBinary([...args, single]);
      expect(b.code, b.stderr).toBe(0);
      const names = readdirSync(single).sort();
      expect(names).toHaveLength(4);
      expect(readdirSync(threaded).sort()).toEqual(names);
      for (const name of names) expect(readFileSync(join(threaded, name)).equals(readFileSync(join(single, name))), `${profile}: ${name}`).toBe(true);
    }
  });

  it('writes, for a directory read on its reading thread, the bytes the main thread reading it alone writes', () => {
    // The complete profile's license scan brings the reading thread (source/tree-read-thread.ts).
    const formats = 'spdx-json,cyclonedx-json,cyclonedx-xml';
    const threaded = tempDir();
    const single = tempDir();
    const args = ['generate', SAMPLE, '--quiet', '--profile', 'complete', '--format', formats, '--out-dir'];
    const a = runBinary([...args, threaded]);
    expect(a.code, a.stderr).toBe(0);
    const b = runBinary([...args, single], { CPYTHON_SBOM_READ: 'main' });
    expect(b.code, b.stderr).toBe(0);
    const names = readdirSync(single).sort();
    expect(names).toHaveLength(3);
    for (const name of names) expect(readFileSync(join(threaded, name)).equals(readFileSync(join(single, name))), name).toBe(true);
  });

  it('writes one format alone, and a format to stdout, as one thread does', () => {
    for (const format of ['spdx-json', 'cyclonedx-xml']) {
      const a = runBinary(['generate', SAMPLE, '--quiet', '--format', format, '--output', '-'], { CPYTHON_SBOM_THREADS: '1' });
      const b = runBinary(['generate', SAMPLE, '--quiet', '--format', format, '--output', '-']);
      expect(a.code, a.stderr).toBe(0);
      expect(a.stdout).toBe(b.stdout);
    }
  });

  it('shares the formats out by cost, each share in the order one thread renders them', () => {
    expect(shareFormats(['spdx-json', 'cyclonedx-json', 'cyclonedx-xml'], 2)).toEqual([['cyclonedx-xml'], ['spdx-json', 'cyclonedx-json']]);
    expect(shareFormats(['spdx-json', 'cyclonedx-json'], 2)).toEqual([['spdx-json'], ['cyclonedx-json']]);
    expect(shareFormats(['cyclonedx-json', 'spdx-json'], 8)).toEqual([['spdx-json'], ['cyclonedx-json']]);
    expect(shareFormats(['spdx-json', 'cyclonedx-json', 'cyclonedx-xml'], 1)).toEqual([['cyclonedx-xml', 'spdx-json', 'cyclonedx-json']]);
  });
});
