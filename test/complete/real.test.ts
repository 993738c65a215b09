import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { buildSbom } from '../../src/generate/build.js';
import { REAL, hasReal, realPath } from '../support/real.js';

/**
 * The complete profile's attribution on real releases, written out: which third-party code each
 * tree's Doc/license.rst names (or the catalog knows from the tree), and what it became.
 */
interface Expected {
  /** ref -> [name, version, number of files, occurrences]. */
  packages: Record<string, [string, string, number, string[]]>;
  /** snippet ref -> [file, first line, last line, first byte, last byte]. */
  snippets: Record<string, [string, number, number, number, number]>;
  /**
   * CPython files that absorbed third-party code, as Doc/license.rst or the file's catalog marker
   * says -> their licenseInfoInFiles (what the file states, else the catalog's). Code only the
   * file's own notice shows is in test/complete/real-file-evidence.test.ts.
   */
  absorbed: Record<string, string[]>;
  /** Packages other detectors find that receive their license.rst section. */
  sectionsOnComponents: string[];
  /** Packages for which the tree has no text stating the license (the licenses step will warn). */
  noLicenseText: string[];
}

/**
 * Every package has a version the tree states; the dated ones take the date (dtoa: the day its copy
 * was downloaded from netlib; the JIS table: its header's date). Code the tree gives no version at
 * all is described as files of CPython (FOLDED), not as a versionless package.
 */
const COMMON_PACKAGES: Expected['packages'] = {
  // IBM's cases; extra.decTest is CPython's own.
  'decimal-testcases': ['General Decimal Arithmetic test cases', '2.59', 142, ['Lib/test/decimaltestdata/']],
  dtoa: ['dtoa (David M. Gay)', '2009-04-15', 1, ['Python/dtoa.c']],
  // With CPython's diff of the table, which carries the table's header.
  'jisx0213-mapping': [
    'JIS X 0213:2004 mapping table (x0213.org)',
    '2004-07-07',
    2,
    ['Tools/unicode/python-mappings/jisx0213-2004-std.txt', 'Tools/unicode/python-mappings/diff/jisx0213-2004-std.txt.diff'],
  ],
};
/** Versionless code described as CPython's files: a file of each -> its licenseInfoInFiles (what the file states). */
const FOLDED: Record<string, [number, Record<string, string[] | undefined>]> = {
  'Lib/test/xmltestdata/c14n-20/': [56, { 'Lib/test/xmltestdata/c14n-20/README': ['BSD-3-Clause'], 'Lib/test/xmltestdata/c14n-20/c14nComment.xml': undefined }],
  'Modules/get': [2, { 'Modules/getaddrinfo.c': ['BSD-3-Clause'], 'Modules/getnameinfo.c': ['BSD-3-Clause'] }],
  // addrinfo.h states WIDE's notice as its .c files do.
  'Modules/addrinfo.h': [1, { 'Modules/addrinfo.h': ['BSD-3-Clause'] }],
  // The installer's bootstrapper (MS-RL, with its own LICENSE.txt), which states no version.
  'Tools/msi/bundle/bootstrap/': [9, { 'Tools/msi/bundle/bootstrap/LICENSE.txt': ['MS-RL'], 'Tools/msi/bundle/bootstrap/pythonba.cpp': ['MS-RL'] }],
  'Python/dynamic_annotations.c': [1, { 'Python/dynamic_annotations.c': ['BSD-Source-Code'] }],
  'Include/dynamic_annotations.h': [1, { 'Include/dynamic_annotations.h': ['BSD-Source-Code'] }],
};
const UCD = ['Modules/unicodedata_db.h', 'Modules/unicodename_db.h', 'Objects/unicodetype_db.h'];
const MIMALLOC: [string, string, number, string[]] = ['mimalloc', '2.1.2', 35, ['Objects/mimalloc/', 'Include/internal/mimalloc/']];
const TOMLI: Expected['absorbed'] = Object.fromEntries(
  [
    'Lib/test/test_tomllib/__init__.py',
    'Lib/test/test_tomllib/burntsushi.py',
    'Lib/test/test_tomllib/test_data.py',
    'Lib/test/test_tomllib/test_error.py',
    'Lib/test/test_tomllib/test_misc.py',
    'Lib/tomllib/__init__.py',
    'Lib/tomllib/_parser.py',
    'Lib/tomllib/_re.py',
    'Lib/tomllib/_types.py',
  ].map((path) => [path, ['MIT']]),
);
/** uvloop's files tag themselves; the SBOM says what the tags say. */
const UVLOOP_TAG = ['PSF-2.0 AND (MIT OR Apache-2.0)'];
/** trace.py: HPND-SMC by its text, and "offered to the public under the terms of the Python 2.2 license". */
const TRACE = ['HPND-SMC', 'PSF-2.0'];
const ABSORBED_313: Expected['absorbed'] = {
  ...TOMLI,
  'Lib/asyncio/constants.py': UVLOOP_TAG,
  'Lib/asyncio/events.py': UVLOOP_TAG,
  'Lib/asyncio/sslproto.py': UVLOOP_TAG,
  'Lib/encodings/uu_codec.py': ['HPND'],
  'Lib/http/cookies.py': ['HPND'],
  'Lib/test/support/asynchat.py': ['HPND'],
  'Lib/test/support/asyncore.py': ['HPND'],
  'Lib/test/test_asyncio/test_ssl.py': UVLOOP_TAG,
  'Lib/test/test_epoll.py': ['MIT'],
  'Lib/trace.py': TRACE,
  'Lib/xmlrpc/client.py': ['MIT-CMU'],
  'Python/hashtable.c': ['BSD-3-Clause'],
  'Python/qsbr.c': ['BSD-2-Clause'],
};

const EXPECTED: Record<string, Expected> = {
  [REAL.py3112]: {
    packages: {
      ...COMMON_PACKAGES,
      dlcompat: ['dlcompat', '2003-01', 5, ['Modules/_ctypes/darwin/']],
      'unicode-database': ['Unicode Character Database', '14.0.0', 3, UCD],
    },
    snippets: {
      'snippet:mersenne-twister': ['Modules/_randommodule.c', 3, 232, 23, 7712],
      'snippet:kqueue': ['Modules/selectmodule.c', 1696, 2264, 44794, 61285],
      'snippet:siphash': ['Python/pyhash.c', 295, 474, 8931, 14668],
    },
    absorbed: {
      ...TOMLI,
      'Lib/asynchat.py': ['HPND'],
      'Lib/asyncore.py': ['HPND'],
      'Lib/encodings/uu_codec.py': ['HPND'],
      'Lib/http/cookies.py': ['HPND'],
      'Lib/test/test_epoll.py': ['MIT'],
      'Lib/trace.py': TRACE,
      'Lib/uu.py': ['HPND'],
      'Lib/xmlrpc/client.py': ['MIT-CMU'],
      // Its notice (free use and copying, unmodified) is on no license list: the catalog's LicenseRef, with the notice as its text.
      'Modules/audioop.c': ['LicenseRef-audioop'],
      'Python/hashtable.c': ['BSD-3-Clause'],
    },
    sectionsOnComponents: ['expat', 'libffi_osx', 'mpdecimal'],
    noLicenseText: ['unicode-database'],
  },
  [REAL.py3135]: {
    packages: { ...COMMON_PACKAGES, mimalloc: MIMALLOC, 'unicode-database': ['Unicode Character Database', '15.1.0', 3, UCD] },
    snippets: {
      'snippet:mersenne-twister': ['Modules/_randommodule.c', 3, 243, 23, 8062],
      'snippet:kqueue': ['Modules/selectmodule.c', 1728, 2423, 45635, 66265],
      'snippet:siphash': ['Python/pyhash.c', 286, 465, 8729, 14466],
    },
    absorbed: ABSORBED_313,
    sectionsOnComponents: ['expat', 'mpdecimal'],
    noLicenseText: ['unicode-database'],
  },
  [REAL.py31315]: {
    packages: { ...COMMON_PACKAGES, mimalloc: MIMALLOC, 'unicode-database': ['Unicode Character Database', '15.1.0', 3, UCD] },
    snippets: {
      'snippet:mersenne-twister': ['Modules/_randommodule.c', 3, 243, 23, 8062],
      'snippet:kqueue': ['Modules/selectmodule.c', 1729, 2424, 45635, 66265],
      'snippet:siphash': ['Python/pyhash.c', 286, 465, 8729, 14466],
    },
    absorbed: ABSORBED_313,
    sectionsOnComponents: ['expat', 'mpdecimal'],
    // 3.13.15's license.rst added the Unicode Character Database section.
    noLicenseText: [],
  },
};

const attributionKeys = new Set((loadCatalog().attribution ?? []).filter((item) => item.kind === 'package').map((item) => item.key));

for (const [tarball, expected] of Object.entries(EXPECTED)) {
  describe.skipIf(!hasReal(tarball))(`complete profile attribution of ${tarball}`, () => {
    it('attributes every item of Doc/license.rst with code in the tree, and the vendored code it does not name', async () => {
      const result = await buildSbom(realPath(tarball) as string, { created: '2024-01-01T00:00:00Z', profile: 'complete' });
      const { document, licenseSources, warnings } = result;
      const cpython = document.packages[0];

      const attributed = Object.fromEntries(
        document.packages
          .filter((pkg) => attributionKeys.has(pkg.ref))
          .map((pkg) => [pkg.ref, [pkg.name, pkg.version, pkg.files.length, (pkg.evidence?.occurrences ?? []).map((o) => o.path)]]),
      );
      expect(attributed).toEqual(expected.packages);
      // Their files are theirs alone, and CPython depends on them.
      for (const ref of Object.keys(expected.packages)) {
        const pkg = document.packages.find((candidate) => candidate.ref === ref);
        expect(pkg?.files.some((path) => cpython?.files.includes(path))).toBe(false);
        expect(cpython?.dependsOn).toContain(ref);
        expect((licenseSources.get(ref)?.length ?? 0) > 0, ref).toBe(!expected.noLicenseText.includes(ref));
      }
      expect(document.packages.filter((pkg) => !pkg.version).map((pkg) => pkg.name)).toEqual([]);
      const folded = document.files.filter((file) => file.comment?.includes('described as files of CPython'));
      for (const [prefix, [count, licenses]] of Object.entries(FOLDED)) {
        expect(folded.filter((file) => file.path.startsWith(prefix)).length, prefix).toBe(count);
        for (const [path, stated] of Object.entries(licenses)) {
          expect(cpython?.files, path).toContain(path);
          expect(folded.find((file) => file.path === path)?.licenseInfoInFiles, path).toEqual(stated);
        }
      }
      expect(folded.length).toBe(70);

      const snippets = Object.fromEntries(
        (document.snippets ?? []).map((s) => [s.ref, [s.file, s.lineRange[0], s.lineRange[1], s.byteRange[0], s.byteRange[1]]]),
      );
      expect(snippets).toEqual(expected.snippets);
      for (const snippet of document.snippets ?? []) {
        expect(snippet.licenseConcluded).toBe('NOASSERTION');
        expect(snippet.attributionText).toBeTruthy();
        const sources = licenseSources.get(snippet.ref) ?? [];
        expect(sources.map((s) => `${s.method} ${s.file}`)).toEqual(['license-rst Doc/license.rst', `header ${snippet.file}`]);
        // The snippet's text is the code between its byte range, which starts with its notice.
        expect(Buffer.byteLength(sources[1]?.text ?? '', 'utf8')).toBe(snippet.byteRange[1] - snippet.byteRange[0] + 1);
      }
      expect(licenseSources.get('snippet:siphash')?.[0]?.text).toMatch(/^<MIT License>\nCopyright \(c\) 2013 {2}Marek Majkowski/);

      const absorbed = Object.fromEntries(
        document.files
          .filter((file) => file.comment?.startsWith('Contains code from') && /Doc\/license\.rst section|as the file itself says/.test(file.comment))
          .map((file) => [file.path, file.licenseInfoInFiles ?? []]),
      );
      expect(absorbed).toEqual(expected.absorbed);
      for (const [path, licenses] of Object.entries(expected.absorbed)) {
        // Absorbed code stays CPython's; without a recorded license, its texts go to the licenses step.
        expect(cpython?.files).toContain(path);
        if (licenses.length === 0) expect(licenseSources.get(`file:${path}`)?.map((s) => s.method)).toEqual(['license-rst', 'header']);
      }

      for (const ref of expected.sectionsOnComponents) {
        expect(
          licenseSources.get(ref)?.some((s) => s.method === 'license-rst' && s.file === 'Doc/license.rst'),
          ref,
        ).toBe(true);
      }
      // Every section is known to the catalog; OpenSSL, zlib (and libffi in 3.13) are not source code here.
      expect(warnings.filter((w) => w.startsWith('Doc/license.rst'))).toEqual([]);
    });
  });
}

describe.skipIf(!hasReal(REAL.py31315))('complete profile with --externals on Python-3.13.15.tar.xz', () => {
  it("gives the Windows build's OpenSSL, zlib, libffi and mpdecimal their Doc/license.rst sections", async () => {
    const { licenseSources, warnings } = await buildSbom(realPath(REAL.py31315) as string, {
      created: '2024-01-01T00:00:00Z',
      profile: 'complete',
      externals: true,
    });
    for (const ref of ['externals/openssl', 'externals/zlib', 'externals/libffi', 'externals/mpdecimal']) {
      expect(
        licenseSources.get(ref)?.map((source) => `${source.method} ${source.file}`),
        ref,
      ).toEqual(['license-rst Doc/license.rst']);
    }
    expect(licenseSources.get('externals/openssl')?.[0]?.text).toMatch(/Apache License/);
    expect(warnings.filter((w) => w.startsWith('Doc/license.rst'))).toEqual([]);
  });
});
