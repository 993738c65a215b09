#!/usr/bin/env node
// Builds fixtures/sample-cpython: a tiny, hand-made CPython-shaped tree that `generate` describes
// when no SOURCE is given and that the unit tests run on. It has the parts the detectors look at
// (patchlevel.h, a Misc/sbom.spdx.json manifest with correct hashes, vendored expat and mpdecimal
// headers, a small real pip wheel with a vendor.txt) and nothing else of substance.
// Run after `npm run build`:  node scripts/make-sample-cpython.mjs
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import yazl from 'yazl';
import { pythonJsonDumpsIndented } from '../dist/util/python-json.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'sample-cpython');
const PIP_VERSION = '24.0';

// Real license texts from the SPDX license list, so the complete profile finds each license from
// the tree's own evidence, as it does in a real CPython tree.
const licenseTexts = createRequire(import.meta.url)('spdx-license-list/full');
const licenseText = (id, holder) => licenseTexts[id].licenseText.replace(/<year> <(copyright holders|owner)>/, holder);

const files = {
  'README.rst': 'This is a sample CPython-shaped tree for cpython-sbom tests. It is not CPython.\n',
  LICENSE: licenseText('PSF-2.0'),
  'Include/patchlevel.h': [
    '/* Sample patchlevel.h for cpython-sbom tests. */',
    '#define PY_MAJOR_VERSION        3',
    '#define PY_MINOR_VERSION        13',
    '#define PY_MICRO_VERSION        0',
    '#define PY_VERSION              "3.13.0"',
    '',
  ].join('\n'),
  'Python/ceval.c': '/* sample */\nint sample_eval(void) { return 0; }\n',
  'Lib/os.py': '"""Sample module."""\nsep = "/"\n',
  'Lib/ensurepip/__init__.py': `_PIP_VERSION = "${PIP_VERSION}"\n`,
  'Modules/expat/COPYING': licenseText('MIT', '2000-2017 Expat development team'),
  'Modules/expat/expat.h': ['/* sample expat.h */', '#define XML_MAJOR_VERSION 2', '#define XML_MINOR_VERSION 6', '#define XML_MICRO_VERSION 3', ''].join('\n'),
  'Modules/expat/xmlparse.c': '/* sample */\nint XML_Sample(void) { return 1; }\n',
  'Modules/expat/expat_config.h': "/* CPython's own configuration, not expat's */\n",
  'Modules/_decimal/libmpdec/mpdecimal.h': '/* sample */\n#define MPD_VERSION "2.5.1"\n',
  'Modules/_decimal/libmpdec/mpdecimal.c': `/*\n${licenseText('BSD-2-Clause', '2008-2020 Stefan Krah. All rights reserved.')
    .trimEnd()
    .split('\n')
    .map((line) => ` * ${line}`.trimEnd())
    .join('\n')}\n */\n\n#include "mpdecimal.h"\n`,
  'Modules/_decimal/libmpdec/basearith.c': '/* sample */\nint mpd_sample(void) { return 2; }\n',
};

/** The manifest's packages, as CPython hand-edits them in Misc/sbom.spdx.json. */
const manifestPackages = [
  {
    SPDXID: 'SPDXRef-PACKAGE-expat',
    checksums: [{ algorithm: 'SHA256', checksumValue: '17aa6cfc5c4c219c09287abfc10bc13f0c06f30bb654b28bfe6f567ca646eb79' }],
    downloadLocation: 'https://github.com/libexpat/libexpat/releases/download/R_2_6_3/expat-2.6.3.tar.gz',
    externalRefs: [{ referenceCategory: 'SECURITY', referenceLocator: 'cpe:2.3:a:libexpat_project:libexpat:2.6.3:*:*:*:*:*:*:*', referenceType: 'cpe23Type' }],
    licenseConcluded: 'NOASSERTION',
    name: 'expat',
    originator: 'Organization: Expat development team',
    primaryPackagePurpose: 'SOURCE',
    versionInfo: '2.6.3',
  },
  {
    SPDXID: 'SPDXRef-PACKAGE-mpdecimal',
    checksums: [{ algorithm: 'SHA256', checksumValue: '9f9cd4c041f99b5c49ffb7b59d9f12d95b683d88585608aa56a6307667b2b21f' }],
    downloadLocation: 'https://www.bytereef.org/software/mpdecimal/releases/mpdecimal-2.5.1.tar.gz',
    externalRefs: [{ referenceCategory: 'SECURITY', referenceLocator: 'cpe:2.3:a:bytereef:mpdecimal:2.5.1:*:*:*:*:*:*:*', referenceType: 'cpe23Type' }],
    licenseConcluded: 'NOASSERTION',
    name: 'mpdecimal',
    originator: 'Organization: bytereef.org',
    primaryPackagePurpose: 'SOURCE',
    versionInfo: '2.5.1',
  },
];
const owners = {
  expat: ['Modules/expat/COPYING', 'Modules/expat/expat.h', 'Modules/expat/xmlparse.c'],
  mpdecimal: ['Modules/_decimal/libmpdec/basearith.c', 'Modules/_decimal/libmpdec/mpdecimal.c', 'Modules/_decimal/libmpdec/mpdecimal.h'],
};

const hex = (algorithm, data) => createHash(algorithm).update(data).digest('hex');
const spdxId = (value) => value.replace(/[^a-zA-Z0-9.-]+/g, '-');

function manifest() {
  const sbomFiles = [];
  const relationships = [];
  for (const [name, paths] of Object.entries(owners)) {
    for (const path of paths) {
      const data = Buffer.from(files[path]);
      sbomFiles.push({
        SPDXID: spdxId(`SPDXRef-FILE-${path}`),
        checksums: [
          { algorithm: 'SHA1', checksumValue: hex('sha1', data) },
          { algorithm: 'SHA256', checksumValue: hex('sha256', data) },
        ],
        fileName: path,
      });
      relationships.push({
        relatedSpdxElement: spdxId(`SPDXRef-FILE-${path}`),
        relationshipType: 'CONTAINS',
        spdxElementId: `SPDXRef-PACKAGE-${name}`,
      });
    }
  }
  return pythonJsonDumpsIndented({
    SPDXID: 'SPDXRef-DOCUMENT',
    files: sbomFiles,
    packages: manifestPackages,
    relationships,
    spdxVersion: 'SPDX-2.3',
  });
}

function pipWheel() {
  const distInfo = `pip-${PIP_VERSION}.dist-info`;
  const members = {
    'pip/__init__.py': `__version__ = "${PIP_VERSION}"\n`,
    'pip/_vendor/__init__.py': '',
    'pip/_vendor/vendor.txt': [
      'CacheControl==0.14.0  # a comment, as pip writes them',
      'packaging==24.0',
      'requests==2.31.0',
      '    certifi==2024.2.2',
      '    urllib3==1.26.18',
      'typing_extensions==4.9.0',
      '',
    ].join('\n'),
    [`${distInfo}/METADATA`]: `Metadata-Version: 2.1\nName: pip\nVersion: ${PIP_VERSION}\nLicense: MIT\nClassifier: License :: OSI Approved :: MIT License\n`,
    [`${distInfo}/WHEEL`]: 'Wheel-Version: 1.0\nGenerator: cpython-sbom sample\nRoot-Is-Purelib: true\nTag: py3-none-any\n',
  };
  const record = Object.entries(members)
    .map(([name, text]) => `${name},sha256=${createHash('sha256').update(text).digest('base64url')},${Buffer.byteLength(text)}`)
    .concat([`${distInfo}/RECORD,,`])
    .join('\n');
  members[`${distInfo}/RECORD`] = `${record}\n`;
  const zip = new yazl.ZipFile();
  // A fixed timestamp keeps the wheel byte-identical from build to build.
  const mtime = new Date(Date.UTC(2024, 0, 1));
  for (const [name, text] of Object.entries(members)) zip.addBuffer(Buffer.from(text), name, { mtime, mode: 0o100644 });
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks = [];
    zip.outputStream.on('data', (chunk) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

rmSync(root, { recursive: true, force: true });
const write = (path, data) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), data);
};
for (const [path, text] of Object.entries(files)) write(path, text);
write('Misc/sbom.spdx.json', manifest());
write(`Lib/ensurepip/_bundled/pip-${PIP_VERSION}-py3-none-any.whl`, await pipWheel());
console.log(`wrote ${root}`);
