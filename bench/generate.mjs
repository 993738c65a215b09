#!/usr/bin/env node
// Benchmark: `generate` on a real release tarball against the floor of simply reading it —
// `xz -dc | tee >(sha1sum) | sha256sum` (gzip -dc for .tgz) — measured in the same run, so the
// printed ratio means something on any machine. Targets: <= 1.5x the floor with both SPDX and
// CycloneDX written (python.org profile, issue 2); the complete profile at most 1.15x the
// python.org profile for the same formats (issue 11). Usage: npm run bench [-- TARBALL [ROUNDS]]
//
// Shared 2-core machines drift by 10-20% within a minute, so the runs are interleaved: each
// round times the floor and then every variant, and a variant's ratio is the median over the
// rounds of (its time / that round's floor).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(import.meta.url), '..', '..');
const tarball = resolve(process.argv[2] ?? join(repo, '.cache', 'real', 'Python-3.13.15.tar.xz'));
const rounds = Number(process.argv[3] ?? 7);
const decompress = tarball.endsWith('.xz') ? 'xz -dc' : 'gzip -dc';
const out = mkdtempSync(join(tmpdir(), 'cpython-sbom-bench-'));
const cli = join(repo, 'dist', 'cli.js');
const generate = (formats, env = {}, profile = 'python.org') => ({
  command: process.execPath,
  args: [cli, 'generate', tarball, '--no-progress', '--profile', profile, '--format', formats, '--out-dir', out],
  env: { SOURCE_DATE_EPOCH: '0', ...env },
});

const floor = {
  label: 'floor (decompress + sha1 + sha256)',
  command: 'bash',
  args: ['-c', `${decompress} "$0" | tee >(sha1sum >/dev/null) | sha256sum >/dev/null`, tarball],
  env: {},
};
const variants = [
  { label: 'generate spdx-json', ...generate('spdx-json') },
  { label: 'generate spdx + cyclonedx-json', target: 1.5, ...generate('spdx-json,cyclonedx-json') },
  { label: 'generate spdx + cyclonedx json+xml', ...generate('spdx-json,cyclonedx-json,cyclonedx-xml') },
  { label: 'generate spdx-json (WASM xz)', ...generate('spdx-json', { CPYTHON_SBOM_XZ: 'wasm' }) },
  // The complete profile (the default) against the python.org profile above, format for format.
  { label: 'complete spdx-json', versus: 0, targetVersus: 1.15, ...generate('spdx-json', {}, 'complete') },
  { label: 'complete spdx + cyclonedx-json', versus: 1, targetVersus: 1.15, ...generate('spdx-json,cyclonedx-json', {}, 'complete') },
];

function time({ label, command, args, env }) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    console.error(`${label} failed: ${result.stderr}`);
    process.exit(2);
  }
  return seconds;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const floorTimes = [];
const times = variants.map(() => []);
const ratios = variants.map(() => []);
console.log(`tarball: ${tarball}  (${rounds} interleaved rounds)`);
for (let round = 0; round < rounds; round++) {
  const base = time(floor);
  floorTimes.push(base);
  variants.forEach((variant, index) => {
    const seconds = time(variant);
    times[index].push(seconds);
    ratios[index].push(seconds / base);
  });
}
rmSync(out, { recursive: true, force: true });

const describe = (values) => `median ${median(values).toFixed(3)} s  (min ${Math.min(...values).toFixed(3)}, max ${Math.max(...values).toFixed(3)})`;
console.log(`${floor.label.padEnd(36)} ${describe(floorTimes)}`);
variants.forEach((variant, index) => console.log(`${variant.label.padEnd(36)} ${describe(times[index])}`));
console.log('');
variants.forEach((variant, index) => {
  const ratio = median(ratios[index]);
  const target = variant.target ? `   (target <= ${variant.target.toFixed(2)}x: ${ratio <= variant.target ? 'met' : 'missed'})` : '';
  console.log(`ratio ${variant.label.replace(/^generate /, '')} / floor:`.padEnd(44) + `${ratio.toFixed(2)}x${target}`);
});
console.log('');
// Complete vs python.org, per round (both timed in the same round), then the median.
variants.forEach((variant, index) => {
  if (variant.versus === undefined) return;
  const base = variants[variant.versus];
  const ratio = median(times[index].map((seconds, round) => seconds / times[variant.versus][round]));
  const target = `   (target <= ${variant.targetVersus.toFixed(2)}x: ${ratio <= variant.targetVersus ? 'met' : 'missed'})`;
  console.log(`ratio ${variant.label} / python.org ${base.label.replace(/^generate /, '')}:`.padEnd(60) + `${ratio.toFixed(2)}x${target}`);
});
