import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXED_EPOCH, REPO, SAMPLE, tempDir } from '../support/cli.js';

const dir = tempDir('cpython-sbom-pipes-');
const CLI = join(REPO, 'dist', 'cli.js');

/** Runs `node dist/cli.js ARGS | head -c N` in bash; returns the CLI's status and stderr. */
function pipeIntoHead(args: string[], bytes: number): { status: number; stderr: string; out: string } {
  const quoted = args.map((arg) => `'${arg}'`).join(' ');
  const result = spawnSync(
    'bash',
    ['-c', `node '${CLI}' ${quoted} 2>'${dir}/stderr' | head -c ${bytes}; echo "status=\${PIPESTATUS[0]}" >&2; cat '${dir}/stderr' >&2`],
    { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: FIXED_EPOCH }, timeout: 120_000 },
  );
  const status = Number(/status=(\d+)/.exec(result.stderr)?.[1] ?? -1);
  return { status, stderr: result.stderr.replace(/status=\d+\n/, ''), out: result.stdout };
}

/** The sample tree plus enough files that the document is far larger than a pipe's buffer. */
function bigTree(): string {
  const tree = join(dir, 'big-tree');
  cpSync(SAMPLE, tree, { recursive: true });
  mkdirSync(join(tree, 'Lib', 'extra'));
  for (let i = 0; i < 3000; i++) writeFileSync(join(tree, 'Lib', 'extra', `m${i}.py`), `# ${i}\n`);
  return tree;
}

describe('a closed reader ends the run quietly (class 5)', () => {
  const tree = bigTree();

  it('generate --output - | head -c 10', () => {
    const result = pipeIntoHead(['generate', tree, '--output', '-', '--no-progress'], 10);
    expect(result.out).toHaveLength(10);
    expect(result.stderr).toBe('');
    // As a tool killed by SIGPIPE: 128 + 13.
    expect(result.status).toBe(141);
  });

  it('diff --format json | head -c 1', () => {
    const small = join(dir, 'small.spdx.json');
    const big = join(dir, 'big.spdx.json');
    expect(spawnSync(process.execPath, [CLI, 'generate', SAMPLE, '--output', small]).status).toBe(0);
    expect(spawnSync(process.execPath, [CLI, 'generate', tree, '--output', big, '--no-progress']).status).toBe(0);
    const result = pipeIntoHead(['diff', small, big, '--format', 'json'], 1);
    expect(result.out).toBe('{');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(141);
  });
});
