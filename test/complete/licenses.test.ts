import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { CompleteContext } from '../../src/complete/index.js';
import { licenseFileSource, licensesStep } from '../../src/complete/licenses.js';
import type { Package, SbomDocument, Snippet } from '../../src/model/types.js';
import { buildSbom } from '../../src/generate/build.js';
import { makeTree } from '../detect/helpers.js';

const full = createRequire(import.meta.url)('spdx-license-list/full') as Record<string, { licenseText: string }>;
const text = (id: string) => (full[id] as { licenseText: string }).licenseText;

const pkg = (ref: string, extra: Partial<Package> = {}): Package => ({
  ref,
  name: ref,
  version: '1.0',
  checksums: {},
  files: [],
  dependsOn: [],
  licenseConcluded: 'NOASSERTION',
  ...extra,
});

/** A context as the attribution step leaves it: packages and snippets with the texts that state their licenses. */
function context(packages: Package[], snippets: Snippet[], sources: CompleteContext['licenseSources'], files: Record<string, string> = {}): CompleteContext {
  const document: SbomDocument = {
    name: 'CPython SBOM',
    namespace: 'https://example.org/x',
    created: '2024-01-01T00:00:00Z',
    creators: [],
    dataLicense: 'CC0-1.0',
    describes: ['cpython'],
    packages: [pkg('cpython', { licenseConcluded: 'PSF-2.0' }), ...packages],
    files: [],
    relationships: [],
    annotations: [],
    snippets,
  };
  const contents = new Map(Object.entries(files).map(([path, body]) => [path, Buffer.from(body)]));
  return {
    document,
    detect: {
      scan: {} as never,
      files: new Map([...contents.keys()].map((path) => [path, { path, size: 0, sha1: '', sha256: '' }])),
      content: (path) => contents.get(path),
      cpythonVersion: '3.13.0',
    },
    subject: 'source',
    cpythonVersion: '3.13.0',
    hasManifest: false,
    findings: [],
    warnings: [],
    notes: [],
    drift: [],
    driftFindings: [],
    licenseSources: sources,
  };
}

describe('licenses step on the sources other steps collect', () => {
  const snippet: Snippet = {
    ref: 'snippet:siphash',
    name: 'SipHash',
    file: 'Python/pyhash.c',
    byteRange: [100, 900],
    lineRange: [10, 40],
    licenseInfoInSnippet: [],
  };
  const dtoa = pkg('dtoa', { files: ['Python/dtoa.c'] });
  const mimalloc = pkg('mimalloc');
  const sources: CompleteContext['licenseSources'] = new Map([
    // A Doc/license.rst section whose literal block is the MIT text with the holder's copyright.
    [
      'mimalloc',
      [
        {
          text: `Copyright (c) 2018-2021 Microsoft Corporation, Daan Leijen\n\n${text('MIT').split('\n').slice(3).join('\n')}`,
          file: 'Doc/license.rst',
          method: 'license-rst' as const,
        },
      ],
    ],
    [
      'snippet:siphash',
      [
        {
          text: `  Copyright (c) 2013  Marek Majkowski <marek@popcount.org>\n\n${text('MIT').split('\n').slice(3).join('\n')}`,
          file: 'Doc/license.rst',
          method: 'license-rst' as const,
        },
      ],
    ],
    // dtoa's own license matches no SPDX text well enough here: nothing established.
    [
      'dtoa',
      [
        {
          text: 'The author of this software is David M. Gay. Permission to use, copy, modify, and distribute this software for any purpose.',
          file: 'Doc/license.rst',
          method: 'license-rst' as const,
        },
      ],
    ],
  ]);

  it('resolves packages and snippets from their sources, records the evidence, and leaves licenseConcluded alone', () => {
    const ctx = context([dtoa, mimalloc], [snippet], sources, { LICENSE: text('PSF-2.0') });
    licensesStep({ components: [] }).apply(ctx);
    expect(mimalloc).toMatchObject({
      licenseDeclared: 'MIT',
      licenseConcluded: 'NOASSERTION',
      copyrightText: 'Copyright (c) 2018-2021 Microsoft Corporation, Daan Leijen',
      evidence: {
        licenses: [{ expression: 'MIT', file: 'Doc/license.rst', method: 'license-rst' }],
        copyrights: [{ text: 'Copyright (c) 2018-2021 Microsoft Corporation, Daan Leijen', file: 'Doc/license.rst' }],
        occurrences: [],
      },
    });
    expect(mimalloc.licenseComments).toMatch(
      /^Declared license established from: MIT from Doc\/license\.rst \(Doc\/license\.rst, \d+% of the SPDX license text\)\.$/,
    );
    expect(snippet.licenseInfoInSnippet).toEqual(['MIT']);
    expect(snippet.copyrightText).toBe('Copyright (c) 2013 Marek Majkowski <marek@popcount.org>');
    expect(dtoa.licenseDeclared).toBe('NOASSERTION');
    expect(ctx.warnings).toEqual(['dtoa 1.0: no license could be established from Doc/license.rst; licenseDeclared stays NOASSERTION']);
    // CPython declares PSF-2.0; what all its code is under is for a reviewer to conclude (its files hold other licenses).
    expect(ctx.document.packages[0]).toMatchObject({ licenseDeclared: 'PSF-2.0', licenseConcluded: 'NOASSERTION' });
  });

  it("reads a catalog component's licenseFiles (license file, file header) and falls back to the catalog's license", () => {
    const expat = pkg('expat');
    const libb2 = pkg('libb2');
    const ctx = context([expat, libb2], [], new Map(), {
      'Modules/expat/COPYING': `Copyright (c) 2001-2025 Expat maintainers\n\n${text('MIT').split('\n').slice(3).join('\n')}`,
      'Modules/_blake2/impl/blake2.h':
        '/*\n   Written in 2012 by Samuel Neves <sneves@dei.uc.pt>\n   To the extent possible under law, the author(s) have dedicated all copyright\n   and related and neighboring rights to this software to the public domain worldwide.\n*/\n#pragma once\n',
    });
    const step = licensesStep();
    expect(step.wants('Modules/expat/COPYING')).toBe(true);
    expect(step.wants('Modules/expat/xmlparse.c')).toBe(false);
    step.apply(ctx);
    expect(expat).toMatchObject({ licenseDeclared: 'MIT', copyrightText: 'Copyright (c) 2001-2025 Expat maintainers' });
    expect(libb2.licenseDeclared).toBe('CC0-1.0');
    // The header words CC0's waiver (not its text): a short reference names the license.
    expect(libb2.evidence?.licenses).toEqual([{ expression: 'CC0-1.0', method: 'header', file: 'Modules/_blake2/impl/blake2.h' }]);
    expect(libb2.copyrightText).toBe('Written in 2012 by Samuel Neves <sneves@dei.uc.pt>');
  });

  it('on a whole tree: expat from Modules/expat/COPYING, mpdecimal from its headers', async () => {
    const tree = makeTree({
      'Modules/expat/expat.h': '#  define XML_MAJOR_VERSION 2\n#  define XML_MINOR_VERSION 5\n#  define XML_MICRO_VERSION 0\n',
      'Modules/expat/COPYING': text('MIT').replace('<year> <copyright holders>', '2001-2022 Expat maintainers'),
      'Modules/_decimal/libmpdec/mpdecimal.h': '#define MPD_VERSION "2.5.1"\n',
      'Modules/_decimal/libmpdec/mpdecimal.c': `/*\n * Copyright (c) 2008-2020 Stefan Krah. All rights reserved.\n *\n${text('BSD-2-Clause')
        .split('\n')
        .slice(2)
        .map((l) => ` * ${l}`)
        .join('\n')}\n */\n\n#include "mpdecimal.h"\n`,
    });
    const { document } = await buildSbom(tree, { created: '2024-01-01T00:00:00Z' });
    const byRef = new Map(document.packages.map((p) => [p.ref, p]));
    expect(byRef.get('expat')).toMatchObject({ licenseDeclared: 'MIT', copyrightText: 'Copyright (c) 2001-2022 Expat maintainers' });
    expect(byRef.get('mpdecimal')).toMatchObject({
      licenseDeclared: 'BSD-2-Clause',
      copyrightText: 'Copyright (c) 2008-2020 Stefan Krah. All rights reserved.',
    });
    expect(byRef.get('mpdecimal')?.evidence?.licenses[0]).toMatchObject({ method: 'header', file: 'Modules/_decimal/libmpdec/mpdecimal.c' });
  });
});

describe('a license file the catalog names', () => {
  const rows = (count: number) =>
    Array.from({ length: count }, (_, i) => `3-${(0x2121 + i).toString(16).toUpperCase()}\tU+${(0x3000 + i).toString(16).toUpperCase()}\t# ROW ${i}`).join(
      '\n',
    );
  const header = '## A mapping table\n## License:\n## \tCopyright (C) 2001 Someone, All Rights Reserved.\n## \tYou can use this table freely.\n';

  it('is read in its header when it is a big data file, where its notice is, and whole otherwise', () => {
    const table = Buffer.from(`${header}${rows(20_000)}\n`);
    const source = licenseFileSource('Tools/unicode/table.txt', table, 'license-text');
    expect(source.text.startsWith(header)).toBe(true);
    expect(source.text.length).toBeLessThanOrEqual(16 * 1024);
    expect(source.text.endsWith('\n')).toBe(true);
    // Whole: a small data file, a license document of any size, a code file's header.
    const small = Buffer.from(`${header}${rows(10)}`);
    expect(licenseFileSource('Tools/unicode/small.txt', small, 'license-text').text).toBe(small.toString());
    const license = Buffer.from(`${text('MIT')}\n${rows(20_000)}`);
    expect(licenseFileSource('Tools/unicode/LICENSE.txt', license, 'license-text').text).toBe(license.toString());
    const code = Buffer.from(`/* ${text('MIT')} */\n${'int x;\n'.repeat(5000)}`);
    expect(licenseFileSource('Modules/x.c', code, 'license-text').text).toBe(code.toString());
    expect(licenseFileSource('Modules/x.c', code, 'header')).toEqual({ text: code.toString(), file: 'Modules/x.c', method: 'header' });
  });

  it('cut at its last whole line: a character split by the cut is not half read', () => {
    const line = `## ${'é'.repeat(100)}\n`;
    const source = licenseFileSource('data/table.txt', Buffer.from(line.repeat(200)), 'license-text');
    expect(source.text).not.toContain('\uFFFD');
    expect(
      source.text
        .split('\n')
        .slice(0, -1)
        .every((l) => l === line.trimEnd()),
    ).toBe(true);
  });
});
