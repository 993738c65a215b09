import { createServer, type Server } from 'node:http';
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, run } from '../support/cli.js';
import { makeWheel } from '../detect/helpers.js';
import { TINY, checksumOf, fileNames, git, readManifest, sha1, sha256, treeCopier } from './helpers.js';

/**
 * regen applies the rules of the checkout's own generation of generate_sbom.py. Each test puts a
 * handwritten stand-in of one generation (fixtures/regen/scripts, see its README) into a copy of
 * the tiny fixture tree and checks the rule that generation has, and the one it lacks.
 */
const copy = treeCopier();
const SBOM = 'Misc/sbom.spdx.json';
const EXTERNALS = 'Misc/externals.spdx.json';
const SCRIPTS = join(REPO, 'fixtures', 'regen', 'scripts');

type Pkg = Record<string, unknown>;
function editManifest(tree: string, change: (packages: Pkg[], doc: Record<string, unknown>) => void): void {
  const doc = JSON.parse(readFileSync(join(tree, SBOM), 'utf8')) as { packages: Pkg[] };
  change(doc.packages, doc);
  writeFileSync(join(tree, SBOM), JSON.stringify(doc, null, 2));
}
const pkg = (packages: Pkg[], name: string) => packages.find((p) => p.name === name) as Pkg;

/** A git checkout of the tiny tree with `script` as its generate_sbom.py, brought up to date and committed. */
async function checkoutWith(script: string, prepare?: (tree: string) => void, args: string[] = []): Promise<string> {
  const tree = copy(TINY);
  copyFileSync(join(SCRIPTS, script), join(tree, 'Tools/build/generate_sbom.py'));
  prepare?.(tree);
  git(tree, 'init', '-q');
  git(tree, 'add', '-A');
  git(tree, 'commit', '-q', '-m', 'import');
  const result = await run(['regen', tree, ...args]);
  expect(result.code, result.stderr).toBe(0);
  git(tree, 'commit', '-q', '-am', 'regen', '--allow-empty');
  return tree;
}

const CRLF = 'int x;\r\nint y;\r\n';
/** The 2023 manifests carried real licence expressions, which those scripts required. */
const licensed = (tree: string) => editManifest(tree, (packages) => packages.forEach((p) => void (p.licenseConcluded = 'MIT')));

describe('December 2023: raw bytes, a licence allow-list, exactly the required keys, no refresh checks', () => {
  it('hashes the bytes as they are (CRLF kept), as the script did then', async () => {
    const tree = await checkoutWith('2023-12-allowlist.py', (t) => {
      licensed(t);
      writeFileSync(join(t, 'Modules/expat/crlf.c'), CRLF);
    });
    expect(checksumOf(readManifest(tree), 'Modules/expat/crlf.c')).toBe(sha256(CRLF));
    expect(checksumOf(readManifest(tree), 'Modules/expat/crlf.c', 'SHA1')).toBe(sha1(CRLF));
    // Re-saving it with LF is a change this script sees.
    writeFileSync(join(tree, 'Modules/expat/crlf.c'), CRLF.replaceAll('\r\n', '\n'));
    const check = await run(['regen', tree, '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/^cpython-sbom: stale: Misc\/sbom\.spdx\.json: package 'expat': field 'files' \(0 added, 0 removed, 1 re-hashed\)\n/);
  });

  it('accepts any licence of ALLOWED_LICENSE_EXPRESSIONS and refuses others; exactly REQUIRED_PROPERTIES_PACKAGE', async () => {
    const tree = await checkoutWith('2023-12-allowlist.py', (t) =>
      editManifest(t, (packages) => {
        packages.forEach((p) => void (p.licenseConcluded = 'Apache-2.0'));
        pkg(packages, 'expat').licenseConcluded = 'MIT';
        pkg(packages, 'mpdecimal').licenseConcluded = 'BSD-2-Clause';
      }),
    );
    expect((await run(['regen', tree, '--check'])).code).toBe(0);

    editManifest(tree, (packages) => {
      pkg(packages, 'expat').licenseConcluded = 'NOASSERTION';
      pkg(packages, 'hacl-star').supplier = 'Organization: x';
    });
    const check = await run(['regen', tree, '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(
      /^cpython-sbom: fails the script's checks: Misc\/sbom\.spdx\.json: package 'expat': field 'licenseConcluded' is "NOASSERTION", not in the script's ALLOWED_LICENSE_EXPRESSIONS \(and 1 more\)\n/,
    );
    expect(check.stderr).toMatch(/package 'hacl-star': field\(s\) 'supplier' not allowed/);
  });

  it('never reads refresh scripts: a missing one is fine, a disagreeing one is only a strict finding', async () => {
    const tree = await checkoutWith('2023-12-allowlist.py', (t) => {
      licensed(t);
      rmSync(join(t, 'Modules/expat/refresh.sh'));
    });
    writeFileSync(join(tree, 'Modules/_hacl/refresh.sh'), `expected_hacl_star_rev=${'9'.repeat(40)}\n`);
    git(tree, 'commit', '-q', '-am', 'drift');
    const check = await run(['regen', tree, '--check']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stderr).toMatch(/warning: .*'hacl-star': field 'versionInfo' is '2{40}' but Modules\/_hacl\/refresh\.sh pins .*\(a finding under --strict\)/);
    const strict = await run(['regen', tree, '--check', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^cpython-sbom: fails a strict check: Misc\/sbom\.spdx\.json: package 'hacl-star': field 'versionInfo'/);
  });

  it('does not write Misc/externals.spdx.json, which that script did not know', async () => {
    const tree = await checkoutWith('2023-12-allowlist.py', licensed);
    writeFileSync(join(tree, 'PCbuild/get_externals.bat'), 'set libraries=%libraries% bzip2-9.9.9\n');
    const before = readFileSync(join(tree, EXTERNALS));
    const result = await run(['regen', tree]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`note: this generation of Tools/build/generate_sbom.py does not write ${EXTERNALS}`);
    expect(readFileSync(join(tree, EXTERNALS))).toEqual(before);
  });
});

describe('March 2024: NOASSERTION, the HACL* check, externals, still raw bytes', () => {
  it('fails on a HACL* mismatch (its own check) but only warns on an expat one (a check it lacks)', async () => {
    const tree = await checkoutWith('2024-03-hacl.py', (t) => writeFileSync(join(t, 'Modules/expat/crlf.c'), CRLF));
    expect(checksumOf(readManifest(tree), 'Modules/expat/crlf.c')).toBe(sha256(CRLF));
    writeFileSync(join(tree, 'Modules/expat/refresh.sh'), 'expected_libexpat_version="9.9.9"\n');
    // refresh.sh is one of expat's files in this generation: its new hash is written, with warnings.
    expect((await run(['regen', tree])).code).toBe(0);
    const lenient = await run(['regen', tree, '--check']);
    expect(lenient.code, lenient.stderr).toBe(0);
    expect(lenient.stderr).toMatch(/warning: .*'expat': field 'versionInfo' is '2\.7\.1' but Modules\/expat\/refresh\.sh pins/);

    rmSync(join(tree, 'Modules/_hacl/refresh.sh'));
    const check = await run(['regen', tree, '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(
      /^cpython-sbom: fails the script's checks: Misc\/sbom\.spdx\.json: package 'hacl-star': Modules\/_hacl\/refresh\.sh is missing/,
    );
  });

  it('a licence other than NOASSERTION fails, even one of its ALLOWED_LICENSE_EXPRESSIONS', async () => {
    const tree = await checkoutWith('2024-03-hacl.py');
    editManifest(tree, (packages) => void (pkg(packages, 'expat').licenseConcluded = 'MIT'));
    const check = await run(['regen', tree, '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/^cpython-sbom: fails the script's checks: .*'expat': field 'licenseConcluded' is "MIT", must be 'NOASSERTION'/);
  });
});

describe('3.13.0 - 3.13.5: CRLF -> LF, and an expat check that never runs', () => {
  it("normalises CRLF; expat drift is a warning because the script's check looks for 'libexpat'", async () => {
    const tree = await checkoutWith('3.13.5-libexpat.py', (t) => {
      writeFileSync(join(t, 'Modules/expat/crlf.c'), CRLF);
      writeFileSync(join(t, 'Modules/expat/refresh.sh'), `expected_libexpat_version="2.7.2"\nexpected_libexpat_sha256="${'a'.repeat(64)}"\n`);
    });
    expect(checksumOf(readManifest(tree), 'Modules/expat/crlf.c')).toBe(sha256(CRLF.replaceAll('\r\n', '\n')));
    const check = await run(['regen', tree, '--check']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stderr).toMatch(
      /warning: .*'expat': field 'versionInfo' is '2\.7\.1' but Modules\/expat\/refresh\.sh pins expected_libexpat_version="2\.7\.2"/,
    );
    const strict = await run(['regen', tree, '--check', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^cpython-sbom: fails a strict check: Misc\/sbom\.spdx\.json: package 'expat': field 'versionInfo'/);
    // refresh.sh counts as expat's file in this generation (hacl's was excluded by mistake).
    expect(fileNames(readManifest(tree))).toContain('Modules/expat/refresh.sh');
  });
});

describe('December 2023 - February 2024: pip looked up on PyPI at run time', () => {
  it("2024: without the ensurepip wheel (a distributor's tree), pip and what it DEPENDS_ON leave the manifest, offline", async () => {
    const tree = copy(TINY);
    copyFileSync(join(SCRIPTS, '2024-02-pypi-vendored.py'), join(tree, 'Tools/build/generate_sbom.py'));
    const result = await run(['regen', tree, '--online', '--pypi-url', 'http://127.0.0.1:9/unused']);
    expect(result.code, result.stderr).toBe(0);
    expect(readManifest(tree).packages.map((p) => p.name)).toEqual(['expat', 'hacl-star', 'mpdecimal']);

    // A wheel that is a link out of the tree is never read.
    mkdirSync(join(tree, 'Lib/ensurepip/_bundled'), { recursive: true });
    symlinkSync('/etc/hosts', join(tree, 'Lib/ensurepip/_bundled/pip-24.0-py3-none-any.whl'));
    const link = await run(['regen', tree, '--online', '--pypi-url', 'http://127.0.0.1:9/unused']);
    expect(link.code).toBe(2);
    expect(link.stderr).toMatch(/pip-24\.0-py3-none-any\.whl: resolves to \/etc\/hosts, outside the tree; refused/);
  });

  let server: Server;
  let base = '';
  const releases = new Map<string, unknown>();
  const requests: string[] = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(request.url ?? '');
      const body = releases.get(request.url ?? '');
      response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      response.end(body ? JSON.stringify(body) : '{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pypi`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const WHEEL = 'pip-24.0-py3-none-any.whl';
  const release = (files: { filename: string; packagetype: string; url: string; sha256: string }[]) => ({
    info: {},
    urls: files.map(({ sha256: digest, ...rest }) => ({ ...rest, digests: { sha256: digest } })),
  });

  it('offline: one line, exit 2, naming why; nothing written', async () => {
    const tree = copy(TINY, { git: true });
    copyFileSync(join(SCRIPTS, '2023-12-pypi-pip.py'), join(tree, 'Tools/build/generate_sbom.py'));
    const before = readFileSync(join(tree, SBOM));
    const result = await run(['regen', tree, '--check']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/generate_sbom\.py: this generation of the script looks pip up on PyPI at run time .*only with --online/);
    expect(readFileSync(join(tree, SBOM))).toEqual(before);
  });

  it("--online: pip's entry as the script writes it, from the wheel and the PyPI JSON API", async () => {
    const wheel = Buffer.from('not really a wheel, the pip-only scripts never open it');
    const digest = sha256(wheel);
    releases.set(
      '/pypi/pip/24.0/json',
      release([
        { filename: 'pip-24.0.tar.gz', packagetype: 'sdist', url: 'https://files.example/pip-24.0.tar.gz', sha256: 'f'.repeat(64) },
        { filename: WHEEL, packagetype: 'bdist_wheel', url: `https://files.example/${WHEEL}`, sha256: digest },
      ]),
    );
    const tree = copy(TINY);
    copyFileSync(join(SCRIPTS, '2023-12-pypi-pip.py'), join(tree, 'Tools/build/generate_sbom.py'));
    licensed(tree);
    mkdirSync(join(tree, 'Lib/ensurepip/_bundled'), { recursive: true });
    writeFileSync(join(tree, `Lib/ensurepip/_bundled/${WHEEL}`), wheel);
    git(tree, 'init', '-q');
    git(tree, 'add', '-A');
    git(tree, 'commit', '-q', '-m', 'import');

    const result = await run(['regen', tree, '--online', '--pypi-url', base]);
    expect(result.code, result.stderr).toBe(0);
    const manifest = readManifest(tree);
    expect(manifest.packages.map((p) => p.name)).toEqual(['expat', 'hacl-star', 'mpdecimal', 'pip']);
    expect(manifest.packages[3]).toEqual({
      SPDXID: 'SPDXRef-PACKAGE-pip',
      name: 'pip',
      versionInfo: '24.0',
      originator: 'Organization: Example Packaging Authority',
      licenseConcluded: 'MIT',
      downloadLocation: `https://files.example/${WHEEL}`,
      checksums: [{ algorithm: 'SHA256', checksumValue: digest }],
      externalRefs: [{ referenceCategory: 'PACKAGE_MANAGER', referenceLocator: 'pkg:pypi/pip@24.0', referenceType: 'purl' }],
      primaryPackagePurpose: 'SOURCE',
    });
    expect(checksumOf(manifest, `Lib/ensurepip/_bundled/${WHEEL}`)).toBe(digest);
    expect(manifest.relationships.some((r) => r.relationshipType === 'DEPENDS_ON')).toBe(false);
    git(tree, 'commit', '-q', '-am', 'regen');
    expect((await run(['regen', tree, '--check', '--online', '--pypi-url', base])).code).toBe(0);

    // A wheel PyPI does not recognise fails the script's check.
    appendFileSync(join(tree, `Lib/ensurepip/_bundled/${WHEEL}`), 'tampered');
    const check = await run(['regen', tree, '--check', '--online', '--pypi-url', base]);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(
      /^cpython-sbom: fails the script's checks: Tools\/build\/generate_sbom\.py: pip 24\.0: Lib\/ensurepip\/_bundled\/pip-24\.0-py3-none-any\.whl has SHA-256 [0-9a-f]{64}, http:\/\/127\.0\.0\.1:\d+\/pypi says/,
    );
  });

  it("--online, 2024: every project of pip's vendor.txt updated from PyPI's first wheel; pip DEPENDS_ON each", async () => {
    const wheel = await makeWheel({ 'pip/__init__.py': '', 'pip/_vendor/vendor.txt': 'Rich==13.7.0  # pinned\n\ndistlib==0.3.8\n' });
    const digest = sha256(wheel);
    releases.set('/pypi/pip/24.0/json', release([{ filename: WHEEL, packagetype: 'bdist_wheel', url: `https://files.example/${WHEEL}`, sha256: digest }]));
    releases.set(
      '/pypi/rich/13.7.0/json',
      release([
        { filename: 'rich-13.7.0.tar.gz', packagetype: 'sdist', url: 'https://files.example/rich-13.7.0.tar.gz', sha256: '1'.repeat(64) },
        {
          filename: 'rich-13.7.0-py3-none-any.whl',
          packagetype: 'bdist_wheel',
          url: 'https://files.example/rich-13.7.0-py3-none-any.whl',
          sha256: '2'.repeat(64),
        },
        {
          filename: 'rich-13.7.0-py2-none-any.whl',
          packagetype: 'bdist_wheel',
          url: 'https://files.example/rich-13.7.0-py2-none-any.whl',
          sha256: '3'.repeat(64),
        },
      ]),
    );
    releases.set(
      '/pypi/distlib/0.3.8/json',
      release([
        {
          filename: 'distlib-0.3.8-py2.py3-none-any.whl',
          packagetype: 'bdist_wheel',
          url: 'https://files.example/distlib-0.3.8-py2.py3-none-any.whl',
          sha256: '4'.repeat(64),
        },
      ]),
    );
    const tree = copy(TINY);
    copyFileSync(join(SCRIPTS, '2024-02-pypi-vendored.py'), join(tree, 'Tools/build/generate_sbom.py'));
    mkdirSync(join(tree, 'Lib/ensurepip/_bundled'), { recursive: true });
    writeFileSync(join(tree, `Lib/ensurepip/_bundled/${WHEEL}`), wheel);
    const stub = (name: string): Pkg => ({
      SPDXID: `SPDXRef-PACKAGE-${name}`,
      name,
      versionInfo: 'old',
      downloadLocation: 'old',
      checksums: [],
      externalRefs: [],
      licenseConcluded: 'NOASSERTION',
      primaryPackagePurpose: 'SOURCE',
      originator: 'kept',
    });
    editManifest(tree, (packages) => packages.push(stub('rich'), stub('distlib')));
    git(tree, 'init', '-q');
    git(tree, 'add', '-A');
    git(tree, 'commit', '-q', '-m', 'import');

    const result = await run(['regen', tree, '--online', '--pypi-url', base]);
    expect(result.code, result.stderr).toBe(0);
    const manifest = readManifest(tree);
    expect(manifest.packages.map((p) => p.name)).toEqual(['expat', 'hacl-star', 'mpdecimal', 'rich', 'distlib', 'pip']);
    expect(manifest.packages[3]).toEqual({
      SPDXID: 'SPDXRef-PACKAGE-rich',
      name: 'rich',
      versionInfo: '13.7.0',
      downloadLocation: 'https://files.example/rich-13.7.0-py3-none-any.whl',
      checksums: [{ algorithm: 'SHA256', checksumValue: '2'.repeat(64) }],
      externalRefs: [{ referenceCategory: 'PACKAGE_MANAGER', referenceLocator: 'pkg:pypi/rich@13.7.0', referenceType: 'purl' }],
      licenseConcluded: 'NOASSERTION',
      primaryPackagePurpose: 'SOURCE',
      originator: 'kept',
    });
    const depends = manifest.relationships.filter((r) => r.relationshipType === 'DEPENDS_ON');
    expect(manifest.relationships.slice(0, 2)).toEqual(depends);
    expect(depends.map((r) => `${r.spdxElementId} ${r.relatedSpdxElement}`)).toEqual([
      'SPDXRef-PACKAGE-pip SPDXRef-PACKAGE-distlib',
      'SPDXRef-PACKAGE-pip SPDXRef-PACKAGE-rich',
    ]);
    expect(fileNames(manifest)).toContain(`Lib/ensurepip/_bundled/${WHEEL}`);
    expect(requests).toContain('/pypi/rich/13.7.0/json');
  });
});

describe('never outside the tree, in an unpacked tree (no git) too', () => {
  const withInclude = (tree: string, include: string) => {
    const path = join(tree, 'Tools/build/generate_sbom.py');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"Modules/_decimal/libmpdec/**"', JSON.stringify(include)));
  };

  it("refuses a '..' include, naming the pattern; nothing written", async () => {
    const tree = copy(TINY);
    withInclude(tree, '../../../../../../../etc/host*');
    const before = readFileSync(join(tree, SBOM));
    const result = await run(['regen', tree]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain("include '../../../../../../../etc/host*': a '..' segment climbs out of the tree; refused");
    expect(readFileSync(join(tree, SBOM))).toEqual(before);
  });

  it('refuses the same in a git checkout', async () => {
    const tree = copy(TINY, { git: true });
    symlinkSync('/etc', join(tree, 'Modules/expat/etc'));
    git(tree, 'add', '-A');
    git(tree, 'commit', '-q', '-m', 'a link');
    const result = await run(['regen', tree, '--check']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^cpython-sbom: include 'Modules\/expat\/\*\*': it runs through Modules\/expat\/etc, a symbolic link to a directory; refused/,
    );
    rmSync(join(tree, 'Modules/expat/etc'));
    withInclude(tree, '../x/**');
    expect((await run(['regen', tree, '--check'])).stderr).toContain("include '../x/**': a '..' segment climbs out of the tree");
  });

  it('refuses a symbolic link to a directory on the way, and a file link that leads outside', async () => {
    const tree = copy(TINY);
    symlinkSync('/etc', join(tree, 'Modules/_decimal/libmpdec/etc'));
    const before = readFileSync(join(tree, SBOM));
    const result = await run(['regen', tree]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "include 'Modules/_decimal/libmpdec/**': it runs through Modules/_decimal/libmpdec/etc, a symbolic link to a directory; refused",
    );
    expect(readFileSync(join(tree, SBOM))).toEqual(before);

    rmSync(join(tree, 'Modules/_decimal/libmpdec/etc'));
    symlinkSync('/etc/hosts', join(tree, 'Modules/_decimal/libmpdec/hosts'));
    const file = await run(['regen', tree]);
    expect(file.code).toBe(2);
    expect(file.stderr).toMatch(/Modules\/_decimal\/libmpdec\/hosts is a symbolic link to \/etc\/hosts, outside the tree; refused/);
    expect(readFileSync(join(tree, SBOM))).toEqual(before);
  });
});
