import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { closestRelease } from '../../src/complete/close-copy.js';
import { parseLicenseRst } from '../../src/complete/license-rst.js';
import { findSnippetRange } from '../../src/complete/snippet-range.js';
import { buildSbom } from '../../src/generate/build.js';
import type { ScannedFile } from '../../src/source/types.js';
import { makeTree } from '../detect/helpers.js';
import { run } from '../support/cli.js';

const MIT = `Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction.`;

function licenseRst(sections: [string, string][]): string {
  const parts = sections.map(([title, body]) => `${title}\n${'-'.repeat(title.length)}\n\n${body}\n`);
  return [
    'History and License',
    '*******************',
    '',
    'Licenses and Acknowledgements for Incorporated Software',
    '=======================================================',
    '',
    'This section is an incomplete, but growing list.',
    '',
    '',
    ...parts,
  ].join('\n');
}

const SIPHASH_SECTION = `The file :file:\`Python/pyhash.c\` contains Marek Majkowski' implementation. It contains the following note::

  <MIT License>
  Copyright (c) 2013  Marek Majkowski <marek@popcount.org>

  ${MIT.replaceAll('\n', '\n  ')}
  </MIT License>`;

const PYHASH = [
  '/* hash functions */',
  'static int fnv(void) { return 0; }',
  '',
  '/* **************************************************************************',
  ' <MIT License>',
  ' Copyright (c) 2013  Marek Majkowski <marek@popcount.org>',
  ' </MIT License>',
  '*/',
  'static uint64_t',
  'siphash24(uint64_t k0, uint64_t k1, const void *src, Py_ssize_t src_sz) {',
  '    return k0 ^ k1;',
  '}',
  '',
  'uint64_t _Py_KeyedHash(void) { return 0; }',
  '',
].join('\n');

describe('Doc/license.rst sections', () => {
  it('reads titles, :file: and literal paths and the dedented license block, and stops at the next part', () => {
    const text = `${licenseRst([
      ['SipHash24', SIPHASH_SECTION],
      [
        'W3C C14N test suite',
        'The suite (``Lib/test/xmltestdata/c14n-20/``) is under the BSD license:\n\n   Copyright (c) 2013 W3C(R)\n\n   * Redistributions of works must retain\n     the notice.\n\n.. _mimalloc-license:\n',
      ],
    ])}\nAnother Part\n============\n\nNot a section\n-------------\n`;
    const sections = parseLicenseRst(text);
    expect(sections.map((s) => [s.title, s.files])).toEqual([
      ['SipHash24', ['Python/pyhash.c']],
      ['W3C C14N test suite', ['Lib/test/xmltestdata/c14n-20/']],
    ]);
    expect(sections[0]?.licenseText.split('\n').slice(0, 2)).toEqual(['<MIT License>', 'Copyright (c) 2013  Marek Majkowski <marek@popcount.org>']);
    expect(sections[1]?.licenseText).toBe('Copyright (c) 2013 W3C(R)\n\n* Redistributions of works must retain\n  the notice.');
    expect(sections[1]?.body).not.toContain('mimalloc-license');
    expect(parseLicenseRst('no such part\n')).toEqual([]);
  });
});

describe('snippet ranges', () => {
  it('are whole lines from the start marker to the end marker, 1-based and inclusive, in bytes and lines', () => {
    const range = findSnippetRange(Buffer.from(PYHASH, 'latin1'), '/\\* \\*+\\n <MIT License>', '\\nsiphash24\\([^)]*\\)\\s*\\{[\\s\\S]*?\\n\\}\\n');
    expect(range?.lineRange).toEqual([4, 12]);
    const start = PYHASH.indexOf('/* ****');
    const end = PYHASH.indexOf('}\n', PYHASH.indexOf('siphash24(')) + 2;
    expect(range?.byteRange).toEqual([start + 1, end]);
    expect(range?.text).toBe(PYHASH.slice(start, end));
    expect(findSnippetRange(Buffer.from('nothing here'), 'x{3}', 'y')).toBeUndefined();
  });
});

describe('close copies of a known release', () => {
  it('get the release whose files they mostly share, naming the files that differ', () => {
    const sha = (text: string) => createHash('sha256').update(text).digest('hex');
    const release = { version: '0.98.1', seenIn: '3.11.2', files: { 'impl/a.c': sha('a'), 'impl/b.c': sha('b'), 'impl/c.c': sha('c'), 'impl/d.c': sha('d') } };
    const files = new Map<string, ScannedFile>(
      Object.entries({ 'impl/a.c': 'a', 'impl/b.c': 'b', 'impl/c.c': 'c', 'impl/d.c': 'D (memmove)', 'impl/e.c': 'e' }).map(([path, text]) => [
        path,
        { path, size: text.length, mode: 0o644, sha1: '', sha256: sha(text) } as ScannedFile,
      ]),
    );
    const close = closestRelease([...files.keys()], files, [release]);
    expect(close && { version: close.fingerprint.version, differing: close.differing, total: close.total }).toEqual({
      version: '0.98.1',
      differing: ['impl/d.c', 'impl/e.c'],
      total: 5,
    });
    // Less than half the files identical: not that release.
    const far = new Map([...files].map(([path, file]) => [path, { ...file, sha256: path === 'impl/a.c' ? file.sha256 : sha('x') }]));
    expect(closestRelease([...far.keys()], far, [release])).toBeUndefined();
  });
});

describe('the attribution step on a synthetic tree', () => {
  it('makes packages, snippets and absorbed-file license info, and warns about unknown sections', async () => {
    const mimallocH =
      '/* Copyright (c) 2018-2023, Microsoft Research, Daan Leijen\nMIT license */\n#define MI_MALLOC_VERSION 212   // major + 2 digits minor\n';
    const tree = makeTree(
      {
        'Doc/license.rst': licenseRst([
          ['SipHash24', SIPHASH_SECTION],
          ['mimalloc', `MIT License::\n\n   Copyright (c) 2018-2021 Microsoft Corporation, Daan Leijen\n\n   ${MIT.replaceAll('\n', '\n   ')}`],
          ['test_epoll', 'The :mod:`!test.test_epoll` module contains the following notice::\n\n  Copyright (c) 2001-2006 Twisted Matrix Laboratories.\n'],
          ['OpenSSL', 'The :mod:`hashlib` modules use OpenSSL on Windows::\n\n  Apache License\n'],
          ['strtod and dtoa', 'The file :file:`Python/dtoa.c` is derived from netlib::\n\n  The author of this software is David M. Gay.\n'],
          ['Brand New Library', 'A release added this section::\n\n  Copyright (c) 2030 Somebody\n'],
        ]),
        'Python/pyhash.c': PYHASH,
        'Include/internal/mimalloc/mimalloc.h': mimallocH,
        'Objects/mimalloc/alloc.c': 'alloc',
        'Objects/obmalloc.c': 'cpython',
        'Lib/test/test_epoll.py': '# Copyright (c) 2001-2006 Twisted Matrix Laboratories.\n',
        'Modules/_ctypes/darwin/LICENSE': "Copyright (c) 2002 Jorge Acereda & Peter O'Gorman\n\nPermission is hereby granted...\n",
        'Modules/_ctypes/darwin/dlfcn_simple.c': 'dl',
        'Modules/_ctypes/darwin/README.ctypes':
          'The files in this directory are taken from\nhttp://www.opendarwin.org/cgi-bin/cvsweb.cgi/~checkout~/proj/dlcompat/\n\nThomas Heller, Jan 2003\n',
        'Modules/_randommodule.c': '/* Random objects, rewritten without the catalog markers */\n',
        'Lib/tomllib/_parser.py': '# SPDX-License-Identifier: MIT\n# SPDX-FileCopyrightText: 2021 Taneli Hukkinen\n',
        'Lib/tomllib/_cpython_only.py': '# no marker here\n',
      },
      '3.13.0',
    );
    const { document, warnings, licenseSources } = await buildSbom(tree, { created: '2024-01-01T00:00:00Z', profile: 'complete' });
    const cpython = document.packages[0];
    const byRef = new Map(document.packages.map((pkg) => [pkg.ref, pkg]));

    // package: mimalloc owns its files, with the version its header records.
    const mimalloc = byRef.get('mimalloc');
    expect(mimalloc && [mimalloc.name, mimalloc.version, mimalloc.files, mimalloc.purl, mimalloc.licenseConcluded]).toEqual([
      'mimalloc',
      '2.1.2',
      ['Include/internal/mimalloc/mimalloc.h', 'Objects/mimalloc/alloc.c'],
      'pkg:github/microsoft/mimalloc@v2.1.2',
      'NOASSERTION',
    ]);
    expect(mimalloc?.evidence?.occurrences).toEqual([{ path: 'Objects/mimalloc/' }, { path: 'Include/internal/mimalloc/' }]);
    expect(mimalloc?.comment).toContain('Doc/license.rst section "mimalloc"');
    expect(cpython?.files).not.toContain('Objects/mimalloc/alloc.c');
    expect(cpython?.files).toContain('Objects/obmalloc.c');
    expect(cpython?.dependsOn).toEqual(expect.arrayContaining(['mimalloc', 'dlcompat']));
    expect(licenseSources.get('mimalloc')).toEqual([
      {
        text: expect.stringMatching(/^Copyright \(c\) 2018-2021 Microsoft Corporation, Daan Leijen\n\nPermission is hereby granted/),
        file: 'Doc/license.rst',
        method: 'license-rst',
      },
      { text: mimallocH, file: 'Include/internal/mimalloc/mimalloc.h', method: 'header' },
    ]);

    // Vendored code license.rst does not name: dlcompat, with its LICENSE file as evidence and the
    // month README.ctypes says the files were taken as its version.
    const dlcompat = byRef.get('dlcompat');
    expect(dlcompat?.files).toEqual(['Modules/_ctypes/darwin/LICENSE', 'Modules/_ctypes/darwin/README.ctypes', 'Modules/_ctypes/darwin/dlfcn_simple.c']);
    expect([dlcompat?.version, dlcompat?.purl]).toEqual(['2003-01', 'pkg:generic/dlcompat@2003-01']);
    expect(dlcompat?.comment).toContain('not named in Doc/license.rst');
    expect(licenseSources.get('dlcompat')?.map((s) => [s.file, s.method])).toEqual([['Modules/_ctypes/darwin/LICENSE', 'license-text']]);

    // snippet: SipHash inside CPython's pyhash.c, which stays CPython's.
    expect(document.snippets?.map((s) => [s.ref, s.file, s.lineRange, s.licenseConcluded])).toEqual([
      ['snippet:siphash', 'Python/pyhash.c', [4, 12], 'NOASSERTION'],
    ]);
    expect(document.snippets?.[0]?.attributionText).toMatch(/^<MIT License>/);
    expect(cpython?.files).toContain('Python/pyhash.c');
    expect(licenseSources.get('snippet:siphash')?.map((s) => s.method)).toEqual(['license-rst', 'header']);

    // absorbed: test_epoll names MIT in the file's license info, with whose it was.
    const epoll = document.files.find((file) => file.path === 'Lib/test/test_epoll.py');
    expect(epoll?.licenseInfoInFiles).toEqual(['MIT']);
    expect(epoll?.comment).toMatch(/^Contains code from Twisted Matrix Laboratories' epoll tests .*, under MIT \(Doc\/license.rst section "test_epoll"\)$/);

    // absorbed by the file's own word (catalog marker), file by file.
    const tomli = document.files.filter((file) => file.path.startsWith('Lib/tomllib/'));
    expect(tomli.map((file) => [file.path, file.licenseInfoInFiles, file.comment?.endsWith('(as the file itself says)')])).toEqual([
      ['Lib/tomllib/_cpython_only.py', undefined, undefined],
      ['Lib/tomllib/_parser.py', ['MIT'], true],
    ]);

    // A snippet whose file lost the catalog's markers: a warning, no snippet.
    expect(warnings).toContain("Mersenne Twister: Modules/_randommodule.c no longer has the code the catalog's markers delimit; it is not attributed");

    // Unknown section: a warning naming it. Missing code a section names: a warning. OpenSSL: silent.
    expect(
      warnings.filter((w) => /^Doc\/license.rst: section "Brand New Library" \(line \d+\) is not in the catalog; its code is not attributed$/.test(w)),
    ).toHaveLength(1);
    expect(warnings.some((w) => w.includes('"strtod and dtoa" names Python/dtoa.c, which is not in the tree'))).toBe(true);
    expect(warnings.some((w) => w.includes('OpenSSL'))).toBe(false);

    // The command says so on stderr and still writes its document (exit 0).
    const cli = await run(['generate', tree, '--output', '-']);
    expect(cli.code, cli.stderr).toBe(0);
    expect(cli.stderr).toMatch(/cpython-sbom: warning: Doc\/license.rst: section "Brand New Library" \(line \d+\) is not in the catalog/);
    expect((JSON.parse(cli.stdout) as { snippets: { name: string }[] }).snippets.map((s) => s.name)).toEqual(['csiphash (SipHash24)']);

    // The python.org profile adds none of it.
    const plain = await buildSbom(tree, { created: '2024-01-01T00:00:00Z', profile: 'python.org' });
    expect(plain.document.packages.map((pkg) => pkg.ref)).toEqual(['cpython']);
    expect(plain.document.snippets).toBeUndefined();
  });
});
