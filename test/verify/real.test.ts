import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from '../support/cli.js';
import { REAL, hasReal, realPath } from '../support/real.js';

describe.skipIf(!hasReal(REAL.py31315))('verify the real Python-3.13.15.tar.xz', () => {
  const work = tempDir('verify-real-');
  const tarball = realPath(REAL.py31315) as string;
  const sboms = ['Python-3.13.15.tar.xz.spdx.json', 'Python-3.13.15.tar.xz.cdx.json', 'Python-3.13.15.tar.xz.cdx.xml'].map((n) => join(work, n));
  const tree = join(work, 'unpacked', 'Python-3.13.15');
  const tampered = join(work, 'tampered', 'Python-3.13.15');

  it('generates its SBOMs and unpacks it', async () => {
    const generated = await run(['generate', tarball, '--format', 'spdx-json,cyclonedx-json,cyclonedx-xml', '--out-dir', work, '--no-progress']);
    expect(generated.code, generated.stderr).toBe(0);
    for (const dir of [join(work, 'unpacked'), join(work, 'tampered')]) {
      mkdirSync(dir);
      execFileSync('tar', ['-xJf', tarball, '-C', dir]);
    }
    appendFileSync(join(tampered, 'Lib', 'os.py'), '\n# tampered\n');
    rmSync(join(tampered, 'Modules', 'expat', 'xmlparse.c'));
    writeFileSync(join(tampered, 'Lib', 'evil.py'), 'import os\n');
    // Three formats of the complete profile and two unpackings: over a minute on a loaded machine.
  }, 180_000);

  it.each([0, 1, 2])(
    'accepts the tarball and its unpacked tree against SBOM #%i',
    async (index) => {
      const sbom = sboms[index] as string;
      const byTarball = await run(['verify', sbom, tarball]);
      expect(byTarball.code, byTarball.stdout + byTarball.stderr).toBe(0);
      expect(byTarball.stdout).toMatch(/artifact Python-3\.13\.15\.tar\.xz: SHA-256 matches the SBOM/);
      expect(byTarball.stdout).toMatch(/files: (\d+) listed, \1 present with the recorded hash/);
      const byTree = await run(['verify', sbom, tree]);
      expect(byTree.code, byTree.stdout).toBe(0);
    },
    60_000,
  );

  it.each([0, 1, 2])(
    'names the changed, removed and added file of a tampered tree against SBOM #%i',
    async (index) => {
      const { code, stdout } = await run(['verify', sboms[index] as string, tampered, '--format', 'json']);
      expect(code).toBe(1);
      const report = JSON.parse(stdout);
      expect(report.changed.map((c: { path: string }) => c.path)).toEqual(['Lib/os.py']);
      expect(report.missing).toEqual(['Modules/expat/xmlparse.c']);
      expect(report.unexpected).toEqual(['Lib/evil.py']);
    },
    60_000,
  );
});
