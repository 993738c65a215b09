import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Real CPython release tarballs, fetched and verified by `scripts/fetch-real-tarballs.sh`
 * (pinned SHA-256s). Tests that need them call `realTarball(name)`: when the file is absent the
 * test is skipped with a loud warning, except under CI (CI=true), where absence is a failure.
 */
export const REAL_DIR = resolve(process.env.CPYTHON_SBOM_REAL_DIR ?? join(import.meta.dirname, '..', '..', '.cache', 'real'));

export const REAL = {
  py392: 'Python-3.9.2.tar.xz',
  py3112: 'Python-3.11.2.tgz',
  py3135: 'Python-3.13.5.tar.xz',
  py31315: 'Python-3.13.15.tar.xz',
  py3144: 'Python-3.14.4.tar.xz',
  debianPatched: 'debian-python3.13-3.13.5-2+deb13u5',
} as const;

const warned = new Set<string>();

/** Path of a real tarball or tree, or undefined (with a loud warning) when it has not been fetched. */
export function realPath(name: string): string | undefined {
  const path = join(REAL_DIR, name);
  if (existsSync(path)) return path;
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(`real test data ${path} is missing under CI: run scripts/fetch-real-tarballs.sh first`);
  }
  if (!warned.has(name)) {
    warned.add(name);
    process.stderr.write(`\n*** SKIPPING tests on real data: ${path} is missing. Run \`npm run fetch-real\` to fetch it. ***\n\n`);
  }
  return undefined;
}

/** `describe.skipIf(!hasReal(...))` helper: true when every named real input is present. */
export function hasReal(...names: string[]): boolean {
  return names.every((name) => realPath(name) !== undefined);
}
