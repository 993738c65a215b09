import { describe, expect, it } from 'vitest';
import { buildSbom } from '../../src/generate/build.js';
import type { Package } from '../../src/model/types.js';
import { REAL, hasReal, realPath } from '../support/real.js';

/**
 * The archives of the real release trees, as the complete profile describes them (the bundled
 * wheels in Lib/ensurepip/_bundled are wheel-members' and not repeated here). Per archive: what it
 * becomes (`CPython` for an archive that stays CPython's file, else the package's name and
 * version), how many members are listed (0: not readable, the comment says why), the SPDX
 * relationship that says it is test-only, and its declared license.
 */
type Row = [path: string, as: string, members: number, relationship: string, license: string];

const IMPORTLIB_38: Row[] = [
  ['Lib/test/test_importlib/data/example-21.12-py3-none-any.whl', 'example 21.12', 6, 'TEST_OF', 'NOASSERTION'],
  ['Lib/test/test_importlib/data/example-21.12-py3.6.egg', 'example 21.12', 8, 'TEST_OF', 'NOASSERTION'],
];
const NAMESPACE_PKGS: Row[] = [
  ['Lib/test/test_importlib/namespace_pkgs/missing_directory.zip', 'CPython', 2, 'TEST_OF', ''],
  ['Lib/test/test_importlib/namespace_pkgs/nested_portion1.zip', 'CPython', 1, 'TEST_OF', ''],
  ['Lib/test/test_importlib/namespace_pkgs/top_level_portion1.zip', 'CPython', 1, 'TEST_OF', ''],
];
const ZIPDATA: Row[] = [
  ['Lib/test/test_importlib/zipdata01/ziptestdata.zip', 'CPython', 6, 'TEST_OF', ''],
  ['Lib/test/test_importlib/zipdata02/ziptestdata.zip', 'CPython', 5, 'TEST_OF', ''],
];
/** tarfile's test archives: one is invalid on purpose, the other holds latin1 names and GNU sparse members. */
const TARFILE = (dir: string, xz: boolean): Row[] => [
  [`${dir}/recursion.tar`, 'CPython', 0, 'TEST_OF', ''],
  [`${dir}/testtar.tar`, 'CPython', 0, 'TEST_OF', ''],
  ...(xz ? [[`${dir}/testtar.tar.xz`, 'CPython', 1, 'TEST_OF', ''] as Row] : []),
];
const SETUPTOOLS_79 = 'Lib/test/wheeldata/setuptools-79.0.1-py3-none-any.whl';
const ARCHIVES_313: Row[] = [
  ...TARFILE('Lib/test/archivetestdata', true),
  ['Lib/test/archivetestdata/zip_cp437_header.zip', 'CPython', 2, 'TEST_OF', ''],
  ['Lib/test/archivetestdata/zipdir.zip', 'CPython', 1, 'TEST_OF', ''],
  ['Lib/test/archivetestdata/zipdir_backslash.zip', 'CPython', 1, 'TEST_OF', ''],
  ['Lib/test/test_importlib/metadata/data/example-21.12-py3-none-any.whl', 'example 21.12', 6, 'TEST_OF', 'NOASSERTION'],
  ['Lib/test/test_importlib/metadata/data/example-21.12-py3.6.egg', 'example 21.12', 8, 'TEST_OF', 'NOASSERTION'],
  ['Lib/test/test_importlib/metadata/data/example2-1.0.0-py3-none-any.whl', 'example2 1.0.0', 5, 'TEST_OF', 'NOASSERTION'],
  ...NAMESPACE_PKGS,
  [SETUPTOOLS_79, 'setuptools 79.0.1', 514, 'TEST_DEPENDENCY_OF', 'MIT'],
  [`${SETUPTOOLS_79}/pkg_resources/tests/data/my-test-package-zip/my-test-package.zip`, 'my-test-package 1.0', 7, 'TEST_OF', 'NOASSERTION'],
  [`${SETUPTOOLS_79}/pkg_resources/tests/data/my-test-package_zipped-egg/my_test_package-1.0-py3.7.egg`, 'my-test-package 1.0', 5, 'TEST_OF', 'NOASSERTION'],
];
/** What setuptools 79.0.1 vendors: 16 projects in setuptools/_vendor, and the packaging its vendored wheel vendors. */
const VENDORED_79 = [
  'autocommand 2.2.2 LGPL-3.0-only',
  'backports.tarfile 1.2.0 MIT',
  'importlib_metadata 8.0.0 Apache-2.0',
  'inflect 7.3.1 MIT',
  'jaraco.collections 5.1.0 MIT',
  'jaraco.context 5.3.0 MIT',
  'jaraco.functools 4.0.1 MIT',
  'jaraco.text 3.12.1 MIT',
  'more-itertools 10.3.0 MIT',
  'packaging 24.0 Apache-2.0 OR BSD-2-Clause',
  'packaging 24.2 Apache-2.0 OR BSD-2-Clause',
  'platformdirs 4.2.2 MIT',
  'tomli 2.0.1 MIT',
  'typeguard 4.3.0 MIT',
  'typing_extensions 4.12.2 Python-2.0.1',
  'wheel 0.45.1 MIT',
  'zipp 3.19.2 MIT',
];

const EXPECTED: Record<string, { archives: Row[]; vendored: string[]; members: number }> = {
  [REAL.py392]: {
    archives: [
      ...IMPORTLIB_38,
      ...NAMESPACE_PKGS,
      ...ZIPDATA,
      ...TARFILE('Lib/test', false),
      ['Lib/test/zip_cp437_header.zip', 'CPython', 2, 'TEST_OF', ''],
      ['Lib/test/zipdir.zip', 'CPython', 1, 'TEST_OF', ''],
      ['Tools/peg_generator/data/xxl.zip', 'CPython', 1, '', ''],
    ],
    vendored: [],
    members: 33,
  },
  [REAL.py3112]: {
    archives: [
      ...IMPORTLIB_38,
      ['Lib/test/test_importlib/data/example2-1.0.0-py3-none-any.whl', 'example2 1.0.0', 5, 'TEST_OF', 'NOASSERTION'],
      ...NAMESPACE_PKGS,
      ...ZIPDATA,
      ...TARFILE('Lib/test', true),
      ['Lib/test/zip_cp437_header.zip', 'CPython', 2, 'TEST_OF', ''],
      ['Lib/test/zipdir.zip', 'CPython', 1, 'TEST_OF', ''],
      ['Tools/peg_generator/data/xxl.zip', 'CPython', 1, '', ''],
    ],
    vendored: [],
    members: 39,
  },
  [REAL.py3135]: { archives: ARCHIVES_313, vendored: VENDORED_79, members: 554 },
  [REAL.py31315]: { archives: ARCHIVES_313, vendored: VENDORED_79, members: 554 },
  [REAL.py3144]: { archives: ARCHIVES_313, vendored: VENDORED_79, members: 554 },
};

const ARCHIVE = /\.(?:zip|whl|egg|tar|tar\.xz)$/;

for (const [tarball, expected] of Object.entries(EXPECTED)) {
  describe.skipIf(!hasReal(tarball))(`the archives of ${tarball}`, () => {
    it('are each described, their members hashed, test-only content marked, vendored projects with their licenses', async () => {
      const { document, findings } = await buildSbom(realPath(tarball) as string, { created: '2024-01-01T00:00:00Z', profile: 'complete' });
      expect(findings).toEqual([]);
      const owner = new Map<string, Package>();
      for (const pkg of document.packages) for (const path of pkg.files) owner.set(path, pkg);
      const archives = document.files.filter((file) => ARCHIVE.test(file.path) && !file.path.startsWith('Lib/ensurepip/')).map((file) => file.path);
      const isMemberOf = (path: string, archive: string) =>
        path.startsWith(`${archive}/`) && !archives.some((other) => other !== archive && other.startsWith(`${archive}/`) && path.startsWith(`${other}/`));
      const rows = archives.map((path): Row => {
        const pkg = owner.get(path) as Package;
        const packaged = pkg.ref !== 'cpython';
        const relationship = document.relationships.find((r) => r.from === (packaged ? pkg.ref : `file:${path}`) && r.type.startsWith('TEST_'))?.type ?? '';
        return [
          path,
          packaged ? `${pkg.name} ${pkg.version}` : 'CPython',
          document.files.filter((file) => isMemberOf(file.path, path)).length,
          relationship,
          packaged ? (pkg.licenseDeclared ?? '') : '',
        ];
      });
      expect(rows).toEqual([...expected.archives].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
      expect(document.files.filter((file) => archives.some((archive) => file.path.startsWith(`${archive}/`))).length).toBe(expected.members);

      // Every test-only package says so in CycloneDX terms too, and has a version.
      for (const pkg of document.packages.filter((p) => p.ref.startsWith('archive:'))) {
        expect(pkg.scope, pkg.ref).toBe('excluded');
        expect(pkg.version, pkg.ref).not.toBe('');
      }
      const vendored = document.packages
        .filter((p) => p.ref.startsWith(`archive:${SETUPTOOLS_79}/`) && p.purpose !== 'ARCHIVE')
        .map((p) => `${p.name} ${p.version} ${p.licenseDeclared}`);
      expect(vendored).toEqual(expected.vendored);
      if (expected.vendored.length > 0) {
        const wheel = document.packages.find((p) => p.ref === `archive:${SETUPTOOLS_79}`);
        expect([wheel?.purl, wheel?.cpe]).toEqual(['pkg:pypi/setuptools@79.0.1', 'cpe:2.3:a:python:setuptools:79.0.1:*:*:*:*:*:*:*']);
        expect(document.packages.find((p) => p.ref === `archive:${SETUPTOOLS_79}/wheel`)?.cpe).toBe('cpe:2.3:a:wheel_project:wheel:0.45.1:*:*:*:*:*:*:*');
        // wheel vendors its own packaging: that one is wheel's dependency, the rest setuptools'.
        expect(document.packages.find((p) => p.ref === `archive:${SETUPTOOLS_79}/wheel`)?.dependsOn).toEqual([`archive:${SETUPTOOLS_79}/packaging@24.0`]);
        expect(wheel?.dependsOn).toHaveLength(16);
      }
    }, 120_000);
  });
}
