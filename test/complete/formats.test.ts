import type { Snippet } from '../../src/model/types.js';
import { describe, expect, it } from 'vitest';
import { diffDocuments, isEmptyDiff } from '../../src/diff/compare.js';
import { parseSbomText } from '../../src/formats/registry.js';
import { buildSbom } from '../../src/generate/build.js';
import { type OutputFormat, renderDocument } from '../../src/formats/registry.js';
import type { SbomDocument } from '../../src/model/types.js';
import { validateText } from '../../src/validate/index.js';
import { makeTree } from '../detect/helpers.js';

const PYHASH = '/* x */\n/* ****\n <MIT License>\n Copyright (c) 2013  Marek Majkowski\n*/\nstatic uint64_t\nsiphash24(int k) {\n  return k;\n}\n\nint rest;\n';

/** A complete-profile model with every new field set, as the licenses step would set them. */
async function completeModel(): Promise<SbomDocument> {
  const tree = makeTree(
    {
      'Doc/license.rst':
        'Licenses and Acknowledgements for Incorporated Software\n=======================================================\n\nSipHash24\n---------\n\nIn :file:`Python/pyhash.c`::\n\n  <MIT License>\n  Copyright (c) 2013  Marek Majkowski\n\ntest_epoll\n----------\n\nNotice::\n\n  Twisted\n',
      'Python/pyhash.c': PYHASH,
      'Lib/test/test_epoll.py': '# Twisted\n',
      'Include/internal/mimalloc/mimalloc.h': '#define MI_MALLOC_VERSION 212\n',
      'Objects/mimalloc/alloc.c': 'alloc',
    },
    '3.13.0',
  );
  const { document } = await buildSbom(tree, { created: '2024-01-01T00:00:00Z', profile: 'complete' });
  const mimalloc = document.packages.find((pkg) => pkg.ref === 'mimalloc');
  if (!mimalloc?.evidence) throw new Error('no mimalloc');
  mimalloc.licenseDeclared = 'MIT';
  mimalloc.copyrightText = 'Copyright (c) 2018-2021 Microsoft Corporation, Daan Leijen';
  mimalloc.licenseComments = 'MIT: Doc/license.rst section "mimalloc"; Include/internal/mimalloc/mimalloc.h header (0.97)';
  mimalloc.evidence.licenses.push(
    { expression: 'MIT', file: 'Doc/license.rst', method: 'license-rst' },
    { expression: 'MIT', file: 'Include/internal/mimalloc/mimalloc.h', method: 'header', confidence: 0.97 },
  );
  mimalloc.evidence.copyrights.push({ text: 'Copyright (c) 2018-2021 Microsoft Corporation, Daan Leijen', file: 'Doc/license.rst' });
  const snippet = document.snippets?.[0];
  if (!snippet) throw new Error('no snippet');
  snippet.licenseInfoInSnippet = ['MIT'];
  snippet.copyrightText = 'Copyright (c) 2013  Marek Majkowski';
  // What the file scan records: each file's own licenses (a compound tag, a LicenseRef with its
  // text) and statements, and each package's union of them.
  const epoll = document.files.find((file) => file.path === 'Lib/test/test_epoll.py');
  if (!epoll) throw new Error('no test_epoll.py');
  epoll.licenseInfoInFiles = ['LicenseRef-public-domain', 'MIT', 'PSF-2.0 AND (MIT OR Apache-2.0)'];
  epoll.copyrightText = 'Copyright (c) 2001-2006 Twisted Matrix Laboratories.\nCopyright © 2013 W3C® (MIT, ERCIM, Keio, Beihang), All Rights Reserved.';
  const alloc = document.files.find((file) => file.path === 'Objects/mimalloc/alloc.c');
  if (!alloc) throw new Error('no alloc.c');
  alloc.licenseInfoInFiles = ['MIT'];
  mimalloc.licenseInfoFromFiles = ['MIT'];
  const cpython = document.packages[0];
  if (cpython) cpython.licenseInfoFromFiles = ['LicenseRef-public-domain', 'MIT', 'PSF-2.0 AND (MIT OR Apache-2.0)'];
  document.extractedLicenses = [{ id: 'LicenseRef-public-domain', name: 'Public domain dedication', text: 'In the public domain.', comment: 'a test' }];
  return document;
}

describe('complete-profile fields in both formats', () => {
  it('validate, and read back to the same facts from SPDX, CycloneDX JSON and XML', async () => {
    const document = await completeModel();
    const reads = new Map<OutputFormat, SbomDocument>();
    for (const format of ['spdx-json', 'cyclonedx-json', 'cyclonedx-xml'] as OutputFormat[]) {
      const text = await renderDocument(document, format, '1.6');
      const validation = await validateText(text, `doc.${format}`);
      expect(validation.errors, format).toEqual([]);
      expect(validation.valid).toBe(true);
      reads.set(format, (await parseSbomText(text, `doc.${format}`)).document);
    }
    const spdx = reads.get('spdx-json') as SbomDocument;
    const spdxText = await renderDocument(document, 'spdx-json', '1.6');
    // SPDX declares the LicenseRef it uses, with its text.
    expect((JSON.parse(spdxText) as { hasExtractedLicensingInfos: unknown }).hasExtractedLicensingInfos).toEqual([
      { licenseId: 'LicenseRef-public-domain', name: 'Public domain dedication', extractedText: 'In the public domain.', comment: 'a test' },
    ]);
    const json = JSON.parse(spdxText) as { snippets: Record<string, unknown>[] };
    expect(json.snippets).toEqual([
      {
        SPDXID: 'SPDXRef-SNIPPET-siphash',
        name: 'csiphash (SipHash24)',
        snippetFromFile: 'SPDXRef-FILE-Python-pyhash.c',
        ranges: [
          {
            endPointer: { lineNumber: 9, reference: 'SPDXRef-FILE-Python-pyhash.c' },
            startPointer: { lineNumber: 2, reference: 'SPDXRef-FILE-Python-pyhash.c' },
          },
          {
            endPointer: { offset: PYHASH.indexOf('}\n') + 2, reference: 'SPDXRef-FILE-Python-pyhash.c' },
            startPointer: { offset: 9, reference: 'SPDXRef-FILE-Python-pyhash.c' },
          },
        ],
        licenseConcluded: 'NOASSERTION',
        licenseInfoInSnippets: ['MIT'],
        copyrightText: 'Copyright (c) 2013  Marek Majkowski',
        comment: expect.stringContaining('lines 2-9 of Python/pyhash.c'),
        attributionTexts: ['<MIT License>\nCopyright (c) 2013  Marek Majkowski'],
      },
    ]);

    // A range that runs backwards, or points into another file, is refused.
    const broken = JSON.parse(spdxText) as { snippets: { ranges: { startPointer: { offset?: number; reference: string } }[] }[] };
    const range = broken.snippets[0]?.ranges.find((r) => r.startPointer.offset !== undefined);
    if (range) range.startPointer = { offset: 10_000, reference: 'SPDXRef-FILE-Lib-test-test-epoll.py' };
    const refused = await validateText(JSON.stringify(broken), 'broken.spdx.json');
    expect(refused.errors.map((error) => error.message)).toEqual([
      expect.stringMatching(/^a snippet's range must point into its own file "SPDXRef-FILE-Python-pyhash.c"/),
      expect.stringMatching(/^offset range 10000-\d+ is empty or starts before 1$/),
    ]);

    for (const [format, read] of reads) {
      // Snippets come back as snippets, not as packages.
      const { version: _v, purl: _p, ...portable } = (document.snippets ?? [])[0] as Snippet;
      const back = read.snippets?.[0];
      expect(back && { ...back, version: undefined, purl: undefined }, format).toEqual({
        ...portable,
        version: undefined,
        purl: undefined,
        attributionText: format === 'cyclonedx-xml' ? back?.attributionText : portable.attributionText,
      });
      expect(read.packages.map((pkg) => pkg.name).sort(), format).toEqual(document.packages.map((pkg) => pkg.name).sort());
      const mimalloc = read.packages.find((pkg) => pkg.name === 'mimalloc');
      expect([mimalloc?.licenseDeclared, mimalloc?.copyrightText, mimalloc?.licenseComments, mimalloc?.sourceInfo], format).toEqual([
        'MIT',
        'Copyright (c) 2018-2021 Microsoft Corporation, Daan Leijen',
        'MIT: Doc/license.rst section "mimalloc"; Include/internal/mimalloc/mimalloc.h header (0.97)',
        'Objects/mimalloc/, Include/internal/mimalloc/ in the source tree; version from Include/internal/mimalloc/mimalloc.h',
      ]);
      if (format !== 'spdx-json') expect(mimalloc?.evidence, format).toEqual(document.packages.find((pkg) => pkg.ref === 'mimalloc')?.evidence);
      const epoll = read.files.find((file) => file.path === 'Lib/test/test_epoll.py');
      expect(epoll?.licenseInfoInFiles, format).toEqual(['LicenseRef-public-domain', 'MIT', 'PSF-2.0 AND (MIT OR Apache-2.0)']);
      expect(epoll?.copyrightText, format).toBe(
        'Copyright (c) 2001-2006 Twisted Matrix Laboratories.\nCopyright © 2013 W3C® (MIT, ERCIM, Keio, Beihang), All Rights Reserved.',
      );
      expect(read.files.find((file) => file.path === 'Objects/mimalloc/alloc.c')?.licenseInfoInFiles, format).toEqual(['MIT']);
      expect(mimalloc?.licenseInfoFromFiles, format).toEqual(['MIT']);
      expect(read.packages.find((pkg) => pkg.name === 'CPython')?.licenseInfoFromFiles, format).toEqual([
        'LicenseRef-public-domain',
        'MIT',
        'PSF-2.0 AND (MIT OR Apache-2.0)',
      ]);
      expect(read.extractedLicenses, format).toEqual(document.extractedLicenses);
      const report = diffDocuments({ file: 'a', format: 'spdx-2.3', document: spdx }, { file: 'b', format: `cyclonedx-1.6`, document: read });
      expect(isEmptyDiff(report.diff), `${format}: ${JSON.stringify(report.diff.packages)}`).toBe(true);
    }
  });
});
