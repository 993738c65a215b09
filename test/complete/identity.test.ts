import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog, readVersion } from '../../src/catalog/catalog.js';
import { shortName } from '../../src/complete/identity.js';
import { foldVersionlessPackages } from '../../src/complete/versionless.js';
import { buildSbom } from '../../src/generate/build.js';
import { genericPurl, parsePurl, purlFromTemplate, purlType, pypiPurl, pythonOrgPypiPurl } from '../../src/model/purl.js';
import type { Package, SbomDocument } from '../../src/model/types.js';
import { makeTree } from '../detect/helpers.js';
import { REPO } from '../support/cli.js';
import { REAL, hasReal, realPath } from '../support/real.js';

/** CPE 2.3 formatted string (NISTIR 7695 §6.2): 13 parts, each `*`, `-` or a value with its specials escaped. */
const CPE23 = /^cpe:2\.3:[aho](?::(?:\*|-|(?:[A-Za-z0-9._~-]|\\[^A-Za-z0-9])+|\{version_?\})){10}$/;

describe('purls, built and read through packageurl-js', () => {
  it('normalise PyPI names where the spec says so, and keep python.org spelling where python.org writes it', () => {
    expect(pypiPurl('Typing_Extensions', '4.13.2')).toBe('pkg:pypi/typing-extensions@4.13.2');
    expect(pythonOrgPypiPurl('typing_extensions', '4.13.2')).toBe('pkg:pypi/typing_extensions@4.13.2');
    expect(
      genericPurl(
        'cpython',
        '3.13.15',
        { download_url: 'https://www.python.org/ftp/python/3.13.15/Python-3.13.15.tar.xz' },
        'Lib/test/archivetestdata/testtar.tar',
      ),
    ).toBe(
      'pkg:generic/cpython@3.13.15?download_url=https%3A%2F%2Fwww.python.org%2Fftp%2Fpython%2F3.13.15%2FPython-3.13.15.tar.xz#Lib/test/archivetestdata/testtar.tar',
    );
    expect(genericPurl('dtoa')).toBe('pkg:generic/dtoa');
  });

  it('fill catalog templates in the version and qualifiers, and encode the result', () => {
    expect(purlFromTemplate('pkg:github/libexpat/libexpat@R_{version_}', '2.7.1')).toBe('pkg:github/libexpat/libexpat@R_2_7_1');
    expect(purlFromTemplate('pkg:github/XKCP/XKCP@{version}', 'abc')).toBe('pkg:github/xkcp/xkcp@abc');
    expect(purlFromTemplate('pkg:github/majek/csiphash', '')).toBe('pkg:github/majek/csiphash');
    expect(purlFromTemplate('pkg:generic/x@{version}?download_url=https://h/x-{version}.tgz', '1.0')).toBe(
      'pkg:generic/x@1.0?download_url=https%3A%2F%2Fh%2Fx-1.0.tgz',
    );
    expect(() => purlFromTemplate('not a purl', '1')).toThrow(/not a purl/);
  });

  it('parse what they read, and refuse what is not a purl', () => {
    expect(purlType('pkg:pypi/pip@26.2.1')).toBe('pypi');
    expect(parsePurl('pkg:generic/cpython@3.13.15#Lib/x.zip')).toEqual({ type: 'generic', name: 'cpython', version: '3.13.15', subpath: 'Lib/x.zip' });
    expect(parsePurl('pip@26')).toBeUndefined();
    expect(purlType(undefined)).toBeUndefined();
  });

  it('are never assembled from strings anywhere in src/ but src/model/purl.ts', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith('.ts') && !path.endsWith(join('model', 'purl.ts'))) {
          readFileSync(path, 'utf8')
            .split('\n')
            .forEach((line, index) => {
              // Comments may show purls; code may not write one: no `pkg:` in a string or template literal.
              if (/^\s*(?:\*|\/\/|\/\*)/.test(line)) return;
              if (/['"`]pkg:|pkg:\$\{/.test(line)) offenders.push(`${relative(REPO, path)}:${index + 1}: ${line.trim()}`);
            });
        }
      }
    };
    walk(join(REPO, 'src'));
    expect(offenders).toEqual([]);
  });

  it("give generic purls the component's short name, not a slug of its display name", () => {
    expect(shortName('dtoa', 'dtoa (David M. Gay)')).toBe('dtoa');
    expect(shortName('cpython', 'CPython')).toBe('cpython');
    expect(shortName('libffi_osx', 'libffi')).toBe('libffi');
    expect(shortName('snippet:x', 'Mersenne Twister')).toBe('mersenne-twister');
  });
});

describe('versions the tree states in prose', () => {
  it('read dates as ISO dates, and refuse what is not one', () => {
    const dtoa = { file: 'f', regex: 'on ([A-Z][a-z]+) (\\d{1,2}), (\\d{4})', format: '{3}-{1:month}-{2:02}' };
    expect(readVersion(dtoa, 'downloaded on April 15, 2009 and')).toBe('2009-04-15');
    expect(readVersion(dtoa, 'downloaded on Brumaire 15, 2009')).toBeUndefined();
    expect(readVersion({ file: 'f', regex: 'Date: (\\d+) (\\w{3}) (\\d{4})', format: '{3}-{2:month}-{1:02}' }, '## Date: 7 Jul 2004 13:09')).toBe('2004-07-07');
    expect(readVersion({ file: 'f', regex: 'v(\\d+)\\.(\\d+)', format: '{1}.{2}' }, 'v2.5')).toBe('2.5');
  });
});

describe('code the tree gives no version', () => {
  function documentWith(pkg: Package): SbomDocument {
    const cpython: Package = { ref: 'cpython', name: 'CPython', version: '3.13.0', checksums: {}, files: ['Lib/os.py'], dependsOn: [pkg.ref] };
    return {
      name: 'x',
      namespace: 'https://example.org/x',
      created: '2024-01-01T00:00:00Z',
      creators: [],
      dataLicense: 'CC0-1.0',
      describes: ['cpython'],
      packages: [cpython, pkg],
      files: ['Lib/os.py', 'Modules/getaddrinfo.c', 'Modules/addrinfo.txt'].map((path) => ({ path, checksums: {} })),
      relationships: [{ from: pkg.ref, type: 'OTHER', to: 'cpython' }],
      annotations: [],
    };
  }

  it('is described as files of CPython, each naming it; a file keeps what the licenses step found in it', () => {
    const wide: Package = {
      ref: 'wide-getaddrinfo',
      name: 'getaddrinfo (WIDE Project)',
      version: '',
      checksums: {},
      files: ['Modules/addrinfo.txt', 'Modules/getaddrinfo.c'],
      dependsOn: [],
      comment: 'From the WIDE Project\'s getaddrinfo; Doc/license.rst section "Sockets"',
      licenseDeclared: 'BSD-3-Clause',
      evidence: {
        licenses: [
          { expression: 'BSD-3-Clause', file: 'Doc/license.rst', method: 'license-rst' },
          { expression: 'BSD-3-Clause', file: 'Modules/getaddrinfo.c', method: 'header', confidence: 0.95 },
        ],
        copyrights: [{ text: 'Copyright (C) 1995 WIDE Project.', file: 'Modules/getaddrinfo.c' }],
        occurrences: [],
      },
    };
    const document = documentWith(wide);
    const warnings = ['getaddrinfo (WIDE Project): the tree records no version for it; listed without one'];
    const folded = foldVersionlessPackages(document, warnings);
    expect(folded).toEqual([{ ref: 'wide-getaddrinfo', name: 'getaddrinfo (WIDE Project)', files: 2, license: 'BSD-3-Clause' }]);
    expect(document.packages.map((pkg) => pkg.ref)).toEqual(['cpython']);
    expect(document.packages[0]?.files).toEqual(['Lib/os.py', 'Modules/addrinfo.txt', 'Modules/getaddrinfo.c']);
    expect(document.packages[0]?.dependsOn).toEqual([]);
    expect(document.relationships).toEqual([]);
    const byPath = new Map(document.files.map((file) => [file.path, file]));
    expect(byPath.get('Modules/getaddrinfo.c')).toMatchObject({
      licenseInfoInFiles: ['BSD-3-Clause'],
      copyrightText: 'Copyright (C) 1995 WIDE Project.',
      comment: expect.stringMatching(/^Contains code from the WIDE Project's getaddrinfo, under BSD-3-Clause: third-party code the tree gives no version/),
    });
    // Doc/license.rst's word is not the file's own: no licenseInfoInFiles where the file states none.
    expect(byPath.get('Modules/addrinfo.txt')?.licenseInfoInFiles).toBeUndefined();
    expect(byPath.get('Lib/os.py')?.comment).toBeUndefined();
    expect(warnings).toEqual([
      "getaddrinfo (WIDE Project): the tree records no version for it; its 2 files are described as CPython's, each with a comment naming it",
    ]);
  });

  it('leaves versioned packages, and packages without files, alone', () => {
    const document = documentWith({ ref: 'x', name: 'x', version: '1.0', checksums: {}, files: ['Modules/getaddrinfo.c'], dependsOn: [] });
    expect(foldVersionlessPackages(document, [])).toEqual([]);
    const empty = documentWith({ ref: 'y', name: 'y', version: '', checksums: {}, files: [], dependsOn: [] });
    expect(foldVersionlessPackages(empty, [])).toEqual([]);
    expect(empty.packages).toHaveLength(2);
  });

  it('gives every package of a complete document a version on a synthetic tree', async () => {
    const tree = makeTree(
      {
        'Modules/getaddrinfo.c': '/*\n * Copyright (C) 1995, 1996, 1997, and 1998 WIDE Project.\n * All rights reserved.\n */\n',
        'Modules/getnameinfo.c': '/* WIDE */\n',
        'Python/dtoa.c': '/* This is dtoa.c by David M. Gay, downloaded from\n * http://www.netlib.org/fp/dtoa.c on April 15, 2009 and modified for\n */\n',
      },
      '3.13.0',
    );
    const { document } = await buildSbom(tree, { created: '2024-01-01T00:00:00Z', profile: 'complete' });
    expect(document.packages.filter((pkg) => !pkg.version)).toEqual([]);
    const dtoa = document.packages.find((pkg) => pkg.ref === 'dtoa');
    expect([dtoa?.version, dtoa?.purl]).toEqual(['2009-04-15', 'pkg:generic/dtoa@2009-04-15?download_url=https%3A%2F%2Fwww.netlib.org%2Ffp%2Fdtoa.c']);
    expect(document.packages[0]?.files).toEqual(expect.arrayContaining(['Modules/getaddrinfo.c', 'Modules/getnameinfo.c']));
  });
});

describe('the CPEs of the catalog', () => {
  const catalog = loadCatalog();

  it('are CPE 2.3 strings, each with the source NVD uses it in (or who declares it, when NVD does not)', () => {
    const cpes: [string, string, string | undefined][] = [
      ...catalog.components.filter((c) => c.cpe).map((c): [string, string, string | undefined] => [c.name, c.cpe as string, c.cpeSource]),
      ...Object.entries(catalog.externals?.libraries ?? {})
        .filter(([, l]) => l.cpe)
        .map(([name, l]): [string, string, string | undefined] => [`externals/${name}`, l.cpe as string, l.cpeSource]),
      ...(catalog.attribution ?? []).filter((a) => a.cpe).map((a): [string, string, string | undefined] => [a.key, a.cpe as string, a.cpeSource]),
      ...Object.entries(catalog.projectCpes ?? {}).map(([name, p]): [string, string, string | undefined] => [name, p.cpe, p.source]),
    ];
    expect(cpes.length).toBeGreaterThan(20);
    for (const [name, cpe, source] of cpes) {
      expect(cpe, name).toMatch(CPE23);
      expect(source, name).toMatch(/NVD|Misc\/(?:sbom|externals)\.spdx\.json/);
    }
    // A CPE NVD does not use is marked, and says who declares it.
    for (const component of catalog.components.filter((c) => c.cpeInNvd === false))
      expect(component.cpeSource, component.name).toMatch(/Misc\/sbom\.spdx\.json/);
    expect(catalog.projectCpes?.idna?.cpe).toBe('cpe:2.3:a:kjd:internationalized_domain_names_in_applications:{version}:*:*:*:*:*:*:*');
  });
});

describe.skipIf(!hasReal(REAL.py392))('identity on the real Python-3.9.2.tar.xz', () => {
  it("calls 3.9's macOS libffi the 2.00 development snapshot its README says, and finds retrying's and toml's licenses", async () => {
    const { document } = await buildSbom(realPath(REAL.py392) as string, { created: '2024-01-01T00:00:00Z', profile: 'complete' });
    const byName = (name: string) => document.packages.find((pkg) => pkg.name === name);
    const libffi = byName('libffi');
    expect([libffi?.version, libffi?.purl, libffi?.cpe]).toEqual([
      '2.00-snapshot',
      'pkg:generic/libffi@2.00-snapshot',
      'cpe:2.3:a:libffi_project:libffi:2.00-snapshot:*:*:*:*:*:*:*',
    ]);
    expect(libffi?.sourceInfo).toContain('the python.org profile keeps 1.20');
    expect([byName('retrying')?.licenseDeclared, byName('toml')?.licenseDeclared]).toEqual(['Apache-2.0', 'MIT']);
    // retrying.py's header says "Licensed under the Apache License, Version 2.0": a standard short reference the file scan reads.
    expect(byName('retrying')?.licenseComments).toMatch(/Apache-2\.0 from .*pip\/_vendor\/retrying\.py \(file header/);
    expect(byName('idna')?.cpe).toBe('cpe:2.3:a:kjd:internationalized_domain_names_in_applications:2.10:*:*:*:*:*:*:*');
    expect(byName('html5lib')?.cpe).toBe('cpe:2.3:a:html5lib:html5lib:1.1:*:*:*:*:*:*:*');
    // No versionless package: 3.9's Keccak Code Package and libb2 copy are files of CPython.
    expect(document.packages.filter((pkg) => !pkg.version).map((pkg) => pkg.name)).toEqual([]);
    expect(document.packages[0]?.files).toEqual(expect.arrayContaining(['Modules/_sha3/kcp/KeccakHash.h', 'Modules/_blake2/impl/blake2.h']));
    for (const pkg of document.packages) if (pkg.cpe) expect(pkg.cpe, pkg.name).toMatch(CPE23);
  }, 60_000);
});
