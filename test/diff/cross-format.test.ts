import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SbomDiff } from '../../src/diff/types.js';
import { writeCycloneDx } from '../../src/formats/cyclonedx/index.js';
import { readSpdx } from '../../src/formats/spdx/read.js';
import { REPO, run, tempDir } from '../support/cli.js';
import { REAL, hasReal, realPath } from '../support/real.js';

const FIXTURES = join(REPO, 'fixtures', 'diff');

/** Writes an SPDX fixture again as CycloneDX JSON and XML (1.6 and 1.7) through our writer. */
function asCycloneDx(spdxPath: string, dir: string): string[] {
  const { document } = readSpdx(readFileSync(spdxPath, 'utf8'), spdxPath);
  const base = join(
    dir,
    spdxPath
      .split('/')
      .pop()!
      .replace(/\.spdx\.json$/, ''),
  );
  const out: string[] = [];
  for (const specVersion of ['1.6', '1.7'] as const) {
    for (const format of ['json', 'xml'] as const) {
      const path = `${base}.${specVersion}.cdx.${format}`;
      writeFileSync(path, writeCycloneDx(document, { format, specVersion }));
      out.push(path);
    }
  }
  return out;
}

async function jsonDiff(oldPath: string, newPath: string): Promise<{ code: number; diff: SbomDiff }> {
  const result = await run(['diff', oldPath, newPath, '--format', 'json']);
  expect(result.stderr).toBe('');
  return { code: result.code, diff: JSON.parse(result.stdout) as SbomDiff };
}

describe('diff across formats', () => {
  it('an SPDX document and the CycloneDX we write from it diff as equal (persons, compound licenses, NONE, SPDX-only hashes)', async () => {
    const dir = tempDir('diff-cross-');
    const spdx = join(FIXTURES, 'cross', 'edge.spdx.json');
    for (const cdx of asCycloneDx(spdx, dir)) {
      const forward = await run(['diff', spdx, cdx]);
      expect(forward.code, `${cdx}\n${forward.stdout}`).toBe(0);
      expect(forward.stdout).toContain('Packages: 0 added, 0 removed, 0 changed, 6 unchanged');
      expect(forward.stdout).toContain('Files: 0 added, 0 removed, 0 changed, 4 unchanged');
      expect((await run(['diff', cdx, spdx])).code).toBe(0);
    }
  });

  it('SPDX -> SPDX and SPDX -> CycloneDX report the same changes', async () => {
    const dir = tempDir('diff-cross-');
    const oldSpdx = join(FIXTURES, 'small', 'old.spdx.json');
    const newSpdx = join(FIXTURES, 'small', 'new.spdx.json');
    const { diff: expected } = await jsonDiff(oldSpdx, newSpdx);
    for (const newCdx of asCycloneDx(newSpdx, dir)) {
      const { code, diff } = await jsonDiff(oldSpdx, newCdx);
      expect(code).toBe(1);
      expect(diff.new.format).toMatch(/^cyclonedx-1\.[67]$/);
      expect(diff.packages).toEqual(expected.packages);
      expect(diff.files).toEqual(expected.files);
    }
    for (const oldCdx of asCycloneDx(oldSpdx, dir)) {
      const { diff } = await jsonDiff(oldCdx, newSpdx);
      expect(diff.packages).toEqual(expected.packages);
      expect(diff.files).toEqual(expected.files);
    }
  });

  it('an SPDX-only hash algorithm is left out across formats but compared within SPDX', async () => {
    const dir = tempDir('diff-cross-');
    const spdx = join(FIXTURES, 'cross', 'edge.spdx.json');
    const changed = JSON.parse(readFileSync(spdx, 'utf8')) as { packages: { name: string; checksums?: { algorithm: string; checksumValue: string }[] }[] };
    const cpython = changed.packages.find((pkg) => pkg.name === 'CPython')!;
    for (const checksum of cpython.checksums ?? []) if (checksum.algorithm === 'SHA224') checksum.checksumValue = 'f'.repeat(56);
    const changedPath = join(dir, 'sha224.spdx.json');
    writeFileSync(changedPath, JSON.stringify(changed));
    const { diff } = await jsonDiff(spdx, changedPath);
    expect(diff.packages.changed.map((change) => [change.name, change.fields, change.suspicious])).toEqual([['CPython', ['checksums'], true]]);
    const [cdx] = asCycloneDx(changedPath, dir);
    expect((await run(['diff', spdx, cdx!])).code).toBe(0);
  });

  it("another tool's CycloneDX 1.4 (no files, unacknowledged licenses, supplier by name) equals its SPDX twin", async () => {
    const { code, diff } = await jsonDiff(join(FIXTURES, 'cross', 'foreign.spdx.json'), join(FIXTURES, 'cross', 'foreign.cdx.json'));
    expect(diff.new.format).toBe('cyclonedx-1.4');
    expect(diff.packages).toEqual({ added: [], removed: [], changed: [] });
    expect(code).toBe(0);
  });
});

describe.skipIf(!hasReal(REAL.py3135, REAL.py31315))('diff across formats on real tarballs (our generate output)', () => {
  // The complete profile (the default) for our formats' agreement; python.org's facts where we
  // compare with python.org's documents.
  const dir = tempDir('diff-real-');
  const orgDir = tempDir('diff-real-org-');
  // Four generate runs of real tarballs in three formats: minutes on a loaded 2-core machine while
  // the suite's other real-tarball tests run beside them (a guard against a hang, not a speed bound).
  beforeAll(() => {
    for (const name of [REAL.py3135, REAL.py31315]) {
      for (const [out, profile] of [
        [dir, 'complete'],
        [orgDir, 'python.org'],
      ]) {
        execFileSync(
          process.execPath,
          [
            join(REPO, 'dist', 'cli.js'),
            'generate',
            realPath(name)!,
            '--profile',
            profile!,
            '--format',
            'spdx-json,cyclonedx-json,cyclonedx-xml',
            '--out-dir',
            out!,
          ],
          {
            env: { ...process.env, SOURCE_DATE_EPOCH: '1' },
            stdio: ['ignore', 'ignore', 'ignore'],
          },
        );
      }
    }
  }, 600_000);
  const complete = (name: string, extension: string) => join(dir, `${name}.${extension}`);
  const ours = (name: string, extension: string) => join(orgDir, `${name}.${extension}`);
  const theirs = (name: string) => join(FIXTURES, 'python.org', `${name}.spdx.json.gz`);

  it.each([REAL.py3135, REAL.py31315])('our SPDX, CycloneDX JSON and CycloneDX XML of %s diff as equal', async (name) => {
    for (const other of ['cdx.json', 'cdx.xml']) {
      const { code, diff } = await jsonDiff(complete(name, 'spdx.json'), complete(name, other));
      expect(diff.packages).toEqual({ added: [], removed: [], changed: [] });
      expect(diff.files).toEqual({ added: [], removed: [], changed: [] });
      expect(code).toBe(0);
    }
  });

  it.each([REAL.py3135, REAL.py31315])("ours vs python.org's SBOM of %s: only the vendored projects' stubbed checksums differ", async (name) => {
    for (const extension of ['spdx.json', 'cdx.json']) {
      const { code, diff } = await jsonDiff(ours(name, extension), theirs(name));
      expect(code).toBe(1);
      expect(diff.packages.added).toEqual([]);
      expect(diff.packages.removed).toEqual([]);
      expect(diff.files).toEqual({ added: [], removed: [], changed: [] });
      // python.org's tooling was run with PyPI stubbed: each project pip vendors got an all-zero
      // SHA-256, where we (offline) record no artifact checksum at all. Nothing else differs.
      expect(diff.packages.changed.length).toBeGreaterThan(15);
      for (const change of diff.packages.changed) {
        expect(change.fields, change.name).toEqual(['checksums']);
        expect(change.old.checksums, change.name).toBeUndefined();
        expect(change.new.checksums, change.name).toEqual({ SHA256: '0'.repeat(64) });
        expect(change.new.purl, change.name).toMatch(/^pkg:pypi\//);
        expect(change.suspicious, change.name).toBeUndefined();
      }
    }
  });

  it("our CycloneDX of 3.13.5 against our SPDX of 3.13.15 finds the same file changes as python.org's pair", async () => {
    const { diff } = await jsonDiff(ours(REAL.py3135, 'cdx.xml'), ours(REAL.py31315, 'spdx.json'));
    const { diff: reference } = await jsonDiff(theirs(REAL.py3135), theirs(REAL.py31315));
    expect(diff.files).toEqual(reference.files);
    const versions = (d: SbomDiff) => d.packages.changed.map((change) => [change.name, change.old.version, change.new.version, change.versionChange]);
    expect(versions(diff)).toEqual(versions(reference));
    expect(diff.packages.removed).toEqual(reference.packages.removed);
  });
});

describe.skipIf(!hasReal(REAL.py3112, REAL.py3135))('diff on 3.11.2, where names repeat (two setuptools, two typing_extensions)', () => {
  const dir = tempDir('diff-311-');
  beforeAll(() => {
    for (const name of [REAL.py3112, REAL.py3135]) {
      execFileSync(process.execPath, [join(REPO, 'dist', 'cli.js'), 'generate', realPath(name)!, '--format', 'spdx-json,cyclonedx-json', '--out-dir', dir], {
        env: { ...process.env, SOURCE_DATE_EPOCH: '1' },
        stdio: ['ignore', 'ignore', 'ignore'],
      });
    }
  });

  it('our SPDX and CycloneDX of 3.11.2 diff as equal', async () => {
    const { code } = await jsonDiff(join(dir, `${REAL.py3112}.spdx.json`), join(dir, `${REAL.py3112}.cdx.json`));
    expect(code).toBe(0);
  });

  it('3.11.2 -> 3.13.5 pairs each repeated name with its counterpart by parent', async () => {
    const { diff } = await jsonDiff(join(dir, `${REAL.py3112}.cdx.json`), join(dir, `${REAL.py3135}.spdx.json`));
    const pick = (items: { name: string; parent?: string }[], name: string) => items.filter((item) => item.name === name).map((item) => item.parent);
    expect(pick(diff.packages.changed, 'setuptools')).toEqual(['pip']);
    expect(diff.packages.changed.find((change) => change.name === 'setuptools')).toMatchObject({
      old: { version: '44.0.0' },
      new: { version: '70.3.0' },
      versionChange: 'upgrade',
    });
    expect(diff.packages.removed.filter((item) => item.name === 'setuptools')).toEqual([{ name: 'setuptools', version: '65.5.0', parent: 'CPython' }]);
    // 3.13.5 has setuptools again, in Lib/test/wheeldata (test-only), and its vendored
    // typing_extensions is the counterpart of the one 3.11.2's bundled setuptools vendored.
    expect(pick(diff.packages.changed, 'typing_extensions')).toEqual(['pip', 'setuptools']);
    expect(diff.packages.changed.find((change) => change.name === 'typing_extensions' && change.parent === 'setuptools')).toMatchObject({
      old: { version: '4.0.1' },
      new: { version: '4.12.2', scope: 'excluded' },
    });
    expect(diff.packages.removed.filter((item) => item.name === 'typing_extensions')).toEqual([]);
  });
});
