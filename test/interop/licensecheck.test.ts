import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSbom } from '../../src/generate/build.js';
import { licenseIds } from '../../src/license/lineage.js';
import { licensecheck } from '../support/external-tools.js';
import { REAL, hasReal, realPath } from '../support/real.js';

/**
 * An independent cross-check of the file scan: Debian's licensecheck reads the same real tree,
 * and every file it gives a license other than Python's own must carry a compatible license in
 * our SBOM (the file's licenseInfoInFiles, or the package that owns it). Where licensecheck is
 * wrong, the file and the reason are written out below; nothing else may disagree.
 */

/** licensecheck's names (Debian's shortname scheme) for licenses we name otherwise. */
const ALIASES = new Map<string, string[]>([
  // The Creative Commons public domain dedication: CC0's waiver, as the files word it.
  ['CC-PDD', ['CC0-1.0']],
  // Unicode's terms for its mapping tables: on no SPDX list, our LicenseRef of the notice.
  ['Unicode-strict', ['LicenseRef-unicode-mappings']],
]);

/** Python's own licenses, as licensecheck names them: not third-party. */
const PYTHON = new Set(['PSF-2.0', 'Python-2.0', 'CNRI-Python', 'UNKNOWN']);

/** Where licensecheck reads a license into words that state none for the file. */
const LICENSECHECK_MISTAKES: Record<string, string> = {
  LICENSE: 'GPL: CPython\'s license stack compares itself with the GPL ("GPL-compatible"); it states PSF-2.0, CNRI, HPND (CWI) and 0BSD',
  'Doc/library/pprint.rst': "MIT: an example's PyPI metadata ('License :: OSI Approved :: MIT License')",
  'Doc/library/time.rst': 'NTP: the word NTP (the network time protocol)',
  'Doc/tutorial/venv.rst': "Apache-2.0: an example's `pip show` output ('License: Apache 2.0')",
};

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const tool = licensecheck();

describe.skipIf(!tool || !hasReal(REAL.py31315))("Debian's licensecheck against the file scan", () => {
  it('every file licensecheck gives a non-Python license has a compatible one in our SBOM', { timeout: 300_000 }, async () => {
    const tarball = realPath(REAL.py31315) as string;
    const dir = mkdtempSync(join(tmpdir(), 'cpython-sbom-licensecheck-'));
    made.push(dir);
    const untar = spawnSync('tar', ['-xJf', tarball, '-C', dir], { encoding: 'utf8' });
    expect(untar.status, untar.stderr).toBe(0);
    const tree = join(dir, 'Python-3.13.15');
    const run = spawnSync(tool as string, ['-r', '--copyright', '-m', '--shortname-scheme=spdx', '-c', '.*', '-e', 'utf8', tree], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(run.status, run.stderr).toBe(0);

    const { document } = await buildSbom(tree, { created: '2024-01-01T00:00:00Z', profile: 'complete' });
    const owner = new Map<string, (typeof document.packages)[number]>();
    for (const pkg of document.packages) for (const path of pkg.files) if (!owner.has(path)) owner.set(path, pkg);
    const files = new Map(document.files.map((file) => [file.path, file]));
    const primary = document.packages[0];

    let thirdParty = 0;
    const disagreements: Record<string, string> = {};
    for (const line of run.stdout.split('\n')) {
      const [absolute, license] = line.split('\t');
      if (!absolute || !license) continue;
      const path = absolute.slice(tree.length + 1);
      const theirs = license.split(/ and\/or | or | and /).map((id) => id.replace(/ with .*$/i, '').trim());
      if (theirs.every((id) => PYTHON.has(id))) continue;
      thirdParty++;
      const pkg = owner.get(path);
      const stated = [
        ...(files.get(path)?.licenseInfoInFiles ?? []),
        ...(pkg && pkg !== primary ? [pkg.licenseDeclared ?? '', ...(pkg.licenseInfoFromFiles ?? [])] : []),
      ];
      const ours = new Set(stated.flatMap((expression) => (expression ? licenseIds(expression) : [])));
      const compatible = theirs.some((id) =>
        id === 'GPL' ? [...ours].some((own) => own.startsWith('GPL-')) : (ALIASES.get(id) ?? [id]).some((alias) => ours.has(alias)),
      );
      if (!compatible) disagreements[path] = `licensecheck: ${license}; ours: ${[...ours].sort().join(', ') || 'none'}`;
    }
    // licensecheck gives ~190 files of 3.13.15 a license other than Python's.
    expect(thirdParty).toBeGreaterThan(150);
    expect(Object.keys(disagreements).sort()).toEqual(Object.keys(LICENSECHECK_MISTAKES).sort());
  });
});
