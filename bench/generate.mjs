#!/usr/bin/env node
// Benchmark: `generate` on a real release tarball against the floor of simply reading it —
// `xz -dc | tee >(sha1sum) | sha256sum` (gzip -dc for .tgz) — measured in the same run, so the
// printed ratio means something on any machine. Target (issue 2): <= 1.5x with both SPDX and
// CycloneDX written. Usage: npm run bench [-- TARBALL [RUNS]]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(import.meta.url), '..', '..');
const tarball = resolve(process.argv[2] ?? join(repo, '.cache', 'real', 'Python-3.13.15.tar.xz'));
const runs = Number(process.argv[3] ?? 5);
const decompress = tarball.endsWith('.xz') ? 'xz -dc' : 'gzip -dc';
const out = mkdtempSync(join(tmpdir(), 'cpython-sbom-bench-'));

function timeIt(label, command, args, env = {}) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (result.status !== 0) {
      console.error(`${label} failed: ${result.stderr}`);
      process.exit(2);
    }
    times.push(seconds);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`${label.padEnd(34)} median ${median.toFixed(3)} s  (min ${times[0].toFixed(3)}, max ${times.at(-1).toFixed(3)}, ${runs} runs)`);
  return median;
}

console.log(`tarball: ${tarball}`);
const floor = timeIt('floor (decompress + sha1 + sha256)', 'bash', ['-c', `${decompress} "$0" | tee >(sha1sum >/dev/null) | sha256sum >/dev/null`, tarball]);
const cli = join(repo, 'dist', 'cli.js');
const env = { SOURCE_DATE_EPOCH: '0' };
const spdx = timeIt('generate spdx-json', process.execPath, [cli, 'generate', tarball, '--no-progress', '--out-dir', out], env);
const two = timeIt('generate spdx + cyclonedx-json', process.execPath, [
  cli, 'generate', tarball, '--no-progress', '--format', 'spdx-json,cyclonedx-json', '--out-dir', out,
], env);
const both = timeIt('generate spdx + cyclonedx json+xml', process.execPath, [
  cli, 'generate', tarball, '--no-progress', '--format', 'spdx-json,cyclonedx-json,cyclonedx-xml', '--out-dir', out,
], env);
const wasm = timeIt('generate spdx-json (WASM xz)', process.execPath, [cli, 'generate', tarball, '--no-progress', '--out-dir', out], {
  ...env,
  CPYTHON_SBOM_XZ: 'wasm',
});
rmSync(out, { recursive: true, force: true });
console.log('');
console.log(`ratio spdx-json / floor:          ${(spdx / floor).toFixed(2)}x`);
console.log(`ratio spdx + cyclonedx-json / floor: ${(two / floor).toFixed(2)}x   (target <= 1.50x)`);
console.log(`ratio all three formats / floor:  ${(both / floor).toFixed(2)}x`);
console.log(`ratio WASM-xz fallback / floor:   ${(wasm / floor).toFixed(2)}x`);
