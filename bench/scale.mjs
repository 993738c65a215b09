#!/usr/bin/env node
// Benchmark: peak memory of `generate` writing all three formats for the sample tree plus N small
// extra files (default 100,000), measured with /usr/bin/time -v (maximum resident set size).
// Prints the peak, wall time and the peak's ratio to the 600 MB target (below 1.00 meets it).
// Usage: node bench/scale.mjs [EXTRA_FILES]   (needs /usr/bin/time; builds the tree in a temp dir)
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const extra = Number(process.argv[2] ?? 100_000);
const repo = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'cpython-sbom-scale-'));
const TARGET_KB = 600 * 1000;
try {
  const tree = join(work, 'tree');
  cpSync(join(repo, 'fixtures', 'sample-cpython'), tree, { recursive: true });
  for (let d = 0; d * 1000 < extra; d++) {
    const dir = join(tree, 'Lib', 'extra', `d${d}`);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 1000 && d * 1000 + i < extra; i++) writeFileSync(join(dir, `f${i}.py`), `# ${d} ${i}\n`);
  }
  const out = join(work, 'out');
  const result = spawnSync(
    '/usr/bin/time',
    [
      '-v',
      process.execPath,
      join(repo, 'dist', 'cli.js'),
      'generate',
      tree,
      '--format',
      'spdx-json,cyclonedx-json,cyclonedx-xml',
      '--out-dir',
      out,
      '--no-progress',
    ],
    { encoding: 'utf8' },
  );
  const peak = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1]);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/.exec(result.stderr)?.[1];
  if (result.status !== 0) throw new Error(`generate failed: ${result.stderr.split('\n').slice(0, 3).join(' ')}`);
  console.log(`${extra} extra files, three formats: peak RSS ${Math.round(peak / 1000)} MB, wall ${wall}`);
  console.log(`ratio to the 600 MB target: ${(peak / TARGET_KB).toFixed(2)}`);
  execFileSync('ls', ['-la', out], { stdio: 'inherit' });
} finally {
  rmSync(work, { recursive: true, force: true });
}
