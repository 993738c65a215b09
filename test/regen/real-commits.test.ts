import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from '../support/cli.js';
import { git } from './helpers.js';

/**
 * regen against real commits of CPython's history and the checkout's own generate_sbom.py, run
 * with python3. The commits are laid out by `scripts/layout-cpython-commits.sh GIT_DIR OUT_DIR`
 * from a clone of CPython (or a fork holding its history, such as mjp41/cpython up to April 2024)
 * and named by CPYTHON_SBOM_REGEN_COMMITS=OUT_DIR. That history is far too large to download in CI,
 * so without the variable these tests are skipped loudly, also under CI: this is not a failure.
 * The synthetic checkouts of generations.test.ts cover the same rules in CI.
 */
const DIR = process.env.CPYTHON_SBOM_REGEN_COMMITS;
const listed = DIR && existsSync(join(DIR, 'commits.txt')) ? readFileSync(join(DIR, 'commits.txt'), 'utf8').trim().split('\n') : [];
const commits = listed.map((line) => line.split(' ')[0] as string).filter((hash) => existsSync(join(DIR as string, hash, '.git')));
if (commits.length === 0) {
  process.stderr.write(
    '\n*** SKIPPING regen tests on real CPython commits: set CPYTHON_SBOM_REGEN_COMMITS to a directory made by ' +
      'scripts/layout-cpython-commits.sh (not available in CI, which cannot download CPython history). ***\n\n',
  );
}
const python = spawnSync('python3', ['--version']).status === 0;
if (commits.length > 0 && !python) process.stderr.write('\n*** python3 is missing: regen is not compared with the scripts themselves ***\n\n');

const MANIFESTS = ['Misc/sbom.spdx.json', 'Misc/externals.spdx.json'];
const scratch = commits.length > 0 ? tempDir('cpython-sbom-regen-commits-') : '';

/** A cheap private checkout of a laid-out commit (objects shared with it). */
function clone(hash: string): string {
  const dir = join(scratch, hash);
  execFileSync('git', ['clone', '-q', '--shared', join(DIR as string, hash), dir]);
  return dir;
}

/** The script's verdict: its exit status and the manifests it leaves (restored afterwards). */
function runScript(tree: string): { status: number; output: string; changed: boolean; files: Map<string, Buffer | undefined> } {
  const env = { ...process.env };
  delete env.CI; // with CI set, the scripts download every package again
  const result = spawnSync('python3', ['Tools/build/generate_sbom.py'], { cwd: tree, env, encoding: 'utf8', timeout: 120_000 });
  const files = new Map(MANIFESTS.map((path) => [path, existsSync(join(tree, path)) ? readFileSync(join(tree, path)) : undefined]));
  const changed = git(tree, 'status', '--porcelain', '--', 'Misc') !== '';
  git(tree, 'checkout', '-q', '--', 'Misc');
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}`, changed, files };
}

const isPypiEra = (tree: string) => /def\s+discover_pip_sbom_package/.test(readFileSync(join(tree, 'Tools/build/generate_sbom.py'), 'utf8'));

describe.skipIf(commits.length === 0)('regen on real commits of CPython (CPYTHON_SBOM_REGEN_COMMITS)', () => {
  it.each(commits)(
    '%s: --check agrees with the script; after planted edits both write the same bytes (PyPI era: --online reproduces the manifest)',
    async (hash) => {
      const tree = clone(hash);
      try {
        await compare(hash, tree);
      } finally {
        rmSync(tree, { recursive: true, force: true });
      }
    },
    300_000,
  );
});

async function compare(hash: string, tree: string): Promise<void> {
  const check = await run(['regen', tree, '--check']);
  if (isPypiEra(tree)) {
    // The script needs PyPI, which regen only asks with --online.
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(/looks pip .*up on PyPI at run time/);
    // With --online against a local stand-in for PyPI that answers what the committed manifest
    // says PyPI answered then, regen reproduces that manifest byte for byte.
    await withPypiFromManifest(tree, async (base) => {
      const online = await run(['regen', tree, '--check', '--online', '--pypi-url', base]);
      expect(online.code, online.stderr).toBe(0);
    });
    return;
  }
  const script = python ? runScript(tree) : undefined;
  if (script) {
    // The script's verdict: exit 0 and both files left as they were.
    const current = script.status === 0 && !script.changed;
    expect(check.code, `${check.stderr}\nscript (exit ${script.status}): ${script.output}`).toBe(current ? 0 : 1);
  } else {
    expect(check.code, check.stderr).toBe(0);
  }

  // Planted edits: a changed vendored file, a new one, a vendored file with CRLF line endings.
  appendFileSync(join(tree, 'Modules/_decimal/libmpdec/basearith.c'), '/* planted */\n');
  writeFileSync(join(tree, 'Modules/expat/planted.c'), 'int planted;\n');
  const crlf = join(tree, 'Modules/_hacl/Hacl_Hash_MD5.c');
  const crlfTarget = existsSync(crlf) ? crlf : join(tree, 'Modules/expat/xmlrole.c');
  writeFileSync(crlfTarget, readFileSync(crlfTarget, 'utf8').replaceAll('\n', '\r\n'));
  const stale = await run(['regen', tree, '--check']);
  expect(stale.code).toBe(1);
  expect(stale.stderr).toMatch(/^cpython-sbom: stale: Misc\/sbom\.spdx\.json: package '/);
  if (!script) return;
  const planted = runScript(tree);
  expect(planted.status, planted.output).toBe(0);
  const ours = await run(['regen', tree]);
  expect(ours.code, ours.stderr).toBe(0);
  for (const path of MANIFESTS) {
    const wrote = planted.files.get(path);
    if (wrote === undefined) continue;
    expect(readFileSync(join(tree, path)).equals(wrote), `${hash}: ${path} differs from the script's`).toBe(true);
  }
}

/** Serves `/pypi/<project>/<version>/json` for pip and every PyPI package of the manifest, as one wheel each. */
async function withPypiFromManifest(tree: string, body: (base: string) => Promise<void>): Promise<void> {
  const manifest = JSON.parse(readFileSync(join(tree, 'Misc/sbom.spdx.json'), 'utf8')) as {
    packages: { name: string; versionInfo: string; downloadLocation: string; checksums?: { checksumValue: string }[] }[];
  };
  const answers = new Map<string, string>();
  for (const pkg of manifest.packages) {
    const location = pkg.downloadLocation;
    if (!location.startsWith('https://files.pythonhosted.org/')) continue;
    const file = { filename: basename(location), packagetype: 'bdist_wheel', url: location, digests: { sha256: pkg.checksums?.[0]?.checksumValue } };
    answers.set(`/pypi/${pkg.name.toLowerCase()}/${pkg.versionInfo}/json`, JSON.stringify({ urls: [file] }));
  }
  const server = createServer((request, response) => {
    const answer = answers.get(request.url ?? '');
    response.writeHead(answer ? 200 : 404);
    response.end(answer ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}/pypi`);
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
