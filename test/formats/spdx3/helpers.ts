import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSpdx } from '../../../src/formats/spdx/read.js';
import { spdx2Relationship, spdx3Relationship } from '../../../src/formats/spdx3/vocabulary.js';
import type { SbomDocument } from '../../../src/model/types.js';
import { REPO } from '../../support/cli.js';

/**
 * A small model holding every fact our SPDX 2.3 writer carries: the cross-format edge fixture
 * (persons, compound licenses, NONE, SPDX-only hashes, a repeated name) plus a snippet with both
 * ranges, file-level licenses and copyright, an exclusion annotation, an applied patch with a CVE,
 * relationships 2.3 and 3.0 spell differently, and external references beyond purl and CPE.
 */
export function richDocument(): SbomDocument {
  const path = join(REPO, 'fixtures', 'diff', 'cross', 'edge.spdx.json');
  const { document } = readSpdx(readFileSync(path, 'utf8'), path);
  document.licenseListVersion = '3.28';
  document.comment = 'A document comment';
  document.creators.push('Tool: cpython-sbom-0.1.0', 'Organization: Python Software Foundation');
  const cpython = document.packages.find((pkg) => pkg.name === 'CPython')!;
  cpython.packageFileName = 'Python-3.12.0.tgz';
  cpython.purpose = 'SOURCE';
  cpython.copyrightText = 'Copyright (c) 2001 Python Software Foundation.';
  cpython.licenseComments = 'Declared from LICENSE (license-text, 0.98).';
  cpython.sourceInfo = 'The release tarball.';
  cpython.originator = 'Organization: Python Software Foundation';
  cpython.description = 'The Python interpreter';
  cpython.otherRefs = [
    { category: 'SECURITY', type: 'advisory', locator: 'https://www.cve.org/CVERecord?id=CVE-2024-0001' },
    { category: 'OTHER', type: 'homepage-ish', locator: 'https://www.python.org/' },
    { category: 'PERSISTENT-ID', type: 'swh', locator: 'swh:1:cnt:94a9ed024d3859793618152ea559a168bbcbb5e2' },
  ];
  cpython.pedigree = {
    ancestors: [],
    patches: [
      {
        path: 'debian/patches/fix-cve.diff',
        order: 1,
        sha256: 'a'.repeat(64),
        type: 'backport',
        touches: [],
        resolves: [{ id: 'CVE-2024-0002', type: 'security' }],
        description: 'Fix CVE-2024-0002',
      },
      { path: 'debian/patches/local.diff', order: 2, sha256: 'b'.repeat(64), type: 'unofficial', touches: [], resolves: [] },
    ],
  };
  const aPy = document.files.find((file) => file.path === 'Lib/a.py')!;
  aPy.licenseInfoInFiles = ['HPND', 'MIT'];
  aPy.copyrightText = 'Copyright (c) 1999 Someone Else';
  aPy.comment = "Code from someone else's project";
  document.snippets = [
    {
      ref: 'snippet:siphash',
      name: 'SipHash24 (csiphash)',
      file: 'Lib/a.py',
      byteRange: [10, 200],
      lineRange: [2, 9],
      licenseInfoInSnippet: ['MIT'],
      copyrightText: 'Copyright (c) 2013 Marek Majkowski',
      comment: 'From csiphash',
      attributionText: 'The MIT License ...',
    },
  ];
  document.annotations.push({
    subject: 'SPDXRef-PACKAGE-libbar',
    annotator: 'Tool: cpython-sbom-0.1.0',
    date: '2024-01-01T00:00:00Z',
    type: 'OTHER',
    comment: 'Excluded: not used by CPython 3.12.0 (unbundled).',
  });
  document.packages.find((pkg) => pkg.name === 'libbar')!.scope = 'excluded';
  document.relationships.push(
    { from: 'SPDXRef-PACKAGE-libfoo', type: 'DESCENDANT_OF', to: 'SPDXRef-PACKAGE-libbar', comment: 'forked' },
    { from: 'SPDXRef-PACKAGE-libbar', type: 'BUILD_DEPENDENCY_OF', to: 'SPDXRef-PACKAGE-cpython' },
    { from: 'file:unowned.txt', type: 'GENERATED_FROM', to: 'file:Lib/a.py' },
  );
  return document;
}

const UNKNOWN = new Set(['NOASSERTION', 'NONE', '']);

/**
 * The model with list order and "unknown" spellings evened out: SPDX 2.3 must write
 * NOASSERTION where SPDX 3 leaves a property out, and neither format promises an order. A
 * relationship 2.3 can say both ways round (GENERATED_FROM, GENERATES) is one type in SPDX 3,
 * which reads back the way the annex on 2.3 lists first: it is compared in that spelling.
 */
export function normalise(document: SbomDocument): SbomDocument {
  const copy = structuredClone(document);
  const byJson = <T>(items: T[]) => items.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  copy.creators.sort();
  copy.packages.sort((a, b) => (a.ref < b.ref ? -1 : 1));
  for (const pkg of copy.packages) {
    pkg.files.sort();
    pkg.dependsOn.sort();
    for (const key of ['downloadLocation', 'supplier', 'originator'] as const) if (UNKNOWN.has(pkg[key] ?? '')) delete pkg[key];
    if (pkg.otherRefs) byJson(pkg.otherRefs);
  }
  copy.files.sort((a, b) => (a.path < b.path ? -1 : 1));
  for (const file of copy.files) file.licenseInfoInFiles?.sort();
  copy.relationships = copy.relationships.map((relationship) => {
    const spdx3 = spdx3Relationship(relationship.type);
    const back = spdx2Relationship(spdx3.spdx3, spdx3.scope);
    const swap = spdx3.swap !== back.swap;
    return { ...relationship, type: back.spdx2, from: swap ? relationship.to : relationship.from, to: swap ? relationship.from : relationship.to };
  });
  byJson(copy.relationships);
  byJson(copy.annotations);
  copy.describes.sort();
  copy.snippets?.sort((a, b) => (a.ref < b.ref ? -1 : 1));
  for (const snippet of copy.snippets ?? []) snippet.licenseInfoInSnippet.sort();
  return copy;
}
