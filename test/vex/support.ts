import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { VulnerabilityStatement } from '../../src/model/types.js';
import { REPO, SAMPLE } from '../support/cli.js';

export const VEX_FIXTURES = join(REPO, 'fixtures', 'vex');
export const SYNTHETIC = join(VEX_FIXTURES, 'synthetic');
export const PSF_FIXTURES = join(VEX_FIXTURES, 'psf-advisory-database');

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function scratch(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `cpython-sbom-vex-${prefix}-`));
  made.push(dir);
  return dir;
}

/**
 * The bundled sample tree with a changelog: `rendered` adds fixtures/vex/news/rendered (a
 * tarball's Misc/NEWS), `checkout` fixtures/vex/news/checkout (Misc/NEWS.d release files and
 * unreleased entries).
 */
export function sampleTreeWith(news: 'rendered' | 'checkout' | 'none'): string {
  const tree = join(scratch(news), 'Python-3.13.0');
  cpSync(SAMPLE, tree, { recursive: true });
  if (news !== 'none') cpSync(join(VEX_FIXTURES, 'news', news), tree, { recursive: true });
  return tree;
}

/** Statements by the advisory they come from (the first word of `detail`). */
export function byAdvisory(statements: VulnerabilityStatement[]): Map<string, VulnerabilityStatement> {
  const map = new Map<string, VulnerabilityStatement>();
  for (const statement of statements) map.set((statement.detail ?? '').split(':')[0] as string, statement);
  return map;
}
