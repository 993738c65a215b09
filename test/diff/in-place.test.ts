import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChangedPackage, SbomDiff } from '../../src/diff/types.js';
import { SAMPLE, lazyTempDir, run, tempDir } from '../support/cli.js';
import { REAL, hasReal, realPath } from '../support/real.js';

/**
 * `diff` finds vendored code changed under an unchanged version: planted edits in a copy of the
 * sample tree, then our complete-profile SBOMs of real releases (generated here), with every
 * in-place path checked against the tarballs' own bytes.
 */

async function generate(source: string, out: string, format = 'spdx-json'): Promise<string> {
  const result = await run(['generate', source, '--format', format, '--output', out]);
  expect(result.code, result.stderr).toBe(0);
  return out;
}

async function diffJson(oldFile: string, newFile: string, ...extra: string[]): Promise<{ code: number; diff: SbomDiff }> {
  const result = await run(['diff', oldFile, newFile, '--format', 'json', ...extra]);
  expect(result.stderr).toBe('');
  return { code: result.code, diff: JSON.parse(result.stdout) as SbomDiff };
}

const inPlace = (diff: SbomDiff) =>
  Object.fromEntries(diff.packages.changed.filter((change) => change.inPlace).map((change) => [`${change.name} ${change.new.version}`, change.inPlace]));

/**
 * Records a file of the tree in its `Misc/sbom.spdx.json` as `make regen-sbom` would after an
 * edit (new digests; a new file entry CONTAINS-ed by the package), so `generate`, which holds the
 * tree to its manifest, accepts the edited tree.
 */
function recordInManifest(tree: string, path: string, packageId: string, version?: string): void {
  const manifestPath = join(tree, 'Misc/sbom.spdx.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    packages: { SPDXID: string; versionInfo: string }[];
    files: { SPDXID: string; fileName: string; checksums: { algorithm: string; checksumValue: string }[] }[];
    relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
  };
  const bytes = readFileSync(join(tree, path));
  const checksums = ['SHA1', 'SHA256'].map((algorithm) => ({
    algorithm,
    checksumValue: createHash(algorithm.toLowerCase()).update(bytes).digest('hex'),
  }));
  const entry = manifest.files.find((file) => file.fileName === path);
  if (entry) entry.checksums = checksums;
  else {
    const id = `SPDXRef-FILE-${path.replace(/[^A-Za-z0-9.]+/g, '-')}`;
    manifest.files.push({ SPDXID: id, fileName: path, checksums });
    manifest.relationships.push({ spdxElementId: packageId, relationshipType: 'CONTAINS', relatedSpdxElement: id });
  }
  const pkg = manifest.packages.find((item) => item.SPDXID === packageId);
  if (version !== undefined && pkg) pkg.versionInfo = version;
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
}

describe('diff: planted in-place edits in the sample tree', () => {
  it('an edited vendored file under an unchanged version fails --fail-on changed-in-place, naming it', async () => {
    const dir = tempDir('in-place-');
    const tree = join(dir, 'tree');
    cpSync(SAMPLE, tree, { recursive: true });
    const before = await generate(tree, join(dir, 'before.spdx.json'));
    const same = await generate(tree, join(dir, 'same.cdx.json'), 'cyclonedx-json');
    expect((await run(['diff', before, same, '--fail-on', 'changed-in-place'])).code).toBe(0);

    const xmlparse = join(tree, 'Modules/expat/xmlparse.c');
    writeFileSync(xmlparse, `${readFileSync(xmlparse, 'utf8')}\n/* a fix nobody released */\n`);
    recordInManifest(tree, 'Modules/expat/xmlparse.c', 'SPDXRef-PACKAGE-expat');
    const after = await generate(tree, join(dir, 'after.spdx.json'));
    const { code, diff } = await diffJson(before, after, '--fail-on', 'changed-in-place');
    expect(code).toBe(1);
    // CPython keeps its version too, and its manifest (a CPython file) was re-hashed: in place as well.
    expect(inPlace(diff)).toEqual({
      'CPython 3.13.0': { added: [], removed: [], changed: ['Misc/sbom.spdx.json'] },
      'expat 2.6.3': { added: [], removed: [], changed: ['Modules/expat/xmlparse.c'] },
    });
    // No version changed anywhere.
    expect(diff.packages.changed.some((change) => change.fields.includes('version'))).toBe(false);
    const text = await run(['diff', before, after, '--fail-on', 'changed-in-place']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('  Changed in place (files changed, version did not)\n');
    expect(text.stdout).toContain('\n    expat 2.6.3: 1 changed\n      ~ Modules/expat/xmlparse.c\n');
    // Another gate that does not see it passes.
    expect((await run(['diff', before, after, '--fail-on', 'version,downgrade,suspicious'])).code).toBe(0);
  });

  it('a file added to a vendored directory is in place too; bumping the version with the edit is not', async () => {
    const dir = tempDir('in-place-');
    const tree = join(dir, 'tree');
    cpSync(SAMPLE, tree, { recursive: true });
    const before = await generate(tree, join(dir, 'before.spdx.json'));
    writeFileSync(join(tree, 'Modules/_decimal/libmpdec/extra.c'), 'int extra;\n');
    recordInManifest(tree, 'Modules/_decimal/libmpdec/extra.c', 'SPDXRef-PACKAGE-mpdecimal');
    const added = await generate(tree, join(dir, 'added.spdx.json'));
    expect(inPlace((await diffJson(before, added)).diff)).toEqual({
      'CPython 3.13.0': { added: [], removed: [], changed: ['Misc/sbom.spdx.json'] },
      'mpdecimal 2.5.1': { added: ['Modules/_decimal/libmpdec/extra.c'], removed: [], changed: [] },
    });

    const header = join(tree, 'Modules/expat/expat.h');
    writeFileSync(header, readFileSync(header, 'utf8').replace('#define XML_MICRO_VERSION 3', '#define XML_MICRO_VERSION 4'));
    recordInManifest(tree, 'Modules/expat/expat.h', 'SPDXRef-PACKAGE-expat', '2.6.4');
    const bumped = await generate(tree, join(dir, 'bumped.spdx.json'));
    const { diff } = await diffJson(added, bumped, '--fail-on', 'changed-in-place');
    const expat = diff.packages.changed.find((change) => change.name === 'expat') as ChangedPackage;
    expect([expat.old.version, expat.new.version, expat.versionChange]).toEqual(['2.6.3', '2.6.4', 'upgrade']);
    expect(expat.inPlace).toBeUndefined();
    // Only CPython's own manifest, re-hashed under CPython's unchanged version, is still in place.
    expect(Object.keys(inPlace(diff))).toEqual(['CPython 3.13.0']);
  });
});

/** SHA-256 of every file under `root`, by path relative to the release's top directory. */
function digestsOf(tarball: string, top: string, members: string[], into: string): Map<string, string> {
  const result = spawnSync('tar', ['-xf', tarball, '-C', into, ...members.map((member) => `${top}/${member}`)], { encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  const digests = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else digests.set(relative(join(into, top), path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(join(into, top));
  return digests;
}

const MIMALLOC_DIRS = ['Objects/mimalloc', 'Include/internal/mimalloc'];

describe.skipIf(!hasReal(REAL.py3135, REAL.py31315))('diff: our complete SBOMs of Python 3.13.5 and 3.13.15 (real)', () => {
  const dir = lazyTempDir('in-place-real-');

  // Two real generate runs and two tarball extractions: a generous guard against a hang.
  it('names each component changed in place, and the tarballs agree file by file', { timeout: 600_000 }, async () => {
    const old = await generate(realPath(REAL.py3135) as string, join(dir(), 'old.spdx.json'));
    const now = await generate(realPath(REAL.py31315) as string, join(dir(), 'new.cdx.json'), 'cyclonedx-json');
    const { code, diff } = await diffJson(old, now, '--fail-on', 'changed-in-place');
    expect(code).toBe(1);
    const wheel = 'Lib/ensurepip/_bundled/pip-26.2.1-py3-none-any.whl/pip/_vendor';
    expect(inPlace(diff)).toEqual({
      'distro 1.9.0': { added: [`${wheel}/distro/LICENSE`], removed: [], changed: [] },
      'mimalloc 2.1.2': { added: [], removed: [], changed: ['Include/internal/mimalloc/mimalloc/types.h', 'Objects/mimalloc/init.c'] },
      'pyproject-hooks 1.2.0': { added: [`${wheel}/pyproject_hooks/LICENSE`], removed: [], changed: [] },
      'setuptools 70.3.0': { added: [`${wheel}/pkg_resources/LICENSE`], removed: [], changed: [`${wheel}/pkg_resources/__init__.py`] },
      'tomli-w 1.2.0': { added: [`${wheel}/tomli_w/LICENSE`], removed: [], changed: [] },
      'Unicode Character Database 15.1.0': { added: [], removed: [], changed: ['Modules/unicodename_db.h'] },
    });

    // mimalloc's two files differ between the tarballs, and every other mimalloc file is identical.
    const before = digestsOf(realPath(REAL.py3135) as string, 'Python-3.13.5', MIMALLOC_DIRS, dir());
    const after = digestsOf(realPath(REAL.py31315) as string, 'Python-3.13.15', MIMALLOC_DIRS, dir());
    const differing = [...after.keys()].filter((path) => before.get(path) !== after.get(path)).sort();
    expect(differing).toEqual(['Include/internal/mimalloc/mimalloc/types.h', 'Objects/mimalloc/init.c']);
    expect(before.size).toBeGreaterThan(20);

    // Everything else moved forward: no downgrade, no version without an order.
    const versions = diff.packages.changed.filter((change) => change.versionChange);
    expect(versions.length).toBeGreaterThan(10);
    expect(versions.every((change) => change.versionChange === 'upgrade')).toBe(true);
    expect(diff.packages.changed.find((change) => change.name === 'expat')?.versionChange).toBe('upgrade'); // 2.7.1 -> 2.8.2

    // The snippets' files changed around them; their lengths did not.
    expect(diff.snippets.changed.map((change) => [change.name, change.content])).toEqual([
      ['Mersenne Twister', 'file-changed'],
      ['select.kqueue interface', 'file-changed'],
    ]);

    const markdown = await run(['diff', old, now, '--format', 'markdown']);
    expect(markdown.stdout).toContain(
      '- **mimalloc 2.1.2**: 2 changed\n  - changed `Include/internal/mimalloc/mimalloc/types.h`\n  - changed `Objects/mimalloc/init.c`\n',
    );
  });
});

describe.skipIf(!hasReal(REAL.py31315, REAL.py3144))('diff: our complete SBOMs of Python 3.13.15 and 3.14.4 (real)', () => {
  const dir = lazyTempDir('in-place-real-');

  it("names mimalloc's in-place changes, as the tarballs show them", { timeout: 600_000 }, async () => {
    const old = await generate(realPath(REAL.py31315) as string, join(dir(), 'old.spdx.json'));
    const now = await generate(realPath(REAL.py3144) as string, join(dir(), 'new.spdx.json'));
    const { code, diff } = await diffJson(old, now, '--fail-on', 'changed-in-place');
    expect(code).toBe(1);
    const mimalloc = inPlace(diff)['mimalloc 2.1.2'];
    const before = digestsOf(realPath(REAL.py31315) as string, 'Python-3.13.15', MIMALLOC_DIRS, dir());
    const after = digestsOf(realPath(REAL.py3144) as string, 'Python-3.14.4', MIMALLOC_DIRS, dir());
    const differing = [...after.keys()].filter((path) => before.has(path) && before.get(path) !== after.get(path)).sort();
    expect(differing).toHaveLength(12);
    expect(mimalloc?.changed).toEqual(differing);
    expect(mimalloc?.changed).toContain('Objects/mimalloc/segment.c');
    // dtoa's version is the date its header gives (CPython's copy changed under it in 3.14).
    expect(Object.keys(inPlace(diff)).sort()).toEqual(['dtoa (David M. Gay) 2009-04-15', 'mimalloc 2.1.2', 'mpdecimal 2.5.1']);
    expect(inPlace(diff)['mpdecimal 2.5.1']).toEqual({ added: [], removed: [], changed: ['Modules/_decimal/libmpdec/io.c'] });
    // 3.14.4 predates 3.13.15, so its bundled pip and expat are older: said as downgrades.
    const expat = diff.packages.changed.find((change) => change.name === 'expat');
    expect([expat?.old.version, expat?.new.version, expat?.versionChange]).toEqual(['2.8.2', '2.7.5', 'downgrade']);
  });
});
