import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { main } from '../../src/cli.js';
import { bufferIO } from '../../src/commands/io.js';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const SAMPLE = join(REPO, 'fixtures', 'sample-cpython');
export const FIXED_EPOCH = '1704067200'; // 2024-01-01T00:00:00Z

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process (fast) with captured output. */
export async function run(args: string[], env: NodeJS.ProcessEnv = {}, cwd = REPO): Promise<RunResult> {
  const io = bufferIO({ env: { ...process.env, SOURCE_DATE_EPOCH: FIXED_EPOCH, ...env }, cwd });
  const code = await main(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

/** Runs the built binary as a user would (exit codes, no stack traces). Needs `npm run build`. */
export function runBinary(args: string[], env: NodeJS.ProcessEnv = {}, cwd = REPO): RunResult {
  const result = spawnSync(process.execPath, [join(REPO, 'dist', 'cli.js'), ...args], {
    cwd,
    env: { ...process.env, SOURCE_DATE_EPOCH: FIXED_EPOCH, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

const temporaryDirs: string[] = [];
// Registered once, when a test file first imports this module: hooks registered from inside a
// running test (where tempDir() is often called) would never run, leaving directories in /tmp.
afterAll(() => {
  for (const dir of temporaryDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * A temporary directory (named `cpython-sbom-…`) removed after the test file. In a
 * `describe.skipIf` block, call `lazyTempDir` instead, so a skipped block makes none.
 */
export function tempDir(prefix = 'cpython-sbom-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix.startsWith('cpython-sbom-') ? prefix : `cpython-sbom-${prefix}`));
  temporaryDirs.push(dir);
  return dir;
}

/** A temporary directory holding `{ 'a/b.txt': 'text' }` (directories made as needed), removed after the test file. */
export function writeTree(files: Record<string, Buffer | string>, prefix = 'cpython-sbom-tree-'): string {
  const root = tempDir(prefix);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** A temporary directory made before the block's first test and removed after its last. */
export function lazyTempDir(prefix = 'cpython-sbom-'): () => string {
  let dir: string | undefined;
  beforeAll(() => {
    dir = tempDir(prefix);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (!dir) throw new Error('lazyTempDir used outside a test');
    return dir;
  };
}
