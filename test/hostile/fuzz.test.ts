/**
 * A seeded fuzz run over the built CLI: real documents (python.org's SBOMs, the CycloneDX
 * fixtures, the sample tree's SPDX) and a small real tarball (the sample tree) are mutated, and
 * every run must keep the contract: exit 0, 1 or 2; on exit 2 exactly one line on stderr; never a
 * stack trace or "internal error"; done within a per-run timeout and a bounded heap; an existing
 * output untouched when the run fails. A fifth of the cases are issue 23's hostile trees (links out
 * of the tree, FIFOs, control characters in names, hostile vendor.txt pins, blank runs where
 * patterns read fields), where a file outside the tree must stay untouched whatever the exit. CPYTHON_SBOM_FUZZ_SEED picks another seed,
 * CPYTHON_SBOM_FUZZ_CASES and CPYTHON_SBOM_FUZZ_BUDGET_MS a longer campaign, CPYTHON_SBOM_FUZZ_ONLY
 * one case (the seed and
 * the case index are printed on failure: the same seed makes the same cases again).
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FIXED_EPOCH, REPO, SAMPLE, tempDir } from '../support/cli.js';

const SEED = Number(process.env.CPYTHON_SBOM_FUZZ_SEED ?? 20261126);
/** Cases run; the wall-clock budget below stops earlier on a slow machine. */
const CASES = Number(process.env.CPYTHON_SBOM_FUZZ_CASES ?? 64);
const BUDGET_MS = Number(process.env.CPYTHON_SBOM_FUZZ_BUDGET_MS ?? 30_000);
const RUN_TIMEOUT_MS = 20_000;
/** The child's heap is capped: a run that would need more dies, and fails the exit-code check. */
const HEAP_MB = 512;
const CONCURRENCY = 2;
const CLI = join(REPO, 'dist', 'cli.js');

const dir = tempDir('cpython-sbom-fuzz-');

/** mulberry32: small, seeded, good enough to pick mutations. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const between = (random: Random, low: number, high: number): number => low + Math.floor(random() * (high - low + 1));

/** Snippets that tend to break parsers: nesting, quotes, markup, escapes, BOMs, control bytes. */
const TOKENS = [
  '['.repeat(3000),
  '{"a":'.repeat(2000),
  '<a>'.repeat(5000),
  '"',
  '\\',
  '\n',
  '\r\n',
  '\u0000',
  '\uFEFF',
  '\uD800',
  ']]>',
  '<!DOCTYPE x [<!ENTITY a "aaaa">]>',
  '&a;',
  '&#0;',
  '1e99999',
  '-0',
  '{}',
  '[]',
  'null',
  '"SPDXRef-DOCUMENT"',
  '"bom-ref"',
  '../../etc/hosts',
  'x'.repeat(70_000),
  // Issue 23: runs of blanks after a field (regular expressions that backtrack over them), names of
  // Object's members, a control character in a name.
  `SPDX-License-Identifier: MIT${' '.repeat(50_000)}#`,
  `${' '.repeat(50_000)}\t`,
  '"constructor"',
  '"__proto__"',
  '\u0001',
];

/** Replacement JSON values: wrong types, empty, odd, long, repeated ids. */
const VALUES = [
  '[{}]',
  '"constructor"',
  '""',
  '"NOASSERTION"',
  '"SPDXRef-DOCUMENT"',
  'null',
  'true',
  '0',
  '-1',
  '1e308',
  '{}',
  '[]',
  '"\\u0000"',
  `"${'a'.repeat(5000)}"`,
  '"pkg:pypi/x@1"',
  '"SHA256"',
];

function mutateText(text: string, random: Random): string {
  let out = text;
  const steps = between(random, 1, 3);
  for (let step = 0; step < steps; step++) {
    const at = between(random, 0, Math.max(0, out.length - 1));
    switch (between(random, 0, 9)) {
      case 8:
      case 9: {
        // a JSON value replaced by another: the document often stays well-formed
        const value = /": ("[^"\\]*"|-?\d+|true|false|null)/g;
        value.lastIndex = at;
        const match = value.exec(out) ?? value.exec(out);
        if (match) {
          const start = match.index + 3;
          out = out.slice(0, start) + pick(random, VALUES) + out.slice(start + (match[1] as string).length);
        }
        break;
      }
      case 0: // flip a character
        out = out.slice(0, at) + String.fromCharCode(between(random, 0, 0x7f)) + out.slice(at + 1);
        break;
      case 1: // delete a range
        out = out.slice(0, at) + out.slice(at + between(random, 1, 400));
        break;
      case 2: // insert a token
        out = out.slice(0, at) + pick(random, TOKENS) + out.slice(at);
        break;
      case 3: // duplicate a range many times
        out = out.slice(0, at) + out.slice(at, at + between(random, 1, 200)).repeat(between(random, 2, 2000)) + out.slice(at);
        break;
      case 4: // truncate
        out = out.slice(0, at);
        break;
      case 5: {
        // replace a JSON string value with deep nesting
        const quote = out.indexOf('": "', at);
        if (quote > 0) out = `${out.slice(0, quote + 3)}${'['.repeat(between(random, 50, 6000))}${out.slice(quote + 3)}`;
        break;
      }
      case 6: // swap two slices
        {
          const other = between(random, 0, Math.max(0, out.length - 1));
          const length = between(random, 1, 300);
          out = out.slice(0, at) + out.slice(other, other + length) + out.slice(at + length);
          break;
        }
      default: // a byte-order mark or garbage at the front
        out = pick(random, ['\uFEFF', '\u0000', ' \n', '<?xml version="1.0"?>']) + out;
    }
  }
  return out;
}

/** Mutates the raw tar stream (headers included), then compresses it again. */
function mutateTar(tar: Buffer, random: Random): Buffer {
  let out = Buffer.from(tar);
  const steps = between(random, 1, 3);
  for (let step = 0; step < steps; step++) {
    const block = between(random, 0, Math.floor(out.length / 512) - 1) * 512;
    switch (between(random, 0, 5)) {
      case 0: // flip bytes anywhere
        for (let i = 0; i < between(random, 1, 8); i++) out[between(random, 0, out.length - 1)] = between(random, 0, 255);
        break;
      case 1: // rewrite a header's size field
        out.write(
          `${between(random, 0, 1 << 24)
            .toString(8)
            .padStart(11, '0')}\0`,
          block + 124,
          'latin1',
        );
        break;
      case 2: // rewrite a header's type flag
        out.write(pick(random, ['0', '1', '2', '3', '5', '6', 'L', 'x', 'g', 'K']), block + 156, 'latin1');
        break;
      case 3: // duplicate a run of blocks (repeated members)
        {
          const length = between(random, 1, 8) * 512;
          out = Buffer.concat([out.subarray(0, block), out.subarray(block, block + length), out.subarray(block)]);
          break;
        }
      case 4: // truncate
        out = out.subarray(0, between(random, 0, out.length));
        break;
      default: // a name byte that is not UTF-8, a '..', a '.' or empty segment, a control character
        out.write(pick(random, ['\xff', '../', '/', './', '//', '\x01', '\n']), block + between(random, 0, 40), 'latin1');
    }
  }
  return gzipSync(out);
}

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  timedOut: boolean;
}

function runCli(args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, CLI, ...args], {
      env: { ...process.env, SOURCE_DATE_EPOCH: FIXED_EPOCH },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 20_000) stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, RUN_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, timedOut });
    });
  });
}

interface Case {
  label: string;
  args: string[];
  /** An output that existed before the run and must be unchanged if it fails. */
  guarded?: { path: string; content: string };
  input: string;
}

describe('fuzz: mutated SBOMs and tarballs keep the CLI contract', () => {
  // Real inputs: python.org's SBOMs, the CycloneDX fixtures, the sample tree as SPDX and tarball.
  const seeds: { name: string; text: string }[] = [
    ...readdirSync(join(REPO, 'fixtures', 'diff', 'python.org'))
      .filter((name) => name.endsWith('.spdx.json.gz'))
      .map((name) => ({ name, text: gunzipSync(readFileSync(join(REPO, 'fixtures', 'diff', 'python.org', name))).toString('utf8') })),
    ...readdirSync(join(REPO, 'fixtures', 'formats', 'cyclonedx'))
      .filter((name) => /\.cdx\.(json|xml)$/.test(name))
      .map((name) => ({ name, text: readFileSync(join(REPO, 'fixtures', 'formats', 'cyclonedx', name), 'utf8') })),
  ];
  const sampleSpdx = join(dir, 'sample.spdx.json');
  execFileSync(process.execPath, [CLI, 'generate', SAMPLE, '--output', sampleSpdx], { env: { ...process.env, SOURCE_DATE_EPOCH: FIXED_EPOCH } });
  seeds.push({ name: 'sample.spdx.json', text: readFileSync(sampleSpdx, 'utf8') });
  const treeCopy = join(dir, 'Python-3.13.0');
  cpSync(SAMPLE, treeCopy, { recursive: true });
  const sampleTar = execFileSync('tar', ['-C', dir, '-cf', '-', 'Python-3.13.0'], { maxBuffer: 64 << 20 });

  /**
   * Issue 23's classes as inputs: links out of the tree (overlay series and patches, regen's
   * manifest), FIFOs as overlay inputs, hostile vendor.txt pins, control characters in names,
   * blank runs where patterns read fields. Every one must end with the CLI contract kept, and a
   * file outside the tree unchanged.
   */
  function roundThreeCase(work: string, random: Random): Case {
    const outside = join(work, 'outside.txt');
    const secret = 'TOP-SECRET outside the tree\n';
    writeFileSync(outside, secret);
    const guardOutside = { path: outside, content: secret };
    const tree = join(work, 'tree');
    cpSync(SAMPLE, tree, { recursive: true });
    const overlay = join(work, 'overlay.yaml');
    mkdirSync(join(tree, 'debian', 'patches'), { recursive: true });
    switch (between(random, 0, 6)) {
      case 0: // the series, or a patch it names, is a link out of the tree
        if (random() < 0.5) symlinkSync(outside, join(tree, 'debian', 'patches', 'series'));
        else {
          writeFileSync(join(tree, 'debian', 'patches', 'series'), 'a.patch\n');
          symlinkSync(outside, join(tree, 'debian', 'patches', 'a.patch'));
        }
        writeFileSync(overlay, 'supplier: X\npatches:\n  series: debian/patches/series\n');
        return {
          label: 'overlay through a link',
          args: ['generate', tree, '--overlay', overlay, '--output', join(work, 'o.json')],
          guarded: guardOutside,
          input: tree,
        };
      case 1: // a FIFO as the series or as the overlay itself
        execFileSync('mkfifo', [join(tree, 'debian', 'patches', 'series')]);
        writeFileSync(overlay, 'supplier: X\npatches:\n  series: debian/patches/series\n');
        return {
          label: 'overlay FIFO',
          args: ['generate', tree, '--overlay', random() < 0.5 ? overlay : join(tree, 'debian', 'patches', 'series'), '--output', join(work, 'o.json')],
          input: tree,
        };
      case 2: {
        // regen with its manifest a link out of the checkout (stale: it would be rewritten)
        const checkout = join(work, 'checkout');
        cpSync(join(REPO, 'fixtures', 'regen', 'tiny'), checkout, { recursive: true });
        const manifest = join(checkout, 'Misc', 'sbom.spdx.json');
        const stale = readFileSync(manifest, 'utf8').replace(/"versionInfo": "[^"]*"/, '"versionInfo": "0.0"');
        writeFileSync(outside, stale);
        unlinkSync(manifest);
        symlinkSync(outside, manifest);
        return {
          label: 'regen through a link',
          args: ['regen', checkout, ...(random() < 0.3 ? ['--check'] : [])],
          guarded: { path: outside, content: stale },
          input: checkout,
        };
      }
      case 3: // a control character or newline in a file name
        writeFileSync(join(tree, 'Lib', `x${pick(random, ['\u0001', '\n', '\r', '\u007f'])}y.py`), '');
        return {
          label: 'control character in a name',
          args: ['generate', tree, '--format', pick(random, ['spdx-json', 'cyclonedx-xml']), '--output', join(work, 'o')],
          input: tree,
        };
      case 4: // fields the license readers parse, with long runs of blanks
        writeFileSync(
          join(tree, 'Lib', 'blanks.py'),
          `# SPDX-License-Identifier: MIT${' '.repeat(between(random, 10_000, 200_000))}#\n# Copyright ${' '.repeat(50_000)}x\n`,
        );
        return { label: 'blank runs in license fields', args: ['generate', tree, '--profile', 'complete', '--output', join(work, 'o.json')], input: tree };
      default: {
        // a pip wheel whose vendor.txt pins hostile names
        const pins = pick(random, ['constructor==1.0\n', 'toString==1\nhasOwnProperty==2\n', 'a==1\nA==2\n', `${'a'.repeat(between(random, 150, 6000))}==1\n`]);
        writeFileSync(
          join(tree, 'Lib', 'ensurepip', '_bundled', 'pip-24.0-py3-none-any.whl'),
          storedZip([
            ['pip/__init__.py', ''],
            ['pip/_vendor/vendor.txt', pins],
            ['pip-24.0.dist-info/METADATA', `Metadata-Version: 2.1\nName: pip\nVersion: 24.0\nLicense:${' '.repeat(20_000)}MIT${' '.repeat(20_000)}\n`],
          ]),
        );
        return {
          label: 'hostile vendor.txt',
          args: ['generate', tree, '--profile', pick(random, ['complete', 'python.org']), '--output', join(work, 'o.json')],
          input: tree,
        };
      }
    }
  }

  function makeCase(index: number, random: Random): Case {
    const work = join(dir, `case-${index}`);
    mkdirSync(work);
    if (random() < 0.2) return roundThreeCase(work, random);
    if (random() < 0.3) {
      const tarball = join(work, 'Python-3.13.0.tgz');
      writeFileSync(tarball, random() < 0.85 ? mutateTar(sampleTar, random) : mutateText(gzipSync(sampleTar).toString('latin1'), random));
      if (random() < 0.6) {
        const out = join(work, 'out');
        mkdirSync(out);
        const guarded = { path: join(out, 'Python-3.13.0.tgz.spdx.json'), content: 'an earlier SBOM\n' };
        writeFileSync(guarded.path, guarded.content);
        return {
          label: 'generate tarball',
          args: ['generate', tarball, '--format', 'spdx-json,cyclonedx-xml', '--out-dir', out, '--no-progress'],
          guarded,
          input: tarball,
        };
      }
      return { label: 'verify tarball', args: ['verify', sampleSpdx, tarball], input: tarball };
    }
    const seed = pick(random, seeds);
    const file = join(work, seed.name.replace(/\.gz$/, ''));
    const mutated = mutateText(seed.text, random);
    writeFileSync(file, random() < 0.1 ? gzipSync(mutated) : mutated);
    switch (between(random, 0, 3)) {
      case 0:
        return { label: `validate ${seed.name}`, args: ['validate', file, ...(random() < 0.5 ? ['--format', 'json'] : [])], input: file };
      case 1:
        return { label: `diff ${seed.name}`, args: ['diff', sampleSpdx, file, '--format', pick(random, ['text', 'json', 'markdown'])], input: file };
      case 2:
        return { label: `verify ${seed.name}`, args: ['verify', file, treeCopy], input: file };
      default: {
        // A mutated Misc/sbom.spdx.json inside a tree: generate reads it from the tree.
        const tree = join(work, 'tree');
        cpSync(SAMPLE, tree, { recursive: true });
        const manifest = join(tree, 'Misc', 'sbom.spdx.json');
        writeFileSync(manifest, mutateText(readFileSync(manifest, 'utf8'), random));
        const output = join(work, 'existing.spdx.json');
        const guarded = { path: output, content: 'an earlier SBOM\n' };
        writeFileSync(output, guarded.content);
        return {
          label: 'generate tree with mutated Misc/sbom.spdx.json',
          args: ['generate', tree, '--output', output, '--no-progress'],
          guarded,
          input: manifest,
        };
      }
    }
  }

  it(
    `${CASES} seeded cases (seed ${SEED}) within ${BUDGET_MS / 1000} s`,
    async () => {
      const random = prng(SEED);
      // Cases are made up front, in order, so a seed always yields the same cases.
      const count = process.env.CPYTHON_SBOM_FUZZ_ONLY === undefined ? CASES : Number(process.env.CPYTHON_SBOM_FUZZ_ONLY) + 1;
      const cases = Array.from({ length: count }, (_, index) => makeCase(index, random));
      const started = Date.now();
      const failures: string[] = [];
      const codes = new Map<number | null, number>();
      // CPYTHON_SBOM_FUZZ_ONLY=N replays case N of the seed alone.
      const only = process.env.CPYTHON_SBOM_FUZZ_ONLY;
      let next = only === undefined ? 0 : Number(only);
      let ran = 0;
      const worker = async (): Promise<void> => {
        while (next < cases.length && Date.now() - started < BUDGET_MS) {
          const index = next++;
          const current = cases[index] as Case;
          const outcome = await runCli(current.args);
          ran++;
          codes.set(outcome.code, (codes.get(outcome.code) ?? 0) + 1);
          const problems: string[] = [];
          if (outcome.timedOut) problems.push(`no result within ${RUN_TIMEOUT_MS} ms`);
          if (outcome.code === null || ![0, 1, 2].includes(outcome.code)) problems.push(`exit ${outcome.code} (signal ${outcome.signal})`);
          if (/internal error|\n\s+at |please report|Maximum call stack|heap out of memory/.test(outcome.stderr))
            problems.push('stack trace or internal error');
          if (outcome.code === 2 && outcome.stderr.replace(/\n$/, '').split('\n').length !== 1) problems.push('exit 2 with more than one line on stderr');
          if (current.guarded && (outcome.code !== 0 || current.label.includes('link'))) {
            if (!existsSync(current.guarded.path) || readFileSync(current.guarded.path, 'utf8') !== current.guarded.content) {
              problems.push(`existing output ${current.guarded.path} changed on failure`);
            }
          }
          if (problems.length > 0) {
            console.log(`fuzz failure: case ${index}: ${problems.join('; ')}: ${current.args.join(' ')}\n  ${outcome.stderr.slice(0, 300)}`);
            failures.push(
              `seed ${SEED} case ${index} (${current.label}; ${current.args.join(' ')}): ${problems.join('; ')}\n  stderr: ${outcome.stderr.slice(0, 500)}`,
            );
          }
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      console.log(`fuzz: seed ${SEED}, ${ran} of ${cases.length} cases run, exit codes ${JSON.stringify(Object.fromEntries(codes))}`);
      expect(failures).toEqual([]);
      // The budget must leave room for a real sample, or the test proves nothing.
      if (only === undefined) {
        expect(ran).toBeGreaterThanOrEqual(8);
        // Mutations must reach the error paths, not only the happy one.
        expect(codes.get(2) ?? 0).toBeGreaterThan(0);
      }
      expect([...codes.keys()].every((code) => code === 0 || code === 1 || code === 2)).toBe(true);
      expect(statSyncIsCharDevice('/dev/null')).toBe(true);
    },
    BUDGET_MS + 3 * RUN_TIMEOUT_MS + 60_000,
  );
});

/** A zip of stored members, built synchronously (a child process runs yazl), so cases are made in order. */
function storedZip(members: [string, string][]): Buffer {
  // yazl streams; its output is collected by a synchronous child so cases stay made in order.
  const script = `const yazl = require(${JSON.stringify(join(REPO, 'node_modules', 'yazl'))});
    const z = new yazl.ZipFile(); const chunks = [];
    for (const [n, t] of ${JSON.stringify(members)}) z.addBuffer(Buffer.from(t), n, { mtime: new Date(0), compress: false });
    z.end(); z.outputStream.on('data', (c) => chunks.push(c)); z.outputStream.on('end', () => process.stdout.write(Buffer.concat(chunks)));`;
  return execFileSync(process.execPath, ['-e', script], { maxBuffer: 64 << 20 });
}

function statSyncIsCharDevice(path: string): boolean {
  return execFileSync('bash', ['-c', `[ -c '${path}' ] && echo yes || echo no`], { encoding: 'utf8' }).trim() === 'yes';
}
