import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, SAMPLE, run, tempDir } from '../support/cli.js';

const FIXTURES = join(REPO, 'fixtures', 'overlay');
const OVERLAY = join(FIXTURES, 'overlay.yaml');

interface SpdxDoc {
  name: string;
  documentNamespace: string;
  packages: {
    packageFileName?: string;
    primaryPackagePurpose?: string;
    filesAnalyzed?: boolean;
    SPDXID: string;
    name: string;
    versionInfo?: string;
    supplier?: string;
    downloadLocation: string;
    checksums?: { algorithm: string; checksumValue: string }[];
    externalRefs?: { referenceType: string; referenceLocator: string }[];
    annotations?: { comment: string }[];
    comment?: string;
  }[];
  files: { SPDXID: string; fileName: string; comment?: string; checksums: { algorithm: string; checksumValue: string }[] }[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
}

interface CdxComponent {
  'bom-ref': string;
  type: string;
  name: string;
  version?: string;
  scope?: string;
  purl?: string;
  cpe?: string;
  supplier?: { name?: string };
  hashes?: { alg: string; content: string }[];
  pedigree?: {
    ancestors?: CdxComponent[];
    patches?: { type: string; diff: { url: string; text?: { content: string } }; resolves?: { id: string; type: string }[] }[];
  };
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A work dir with the upstream tarball and, beside it, the patched tree (sample + fixtures/overlay/tree). */
function makeTrees(): { dir: string; tree: string; tarball: string } {
  const dir = tempDir('cpython-sbom-overlay-');
  cpSync(SAMPLE, join(dir, 'Python-3.13.0'), { recursive: true });
  execFileSync('tar', ['-czf', 'Python-3.13.0.tgz', 'Python-3.13.0'], { cwd: dir });
  const tree = join(dir, 'python3.13-3.13.0');
  cpSync(SAMPLE, tree, { recursive: true });
  cpSync(join(FIXTURES, 'tree'), tree, { recursive: true, force: true });
  return { dir, tree, tarball: join(dir, 'Python-3.13.0.tgz') };
}

describe('generate --overlay on a synthetic Debian tree', () => {
  let trees: ReturnType<typeof makeTrees>;
  let spdx: SpdxDoc;
  let cdx: { metadata: { component: CdxComponent }; components: CdxComponent[]; dependencies: { ref: string; dependsOn?: string[] }[] };
  let stderr: string;
  let outDir: string;

  beforeAll(async () => {
    trees = makeTrees();
    outDir = join(trees.dir, 'out');
    const result = await run(['generate', trees.tree, '--overlay', OVERLAY, '--format', 'spdx-json,cyclonedx-json', '--out-dir', outDir]);
    expect(result.code, result.stderr).toBe(0);
    stderr = result.stderr;
    spdx = JSON.parse(readFileSync(join(outDir, 'python3.13-3.13.0.spdx.json'), 'utf8')) as SpdxDoc;
    cdx = JSON.parse(readFileSync(join(outDir, 'python3.13-3.13.0.cdx.json'), 'utf8')) as typeof cdx;
  });

  const spdxPackage = (name: string) => {
    const pkg = spdx.packages.find((candidate) => candidate.name === name);
    if (!pkg) throw new Error(`no package ${name}`);
    return pkg;
  };
  const related = (type: string, from?: string) =>
    spdx.relationships.filter((rel) => rel.relationshipType === type && (from === undefined || rel.spdxElementId === from));

  it('describes the distributor package, descended from the upstream release with its hash', () => {
    const distro = spdxPackage('python3.13');
    expect(distro.versionInfo).toBe('3.13.0-1');
    expect(distro.supplier).toBe('Organization: Debian');
    expect(distro.externalRefs?.map((ref) => ref.referenceLocator)).toEqual(['pkg:deb/debian/python3.13@3.13.0-1?arch=source']);
    const upstream = spdxPackage('CPython');
    expect(upstream.versionInfo).toBe('3.13.0');
    expect(upstream.checksums).toEqual([{ algorithm: 'SHA256', checksumValue: sha256(trees.tarball) }]);
    expect(upstream.downloadLocation).toBe('https://www.python.org/ftp/python/3.13.0/Python-3.13.0.tgz');
    expect(upstream.externalRefs?.map((ref) => ref.referenceLocator)).toContain('cpe:2.3:a:python:python:3.13.0:*:*:*:*:*:*:*');
    expect(related('DESCENDANT_OF')).toEqual([{ spdxElementId: distro.SPDXID, relationshipType: 'DESCENDANT_OF', relatedSpdxElement: upstream.SPDXID }]);
    expect(related('DESCRIBES').map((rel) => rel.relatedSpdxElement)).toEqual([distro.SPDXID]);
    expect(spdx.documentNamespace).toBe('https://example.org/sbom/python3.13/3.13.0-1');
  });

  it('records each applied patch (not the commented-out one) as an element PATCH_APPLIED to the package', () => {
    const distro = spdxPackage('python3.13');
    const applied = related('PATCH_APPLIED');
    expect(applied).toHaveLength(3);
    expect(new Set(applied.map((rel) => rel.relatedSpdxElement))).toEqual(new Set([distro.SPDXID]));
    const byId = new Map(spdx.packages.map((pkg) => [pkg.SPDXID, pkg]));
    const patches = applied.map((rel) => byId.get(rel.spdxElementId));
    expect(patches.map((pkg) => pkg?.packageFileName).sort()).toEqual([
      'debian/patches/CVE-2099-0001.patch',
      'debian/patches/deb-paths.diff',
      'debian/patches/fix-expat.patch',
    ]);
    expect(patches.every((pkg) => pkg?.primaryPackagePurpose === 'FILE' && pkg.filesAnalyzed === false)).toBe(true);
    const cve = patches.find((pkg) => pkg?.packageFileName?.endsWith('CVE-2099-0001.patch'));
    expect(cve?.comment).toBe('Patch 2 of 3 applied to python3.13 (backport); resolves CVE-2099-0001, CVE-2099-0002, gh-12345');
    expect(cve?.checksums).toEqual([{ algorithm: 'SHA256', checksumValue: sha256(join(trees.tree, 'debian/patches/CVE-2099-0001.patch')) }]);
    expect(cve?.externalRefs?.map((ref) => ref.referenceLocator)).toEqual([
      'https://www.cve.org/CVERecord?id=CVE-2099-0001',
      'https://www.cve.org/CVERecord?id=CVE-2099-0002',
    ]);
  });

  it('lists no packaging or quilt file at all: not debian/, not .pc/', () => {
    expect(spdx.files.filter((file) => /^(debian|\.pc)\//.test(file.fileName))).toEqual([]);
  });

  it('keeps the hashes of the tree as it is (patched), with the patch that changed each file', () => {
    const os = spdx.files.find((file) => file.fileName === 'Lib/os.py');
    expect(os?.checksums).toContainEqual({ algorithm: 'SHA256', checksumValue: sha256(join(trees.tree, 'Lib/os.py')) });
    expect(sha256(join(trees.tree, 'Lib/os.py'))).not.toBe(sha256(join(SAMPLE, 'Lib/os.py')));
    expect(os?.comment).toBe('Modified by debian/patches/deb-paths.diff');
  });

  it('marks unbundled expat and pip (with its vendored projects) excluded, and depends on the replacement', () => {
    const distro = spdxPackage('python3.13');
    const expat = spdxPackage('expat');
    expect(expat.annotations?.map((a) => a.comment)).toEqual([
      'Excluded: not used by python3.13 3.13.0-1 (unbundled); replaced by pkg:deb/debian/libexpat1-dev. Its sources remain in the tree.',
    ]);
    for (const name of ['pip', 'urllib3', 'requests', 'certifi']) {
      expect(spdxPackage(name).annotations?.[0]?.comment, name).toMatch(/^Excluded: not used by python3\.13 3\.13\.0-1 \(unbundled( with pip)?\)\./);
    }
    expect(spdxPackage('mpdecimal').annotations).toBeUndefined();
    const libexpat = spdxPackage('libexpat1-dev');
    expect(libexpat.externalRefs?.map((ref) => ref.referenceLocator)).toEqual(['pkg:deb/debian/libexpat1-dev']);
    expect(libexpat.supplier).toBe('Organization: Debian');
    const dependsOn = related('DEPENDS_ON', distro.SPDXID)
      .map((rel) => rel.relatedSpdxElement)
      .sort();
    expect(dependsOn).toEqual([libexpat.SPDXID, spdxPackage('mpdecimal').SPDXID].sort());
  });

  it('says the manifest hash of a patched file is expected, instead of refusing to write', () => {
    expect(stderr).toContain('note: Modules/expat/xmlparse.c: SHA-256');
    expect(stderr).toContain('(expected: patched by debian/patches/fix-expat.patch)');
  });

  it('CycloneDX: the package, its pedigree (ancestor with hash, patches with what they resolve), excluded components', () => {
    const main = cdx.metadata.component;
    expect(main.purl).toBe('pkg:deb/debian/python3.13@3.13.0-1?arch=source');
    expect(main.supplier?.name).toBe('Debian');
    expect(main.cpe).toBeUndefined();
    const ancestor = main.pedigree?.ancestors?.[0];
    expect(ancestor?.name).toBe('CPython');
    expect(ancestor?.hashes).toEqual([{ alg: 'SHA-256', content: sha256(trees.tarball) }]);
    const patches = main.pedigree?.patches ?? [];
    expect(patches.map((patch) => [patch.type, patch.diff.url])).toEqual([
      ['unofficial', 'debian/patches/deb-paths.diff'],
      ['backport', 'debian/patches/CVE-2099-0001.patch'],
      ['backport', 'debian/patches/fix-expat.patch'],
    ]);
    expect(patches[1]?.resolves?.filter((issue) => issue.type === 'security').map((issue) => issue.id)).toEqual(['CVE-2099-0001', 'CVE-2099-0002']);
    expect(patches[0]?.diff.text?.content).toContain('+DIST_PACKAGES = "dist-packages"');

    const scopes = Object.fromEntries(cdx.components.filter((c) => c.type !== 'file').map((c) => [c.name, c.scope ?? '']));
    expect(scopes).toMatchObject({ expat: 'excluded', pip: 'excluded', urllib3: 'excluded', requests: 'excluded', mpdecimal: '' });
    const libexpat = cdx.components.find((c) => c.purl === 'pkg:deb/debian/libexpat1-dev');
    expect(libexpat).toBeDefined();
    const deps = cdx.dependencies.find((entry) => entry.ref === main['bom-ref'])?.dependsOn ?? [];
    expect(deps).toContain(libexpat?.['bom-ref']);
    expect(deps).not.toContain('expat');
    expect(cdx.components.some((c) => c.name.startsWith('.pc/'))).toBe(false);
  });

  it('both documents validate', async () => {
    const result = await run(['validate', join(outDir, 'python3.13-3.13.0.spdx.json'), join(outDir, 'python3.13-3.13.0.cdx.json')]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  it('diff against the upstream SBOM shows the patched files changed and the new ones added', async () => {
    const upstreamDir = join(trees.dir, 'upstream');
    expect((await run(['generate', trees.tarball, '--out-dir', upstreamDir])).code).toBe(0);
    const result = await run(['diff', join(upstreamDir, 'Python-3.13.0.tgz.spdx.json'), join(outDir, 'python3.13-3.13.0.spdx.json'), '--format', 'json']);
    expect(result.code).toBe(1);
    const diff = JSON.parse(result.stdout) as {
      packages: { changed: { name: string; fields: string[] }[] };
      files: { added: string[]; changed: string[]; removed: string[] };
    };
    expect(diff.files.changed).toEqual(['Lib/os.py', 'Modules/expat/xmlparse.c', 'Python/ceval.c']);
    // Unbundled components read back from the SPDX annotation as no longer used.
    const fields = Object.fromEntries(diff.packages.changed.map((change) => [change.name, change.fields]));
    for (const name of ['pip', 'urllib3']) expect(fields[name], name).toEqual(['scope']);
    expect(fields.expat).toEqual(['scope', 'files']); // fix-expat.patch changed xmlparse.c
    expect(fields.mpdecimal).toBeUndefined();
    expect(diff.files.added).toContain('Misc/NEWS.d/next/Security/2099-01-01-00-00-00.gh-issue-12345.AbCdEf.rst');
    expect(diff.files.removed).toEqual([]);
  });

  it('takes the upstream from an SBOM of the release as well', async () => {
    const upstreamDir = join(trees.dir, 'upstream-sbom');
    expect((await run(['generate', trees.tarball, '--out-dir', upstreamDir])).code).toBe(0);
    const overlay = join(trees.dir, 'from-sbom.yaml');
    writeFileSync(overlay, readFileSync(OVERLAY, 'utf8').replace('upstream: ../Python-3.13.0.tgz', 'upstream: ../upstream-sbom/Python-3.13.0.tgz.spdx.json'));
    const result = await run(['generate', trees.tree, '--overlay', overlay, '--output', '-']);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as SpdxDoc;
    const upstream = doc.packages.find((pkg) => pkg.name === 'CPython');
    expect(upstream?.checksums).toEqual([{ algorithm: 'SHA256', checksumValue: sha256(trees.tarball) }]);
    expect(doc.files.some((file) => file.fileName === 'Lib/os.py')).toBe(true);
  });
});

describe('generate --overlay refuses bad overlays with the file and line, writing nothing', () => {
  let trees: ReturnType<typeof makeTrees>;
  beforeAll(() => {
    trees = makeTrees();
  });

  async function refused(edit: (text: string) => string, setup?: () => void) {
    const overlay = join(trees.dir, `bad-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(overlay, edit(readFileSync(OVERLAY, 'utf8')));
    setup?.();
    const outDir = join(trees.dir, `out-${Math.random().toString(36).slice(2)}`);
    const result = await run(['generate', trees.tree, '--overlay', overlay, '--out-dir', outDir]);
    expect(existsSync(outDir) ? readdirSync(outDir) : []).toEqual([]);
    return { ...result, overlay };
  }

  it('a series naming a patch that is not there', async () => {
    const result = await refused(
      (text) => text.replace('debian/patches/series', 'debian/patches/series-broken'),
      () => writeFileSync(join(trees.tree, 'debian/patches/series-broken'), 'deb-paths.diff\n# fine\nmissing.diff -p1\n'),
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`cpython-sbom: ${result.overlay}:10: debian/patches/series-broken:3 names missing.diff, which is not in debian/patches/`);
  });

  it('a series file that is not there', async () => {
    const result = await refused((text) => text.replace('debian/patches/series', 'debian/patches/nope'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${result.overlay}:10: patches.series: debian/patches/nope: no such file or directory`);
  });

  it('an unbundled component the tree does not have and the catalog does not know', async () => {
    const result = await refused((text) => text.replace('  - component: pip', '  - component: pip\n  - component: libfoo'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${result.overlay}:15: unbundled: libfoo is not a component of this tree`);
  });

  it('an unknown key', async () => {
    const result = await refused((text) => `${text}patchez: []\n`);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${result.overlay}:18: unknown key "patchez"`);
  });

  it('an upstream that is not there', async () => {
    const result = await refused((text) => text.replace('../Python-3.13.0.tgz', '../Python-9.9.9.tgz'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${result.overlay}:8: upstream:`);
    expect(result.stderr).toContain('Python-9.9.9.tgz: no such file or directory');
  });

  it('a patch directory that is not there', async () => {
    const result = await refused((text) => text.replace('series: debian/patches/series', 'dir: debian/nothing'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${result.overlay}:10: patches.dir: debian/nothing: no such file or directory`);
  });

  it('a tarball SOURCE (an overlay describes a patched directory)', async () => {
    const result = await run(['generate', trees.tarball, '--overlay', OVERLAY, '--output', '-']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not a directory');
  });
});

describe('generate --overlay keeps findings no patch explains', () => {
  it('a manifest file changed without a patch still stops the run', async () => {
    const trees = makeTrees();
    appendFileSync(join(trees.tree, 'Modules/expat/COPYING'), 'tampered\n');
    const result = await run(['generate', trees.tree, '--overlay', OVERLAY, '--output', '-']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Modules/expat/COPYING: SHA-256');
    expect(result.stderr).toContain('note: Modules/expat/xmlparse.c');
  });

  it('warns when the upstream release is not the version the tree says it is', async () => {
    const trees = makeTrees();
    cpSync(trees.tarball, join(trees.dir, 'Python-3.13.1.tgz'));
    const overlay = join(trees.dir, 'other-version.yaml');
    writeFileSync(overlay, readFileSync(OVERLAY, 'utf8').replace('../Python-3.13.0.tgz', '../Python-3.13.1.tgz'));
    const result = await run(['generate', trees.tree, '--overlay', overlay, '--output', '-']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`warning: ${overlay}:8: upstream is CPython 3.13.1 but the tree's Include/patchlevel.h says 3.13.0`);
  });

  it('a patch directory is applied in name order; a known component absent from the tree only warns', async () => {
    const trees = makeTrees();
    const dir = join(trees.tree, 'patches');
    mkdirSync(dir);
    cpSync(join(trees.tree, 'debian/patches/fix-expat.patch'), join(dir, '0002-fix-expat.patch'));
    cpSync(join(trees.tree, 'debian/patches/deb-paths.diff'), join(dir, '0001-deb-paths.diff'));
    writeFileSync(join(dir, 'README'), 'not a patch\n');
    const overlay = join(trees.dir, 'dir.yaml');
    writeFileSync(
      overlay,
      readFileSync(OVERLAY, 'utf8')
        .replace('series: debian/patches/series', 'dir: patches')
        .replace('  - component: pip', '  - component: pip\n  - component: libb2')
        .replace('  - .pc/**', '  - .pc/**\n  - patches/**'),
    );
    const result = await run(['generate', trees.tree, '--overlay', overlay, '--format', 'cyclonedx-json', '--output', '-']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('unbundled libb2 is not in this tree; nothing to mark');
    const doc = JSON.parse(result.stdout) as { metadata: { component: CdxComponent } };
    expect(doc.metadata.component.pedigree?.patches?.map((patch) => patch.diff.url)).toEqual(['patches/0001-deb-paths.diff', 'patches/0002-fix-expat.patch']);
  });
});
