import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/api/validate.js';
import { readCycloneDx, writeCycloneDx } from '../../src/formats/cyclonedx/index.js';
import { readSpdx } from '../../src/formats/spdx/read.js';
import { writeSpdx } from '../../src/formats/spdx/write.js';
import { applyLicenseListVersion, firstListVersion, licenseListVersions, parseLicenseListVersion } from '../../src/license/list-compat.js';
import { LICENSE_TEXTS_LIST_VERSION } from '../../src/license/list-version.js';
import type { SbomDocument } from '../../src/model/types.js';
import { REPO } from '../support/cli.js';

const require = createRequire(import.meta.url);

describe('the license data is pinned and is the list the documents declare', () => {
  it('package.json pins spdx-license-list and spdx-license-ids exactly', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies['spdx-license-list']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.dependencies['spdx-license-ids']).toMatch(/^\d+\.\d+\.\d+$/);
    expect((require('spdx-license-list/package.json') as { version: string }).version).toBe(pkg.dependencies['spdx-license-list']);
    expect((require('spdx-license-ids/package.json') as { version: string }).version).toBe(pkg.dependencies['spdx-license-ids']);
  });

  it(`the installed ids are exactly SPDX license list ${LICENSE_TEXTS_LIST_VERSION}'s, by the committed table`, () => {
    const { licenses, versions } = licenseListVersions();
    expect(versions.at(-1)).toBe(LICENSE_TEXTS_LIST_VERSION);
    // The `+` forms (GPL-2.0+) are deprecated ids spdx-license-ids leaves to the expression syntax.
    const listed = [...licenses.keys()].filter((id) => !id.endsWith('+')).sort();
    const installed = [...(require('spdx-license-ids') as string[]), ...(require('spdx-license-ids/deprecated') as string[])].sort();
    expect(installed).toEqual(listed);
    const texts = Object.keys(require('spdx-license-list') as Record<string, unknown>);
    expect(texts.filter((id) => !licenses.has(id))).toEqual([]);
  });

  it('knows when ids joined the list', () => {
    expect(firstListVersion('MIT')).toBe('3.0');
    expect(firstListVersion('PSF-2.0')).toBe('3.8');
    expect(firstListVersion('dtoa')).toBe('3.21');
    expect(firstListVersion('Unicode-3.0')).toBe('3.23');
    expect(firstListVersion('HPND-SMC')).toBe('3.28');
    expect(firstListVersion('LicenseRef-x')).toBeUndefined();
  });
});

function model(): SbomDocument {
  return {
    name: 'x',
    namespace: 'https://example.org/x',
    created: '2026-01-01T00:00:00Z',
    creators: ['Tool: cpython-sbom-0.1.0'],
    dataLicense: 'CC0-1.0',
    licenseListVersion: LICENSE_TEXTS_LIST_VERSION,
    describes: ['cpython'],
    packages: [
      {
        ref: 'cpython',
        name: 'CPython',
        version: '3.14.4',
        licenseConcluded: '(MIT OR dtoa) AND GPL-2.0-or-later WITH Bison-exception-2.2',
        licenseDeclared: 'PSF-2.0',
        checksums: {},
        files: ['Python/dtoa.c', 'Lib/trace.py'],
        dependsOn: ['dtoa'],
      },
      {
        ref: 'dtoa',
        name: 'dtoa',
        version: '',
        licenseDeclared: 'dtoa',
        licenseConcluded: 'NOASSERTION',
        checksums: {},
        files: [],
        dependsOn: [],
        evidence: { licenses: [{ expression: 'dtoa', file: 'Python/dtoa.c', method: 'header' }], copyrights: [], occurrences: [] },
      },
    ],
    files: [
      { path: 'Python/dtoa.c', checksums: { SHA1: 'a'.repeat(40), SHA256: 'b'.repeat(64) } },
      { path: 'Lib/trace.py', checksums: { SHA1: 'c'.repeat(40), SHA256: 'd'.repeat(64) }, licenseInfoInFiles: ['HPND-SMC'] },
    ],
    relationships: [],
    annotations: [],
    snippets: [{ ref: 'snippet:s', name: 's', file: 'Lib/trace.py', byteRange: [1, 2], lineRange: [1, 1], licenseInfoInSnippet: ['Unicode-3.0'] }],
  };
}

describe('--license-list-version: ids newer than the list become LicenseRef- with their text', () => {
  it('rewrites every expression, keeps older ids and exceptions, declares the list, and both formats validate and read back', async () => {
    const document = model();
    expect(applyLicenseListVersion(document, '3.20')).toEqual(['HPND-SMC', 'Unicode-3.0', 'dtoa']);
    const dtoa = document.packages[1];
    expect(dtoa?.licenseDeclared).toBe('LicenseRef-dtoa');
    expect(dtoa?.licenseConcluded).toBe('NOASSERTION');
    expect(document.packages[0]?.licenseConcluded).toBe('(MIT OR LicenseRef-dtoa) AND GPL-2.0-or-later WITH Bison-exception-2.2');
    expect(dtoa?.evidence?.licenses[0]?.expression).toBe('LicenseRef-dtoa');
    expect(document.files[1]?.licenseInfoInFiles).toEqual(['LicenseRef-HPND-SMC']);
    expect(document.snippets?.[0]?.licenseInfoInSnippet).toEqual(['LicenseRef-Unicode-3.0']);
    expect(document.packages[0]?.licenseDeclared).toBe('PSF-2.0');
    expect(document.licenseListVersion).toBe('3.20');
    expect(document.extractedLicenses?.map((license) => license.id)).toEqual(['LicenseRef-HPND-SMC', 'LicenseRef-Unicode-3.0', 'LicenseRef-dtoa']);
    const text = document.extractedLicenses?.find((license) => license.id === 'LicenseRef-dtoa');
    expect(text).toMatchObject({ name: 'David M. Gay dtoa License', seeAlso: ['https://spdx.org/licenses/dtoa.html'] });
    expect(text?.text).toContain('Permission to use, copy, modify, and distribute this software');
    expect(text?.comment).toContain('added in list 3.21');

    const spdx = writeSpdx(document);
    const checked = await validate({ text: spdx, name: 'x.spdx.json' });
    expect(checked.errors).toEqual([]);
    const json = JSON.parse(spdx) as {
      creationInfo: { licenseListVersion: string };
      hasExtractedLicensingInfos: { licenseId: string; extractedText: string }[];
    };
    expect(json.creationInfo.licenseListVersion).toBe('3.20');
    expect(json.hasExtractedLicensingInfos.map((info) => info.licenseId)).toEqual(['LicenseRef-HPND-SMC', 'LicenseRef-Unicode-3.0', 'LicenseRef-dtoa']);
    expect(readSpdx(spdx, 'x').document.extractedLicenses).toEqual(document.extractedLicenses);

    for (const format of ['json', 'xml'] as const) {
      const cdx = writeCycloneDx(document, { format, specVersion: '1.6' });
      expect((await validate({ text: cdx, name: `x.cdx.${format}` })).errors, format).toEqual([]);
      // The declared license is a named license carrying its text.
      const back = readCycloneDx(cdx, 'x').document;
      expect(back.packages.find((pkg) => pkg.name === 'dtoa')?.licenseDeclared, format).toBe('LicenseRef-dtoa');
      expect(back.extractedLicenses?.find((license) => license.id === 'LicenseRef-dtoa')?.text, format).toBe(text?.text);
    }
  });

  it('changes nothing but the declared list when every id is old enough', () => {
    const document = model();
    expect(applyLicenseListVersion(document, '3.28')).toEqual([]);
    expect(document.extractedLicenses).toBeUndefined();
    expect(document.packages[1]?.licenseDeclared).toBe('dtoa');
  });

  it('refuses unknown and too new list versions', () => {
    expect(parseLicenseListVersion('3.22')).toBe('3.22');
    expect(parseLicenseListVersion('v3.24.0')).toBe('3.24');
    expect(() => parseLicenseListVersion('3.99')).toThrow(/unknown SPDX license list version '3\.99' \(known: 3\.0 to 3\.28\)/);
    expect(() => parseLicenseListVersion('2.6')).toThrow(/unknown/);
  });
});
