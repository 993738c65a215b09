import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { REPO, lazyTempDir, run } from '../support/cli.js';
import { REAL, hasReal, realPath } from '../support/real.js';
import { standInArtifact } from '../support/windows-standins.mjs';
import { documentFacts } from './facts.js';

/**
 * Parity with python.org's release tooling for Windows artifacts. The references were written by
 * release-tools' own sbom.py on stand-ins of the four artifacts with the 3.13.15 source tree
 * (fixtures/windows/python.org/README.md says how); the stand-ins are made again here, byte for
 * byte, and checked against the SHA-256s the references were made from.
 */
const STAND_INS: Record<string, string> = {
  'python-3.13.15-amd64.exe': 'adf05e698067d89e1cd868d51c8d45c350a8368f74264b9c02e383b40526f7e6',
  'python-3.13.15-embed-amd64.zip': '6eb49b3fe6b049610c9944e6dc0e3694fe8aa7c752c4de425dc08bf973bd7117',
  'python-3.13.15t-arm64.exe': '4f2c8d57db624fa45ddcf2b8ac0b605f30d2dda4565447e41b8f6715159ec28a',
  'python-3.13.15-embed-win32.zip': 'c874ffa5b8b94bb09202b6c3397e9f38f8020ab68e8cb032053e52bc15d9e12b',
};

function reference(name: string): unknown {
  return JSON.parse(gunzipSync(readFileSync(join(REPO, 'fixtures', 'windows', 'python.org', `${name}.spdx.json.gz`))).toString('utf8'));
}

describe('Windows stand-in artifacts', () => {
  it('are made with the bytes the references were made from', async () => {
    for (const [name, sha256] of Object.entries(STAND_INS)) {
      const bytes = (await standInArtifact(name)) as Buffer;
      expect(createHash('sha256').update(bytes).digest('hex'), name).toBe(sha256);
    }
  });
});

describe.skipIf(!hasReal(REAL.py31315))('generate --profile python.org matches release tooling on Windows artifacts of 3.13.15', () => {
  const dir = lazyTempDir('cpython-sbom-windows-');
  for (const name of Object.keys(STAND_INS)) {
    it(name, async () => {
      const artifact = join(dir(), name);
      writeFileSync(artifact, await standInArtifact(name));
      const ours = await run(['generate', artifact, '--source', realPath(REAL.py31315) as string, '--profile', 'python.org', '--output', '-']);
      expect(ours.code, ours.stderr).toBe(0);
      const expected = documentFacts(reference(name));
      const actual = documentFacts(JSON.parse(ours.stdout));
      // Packages, versions, checksums, purls, CPEs and the rest of each package, one by one for readable failures.
      expect(Object.keys(actual.packages).sort()).toEqual(Object.keys(expected.packages).sort());
      for (const id of Object.keys(expected.packages)) expect(actual.packages[id], id).toEqual(expected.packages[id]);
      expect(actual.relationships).toEqual(expected.relationships);
      expect(actual.document).toEqual(expected.document);
      // And the artifact's own hash is where the reference has it.
      expect(actual.packages['SPDXRef-PACKAGE-cpython']?.checksums).toEqual([`SHA256:${STAND_INS[name]}`]);
    });
  }
});
