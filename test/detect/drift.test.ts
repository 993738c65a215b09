import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/catalog/catalog.js';
import { versionDrift } from '../../src/detect/drift.js';
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

const catalog: Catalog = {
  components: [
    {
      name: 'expat',
      files: { include: [], exclude: [] },
      manifestErrata: [{ cpython: '3.13.5', manifest: '2.6.3', sources: '2.7.1', note: 'stale entry' }],
    },
  ],
};

describe('version drift between the sources and Misc/sbom.spdx.json', () => {
  it('is a finding naming the component, both versions and where the detected one was read', () => {
    const { findings, warnings } = versionDrift([pkg('expat', '2.8.2')], [pkg('expat', '2.9.0', 'version from Modules/expat/expat.h')], '3.13.15', catalog);
    expect(warnings).toEqual([]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'version-drift', component: 'expat' });
    expect(findings[0]?.message).toBe('expat: the vendored sources say 2.9.0 (Modules/expat/expat.h) but Misc/sbom.spdx.json says 2.8.2');
  });

  it('is silent when they agree, when the component is not in the manifest, or when no version was found', () => {
    const manifest = [pkg('expat', '2.8.2'), pkg('libb2', '0.98.1')];
    const detected = [pkg('expat', '2.8.2'), pkg('tiny_sha3', 'abc'), pkg('libb2', '')];
    expect(versionDrift(manifest, detected, '3.13.15', catalog)).toEqual({ findings: [], warnings: [] });
  });

  it('downgrades a recorded erratum of that exact release to a warning, and nothing else', () => {
    const known = versionDrift([pkg('expat', '2.6.3')], [pkg('expat', '2.7.1')], '3.13.5', catalog);
    expect(known.findings).toEqual([]);
    expect(known.warnings[0]).toMatch(/expat: Misc\/sbom\.spdx\.json says 2\.6\.3 but the sources are 2\.7\.1 .*known erratum of CPython 3\.13\.5/);
    // Another release, or another version on either side, is still refused.
    expect(versionDrift([pkg('expat', '2.6.3')], [pkg('expat', '2.7.1')], '3.13.6', catalog).findings).toHaveLength(1);
    expect(versionDrift([pkg('expat', '2.6.3')], [pkg('expat', '2.7.2')], '3.13.5', catalog).findings).toHaveLength(1);
    expect(versionDrift([pkg('expat', '2.6.2')], [pkg('expat', '2.7.1')], '3.13.5', catalog).findings).toHaveLength(1);
  });
});
