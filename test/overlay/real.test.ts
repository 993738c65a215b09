import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, run, tempDir } from '../support/cli.js';
import { REAL, hasReal, realPath } from '../support/real.js';

/**
 * Debian's python3.13 3.13.5-2+deb13u5 as `dpkg-source -x` leaves it (62 patches applied, quilt
 * state in .pc/), with the sample overlay of examples/, against the upstream Python-3.13.5.tar.xz.
 */
const OVERLAY = join(REPO, 'examples', 'debian-python3.13.yaml');
const UPSTREAM_SHA256 = '93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640';

interface Cdx {
  metadata: { component: Component };
  components: Component[];
  dependencies: { ref: string; dependsOn?: string[] }[];
}
interface Component {
  'bom-ref': string;
  type: string;
  name: string;
  scope?: string;
  purl?: string;
  hashes?: { alg: string; content: string }[];
  pedigree?: { ancestors?: Component[]; patches?: { type: string; diff: { url: string }; resolves?: { id: string }[] }[] };
}
interface Spdx {
  files: { SPDXID: string; fileName: string; checksums: { algorithm: string; checksumValue: string }[] }[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
}

describe.skipIf(!hasReal(REAL.debianPatched, REAL.py3135))("generate --overlay on Debian's patched python3.13 tree", () => {
  const tree = realPath(REAL.debianPatched) as string;
  const tarball = realPath(REAL.py3135) as string;
  let out: string;
  let cdx: Cdx;
  let spdx: Spdx;
  let upstreamSpdx: string;

  beforeAll(async () => {
    out = tempDir('cpython-sbom-overlay-real-');
    const result = await run(['generate', tree, '--overlay', OVERLAY, '--format', 'spdx-json,cyclonedx-json', '--out-dir', out]);
    expect(result.code, result.stderr).toBe(0);
    cdx = JSON.parse(readFileSync(join(out, `${REAL.debianPatched}.cdx.json`), 'utf8')) as Cdx;
    spdx = JSON.parse(readFileSync(join(out, `${REAL.debianPatched}.spdx.json`), 'utf8')) as Spdx;
    const upstream = await run(['generate', tarball, '--out-dir', join(out, 'upstream')]);
    expect(upstream.code, upstream.stderr).toBe(0);
    upstreamSpdx = join(out, 'upstream', 'Python-3.13.5.tar.xz.spdx.json');
  }, 180_000);

  it('CycloneDX lists the 62 applied patches in series order, each CVE-named one resolving its CVE', () => {
    const patches = cdx.metadata.component.pedigree?.patches ?? [];
    expect(patches).toHaveLength(62);
    const series = readFileSync(join(tree, 'debian/patches/series'), 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'));
    expect(patches.map((patch) => patch.diff.url)).toEqual(series.map((name) => `debian/patches/${name}`));
    const named = patches.filter((patch) => /CVE-\d{4}-\d+/.test(patch.diff.url));
    expect(named).toHaveLength(31);
    for (const patch of named) {
      const cve = /CVE-\d{4}-\d+/.exec(patch.diff.url)?.[0];
      expect(
        patch.resolves?.map((issue) => issue.id),
        patch.diff.url,
      ).toContain(cve);
      expect(patch.type).toBe('backport');
    }
    expect(new Set(named.map((patch) => /CVE-\d{4}-\d+/.exec(patch.diff.url)?.[0])).size).toBe(30);
  });

  it('CycloneDX: the Debian package, descended from upstream 3.13.5 with its tarball hash', () => {
    const main = cdx.metadata.component;
    expect(main.name).toBe('python3.13');
    expect(main.purl).toBe('pkg:deb/debian/python3.13@3.13.5-2%2Bdeb13u5?arch=source');
    const ancestor = main.pedigree?.ancestors?.[0];
    expect(ancestor?.name).toBe('CPython');
    expect(ancestor?.hashes).toEqual([{ alg: 'SHA-256', content: UPSTREAM_SHA256 }]);
  });

  it('CycloneDX: expat, pip and every project vendored in pip only as scope excluded; a dependency on libexpat', () => {
    // The tree's test-only archives (Lib/test/wheeldata's setuptools with what it vendors,
    // importlib.metadata's example wheels) are scope excluded for another reason: test content.
    const testOnly = cdx.components.filter((component) => component['bom-ref'].startsWith('archive:'));
    expect(testOnly.length).toBe(23);
    expect(testOnly.every((component) => component.scope === 'excluded')).toBe(true);
    const libraries = cdx.components.filter((component) => component.type !== 'file' && !component['bom-ref'].startsWith('archive:'));
    const excluded = libraries.filter((component) => component.scope === 'excluded').map((component) => component.name);
    expect(excluded).toContain('expat');
    expect(excluded).toContain('pip');
    expect(excluded).toEqual(expect.arrayContaining(['urllib3', 'requests', 'certifi', 'rich', 'setuptools']));
    expect(excluded).toHaveLength(22); // expat, pip and pip 25.1.1's 20 vendored projects
    // The complete profile's attribution (Doc/license.rst's code and the snippets in CPython's
    // files) is still bundled in Debian's build.
    expect(
      libraries
        .filter((component) => component.scope !== 'excluded')
        .map((component) => component.name)
        .sort(),
    ).toEqual(
      [
        'Mersenne Twister',
        'Unicode Character Database',
        'csiphash (SipHash24)',
        'dtoa (David M. Gay)',
        'JIS X 0213:2004 mapping table (x0213.org)',
        'General Decimal Arithmetic test cases',
        'hacl-star',
        'libb2',
        'libexpat1-dev',
        'macholib',
        'mimalloc',
        'mpdecimal',
        'select.kqueue interface',
      ].sort(),
    );
    const libexpat = libraries.find((component) => component.purl === 'pkg:deb/debian/libexpat1-dev');
    const deps = cdx.dependencies.find((entry) => entry.ref === cdx.metadata.component['bom-ref'])?.dependsOn ?? [];
    expect(deps).toContain(libexpat?.['bom-ref']);
    expect(deps).not.toContain('expat');
    expect(deps).not.toContain('pip');
  });

  it('SPDX: 62 PATCH_APPLIED relationships; no file of debian/ or .pc/ in the tree', () => {
    const applied = spdx.relationships.filter((rel) => rel.relationshipType === 'PATCH_APPLIED');
    expect(applied).toHaveLength(62);
    // Each patch is its own element (the patch file's name and hash), not a file of the tree.
    const patchIds = new Set(applied.map((rel) => rel.spdxElementId));
    expect(patchIds.size).toBe(62);
    expect(spdx.files.filter((file) => /^(debian|\.pc)\//.test(file.fileName))).toEqual([]);
    expect(spdx.files.filter((file) => file.fileName.startsWith('.pc/'))).toEqual([]);
  });

  it('patched files carry their patched hashes; diff against upstream lists them as changed', async () => {
    const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    const parser = spdx.files.find((file) => file.fileName === 'Lib/html/parser.py');
    const patched = sha256(readFileSync(join(tree, 'Lib/html/parser.py')));
    expect(parser?.checksums).toContainEqual({ algorithm: 'SHA256', checksumValue: patched });
    const upstream = JSON.parse(readFileSync(upstreamSpdx, 'utf8')) as Spdx;
    const original = upstream.files.find((file) => file.fileName === 'Lib/html/parser.py');
    expect(original?.checksums).not.toContainEqual({ algorithm: 'SHA256', checksumValue: patched });

    const diff = await run(['diff', upstreamSpdx, join(out, `${REAL.debianPatched}.spdx.json`), '--format', 'json']);
    expect(diff.code).toBe(1);
    const parsed = JSON.parse(diff.stdout) as { packages: { changed: { name: string; fields: string[] }[] }; files: { changed: string[] } };
    expect(parsed.files.changed).toContain('Lib/html/parser.py');
    expect(parsed.files.changed).toContain('Lib/tarfile.py');
    const unused = parsed.packages.changed.filter((change) => change.fields.includes('scope')).map((change) => change.name);
    expect(unused).toEqual(expect.arrayContaining(['expat', 'pip', 'urllib3']));
    expect(unused).toHaveLength(22);
  }, 60_000);

  it('both documents validate', async () => {
    const result = await run(['validate', join(out, `${REAL.debianPatched}.spdx.json`), join(out, `${REAL.debianPatched}.cdx.json`)]);
    expect(result.code, result.stdout).toBe(0);
  });
});
