import { createServer, type Server } from 'node:http';
import { appendFileSync, cpSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, runBinary, tempDir } from '../support/cli.js';
import { TINY, checksumOf, fileNames, git, readManifest, sha1, sha256, treeCopier } from './helpers.js';

const copy = treeCopier();
const scratch = tempDir('cpython-sbom-regen-outer-');
const SBOM = 'Misc/sbom.spdx.json';
const EXTERNALS = 'Misc/externals.spdx.json';

const EXPECTED_FILES = [
  // Packages by name, each include's paths sorted; hidden, excluded and ignored paths left out.
  'Modules/expat/expat.h',
  'Modules/expat/xmlparse.c',
  'Modules/_hacl/Hacl_Hash.c',
  'Modules/_hacl/include/krml.h',
  'Modules/_decimal/libmpdec/basearith.c',
  'Modules/_decimal/libmpdec/mpdecimal.h',
];

/** A git checkout of the fixture whose manifest has been brought up to date and committed. */
async function currentCheckout(): Promise<string> {
  const tree = copy(TINY, { git: true });
  const result = await run(['regen', tree]);
  expect(result.code, result.stderr).toBe(0);
  git(tree, 'commit', '-q', '-am', 'regen');
  return tree;
}

const snapshot = (tree: string) => [readFileSync(join(tree, SBOM)), readFileSync(join(tree, EXTERNALS))];

describe('regen on a synthetic checkout', () => {
  it('regenerates files and relationships as generate_sbom.py lays them out', async () => {
    const tree = copy(TINY, { git: true });
    const before = readManifest(tree);
    const result = await run(['regen', tree]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`updated ${SBOM}:`);
    expect(result.stdout).toContain(`${EXTERNALS}: up to date`);

    const text = readFileSync(join(tree, SBOM), 'utf8');
    expect(text.endsWith('}')).toBe(true); // no trailing newline
    expect(text.startsWith('{\n  "SPDXID": "SPDXRef-DOCUMENT",\n  "files": [\n    {\n      "SPDXID": ')).toBe(true);

    const after = readManifest(tree);
    expect(after.packages).toEqual(before.packages); // hand-edited entries kept
    expect(fileNames(after)).toEqual(EXPECTED_FILES);
    const xmlparse = readFileSync(join(tree, 'Modules/expat/xmlparse.c'));
    expect(after.files[1]).toEqual({
      SPDXID: 'SPDXRef-FILE-Modules-expat-xmlparse.c',
      fileName: 'Modules/expat/xmlparse.c',
      checksums: [
        { algorithm: 'SHA1', checksumValue: sha1(xmlparse) },
        { algorithm: 'SHA256', checksumValue: sha256(xmlparse) },
      ],
    });
    expect(after.files[4]?.SPDXID).toBe('SPDXRef-FILE-Modules-decimal-libmpdec-basearith.c');
    expect(after.relationships).toHaveLength(EXPECTED_FILES.length);
    expect(after.relationships[4]).toEqual({
      spdxElementId: 'SPDXRef-PACKAGE-mpdecimal',
      relatedSpdxElement: 'SPDXRef-FILE-Modules-decimal-libmpdec-basearith.c',
      relationshipType: 'CONTAINS',
    });
    expect(after.relationships.map((r) => r.spdxElementId)).toEqual([
      ...Array(2).fill('SPDXRef-PACKAGE-expat'),
      ...Array(2).fill('SPDXRef-PACKAGE-hacl-star'),
      ...Array(2).fill('SPDXRef-PACKAGE-mpdecimal'),
    ]);

    const again = await run(['regen', tree, '--check']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('up to date');
  });

  it('--check names stale files per package and writes nothing; regen then brings it up to date', async () => {
    const tree = await currentCheckout();
    appendFileSync(join(tree, 'Modules/expat/xmlparse.c'), '/* changed */\n');
    writeFileSync(join(tree, 'Modules/_hacl/new.c'), 'int n;\n');
    mkdirSync(join(tree, 'Modules/_hacl/build'));
    writeFileSync(join(tree, 'Modules/_hacl/build/out.c'), 'ignored: build/\n');
    writeFileSync(join(tree, 'Modules/_hacl/Hacl_Hash.o'), 'ignored: *.o\n');
    writeFileSync(join(tree, 'Modules/_hacl/.new.c'), 'hidden\n');
    rmSync(join(tree, 'Modules/_decimal/libmpdec/basearith.c'));
    const before = snapshot(tree);
    const mtime = statSync(join(tree, SBOM)).mtimeMs;

    const check = await run(['regen', tree, '--check']);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain(`stale: ${SBOM}`);
    expect(check.stderr).toMatch(/expat: files: 0 added, 0 removed, 1 re-hashed\n\s+re-hashed\s+Modules\/expat\/xmlparse\.c/);
    expect(check.stderr).toMatch(/hacl-star: files: 1 added, 0 removed, 0 re-hashed\n\s+added\s+Modules\/_hacl\/new\.c/);
    expect(check.stderr).toMatch(/mpdecimal: files: 0 added, 1 removed, 0 re-hashed\n\s+removed\s+Modules\/_decimal\/libmpdec\/basearith\.c/);
    expect(check.stderr).not.toMatch(/out\.c|Hacl_Hash\.o|\.new\.c/);
    expect(snapshot(tree)).toEqual(before);
    expect(statSync(join(tree, SBOM)).mtimeMs).toBe(mtime);

    expect((await run(['regen', tree])).code).toBe(0);
    const after = readManifest(tree);
    expect(fileNames(after)).toContain('Modules/_hacl/new.c');
    expect(fileNames(after)).not.toContain('Modules/_decimal/libmpdec/basearith.c');
    expect(fileNames(after).filter((f) => /out\.c|\.o$|\.new\.c/.test(f))).toEqual([]);
    expect(checksumOf(after, 'Modules/expat/xmlparse.c')).toBe(sha256(readFileSync(join(tree, 'Modules/expat/xmlparse.c'))));
    expect((await run(['regen', tree, '--check'])).code).toBe(0);
  });

  it('hashes text after CRLF->LF (a CRLF conversion is not a change) but binary files as they are', async () => {
    const tree = await currentCheckout();
    const lf = readFileSync(join(tree, 'Modules/expat/xmlparse.c'), 'utf8');
    writeFileSync(join(tree, 'Modules/expat/xmlparse.c'), lf.replaceAll('\n', '\r\n'));
    expect((await run(['regen', tree, '--check'])).code).toBe(0);

    const binary = Buffer.from('line\r\n\0more\r\n', 'latin1');
    writeFileSync(join(tree, 'Modules/expat/table.bin'), binary);
    expect((await run(['regen', tree])).code).toBe(0);
    const manifest = readManifest(tree);
    expect(checksumOf(manifest, 'Modules/expat/table.bin')).toBe(sha256(binary));
    expect(checksumOf(manifest, 'Modules/expat/table.bin', 'SHA1')).toBe(sha1(binary));
  });

  it('lists a tracked file even when an ignore rule matches it, as git check-ignore does', async () => {
    const tree = await currentCheckout();
    writeFileSync(join(tree, 'Modules/expat/kept.o'), 'tracked\n');
    git(tree, 'add', '-f', 'Modules/expat/kept.o');
    writeFileSync(join(tree, 'Modules/expat/dropped.o'), 'untracked\n');
    expect((await run(['regen', tree])).code).toBe(0);
    expect(fileNames(readManifest(tree))).toContain('Modules/expat/kept.o');
    expect(fileNames(readManifest(tree))).not.toContain('Modules/expat/dropped.o');
  });

  it('outside git, applies the .gitignore rules and says so', async () => {
    const tree = copy(TINY);
    writeFileSync(join(tree, 'Modules/expat/dropped.o'), 'ignored\n');
    const result = await run(['regen', tree]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('note: not a git checkout (no .git): ignored paths decided by the .gitignore patterns alone');
    expect(fileNames(readManifest(tree))).toEqual(EXPECTED_FILES);
  });

  it("inside an enclosing repository, judges by the tree's own .gitignore files only (nothing outside the tree is read)", async () => {
    const outer = scratch;
    writeFileSync(join(outer, '.gitignore'), 'cache/\n');
    git(outer, 'init', '-q');
    const tree = join(outer, 'cache', 'cpython');
    mkdirSync(join(outer, 'cache'));
    cpSync(TINY, tree, { recursive: true });
    const result = await run(['regen', tree]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('note: not a git checkout (no .git): ignored paths decided by the .gitignore patterns alone');
    expect(fileNames(readManifest(tree))).toEqual(EXPECTED_FILES);
  });

  it('never leaves a half-written manifest: a failed check writes neither file', async () => {
    const tree = await currentCheckout();
    writeFileSync(join(tree, 'Modules/_hacl/new.c'), 'int n;\n');
    writeFileSync(join(tree, 'PCbuild/get_externals.bat'), 'set libraries=%libraries% bzip2-1.0.8\nset libraries=%libraries% openssl-3.0.99\n');
    const before = snapshot(tree);
    expect((await run(['regen', tree])).code).toBe(1);
    expect(snapshot(tree)).toEqual(before);
  });
});

describe('regen checks', () => {
  async function failsWith(edit: (tree: string) => void, ...patterns: RegExp[]): Promise<string> {
    const tree = await currentCheckout();
    edit(tree);
    const before = snapshot(tree);
    const result = await run(['regen', tree]);
    expect(result.code, result.stderr).toBe(1);
    for (const pattern of patterns) expect(result.stderr).toMatch(pattern);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(snapshot(tree)).toEqual(before);
    return tree;
  }
  const editJson = (tree: string, file: string, change: (doc: { packages: Record<string, unknown>[] }) => void) => {
    const doc = JSON.parse(readFileSync(join(tree, file), 'utf8')) as { packages: Record<string, unknown>[] };
    change(doc);
    writeFileSync(join(tree, file), JSON.stringify(doc, null, 2));
  };
  const replaceIn = (tree: string, file: string, from: string | RegExp, to: string) =>
    writeFileSync(join(tree, file), readFileSync(join(tree, file), 'utf8').replace(from, to));

  it("refuses a hacl-star version that disagrees with Modules/_hacl/refresh.sh (the script's own check)", async () => {
    await failsWith(
      (t) => replaceIn(t, 'Modules/_hacl/refresh.sh', /=2{40}/, `=${'9'.repeat(40)}`),
      /^cpython-sbom: fails the script's checks: Misc\/sbom\.spdx\.json: package 'hacl-star': field 'versionInfo' is '2{40}' but Modules\/_hacl\/refresh\.sh pins expected_hacl_star_rev="9{40}"/,
    );
  });

  it('refuses an expat version or checksum that disagrees with Modules/expat/refresh.sh', async () => {
    await failsWith(
      (t) => replaceIn(t, 'Modules/expat/refresh.sh', 'expected_libexpat_version="2.7.1"', 'expected_libexpat_version="2.7.2"'),
      /package 'expat': field 'versionInfo' is '2\.7\.1' but Modules\/expat\/refresh\.sh pins expected_libexpat_version="2\.7\.2"/,
    );
    await failsWith(
      (t) => replaceIn(t, 'Modules/expat/refresh.sh', /sha256="1{64}"/, `sha256="${'a'.repeat(64)}"`),
      /package 'expat': field 'checksums' is not exactly \[SHA256 a{64}\]/,
    );
  });

  it('an expat.h or mpdecimal.h that disagrees with the manifest is a warning, and a finding under --strict', async () => {
    const tree = await currentCheckout();
    replaceIn(tree, 'Modules/expat/expat.h', 'XML_MICRO_VERSION 1', 'XML_MICRO_VERSION 4');
    replaceIn(tree, 'Modules/_decimal/libmpdec/mpdecimal.h', '2.5.1', '4.0.0');
    // The script sees only the changed hashes: regen writes them, with warnings.
    const write = await run(['regen', tree]);
    expect(write.code, write.stderr).toBe(0);
    expect(write.stderr).toMatch(/warning: .*expat\.h/);
    const lenient = await run(['regen', tree, '--check']);
    expect(lenient.code, lenient.stderr).toBe(0);
    expect(lenient.stderr).toMatch(
      /warning: Misc\/sbom\.spdx\.json: package 'expat': field 'versionInfo' is '2\.7\.1' but the vendored Modules\/expat\/expat\.h says '2\.7\.4' \(a finding under --strict\)/,
    );
    // --allow-drift is still accepted, and changes nothing.
    expect((await run(['regen', tree, '--check', '--allow-drift'])).code).toBe(0);
    const before = snapshot(tree);
    const strict = await run(['regen', tree, '--check', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(
      /^cpython-sbom: fails a strict check: Misc\/sbom\.spdx\.json: package 'expat': field 'versionInfo' is '2\.7\.1' but the vendored Modules\/expat\/expat\.h says '2\.7\.4' \(and 1 more\)\n/,
    );
    expect(strict.stderr).toMatch(
      /package 'mpdecimal': field 'versionInfo' is '2\.5\.1' but the vendored Modules\/_decimal\/libmpdec\/mpdecimal\.h says '4\.0\.0'/,
    );
    expect(snapshot(tree)).toEqual(before);
  });

  it('checks the hand-edited fields, naming package and field, all at once', async () => {
    await failsWith(
      (t) =>
        editJson(t, SBOM, (doc) => {
          const [expat, hacl, mpdecimal] = doc.packages as Record<string, unknown>[];
          expat!.SPDXID = 'SPDXRef-PACKAGE-libexpat';
          hacl!.licenseConcluded = 'MIT';
          mpdecimal!.downloadLocation = 'https://example.invalid/mpdecimal.tar.gz';
          delete mpdecimal!.primaryPackagePurpose;
        }),
      /^cpython-sbom: fails the script's checks: Misc\/sbom\.spdx\.json: package 'expat': field 'SPDXID' is "SPDXRef-PACKAGE-libexpat", expected 'SPDXRef-PACKAGE-expat' \(and 3 more\)\n/,
      /nothing written/,
      /package 'expat': field 'SPDXID' is "SPDXRef-PACKAGE-libexpat", expected 'SPDXRef-PACKAGE-expat'/,
      /package 'hacl-star': field 'licenseConcluded' is "MIT", must be 'NOASSERTION'/,
      /package 'mpdecimal': field 'downloadLocation' \(https:\/\/example\.invalid\/mpdecimal\.tar\.gz\) does not contain versionInfo '2\.5\.1'/,
      /package 'mpdecimal': missing required field\(s\) 'primaryPackagePurpose'/,
    );
    await failsWith(
      (t) =>
        editJson(t, EXTERNALS, (doc) => void ((doc.packages[0]!.externalRefs as { referenceLocator: string }[])[0]!.referenceLocator = 'cpe:2.3:a:bzip:bzip2')),
      // The CPE has no version field to update, so the version check catches it.
      /Misc\/externals\.spdx\.json: package 'bzip2': field 'externalRefs\[0\]\.referenceLocator' \(cpe:2\.3:a:bzip:bzip2\) does not contain versionInfo '1\.0\.8'/,
    );
  });

  it('requires the manifest packages to be exactly the mapped components', async () => {
    await failsWith(
      (t) => editJson(t, SBOM, (doc) => void (doc.packages = doc.packages.filter((p) => p.name !== 'mpdecimal'))),
      /package 'mpdecimal' of Tools\/build\/generate_sbom\.py is missing from the manifest/,
    );
    await failsWith(
      (t) => writeFileSync(join(t, 'PCbuild/get_externals.bat'), 'set libraries=%libraries% bzip2-1.0.8\n'),
      /Misc\/externals\.spdx\.json: package 'openssl' is not in PCbuild\/get_externals\.bat/,
    );
  });

  it('an unbundled component (vendored directory removed) gets a clear message, not a crash', async () => {
    await failsWith(
      (t) => rmSync(join(t, 'Modules/_hacl'), { recursive: true }),
      /package 'hacl-star': include 'Modules\/_hacl\/\*\*' lists no files because Modules\/_hacl is missing \(a tree with hacl-star unbundled cannot regenerate this manifest\)/,
    );
  });
});

describe('regen externals', () => {
  let server: Server;
  let base = '';
  const archive = Buffer.from('pretend this is openssl-3.0.99.tar.gz\n');
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/github.com/python/cpython-source-deps/archive/refs/tags/openssl-3.0.99.tar.gz') {
        response.writeHead(200, { 'content-type': 'application/gzip' }).end(archive);
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const bumpOpenssl = (tree: string) =>
    writeFileSync(
      join(tree, 'PCbuild/get_externals.bat'),
      readFileSync(join(tree, 'PCbuild/get_externals.bat'), 'utf8').replace('openssl-3.0.21', 'openssl-3.0.99'),
    );

  it('offline, a changed download location is a finding: the checksum cannot be known', async () => {
    const tree = await currentCheckout();
    bumpOpenssl(tree);
    for (const args of [[], ['--check']]) {
      const result = await run(['regen', tree, ...args]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        "Misc/externals.spdx.json: package 'openssl': field 'checksums' cannot be known offline: downloadLocation changed to https://github.com/python/cpython-source-deps/archive/refs/tags/openssl-3.0.99.tar.gz (run with --online",
      );
    }
  });

  it('--online downloads and hashes the new archive (from a mirror given by CPYTHON_SBOM_DOWNLOAD_MIRROR)', async () => {
    const tree = await currentCheckout();
    bumpOpenssl(tree);
    const check = await run(['regen', tree, '--online', '--check'], { CPYTHON_SBOM_DOWNLOAD_MIRROR: base });
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(/openssl: .*versionInfo 3\.0\.21 -> 3\.0\.99/);
    const result = await run(['regen', tree, '--online'], { CPYTHON_SBOM_DOWNLOAD_MIRROR: base });
    expect(result.code, result.stderr).toBe(0);
    const openssl = readManifest(tree, EXTERNALS).packages.find((p) => p.name === 'openssl');
    expect(openssl).toMatchObject({
      versionInfo: '3.0.99',
      downloadLocation: 'https://github.com/python/cpython-source-deps/archive/refs/tags/openssl-3.0.99.tar.gz',
      checksums: [{ algorithm: 'SHA256', checksumValue: sha256(archive) }],
      externalRefs: [{ referenceLocator: 'cpe:2.3:a:openssl:openssl:3.0.99:*:*:*:*:*:*:*' }],
    });
    // Now current, also offline.
    expect((await run(['regen', tree, '--check'])).code).toBe(0);
  });

  it('--online with a failing download is an error (exit 2) and writes nothing', async () => {
    const tree = await currentCheckout();
    writeFileSync(join(tree, 'PCbuild/get_externals.bat'), 'set libraries=%libraries% bzip2-1.0.8\nset libraries=%libraries% openssl-3.0.98\n');
    const before = snapshot(tree);
    const result = await run(['regen', tree, '--online'], { CPYTHON_SBOM_DOWNLOAD_MIRROR: base });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot download http:\/\/127\.0\.0\.1:\d+\/github\.com\/.*openssl-3\.0\.98\.tar\.gz: HTTP 404/);
    expect(snapshot(tree)).toEqual(before);
  });
});

describe('regen input errors (exit 2, one line)', () => {
  it('a directory without Misc/sbom.spdx.json is not a CPython checkout', async () => {
    const tree = copy(TINY);
    rmSync(join(tree, SBOM));
    const result = await run(['regen', tree]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not a CPython checkout with an SBOM manifest \(Misc\/sbom\.spdx\.json is missing\)/);
  });

  it('malformed JSON and a malformed PACKAGE_TO_FILES name the file', async () => {
    const tree = copy(TINY);
    writeFileSync(join(tree, SBOM), '{"packages": [');
    const json = await run(['regen', tree]);
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/^cpython-sbom: Misc\/sbom\.spdx\.json: not valid JSON/);

    const other = copy(TINY);
    writeFileSync(join(other, 'Tools/build/generate_sbom.py'), 'PACKAGE_TO_FILES = {\n  "expat": PackageFiles(include=find_expat()),\n}\n');
    const script = await run(['regen', other]);
    expect(script.code).toBe(2);
    expect(script.stderr.trim()).toBe("cpython-sbom: Tools/build/generate_sbom.py:2: PACKAGE_TO_FILES: expected '[', found 'find_expat'");
  });

  it('a missing CHECKOUT, through the built binary: exit 2, no stack trace', () => {
    const result = runBinary(['regen', join(TINY, 'no-such-dir')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no-such-dir: no such file or directory/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a tree without Misc/externals.spdx.json fails as its script would (it reads that file)', async () => {
    const tree = copy(TINY, { git: true });
    renameSync(join(tree, EXTERNALS), join(tree, 'Misc/externals.off'));
    const result = await run(['regen', tree]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^cpython-sbom: fails the script's checks: Misc\/externals\.spdx\.json: no such file/);
  });
});
