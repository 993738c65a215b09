#!/usr/bin/env node
// Benchmark: `regen --check` against the checkout's own `python3 Tools/build/generate_sbom.py`
// on the same git checkout, measured alternately in one run so the printed ratio means something
// on a loaded machine. Target (issue 12): regen --check faster in wall time than the script.
//
//   npm run bench:regen [-- TREE_OR_TARBALL [ROUNDS]]
//
// TREE_OR_TARBALL is a CPython 3.13/3.14 git checkout, or a release tarball that is unpacked and
// committed into a temporary git checkout (default: Python-3.13.15.tar.xz of the real-data cache).
// Each round times `node dist/cli.js --version` (Node's start-up, the floor for any CLI run), then
// regen --check and the script in alternating order; the ratio is the median over the rounds of
// (regen's time / that round's script time). The script rewrites the two manifests with the same
// bytes, so the tree is the same for every run. CI is unset for the script: with CI set it
// downloads every package again.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(import.meta.url), '..', '..');
const realDir = process.env.CPYTHON_SBOM_REAL_DIR ?? join(repo, '.cache', 'real');
const input = resolve(process.argv[2] ?? join(realDir, 'Python-3.13.15.tar.xz'));
const rounds = Number(process.argv[3] ?? 9);
const cli = join(repo, 'dist', 'cli.js');

function must(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  if (result.status !== 0) {
    console.error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
    process.exit(2);
  }
}

let tree = input;
let scratch;
if (!statSync(input).isDirectory()) {
  scratch = mkdtempSync(join(tmpdir(), 'cpython-sbom-bench-regen-'));
  tree = scratch;
  must('tar', ['xf', input, '-C', tree, '--strip-components=1']);
  const git = (...args) => must('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@invalid', ...args], { cwd: tree });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'import');
}

const env = { ...process.env };
delete env.CI;
const variants = {
  node: { label: 'node dist/cli.js --version', command: process.execPath, args: [cli, '--version'] },
  regen: { label: 'cpython-sbom regen --check', command: process.execPath, args: [cli, 'regen', tree, '--check'] },
  script: { label: 'python3 Tools/build/generate_sbom.py', command: 'python3', args: [join(tree, 'Tools/build/generate_sbom.py')] },
};

function time({ label, command, args }) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: tree, stdio: ['ignore', 'pipe', 'pipe'], env });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    console.error(`${label} failed (exit ${result.status}): ${result.stdout}${result.stderr}`);
    process.exit(2);
  }
  return seconds;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const times = { node: [], regen: [], script: [] };
const ratios = [];
console.log(`tree: ${input}  (${rounds} alternating rounds)`);
time(variants.regen); // warm the page cache for both
time(variants.script);
for (let round = 0; round < rounds; round++) {
  times.node.push(time(variants.node));
  // Alternate which runs first, so neither always gets the warmer cache.
  const order = round % 2 === 0 ? ['regen', 'script'] : ['script', 'regen'];
  const got = {};
  for (const name of order) got[name] = time(variants[name]);
  times.regen.push(got.regen);
  times.script.push(got.script);
  ratios.push(got.regen / got.script);
}
for (const [name, variant] of Object.entries(variants)) {
  const values = times[name];
  console.log(
    `${variant.label.padEnd(40)} median ${median(values).toFixed(3)} s  (min ${Math.min(...values).toFixed(3)}, max ${Math.max(...values).toFixed(3)})`,
  );
}
const ratio = median(ratios);
console.log(`regen --check / script: median ratio ${ratio.toFixed(2)} (target < 1: ${ratio < 1 ? 'met' : 'NOT met'})`);
if (scratch) rmSync(scratch, { recursive: true, force: true });
