#!/usr/bin/env node
// Benchmark: `generate` on a real release tarball against the floor of simply reading it —
// `xz -dc | tee >(sha1sum) | sha256sum` (gzip -dc for .tgz) — measured in the same run, so the
// printed ratios mean something on any machine (issue 20's targets beside each line):
//   python.org profile, SPDX                          <= 1.10x the floor
//   complete profile, SPDX + CycloneDX JSON           <= 1.25x
//   complete profile, all three formats               <= 1.35x
//   the unpacked tree, SPDX + CycloneDX JSON          <= 1.50x its floor, `find -type f | xargs cat | tee >(sha1sum) | sha256sum`
//   the packed package installed into a project       within 5% of this checkout (same run)
//   complete profile over python.org's, both JSON     <= 1.20x (issue 18: what the per-file scan costs)
//   python.org's release tooling (--reference SCRIPT)  for comparison: `python3 SCRIPT TARBALL`
// Peak memory (maximum resident set, from /usr/bin/time when there is one) is printed beside each,
// and the CPU time each run took (user + system, over all its threads and child processes)
// divided by the machine's cores and by the same floor: the least ratio that much work could
// reach if it kept every core busy from start to end. A target below that bound cannot be met
// without doing less work.
//
// Usage: npm run bench [-- [TARBALL] [ROUNDS] [--rounds N] [--reference SCRIPT]]
//
// Shared 2-core machines drift by 10-20% within a minute, so the runs are interleaved: each
// round times the floors and then every variant, and a variant's ratio is the median over the
// rounds of (its time / that round's floor).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(fileURLToPath(import.meta.url), '..', '..');
const positional = [];
let reference;
let rounds;
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--reference') reference = resolve(argv[++i]);
  else if (argv[i] === '--rounds') rounds = Number(argv[++i]);
  else positional.push(argv[i]);
}
const tarball = resolve(positional[0] ?? join(repo, '.cache', 'real', 'Python-3.13.15.tar.xz'));
rounds ??= Number(positional[1] ?? 7);
if (!existsSync(tarball)) {
  console.error(`bench: ${tarball} not found (npm run fetch-real fetches the release tarballs)`);
  process.exit(2);
}
const decompress = tarball.endsWith('.xz') ? 'xz -dc' : 'gzip -dc';
const work = mkdtempSync(join(tmpdir(), 'cpython-sbom-bench-'));
const out = join(work, 'out');
const timeBinary = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

// The unpacked tree: the tarball extracted once.
const treeParent = join(work, 'tree');
mkdirSync(treeParent);
run('tar', ['-xf', tarball, '-C', treeParent]);
const tree = join(treeParent, readdirSync(treeParent)[0]);

// The installed package: `npm pack` of this checkout (built as it is: --ignore-scripts), unpacked
// into a project's node_modules, with this checkout's dependencies beside it (offline).
const packDir = join(work, 'pack');
mkdirSync(packDir);
run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir], { cwd: repo });
const installed = join(work, 'project', 'node_modules', 'cpython-sbom');
mkdirSync(installed, { recursive: true });
run('tar', [
  '-xzf',
  join(
    packDir,
    readdirSync(packDir).find((name) => name.endsWith('.tgz')),
  ),
  '-C',
  installed,
  '--strip-components=1',
]);
symlinkSync(join(repo, 'node_modules'), join(installed, 'node_modules'));

const checkoutCli = join(repo, 'dist', 'cli.js');
const installedCli = join(installed, 'dist', 'cli.js');
const generate = (label, source, formats, profile, cli = checkoutCli) => ({
  label,
  command: process.execPath,
  args: [cli, 'generate', source, '--no-progress', '--quiet', '--profile', profile, '--format', formats, '--out-dir', out],
});
const floor = {
  label: 'floor: decompress + sha1 + sha256',
  command: 'bash',
  args: ['-c', `${decompress} "$0" | tee >(sha1sum >/dev/null) | sha256sum >/dev/null`, tarball],
};
const treeFloor = {
  label: 'tree floor: cat + sha1 + sha256',
  command: 'bash',
  args: ['-c', 'find "$0" -type f -print0 | xargs -0 cat | tee >(sha1sum >/dev/null) | sha256sum >/dev/null', tree],
};
const both = 'spdx-json,cyclonedx-json';
const three = 'spdx-json,cyclonedx-json,cyclonedx-xml';
// `against`: the index (in `measured`) of the run this one is divided by, round by round.
const measured = [
  { ...floor },
  { ...treeFloor },
  { ...generate('python.org SPDX', tarball, 'spdx-json', 'python.org'), against: 0, target: 1.1 },
  { ...generate('complete SPDX', tarball, 'spdx-json', 'complete'), against: 0 },
  { ...generate('complete SPDX + CycloneDX JSON', tarball, both, 'complete'), against: 0, target: 1.25 },
  { ...generate('complete, all three formats', tarball, three, 'complete'), against: 0, target: 1.35 },
  { ...generate('unpacked tree, SPDX + CycloneDX JSON', tree, both, 'complete'), against: 1, target: 1.5 },
  { ...generate('installed package, SPDX + CycloneDX JSON', tarball, both, 'complete', installedCli), against: 4, target: 1.05, versus: 'checkout' },
  { ...generate('python.org SPDX + CycloneDX JSON', tarball, both, 'python.org'), against: 0 },
  // Issue 18's bound on the per-file scan: the complete profile over python.org's, both JSON
  // formats, round by round (not timed again: the runs above, `same`).
  { label: 'complete SPDX + CycloneDX JSON', same: 4, against: 8, target: 1.2, versus: 'python.org profile' },
];
if (reference) {
  // Given a link to the tarball in a directory of its own, so what it writes beside it stays there.
  const linked = join(work, 'reference', basename(tarball));
  mkdirSync(dirname(linked));
  symlinkSync(tarball, linked);
  measured.push({ label: "python.org's release tooling", command: 'python3', args: [reference, linked], cwd: out, against: 0 });
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
  if (result.status !== 0) {
    console.error(`bench: ${command} ${args.join(' ')} failed: ${result.stderr}`);
    process.exit(2);
  }
}

/** Wall-clock seconds, peak resident memory (KiB) and CPU seconds (user + system) of one run; the last two when /usr/bin/time is there. */
function time({ label, command, args, cwd }) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const memoryFile = join(work, 'maxrss');
  const [cmd, cmdArgs] = timeBinary ? [timeBinary, ['-f', '%M %U %S', '-o', memoryFile, command, ...args]] : [command, args];
  const start = process.hrtime.bigint();
  const result = spawnSync(cmd, cmdArgs, { stdio: ['ignore', 'ignore', 'pipe'], cwd: cwd ?? repo, env: { ...process.env, SOURCE_DATE_EPOCH: '0' } });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    console.error(`bench: ${label} failed: ${result.stderr}`);
    process.exit(2);
  }
  const [kib, user, system] = timeBinary ? readFileSync(memoryFile, 'utf8').trim().split('\n').pop().split(' ').map(Number) : [Number.NaN, Number.NaN, 0];
  return { seconds, kib, cpu: user + system };
}

const cores = availableParallelism();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = measured.map(() => []);
console.log(`tarball: ${tarball}  (${rounds} interleaved rounds)`);
for (let round = 0; round < rounds; round++) {
  for (const [index, entry] of measured.entries()) if (entry.same === undefined) results[index].push(time(entry));
}
rmSync(work, { recursive: true, force: true });
for (const [index, entry] of measured.entries()) if (entry.same !== undefined) results[index] = results[entry.same];

const mib = (kib) => (Number.isNaN(kib) ? '?' : `${Math.round(kib / 1024)} MiB`);
const seconds = (index) => results[index].map((result) => result.seconds);
const describe = (index) => {
  const values = seconds(index);
  return `median ${median(values).toFixed(3)} s (min ${Math.min(...values).toFixed(3)}, max ${Math.max(...values).toFixed(3)})`;
};
measured.forEach((entry, index) => {
  if (entry.same !== undefined) return;
  const cpu = median(results[index].map((result) => result.cpu));
  const cpuText = Number.isNaN(cpu) ? '' : `   CPU ${cpu.toFixed(2)} s`;
  console.log(`${entry.label.padEnd(42)} ${describe(index)}   peak ${mib(Math.max(...results[index].map((result) => result.kib)))}${cpuText}`);
});
console.log('');
measured.forEach((entry, index) => {
  if (entry.against === undefined) return;
  const ratio = median(seconds(index).map((value, round) => value / seconds(entry.against)[round]));
  const base = entry.versus ?? (entry.against === 1 ? 'tree floor' : 'floor');
  const target = entry.target ? `   (target <= ${entry.target.toFixed(2)}x: ${ratio <= entry.target ? 'met' : 'missed'})` : '';
  const peak = `peak ${mib(Math.max(...results[index].map((result) => result.kib)))}`;
  // Each round's CPU time spread over every core, over that round's floor: the least ratio that work allows.
  const bound = median(results[index].map((result, round) => result.cpu / cores / seconds(entry.against)[round]));
  const cpu =
    Number.isNaN(bound) || entry.versus !== undefined
      ? ''
      : `   CPU ${median(results[index].map((result) => result.cpu)).toFixed(2)} s, at best ${bound.toFixed(2)}x on ${cores} cores`;
  console.log(`${`ratio ${entry.label} / ${base}:`.padEnd(62)}${ratio.toFixed(2)}x   ${peak}${target}${cpu}`);
});
