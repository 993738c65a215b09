import { describe, expect, it } from 'vitest';
import { recordSourcesVersion, versionDrift } from '../../src/detect/drift.js';
import type { Package } from '../../src/model/types.js';

const pkg = (name: string, version: string, comment?: string): Package => ({
  ref: name,
  name,
  version,
  checksums: {},
  files: [],
  dependsOn: [],
  ...(comment ? { comment } : {}),
});

describe('version drift between the sources and Misc/sbom.spdx.json', () => {
  it('is reported naming the component, both versions and where the detected one was read', () => {
    const { findings, drifts } = versionDrift([pkg('expat', '2.8.2')], [pkg('expat', '2.9.0', 'version from Modules/expat/expat.h')]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'version-drift', component: 'expat' });
    expect(findings[0]?.message).toBe('expat: the vendored sources say 2.9.0 (Modules/expat/expat.h) but Misc/sbom.spdx.json says 2.8.2');
    expect(drifts.map((d) => [d.listed.version, d.found.version, d.where])).toEqual([['2.8.2', '2.9.0', 'Modules/expat/expat.h']]);
  });

  it('is silent when they agree, when the component is not in the manifest, or when no version was found', () => {
    const manifest = [pkg('expat', '2.8.2'), pkg('libb2', '0.98.1')];
    const detected = [pkg('expat', '2.8.2'), pkg('tiny_sha3', 'abc'), pkg('libb2', '')];
    expect(versionDrift(manifest, detected)).toEqual({ findings: [], drifts: [] });
  });

  it('no longer depends on a hand-kept list of errata: 3.13.5 and 3.13.7 drift alike', () => {
    for (const version of ['3.13.5', '3.13.7']) {
      void version;
      expect(versionDrift([pkg('expat', '2.6.3')], [pkg('expat', '2.7.1')]).findings).toHaveLength(1);
    }
  });

  it('under the complete profile, the manifest package takes the sources version and identifiers, keeping the manifest version in a comment', () => {
    const listed: Package = {
      ...pkg('expat', '2.6.3'),
      cpe: 'cpe:2.3:a:libexpat_project:libexpat:2.6.3:*:*:*:*:*:*:*',
      checksums: { SHA256: 'a'.repeat(64) },
      files: ['Modules/expat/xmlparse.c'],
    };
    const found: Package = {
      ...pkg('expat', '2.7.1', 'version from Modules/expat/expat.h'),
      cpe: 'cpe:2.3:a:libexpat_project:libexpat:2.7.1:*:*:*:*:*:*:*',
      checksums: { SHA256: 'b'.repeat(64) },
      downloadLocation: 'https://example.org/expat-2.7.1.tar.gz',
    };
    const [drift] = versionDrift([listed], [found]).drifts;
    recordSourcesVersion(drift as NonNullable<typeof drift>);
    expect(listed).toMatchObject({
      version: '2.7.1',
      cpe: found.cpe,
      checksums: { SHA256: 'b'.repeat(64) },
      downloadLocation: 'https://example.org/expat-2.7.1.tar.gz',
      files: ['Modules/expat/xmlparse.c'],
      comment: 'version 2.7.1 from Modules/expat/expat.h; Misc/sbom.spdx.json says 2.6.3',
    });
  });
});
