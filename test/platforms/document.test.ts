import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, run, tempDir } from '../support/cli.js';

/**
 * The platform document as written: the recipe's patches as the library's pedigree (hashed), the
 * link relationships, the catalog's license with its comment, the assumptions, in SPDX and CycloneDX.
 */

const work = tempDir('platform-document-');
const tree = join(work, 'tree');
cpSync(join(REPO, 'fixtures', 'platforms', 'tree'), tree, { recursive: true });
// An old build host: the synthetic recipe then takes Tk 8.6.8 with Mac/BuildScript/example_tk.patch.
const recipe = join(tree, 'Mac/BuildScript/build-installer.py');
writeFileSync(recipe, readFileSync(recipe, 'utf8').replace('return getBuildTuple() < (10, 15)', 'return True'));
const patchSha = createHash('sha256')
  .update(readFileSync(join(tree, 'Mac/BuildScript/example_tk.patch')))
  .digest('hex');

interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo?: string;
  checksums?: { algorithm: string; checksumValue: string }[];
  licenseDeclared?: string;
  licenseComments?: string;
  packageFileName?: string;
}

describe('the macOS document of a tree whose recipe patches Tk', () => {
  it('SPDX: the patch as an element PATCH_APPLIED to Tk with its SHA-256, links from CPython, the assumptions', async () => {
    const result = await run(['generate', tree, '--platform', 'macos', '--output', '-']);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as {
      comment: string;
      packages: SpdxPackage[];
      relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
    };
    const tk = doc.packages.find((p) => p.name === 'Tk') as SpdxPackage;
    expect(tk.versionInfo).toBe('8.6.8');
    expect(tk.checksums).toEqual([{ algorithm: 'MD5', checksumValue: '33333333333333333333333333333333' }]);
    const patch = doc.packages.find((p) => p.packageFileName === 'Mac/BuildScript/example_tk.patch') as SpdxPackage;
    expect(patch.checksums).toEqual([{ algorithm: 'SHA256', checksumValue: patchSha }]);
    expect(doc.relationships).toContainEqual({ spdxElementId: patch.SPDXID, relationshipType: 'PATCH_APPLIED', relatedSpdxElement: tk.SPDXID });
    const cpython = doc.packages.find((p) => p.name === 'CPython') as SpdxPackage;
    const link = (name: string) =>
      doc.relationships.find(
        (r) =>
          r.spdxElementId === cpython.SPDXID &&
          r.relatedSpdxElement === doc.packages.find((p) => p.name === name)?.SPDXID &&
          r.relationshipType.endsWith('_LINK'),
      )?.relationshipType;
    expect([link('Tk'), link('SQLite'), link('OpenSSL')]).toEqual(['DYNAMIC_LINK', 'STATIC_LINK', 'DYNAMIC_LINK']);
    expect(tk.licenseDeclared).toBe('TCL');
    expect(tk.licenseComments).toContain("cpython-sbom's catalog");
    expect(doc.comment).toContain('deployment-target=10.13');
  });

  it('CycloneDX: the patch in pedigree, the checksum on the distribution reference', async () => {
    const result = await run(['generate', tree, '--platform', 'macos', '--format', 'cyclonedx-json', '--output', '-']);
    expect(result.code, result.stderr).toBe(0);
    type Component = {
      name: string;
      pedigree?: { patches?: { diff?: { url?: string } }[] };
      externalReferences?: { type: string; url: string; hashes?: { alg: string; content: string }[] }[];
      properties?: { name: string; value: string }[];
    };
    const bom = JSON.parse(result.stdout) as { components: Component[] };
    const tk = bom.components.find((c) => c.name === 'Tk') as Component;
    expect(JSON.stringify(tk.pedigree)).toContain('example_tk.patch');
    const openssl = bom.components.find((c) => c.name === 'OpenSSL') as Component;
    expect(openssl.externalReferences?.find((r) => r.type === 'distribution')).toEqual({
      type: 'distribution',
      url: 'https://example.org/openssl-3.0.99.tar.gz',
      hashes: [{ alg: 'SHA-256', content: '1111111111111111111111111111111111111111111111111111111111111111' }],
    });
  });
});
