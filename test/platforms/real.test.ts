import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Package } from '../../src/model/types.js';
import { describePlatform } from '../../src/platforms/index.js';
import { run, tempDir } from '../support/cli.js';
import { REAL, hasReal, realPath } from '../support/real.js';

/**
 * The real release trees: every library their recipes download for python.org's default target,
 * with the recipe's version, URL and checksum, a purl, NVD's CPE where it has one, the catalog's
 * license and how CPython links it. The expected tables are written out here, row by row.
 */

type Row = [key: string, version: string, url: string, checksum: string, license: string, cpe: string, link: 'STATIC' | 'DYNAMIC'];

const GH_OPENSSL = 'https://github.com/openssl/openssl/releases/download';
const SF_TCL = 'https://prdownloads.sourceforge.net/tcl';
const ANDROID_DEPS = 'https://github.com/beeware/cpython-android-source-deps/releases/download';
const APPLE_DEPS = 'https://github.com/beeware/cpython-apple-source-deps/releases/download';
const cpe = (vendorProduct: string, version: string) => `cpe:2.3:a:${vendorProduct}:${version}:*:*:*:*:*:*:*`;

const EXPECTED: Record<string, Record<string, Row[]>> = {
  '3.14.4': {
    macos: [
      [
        'openssl',
        '3.0.19',
        `${GH_OPENSSL}/openssl-3.0.19/openssl-3.0.19.tar.gz`,
        'SHA256:fa5a4143b8aae18be53ef2f3caf29a2e0747430b8bc74d32d88335b94ab63072',
        'Apache-2.0',
        cpe('openssl:openssl', '3.0.19'),
        'DYNAMIC',
      ],
      [
        'tcl',
        '8.6.17',
        `${SF_TCL}/tcl8.6.17-src.tar.gz`,
        'SHA256:a3903371efcce8a405c5c245d029e9f6850258a60fa3761c4d58995610949b31',
        'TCL',
        cpe('tcl_tk:tcl_tk', '8.6.17'),
        'DYNAMIC',
      ],
      [
        'tk',
        '8.6.17',
        `${SF_TCL}/tk8.6.17-src.tar.gz`,
        'SHA256:e4982df6f969c08bf9dd858a6891059b4a3f50dc6c87c10abadbbe2fc4838946',
        'TCL',
        cpe('tcl_tk:tcl_tk', '8.6.17'),
        'DYNAMIC',
      ],
      [
        'xz',
        '5.2.3',
        'http://tukaani.org/xz/xz-5.2.3.tar.gz',
        'MD5:ef68674fb47a8b8e741b34e429d86e9d',
        'LicenseRef-public-domain',
        cpe('tukaani:xz', '5.2.3'),
        'STATIC',
      ],
      [
        'ncurses',
        '6.5',
        'https://ftp.gnu.org/gnu/ncurses/ncurses-6.5.tar.gz',
        'SHA256:136d91bc269a9a5785e5f9e980bc76ab57428f604ce3e5a5a90cebc767971cc6',
        'X11-distribute-modifications-variant',
        cpe('gnu:ncurses', '6.5'),
        'DYNAMIC',
      ],
      [
        'sqlite',
        '3.50.4',
        'https://www.sqlite.org/2025/sqlite-autoconf-3500400.tar.gz',
        'SHA256:a3db587a1b92ee5ddac2f66b3edb41b26f9c867275782d46c3a088977d6a5b18',
        'blessing',
        cpe('sqlite:sqlite', '3.50.4'),
        'STATIC',
      ],
      [
        'mpdecimal',
        '4.0.0',
        'https://www.bytereef.org/software/mpdecimal/releases/mpdecimal-4.0.0.tar.gz',
        'SHA256:942445c3245b22730fd41a67a7c5c231d11cb1b9936b9c0f76334fb7d0b4468c',
        'BSD-2-Clause',
        '',
        'STATIC',
      ],
    ],
    android: [
      ['bzip2', '1.0.8', `${ANDROID_DEPS}/bzip2-1.0.8-3/bzip2-1.0.8-3-aarch64-linux-android.tar.gz`, '', 'bzip2-1.0.6', cpe('bzip:bzip2', '1.0.8'), 'STATIC'],
      [
        'libffi',
        '3.4.4',
        `${ANDROID_DEPS}/libffi-3.4.4-3/libffi-3.4.4-3-aarch64-linux-android.tar.gz`,
        '',
        'MIT',
        cpe('libffi_project:libffi', '3.4.4'),
        'STATIC',
      ],
      [
        'openssl',
        '3.0.19',
        `${ANDROID_DEPS}/openssl-3.0.19-1/openssl-3.0.19-1-aarch64-linux-android.tar.gz`,
        '',
        'Apache-2.0',
        cpe('openssl:openssl', '3.0.19'),
        'DYNAMIC',
      ],
      [
        'sqlite',
        '3.50.4',
        `${ANDROID_DEPS}/sqlite-3.50.4-0/sqlite-3.50.4-0-aarch64-linux-android.tar.gz`,
        '',
        'blessing',
        cpe('sqlite:sqlite', '3.50.4'),
        'DYNAMIC',
      ],
      [
        'xz',
        '5.4.6',
        `${ANDROID_DEPS}/xz-5.4.6-1/xz-5.4.6-1-aarch64-linux-android.tar.gz`,
        '',
        'LicenseRef-public-domain',
        cpe('tukaani:xz', '5.4.6'),
        'STATIC',
      ],
      [
        'zstd',
        '1.5.7',
        `${ANDROID_DEPS}/zstd-1.5.7-2/zstd-1.5.7-2-aarch64-linux-android.tar.gz`,
        '',
        'BSD-3-Clause OR GPL-2.0-only',
        cpe('facebook:zstandard', '1.5.7'),
        'STATIC',
      ],
    ],
    ios: [
      ['bzip2', '1.0.8', `${APPLE_DEPS}/BZip2-1.0.8-2/bzip2-1.0.8-2-iphoneos.arm64.tar.gz`, '', 'bzip2-1.0.6', cpe('bzip:bzip2', '1.0.8'), 'STATIC'],
      ['libffi', '3.4.7', `${APPLE_DEPS}/libFFI-3.4.7-2/libffi-3.4.7-2-iphoneos.arm64.tar.gz`, '', 'MIT', cpe('libffi_project:libffi', '3.4.7'), 'STATIC'],
      [
        'openssl',
        '3.0.19',
        `${APPLE_DEPS}/OpenSSL-3.0.19-1/openssl-3.0.19-1-iphoneos.arm64.tar.gz`,
        '',
        'Apache-2.0',
        cpe('openssl:openssl', '3.0.19'),
        'STATIC',
      ],
      ['xz', '5.6.4', `${APPLE_DEPS}/XZ-5.6.4-2/xz-5.6.4-2-iphoneos.arm64.tar.gz`, '', '0BSD', cpe('tukaani:xz', '5.6.4'), 'STATIC'],
      ['mpdecimal', '4.0.0', `${APPLE_DEPS}/mpdecimal-4.0.0-2/mpdecimal-4.0.0-2-iphoneos.arm64.tar.gz`, '', 'BSD-2-Clause', '', 'STATIC'],
      [
        'zstd',
        '1.5.7',
        `${APPLE_DEPS}/zstd-1.5.7-1/zstd-1.5.7-1-iphoneos.arm64.tar.gz`,
        '',
        'BSD-3-Clause OR GPL-2.0-only',
        cpe('facebook:zstandard', '1.5.7'),
        'STATIC',
      ],
    ],
  },
  '3.13.15': {
    macos: [
      [
        'openssl',
        '3.0.21',
        `${GH_OPENSSL}/openssl-3.0.21/openssl-3.0.21.tar.gz`,
        'SHA256:617e29af8e421f46649484a4937e48c685e47f46488167c982f88bc4ec1d522f',
        'Apache-2.0',
        cpe('openssl:openssl', '3.0.21'),
        'DYNAMIC',
      ],
      [
        'tcl',
        '8.6.18',
        `${SF_TCL}/tcl8.6.18-src.tar.gz`,
        'SHA256:14f9af32b1767ff718477a8f974ad03c34341097e6b43f4ce54644ee974e268e',
        'TCL',
        cpe('tcl_tk:tcl_tk', '8.6.18'),
        'DYNAMIC',
      ],
      [
        'tk',
        '8.6.18',
        `${SF_TCL}/tk8.6.18-src.tar.gz`,
        'SHA256:95cd528a80f5e4bdb557af9b14a7197d6860793a3894e25e7c9fad2ed05d4c3c',
        'TCL',
        cpe('tcl_tk:tcl_tk', '8.6.18'),
        'DYNAMIC',
      ],
      [
        'xz',
        '5.2.3',
        'http://tukaani.org/xz/xz-5.2.3.tar.gz',
        'MD5:ef68674fb47a8b8e741b34e429d86e9d',
        'LicenseRef-public-domain',
        cpe('tukaani:xz', '5.2.3'),
        'STATIC',
      ],
      [
        'ncurses',
        '6.5',
        'https://ftp.gnu.org/gnu/ncurses/ncurses-6.5.tar.gz',
        'SHA256:136d91bc269a9a5785e5f9e980bc76ab57428f604ce3e5a5a90cebc767971cc6',
        'X11-distribute-modifications-variant',
        cpe('gnu:ncurses', '6.5'),
        'DYNAMIC',
      ],
      [
        'sqlite',
        '3.50.4',
        'https://www.sqlite.org/2025/sqlite-autoconf-3500400.tar.gz',
        'SHA256:a3db587a1b92ee5ddac2f66b3edb41b26f9c867275782d46c3a088977d6a5b18',
        'blessing',
        cpe('sqlite:sqlite', '3.50.4'),
        'STATIC',
      ],
      [
        'mpdecimal',
        '4.0.1',
        'https://www.bytereef.org/software/mpdecimal/releases/mpdecimal-4.0.1.tar.gz',
        'SHA256:96d33abb4bb0070c7be0fed4246cd38416188325f820468214471938545b1ac8',
        'BSD-2-Clause',
        '',
        'STATIC',
      ],
    ],
    android: [
      ['bzip2', '1.0.8', `${ANDROID_DEPS}/bzip2-1.0.8-3/bzip2-1.0.8-3-aarch64-linux-android.tar.gz`, '', 'bzip2-1.0.6', cpe('bzip:bzip2', '1.0.8'), 'STATIC'],
      [
        'libffi',
        '3.4.4',
        `${ANDROID_DEPS}/libffi-3.4.4-3/libffi-3.4.4-3-aarch64-linux-android.tar.gz`,
        '',
        'MIT',
        cpe('libffi_project:libffi', '3.4.4'),
        'STATIC',
      ],
      [
        'openssl',
        '3.0.21',
        `${ANDROID_DEPS}/openssl-3.0.21-0/openssl-3.0.21-0-aarch64-linux-android.tar.gz`,
        '',
        'Apache-2.0',
        cpe('openssl:openssl', '3.0.21'),
        'DYNAMIC',
      ],
      [
        'sqlite',
        '3.50.4',
        `${ANDROID_DEPS}/sqlite-3.50.4-0/sqlite-3.50.4-0-aarch64-linux-android.tar.gz`,
        '',
        'blessing',
        cpe('sqlite:sqlite', '3.50.4'),
        'DYNAMIC',
      ],
      [
        'xz',
        '5.4.6',
        `${ANDROID_DEPS}/xz-5.4.6-1/xz-5.4.6-1-aarch64-linux-android.tar.gz`,
        '',
        'LicenseRef-public-domain',
        cpe('tukaani:xz', '5.4.6'),
        'STATIC',
      ],
    ],
  },
  '3.11.2': {
    // Its own recipe: OpenSSL 1.1.1 (OpenSSL license), Tcl/Tk 8.6.12 by FTP with MD5s, ncurses 5.9 and a patch script.
    macos: [
      [
        'openssl',
        '1.1.1s',
        'https://www.openssl.org/source/openssl-1.1.1s.tar.gz',
        'SHA256:c5ac01e760ee6ff0dab61d6b2bbd30146724d063eb322180c6f18a6f74e4b6aa',
        'OpenSSL',
        cpe('openssl:openssl', '1.1.1s'),
        'DYNAMIC',
      ],
      [
        'tcl',
        '8.6.12',
        'ftp://ftp.tcl.tk/pub/tcl//tcl8_6/tcl8.6.12-src.tar.gz',
        'MD5:87ea890821d2221f2ab5157bc5eb885f',
        'TCL',
        cpe('tcl_tk:tcl_tk', '8.6.12'),
        'DYNAMIC',
      ],
      [
        'tk',
        '8.6.12',
        'ftp://ftp.tcl.tk/pub/tcl//tcl8_6/tk8.6.12-src.tar.gz',
        'MD5:1d6dcf6120356e3d211e056dff5e462a',
        'TCL',
        cpe('tcl_tk:tcl_tk', '8.6.12'),
        'DYNAMIC',
      ],
      [
        'xz',
        '5.2.3',
        'http://tukaani.org/xz/xz-5.2.3.tar.gz',
        'MD5:ef68674fb47a8b8e741b34e429d86e9d',
        'LicenseRef-public-domain',
        cpe('tukaani:xz', '5.2.3'),
        'STATIC',
      ],
      [
        'ncurses',
        '5.9',
        'http://ftp.gnu.org/pub/gnu/ncurses/ncurses-5.9.tar.gz',
        'MD5:8cb9c412e5f2d96bc6f459aa8c6282a1',
        'X11-distribute-modifications-variant',
        cpe('gnu:ncurses', '5.9'),
        'DYNAMIC',
      ],
      [
        'sqlite',
        '3.39.4',
        'https://sqlite.org/2022/sqlite-autoconf-3390400.tar.gz',
        'MD5:44b7e6691b0954086f717a6c43b622a5',
        'blessing',
        cpe('sqlite:sqlite', '3.39.4'),
        'STATIC',
      ],
    ],
  },
};

const TARBALLS: Record<string, string> = { '3.14.4': REAL.py3144, '3.13.15': REAL.py31315, '3.11.2': REAL.py3112, '3.9.2': REAL.py392 };
const RECIPE_PATHS = ['Include/patchlevel.h', 'Mac/BuildScript/*', 'Android/*', 'Apple/*', 'iOS/README.rst'];

/** The row a package of the document makes, in the table's shape. */
function rowOf(pkg: Package, link: string | undefined): Row {
  const [algorithm, value] = Object.entries(pkg.checksums)[0] ?? ['', ''];
  return [
    pkg.ref.replace(/^platform\//, ''),
    pkg.version,
    pkg.downloadLocation ?? '',
    algorithm ? `${algorithm}:${value}` : '',
    pkg.licenseDeclared ?? '',
    pkg.cpe ?? '',
    link === 'STATIC_LINK' ? 'STATIC' : 'DYNAMIC',
  ];
}

describe.skipIf(!hasReal(REAL.py3144, REAL.py31315, REAL.py3112, REAL.py392))('--platform on the real release trees', () => {
  const work = tempDir('platforms-real-');
  const trees: Record<string, string> = {};

  beforeAll(() => {
    // Only the recipes, their patches and patchlevel.h: what --platform keeps of a tree.
    for (const [version, name] of Object.entries(TARBALLS)) {
      const tarball = realPath(name) as string;
      // tar exits 2 for a pattern the tarball lacks (3.11.2 has no Android/): what it found is what counts.
      spawnSync('tar', ['-xf', tarball, '-C', work, '--wildcards', '--no-wildcards-match-slash', ...RECIPE_PATHS.map((path) => `Python-${version}/${path}`)], {
        stdio: 'ignore',
      });
      trees[version] = join(work, `Python-${version}`);
      expect(existsSync(join(trees[version] as string, 'Mac/BuildScript/build-installer.py')), `${name} unpacked`).toBe(true);
    }
  }, 120_000);

  for (const [version, platforms] of Object.entries(EXPECTED)) {
    for (const [platform, rows] of Object.entries(platforms)) {
      it(`${version} --platform ${platform}: every library the recipe downloads`, async () => {
        const facts = await describePlatform(trees[version] as string, { platform: platform as 'macos' });
        const libraries = facts.document.packages.filter((pkg) => pkg.ref.startsWith('platform/'));
        const links = new Map(facts.document.relationships.map((relationship) => [relationship.to, relationship.type]));
        expect(libraries.map((pkg) => rowOf(pkg, links.get(pkg.ref)))).toEqual(rows);
        for (const pkg of libraries) {
          // A purl for every library: its download, and its SHA-256 where the recipe records one.
          expect(pkg.purl).toMatch(new RegExp(`^pkg:generic/${pkg.ref.replace('platform/', '')}@${pkg.version.replaceAll('.', '\\.')}\\?`));
          expect(decodeURIComponent(pkg.purl as string)).toContain(`download_url=${pkg.downloadLocation}`);
          if (pkg.checksums.SHA256) expect(decodeURIComponent(pkg.purl as string)).toContain(`checksum=sha256:${pkg.checksums.SHA256}`);
          expect(pkg.licenseComments).toContain("cpython-sbom's catalog");
        }
        expect(facts.document.describes).toEqual(['cpython']);
        expect(facts.document.packages[0]?.version).toBe(version);
      });
    }
  }

  it('3.11.2 has no Android or iOS recipe: a one-line refusal each', async () => {
    for (const platform of ['android', 'ios'] as const) {
      await expect(describePlatform(trees['3.11.2'] as string, { platform })).rejects.toThrow(
        /CPython 3\.11\.2 has no (Android\/android\.py|Apple\/__main__\.py)/,
      );
    }
  });

  it('3.13.15 has no iOS download recipe: its README leaves the libraries to the builder', async () => {
    await expect(describePlatform(trees['3.13.15'] as string, { platform: 'ios' })).rejects.toThrow(
      /no Apple\/__main__\.py.*iOS\/README\.rst leaves the libraries/,
    );
  });

  it("a deployment target before 10.6 drops the internal Tcl/Tk, as the recipe's condition says", async () => {
    const facts = await describePlatform(trees['3.14.4'] as string, { platform: 'macos', deploymentTarget: '10.5' });
    expect(facts.recipe.assumptions[0]).toMatchObject({ name: 'deployment-target', value: '10.5' });
    expect(facts.document.packages.map((pkg) => pkg.ref)).not.toContain('platform/tcl');
    expect(facts.document.packages.map((pkg) => pkg.ref)).toContain('platform/openssl');
    expect(facts.document.comment).toContain('deployment-target=10.5');
  });

  it('3.9.2 for a 10.4 target: bzip2, zlib and GNU Readline with its downloaded patches, as that recipe says', async () => {
    const facts = await describePlatform(trees['3.9.2'] as string, { platform: 'macos', deploymentTarget: '10.4' });
    const versions = facts.document.packages.filter((pkg) => pkg.ref.startsWith('platform/')).map((pkg) => `${pkg.name} ${pkg.version}`);
    expect(versions).toEqual(['OpenSSL 1.1.1i', 'XZ Utils 5.2.3', 'ncurses 5.9', 'SQLite 3.34.0', 'bzip2 1.0.6', 'zlib 1.2.3', 'GNU Readline 6.1.2']);
    const readline = facts.document.packages.find((pkg) => pkg.ref === 'platform/readline');
    expect(readline?.licenseDeclared).toBe('GPL-3.0-or-later');
    expect(readline?.comment).toContain('readline61-002 (MD5 1a76781a1ea734e831588285db7ec9b1)');
  });

  it('the CLI writes all four formats for a real tarball, each valid, and diff compares two releases', async () => {
    const out = join(work, 'out');
    for (const version of ['3.13.15', '3.14.4']) {
      const generated = await run([
        'generate',
        realPath(TARBALLS[version] as string) as string,
        '--platform',
        'android',
        '--format',
        'spdx-json,cyclonedx-json,cyclonedx-xml,spdx3-json',
        '--out-dir',
        out,
      ]);
      expect(generated.code, generated.stderr).toBe(0);
    }
    const names = ['spdx.json', 'cdx.json', 'cdx.xml', 'spdx3.json'].map((suffix) => join(out, `Python-3.14.4.tar.xz.android.${suffix}`));
    const validated = await run(['validate', ...names]);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    const cdx = JSON.parse(readFileSync(names[1] as string, 'utf8')) as { components: { name: string; version: string }[] };
    expect(cdx.components.map((component) => `${component.name} ${component.version}`)).toContain('Zstandard 1.5.7');
    const diff = await run(['diff', join(out, 'Python-3.13.15.tar.xz.android.spdx.json'), names[0] as string, '--format', 'json']);
    expect(diff.code).toBe(1);
    const report = JSON.parse(diff.stdout) as {
      packages: { added: { name: string }[]; changed: { name: string; old: { version: string }; new: { version: string } }[] };
    };
    expect(report.packages.added.map((pkg) => pkg.name)).toEqual(['Zstandard']);
    expect(report.packages.changed.find((pkg) => pkg.name === 'OpenSSL')).toMatchObject({ old: { version: '3.0.21' }, new: { version: '3.0.19' } });
  }, 180_000);
});
