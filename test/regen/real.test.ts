import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REAL, hasReal, realPath } from '../support/real.js';
import { regenerate } from '../../src/regen/index.js';
import { run, tempDir } from '../support/cli.js';
import { type Manifest, checksumOf, commitAll, fileNames, git, readManifest, sha1, sha256 } from './helpers.js';

/**
 * `regen` on git checkouts of the real release tarballs (unpacked, `git init`, everything
 * committed), as a CPython developer would run it. Edits are undone with git between tests.
 */
function checkout(tarball: string): string {
  const dir = join(tempDir('cpython-sbom-regen-real-'), 'cpython');
  mkdirSync(dir);
  execFileSync('tar', ['xf', tarball, '-C', dir, '--strip-components=1']);
  commitAll(dir);
  return dir;
}

function reset(tree: string): void {
  git(tree, 'reset', '-q', '--hard');
  git(tree, 'clean', '-q', '-fdx');
}

const MANIFESTS = ['Misc/sbom.spdx.json', 'Misc/externals.spdx.json'];
const unchanged = (tree: string) => git(tree, 'status', '--porcelain', '--', ...MANIFESTS) === '';

describe.skipIf(!hasReal(REAL.py31315))('regen on a checkout of Python-3.13.15', () => {
  let tree = '';
  beforeAll(() => {
    tree = checkout(realPath(REAL.py31315) as string);
  });

  it('--check exits 0 and regen leaves both manifests byte-identical', async () => {
    const check = await run(['regen', tree, '--check']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stderr).toBe('');
    const result = await run(['regen', tree]);
    expect(result.code, result.stderr).toBe(0);
    expect(git(tree, 'status', '--porcelain')).toBe('');
  });

  it('after edits, --check names the stale files and writes nothing; regen then updates exactly those entries', async () => {
    reset(tree);
    const before = readManifest(tree);
    const changed = 'Modules/_hacl/Hacl_Hash_MD5.c';
    const crlf = 'Modules/expat/xmlrole.c';
    const removed = 'Modules/_blake2/impl/blake2b-ref.c';
    const added = ['Modules/expat/new_file.c', 'Modules/_decimal/libmpdec/sub/deep.c'];
    appendFileSync(join(tree, changed), '/* edited */\n');
    writeFileSync(join(tree, crlf), readFileSync(join(tree, crlf), 'utf8').replaceAll('\n', '\r\n'));
    writeFileSync(join(tree, added[0] as string), 'int x;\n');
    mkdirSync(join(tree, 'Modules/_decimal/libmpdec/sub'));
    writeFileSync(join(tree, added[1] as string), 'int y;\n');
    // Ignored files beside them (CPython's own .gitignore has *.o; the tarball ships none at the root).
    writeFileSync(join(tree, '.gitignore'), '*.o\n');
    writeFileSync(join(tree, 'Modules/expat/xmlparse.o'), 'object\n');
    writeFileSync(join(tree, 'Modules/expat/.hidden.c'), 'hidden\n');
    rmSync(join(tree, removed));

    const check = await run(['regen', tree, '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('stale: Misc/sbom.spdx.json');
    expect(check.stderr).toMatch(/expat: files: 1 added, 0 removed, 0 re-hashed\n\s+added\s+Modules\/expat\/new_file\.c\n/);
    expect(check.stderr).toMatch(/hacl-star: files: 0 added, 0 removed, 1 re-hashed\n\s+re-hashed\s+Modules\/_hacl\/Hacl_Hash_MD5\.c\n/);
    expect(check.stderr).toMatch(/libb2: files: 0 added, 1 removed, 0 re-hashed\n\s+removed\s+Modules\/_blake2\/impl\/blake2b-ref\.c\n/);
    expect(check.stderr).toMatch(/mpdecimal: files: 1 added, 0 removed, 0 re-hashed\n\s+added\s+Modules\/_decimal\/libmpdec\/sub\/deep\.c/);
    expect(check.stderr).not.toMatch(/xmlrole|xmlparse\.o|hidden|externals/);
    expect(unchanged(tree)).toBe(true);

    const result = await run(['regen', tree]);
    expect(result.code, result.stderr).toBe(0);
    const after = readManifest(tree);
    const expectedNames = [...fileNames(before).filter((name) => name !== removed), ...added];
    expect([...fileNames(after)].sort()).toEqual(expectedNames.sort());
    // Every entry but the edited ones is as it was; the CRLF conversion changes no hash.
    const entry = (manifest: Manifest, name: string) => manifest.files.find((file) => file.fileName === name);
    for (const name of fileNames(after)) {
      if (name === changed || added.includes(name)) continue;
      expect(entry(after, name), name).toEqual(entry(before, name));
    }
    const edited = readFileSync(join(tree, changed));
    expect(entry(after, changed)?.checksums).toEqual([
      { algorithm: 'SHA1', checksumValue: sha1(edited) },
      { algorithm: 'SHA256', checksumValue: sha256(edited) },
    ]);
    expect(checksumOf(after, added[0] as string)).toBe(sha256('int x;\n'));
    // generate_sbom.py's order: packages by name, paths sorted within each include.
    const deep = fileNames(after).indexOf(added[1] as string);
    expect(fileNames(after)[deep - 1]).toBe('Modules/_decimal/libmpdec/sixstep.h');
    expect(after.relationships.find((r) => r.relatedSpdxElement === 'SPDXRef-FILE-Modules-decimal-libmpdec-sub-deep.c')?.spdxElementId).toBe(
      'SPDXRef-PACKAGE-mpdecimal',
    );
    expect((await run(['regen', tree, '--check'])).code).toBe(0);
  });

  it('gives the same answer without git (.gitignore rules), without the script (catalog) and without the pip wheel', async () => {
    reset(tree);
    rmSync(join(tree, 'Tools/build/generate_sbom.py'));
    rmSync(join(tree, 'Lib/ensurepip/_bundled'), { recursive: true });
    const noScript = await run(['regen', tree, '--check']);
    expect(noScript.code, noScript.stderr).toBe(0);
    expect(noScript.stderr).toContain('file lists from the built-in catalog (CPython 3.13.15)');

    reset(tree);
    renameSync(join(tree, '.git'), join(tree, '.git-off'));
    try {
      const noGit = await run(['regen', tree, '--check']);
      expect(noGit.code, noGit.stderr).toBe(0);
      expect(noGit.stderr).toContain('note: not a git checkout (no .git): ignored paths decided by the .gitignore patterns alone');
    } finally {
      renameSync(join(tree, '.git-off'), join(tree, '.git'));
    }
  });

  it('an unbundled expat (Modules/expat removed, as distributors build) is a clear finding', async () => {
    reset(tree);
    rmSync(join(tree, 'Modules/expat'), { recursive: true });
    const result = await run(['regen', tree]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^cpython-sbom: fails the script's checks: Misc\/sbom\.spdx\.json: package 'expat': include 'Modules\/expat\/\*\*' lists no files because Modules\/expat is missing/,
    );
    expect(result.stderr).toContain('nothing written');
    expect(unchanged(tree)).toBe(true);
  });
});

describe.skipIf(!hasReal(REAL.py3135))('regen on a checkout of Python-3.13.5', () => {
  let tree = '';
  beforeAll(() => {
    tree = checkout(realPath(REAL.py3135) as string);
  });

  it("--check exits 0 as 3.13.5's own script does; the expat drift its check missed is a warning", async () => {
    const result = await run(['regen', tree, '--check']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      `warning: Misc/sbom.spdx.json: package 'expat': field 'versionInfo' is '2.6.3' but Modules/expat/refresh.sh pins expected_libexpat_version="2.7.1" (a finding under --strict)`,
    );
    expect(result.stderr).toContain(`package 'expat': field 'versionInfo' is '2.6.3' but the vendored Modules/expat/expat.h says '2.7.1'`);
    expect(unchanged(tree)).toBe(true);
    // --allow-drift is accepted and changes nothing.
    expect((await run(['regen', tree, '--check', '--allow-drift'])).code).toBe(0);
    expect((await run(['regen', tree])).code).toBe(0);
    expect(git(tree, 'status', '--porcelain')).toBe('');
  });

  it('--strict makes the drift a finding, first line naming manifest, package and field', async () => {
    const result = await run(['regen', tree, '--check', '--strict']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^cpython-sbom: fails a strict check: Misc\/sbom\.spdx\.json: package 'expat': field 'versionInfo' is '2\.6\.3' but Modules\/expat\/refresh\.sh pins/,
    );
    const api = await regenerate(tree);
    expect(api.scriptFailures).toEqual([]);
    expect(api.strict.length).toBe(3);
    expect(unchanged(tree)).toBe(true);
  });

  it("without the script: the catalog's 3.13.5 file rules (refresh.sh counted as expat's), the current script's checks", async () => {
    rmSync(join(tree, 'Tools/build/generate_sbom.py'));
    try {
      const result = await regenerate(tree);
      expect(result.outputs[0]?.changes).toEqual([]);
      expect(result.outputs[0]?.after).toContain('"fileName": "Modules/expat/refresh.sh"');
      // The current script checks expat against refresh.sh, so this tree fails it.
      expect(result.scriptFailures.join('\n')).toMatch(/package 'expat': field 'versionInfo' is '2\.6\.3' but Modules\/expat\/refresh\.sh pins/);
    } finally {
      reset(tree);
    }
  });
});
