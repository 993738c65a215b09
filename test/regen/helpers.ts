import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, tempDir } from '../support/cli.js';

export const TINY = join(REPO, 'fixtures', 'regen', 'tiny');

export interface SpdxFile {
  SPDXID: string;
  fileName: string;
  checksums: { algorithm: string; checksumValue: string }[];
}
export interface Manifest {
  packages: Record<string, unknown>[];
  files: SpdxFile[];
  relationships: { spdxElementId: string; relatedSpdxElement: string; relationshipType: string }[];
}

export type CopyTree = (source: string, options?: { git?: boolean }) => string;

/**
 * Call at the top of a test file: returns a function that makes a fresh copy of a tree in a
 * temporary directory (removed after the file); with `git`, a checkout with everything committed.
 */
export function treeCopier(): CopyTree {
  const root = tempDir('cpython-sbom-regen-');
  let counter = 0;
  return (source, options = {}) => {
    const dir = join(root, `t${counter++}`);
    mkdirSync(dir);
    cpSync(source, dir, { recursive: true });
    if (options.git) commitAll(dir);
    return dir;
  };
}

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function commitAll(dir: string): void {
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'import');
}

export function readManifest(dir: string, path = 'Misc/sbom.spdx.json'): Manifest {
  return JSON.parse(readFileSync(join(dir, path), 'utf8')) as Manifest;
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha1(data: string | Buffer): string {
  return createHash('sha1').update(data).digest('hex');
}

export function fileNames(manifest: Manifest): string[] {
  return manifest.files.map((file) => file.fileName);
}

export function checksumOf(manifest: Manifest, fileName: string, algorithm = 'SHA256'): string | undefined {
  return manifest.files.find((file) => file.fileName === fileName)?.checksums.find((c) => c.algorithm === algorithm)?.checksumValue;
}
