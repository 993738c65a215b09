import { describe, expect, it } from 'vitest';
import { buildSbom } from '../../src/generate/build.js';
import { LICENSE_TEXTS_LIST_VERSION } from '../../src/license/list-version.js';
import type { SbomDocument } from '../../src/model/types.js';
import { REAL, hasReal, realPath } from '../support/real.js';

const SETUPTOOLS_79 = 'Lib/test/wheeldata/setuptools-79.0.1-py3-none-any.whl';

/** ref -> declared license, as the complete profile establishes them on the real release tarballs. */
const COMMON_C = { libb2: 'CC0-1.0', macholib: 'MIT OR PSF-2.0', mpdecimal: 'BSD-2-Clause' };

const EXPECTED: Record<string, Record<string, string>> = {
  [REAL.py3112]: {
    ...COMMON_C,
    cpython: 'PSF-2.0',
    expat: 'MIT',
    libffi_osx: 'MIT',
    tiny_sha3: 'MIT',
    pip: 'MIT',
    setuptools: 'MIT',
    'pip/cachecontrol': 'Apache-2.0',
    'pip/certifi': 'MPL-2.0',
    'pip/chardet': 'LGPL-2.1-or-later',
    'pip/six': 'MIT',
    'pip/packaging': 'Apache-2.0 OR BSD-2-Clause',
    'setuptools/zipp': 'MIT',
  },
  [REAL.py3135]: { ...COMMON_C, cpython: 'PSF-2.0', expat: 'MIT', 'hacl-star': 'MIT', pip: 'MIT', 'pip/resolvelib': 'ISC', 'pip/typing_extensions': 'PSF-2.0' },
  [REAL.py31315]: {
    ...COMMON_C,
    cpython: 'PSF-2.0',
    expat: 'MIT',
    'hacl-star': 'MIT',
    pip: 'MIT',
    // From the license files pip 26 ships for each project it vendors.
    'pip/requests': 'Apache-2.0',
    'pip/idna': 'BSD-3-Clause',
    'pip/resolvelib': 'ISC',
    'pip/packaging': 'Apache-2.0 OR BSD-2-Clause',
    'pip/pygments': 'BSD-2-Clause',
    'pip/urllib3': 'MIT',
    'pip/distlib': 'Python-2.0.1',
    // The setuptools wheel the tests install (Lib/test/wheeldata), and what it vendors: one LGPL project.
    [`archive:${SETUPTOOLS_79}`]: 'MIT',
    [`archive:${SETUPTOOLS_79}/autocommand`]: 'LGPL-3.0-only',
    [`archive:${SETUPTOOLS_79}/wheel`]: 'MIT',
    [`archive:${SETUPTOOLS_79}/importlib-metadata`]: 'Apache-2.0',
    [`archive:${SETUPTOOLS_79}/packaging@24.0`]: 'Apache-2.0 OR BSD-2-Clause',
  },
};

/**
 * First word of the names of the packages whose tree states no license we can identify; the test
 * fixture projects importlib.metadata's tests (example, example2) and setuptools' own tests
 * (my-test-package) carry say "License: UNKNOWN" or nothing.
 */
const FIXTURES_311 = ['example', 'example', 'example2'];
const FIXTURES_313 = [...FIXTURES_311, 'my-test-package', 'my-test-package'];
const UNSTATED: Record<string, string[]> = {
  // (audioop.c's g711 notice is now the catalog's LicenseRef-audioop, with the notice as its text.)
  [REAL.py3112]: [...FIXTURES_311, 'General', 'JIS', 'Unicode'],
  [REAL.py3135]: [...FIXTURES_313, 'General', 'JIS', 'Unicode'],
  [REAL.py31315]: [...FIXTURES_313, 'General', 'JIS'],
};

describe.each(Object.keys(EXPECTED))('complete profile on the real %s', (name) => {
  it.skipIf(!hasReal(name))(
    'declares a license with evidence for every package, checks every wheel member against RECORD, identifies every package',
    async () => {
      const { document, findings, warnings } = await buildSbom(realPath(name) as string, { created: '2024-01-01T00:00:00Z' });
      expect(findings).toEqual([]);
      // Only the items whose tree states no license the SPDX list knows stay NOASSERTION, each with
      // its warning: IBM's decimal test cases (copyright only, offered as-is), the JIS X 0213 table
      // (its own free-use notice), and the Unicode Character Database where the tree's
      // Doc/license.rst does not yet carry its license (before 3.13.15).
      const unstated = UNSTATED[name] as string[];
      expect(warnings.filter((w) => /no license could be established/.test(w)).map((w) => w.split(' ')[0])).toEqual(unstated);
      const byRef = new Map(document.packages.map((p) => [p.ref, p]));
      for (const [ref, license] of Object.entries(EXPECTED[name] as Record<string, string>)) expect(byRef.get(ref)?.licenseDeclared, ref).toBe(license);
      for (const pkg of document.packages) {
        if (unstated.includes(pkg.name.split(' ')[0] as string)) {
          expect(pkg.licenseDeclared ?? 'NOASSERTION', pkg.ref).toBe('NOASSERTION');
          continue;
        }
        expect(pkg.licenseDeclared, pkg.ref).not.toBe('NOASSERTION');
        expect(pkg.evidence?.licenses.length, pkg.ref).toBeGreaterThan(0);
        expect(pkg.purl, pkg.ref).toMatch(/^pkg:(pypi|github|generic)\//);
        // A conclusion is a reviewer's: CPython's files hold other licenses than the PSF-2.0 it declares.
        expect(pkg.licenseConcluded, pkg.ref).toBe('NOASSERTION');
        // Every wheel project owns real files now: no verification code of nothing.
        if (pkg.ref.startsWith('pip')) expect(pkg.files.length, pkg.ref).toBeGreaterThan(0);
      }
      for (const snippet of document.snippets ?? []) expect(snippet.purl, snippet.ref).toMatch(/^pkg:(github|generic)\//);
      expectMembersOwnedOnce(document);
      expect(document.manufacturer?.securityContact?.email).toBe('security@python.org');
      // Its ids come from the texts of a newer license list than python.org's 3.22, and it says so.
      expect(document.licenseListVersion).toBe(LICENSE_TEXTS_LIST_VERSION);
    },
  );
});

function expectMembersOwnedOnce(document: SbomDocument): void {
  const members = document.files.filter((f) => f.path.includes('.whl/'));
  expect(members.length).toBeGreaterThan(150);
  const owners = new Map<string, number>();
  for (const pkg of document.packages) for (const path of pkg.files) owners.set(path, (owners.get(path) ?? 0) + 1);
  for (const member of members) expect(owners.get(member.path), member.path).toBe(1);
}

describe('the python.org profile keeps python.org’s facts', () => {
  it.skipIf(!hasReal(REAL.py3112))('3.11.2: no purls the complete profile adds, no declared licenses, no wheel members', async () => {
    const { document } = await buildSbom(realPath(REAL.py3112) as string, { created: '2024-01-01T00:00:00Z', profile: 'python.org' });
    const byRef = new Map(document.packages.map((p) => [p.ref, p]));
    for (const ref of ['expat', 'libb2', 'mpdecimal', 'cpython']) expect(byRef.get(ref)?.purl, ref).toBeUndefined();
    expect(document.packages.filter((p) => p.licenseDeclared !== undefined)).toEqual([]);
    expect(document.files.filter((f) => f.path.includes('.whl/'))).toEqual([]);
  });
});
