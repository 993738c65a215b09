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
  /** CPython files that absorbed third-party code -> their licenseInfoInFiles (the catalog's, else what their texts state; [] when nothing could be established). */
  absorbed: Record<string, string[]>;
  /** Packages other detectors find that receive their license.rst section. */
  sectionsOnComponents: string[];
  /** Packages for which the tree has no text stating the license (the licenses step will warn). */
  noLicenseText: string[];
}

const COMMON_PACKAGES: Expected['packages'] = {
  c14n: ['W3C C14N 2.0 test suite', '', 56, ['Lib/test/xmltestdata/c14n-20/']],
  'decimal-testcases': ['General Decimal Arithmetic test cases', '2.59', 143, ['Lib/test/decimaltestdata/']],
  dtoa: ['dtoa (David M. Gay)', '', 1, ['Python/dtoa.c']],
  'dynamic-annotations': ['dynamic annotations (Google)', '', 2, ['Python/dynamic_annotations.c', 'Include/dynamic_annotations.h']],
  'jisx0213-mapping': ['JIS X 0213:2004 mapping table (x0213.org)', '', 1, ['Tools/unicode/python-mappings/jisx0213-2004-std.txt']],
  'wide-getaddrinfo': ['getaddrinfo and getnameinfo (WIDE Project)', '', 2, ['Modules/getaddrinfo.c', 'Modules/getnameinfo.c']],
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
const ABSORBED_313: Expected['absorbed'] = {
  ...TOMLI,
  'Lib/asyncio/constants.py': ['MIT'],
  'Lib/asyncio/events.py': ['MIT'],
  'Lib/asyncio/sslproto.py': ['MIT'],
  'Lib/encodings/uu_codec.py': ['HPND'],
  'Lib/http/cookies.py': ['HPND'],
  'Lib/test/support/asynchat.py': ['HPND'],
  'Lib/test/support/asyncore.py': ['HPND'],
  'Lib/test/test_asyncio/test_ssl.py': ['MIT'],
  'Lib/test/test_epoll.py': ['MIT'],
  'Lib/trace.py': ['HPND-SMC'],
  'Lib/xmlrpc/client.py': ['MIT-CMU'],
  'Python/hashtable.c': ['BSD-3-Clause'],
  'Python/qsbr.c': ['BSD-2-Clause'],
};

const EXPECTED: Record<string, Expected> = {
  [REAL.py3112]: {
    packages: {
      ...COMMON_PACKAGES,
      dlcompat: ['dlcompat', '', 5, ['Modules/_ctypes/darwin/']],
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
      'Lib/trace.py': ['HPND-SMC'],
      'Lib/uu.py': ['HPND'],
      'Lib/xmlrpc/client.py': ['MIT-CMU'],
      'Modules/audioop.c': [],
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
        document.files.filter((file) => file.comment?.startsWith('Contains code from')).map((file) => [file.path, file.licenseInfoInFiles ?? []]),
      );
      expect(absorbed).toEqual(expected.absorbed);
      for (const [path, licenses] of Object.entries(expected.absorbed)) {
        // Absorbed code stays CPython's; without a recorded license, its texts go to the licenses step.
        expect(cpython?.files).toContain(path);
        if (licenses.length === 0) expect(licenseSources.get(`file:${path}`)?.map((s) => s.method)).toEqual(['license-rst', 'header']);
      }

      for (const ref of expected.sectionsOnComponents) {
        expect(licenseSources.get(ref)?.some((s) => s.method === 'license-rst' && s.file === 'Doc/license.rst'), ref).toBe(true);
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
      expect(licenseSources.get(ref)?.map((source) => `${source.method} ${source.file}`), ref).toEqual(['license-rst Doc/license.rst']);
    }
    expect(licenseSources.get('externals/openssl')?.[0]?.text).toMatch(/Apache License/);
    expect(warnings.filter((w) => w.startsWith('Doc/license.rst'))).toEqual([]);
  });
});
