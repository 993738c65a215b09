import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { type JsonValue, pythonJsonDumpsIndented, sortListsLikeReleaseTools } from '../../src/util/python-json.js';
import { REPO, run } from '../support/cli.js';
import { REAL, hasReal, realPath } from '../support/real.js';

/**
 * Byte-for-byte parity with python.org's release tooling. The reference documents were written by
 * release-tools' own sbom.py (fixtures/diff/python.org/README.md says how). Three differences are
 * by design and are undone on the reference before comparing:
 *  - we write `PACKAGE-MANAGER` (the strict SPDX 2.3 schema refuses `PACKAGE_MANAGER`);
 *  - offline, pip's vendored projects have no checksum (the reference's stub wrote all zeros);
 *  - the creators name our tool, not ReleaseTools.
 * Everything else — every file entry and SPDX id, every relationship, every package field, the
 * verification codes, the key order and the list order — must be identical.
 */
function referenceAsWeWriteIt(name: string): string {
  const text = gunzipSync(readFileSync(join(REPO, 'fixtures', 'diff', 'python.org', `${name}.spdx.json.gz`))).toString('utf8');
  const doc = JSON.parse(text) as {
    creationInfo: { creators: string[] };
    packages: { checksums?: { checksumValue: string }[]; externalRefs?: { referenceCategory: string }[] }[];
  };
  for (const pkg of doc.packages) {
    for (const ref of pkg.externalRefs ?? []) {
      if (ref.referenceCategory === 'PACKAGE_MANAGER') ref.referenceCategory = 'PACKAGE-MANAGER';
    }
    if (pkg.checksums?.length === 1 && /^0{64}$/.test(pkg.checksums[0]?.checksumValue ?? '')) delete pkg.checksums;
  }
  return doc as unknown as string;
}

async function compare(tarballName: string, version: string) {
  const reference = referenceAsWeWriteIt(tarballName) as unknown as { creationInfo: { creators: string[] } };
  const ours = await run(['generate', realPath(tarballName) as string, '--profile', 'python.org', '--output', '-', '--no-progress']);
  expect(ours.code, ours.stderr).toBe(0);
  const oursDoc = JSON.parse(ours.stdout) as { creationInfo: { creators: string[] } };
  expect(oursDoc.creationInfo.creators).toEqual([expect.stringMatching(/^Tool: cpython-sbom-\d/)]);
  reference.creationInfo.creators = oursDoc.creationInfo.creators;
  const expected = pythonJsonDumpsIndented(sortListsLikeReleaseTools(reference as unknown as JsonValue));
  expect(ours.stdout.length).toBe(expected.length);
  expect(ours.stdout === expected, `our ${version} SBOM differs from python.org's`).toBe(true);
}

describe.skipIf(!hasReal(REAL.py31315))('generate matches python.org release tooling on Python-3.13.15.tar.xz', () => {
  it('byte for byte, but for the three documented differences', async () => {
    await compare(REAL.py31315, '3.13.15');
  });
});

describe.skipIf(!hasReal(REAL.py3135))('generate matches python.org release tooling on Python-3.13.5.tar.xz', () => {
  it('byte for byte, but for the three documented differences (the stale expat entry of 3.13.5 warned about)', async () => {
    await compare(REAL.py3135, '3.13.5');
  });
});
