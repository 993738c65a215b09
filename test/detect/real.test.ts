import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { vendoredDetectors } from '../../src/detect/registry.js';
import { REAL, hasReal, realPath } from '../support/real.js';
import { run, tempDir } from '../support/cli.js';
import { runDetectors } from './helpers.js';

interface SpdxDoc {
  packages: { SPDXID: string; name: string; versionInfo?: string; externalRefs?: { referenceLocator: string; referenceType?: string }[] }[];
  files: { SPDXID: string; fileName: string }[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
}

const PIP_22_3_1_VENDORED = {
  cachecontrol: '0.12.11',
  colorama: '0.4.5',
  distlib: '0.3.6',
  distro: '1.7.0',
  msgpack: '1.0.4',
  packaging: '21.3',
  pep517: '0.13.0',
  platformdirs: '2.5.2',
  pyparsing: '3.0.9',
  requests: '2.28.1',
  certifi: '2022.09.24',
  chardet: '5.0.0',
  idna: '3.4',
  urllib3: '1.26.12',
  rich: '12.5.1',
  pygments: '2.13.0',
  typing_extensions: '4.4.0',
  resolvelib: '0.8.1',
  setuptools: '44.0.0',
  six: '1.16.0',
  tenacity: '8.1.0',
  tomli: '2.0.1',
  webencodings: '0.5.1',
};

/**
 * The two items of the tree whose files state no license the SPDX list has: IBM's decimal test
 * cases (copyright, all rights reserved, offered as-is) and the JIS X 0213 table (its own
 * free-use notice). The complete profile says so; test/complete/real-licenses.test.ts pins them.
 */
const NO_LICENSE_TEXT =
  /^cpython-sbom: warning: (General Decimal Arithmetic test cases|JIS X 0213:2004 mapping table|Unicode Character Database|example2? 21\.12|example2 1\.0\.0|my-test-package 1\.0).*no license could be established/;

describe.skipIf(!hasReal(REAL.py3112))('the real Python-3.11.2.tgz (no manifest)', () => {
  const tarball = realPath(REAL.py3112) as string;

  it('lists CPython, its vendored C and Python components, pip with its 23 projects and the setuptools wheel', async () => {
    // What detection finds, as python.org's tooling would list it (the complete profile adds
    // the code Doc/license.rst names: test/complete/real.test.ts).
    const result = await run(['generate', tarball, '--profile', 'python.org', '--output', '-']);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as SpdxDoc;
    const byId = new Map(doc.packages.map((p) => [p.SPDXID, p]));
    const version = (id: string) => byId.get(id)?.versionInfo;
    expect(version('SPDXRef-PACKAGE-cpython')).toBe('3.11.2');
    expect(version('SPDXRef-PACKAGE-expat')).toBe('2.5.0');
    expect(version('SPDXRef-PACKAGE-mpdecimal')).toBe('2.5.1');
    expect(version('SPDXRef-PACKAGE-tiny-sha3')).toBe('dcbb3192047c2a721f5f851db591871d428036a9');
    expect(version('SPDXRef-PACKAGE-libb2')).toBe('0.98.1');
    expect(byId.get('SPDXRef-PACKAGE-libffi')).toMatchObject({ name: 'libffi', versionInfo: '1.20' });
    expect(version('SPDXRef-PACKAGE-macholib')).toBe('1.0');
    expect(version('SPDXRef-PACKAGE-pip')).toBe('22.3.1');
    expect(byId.get('SPDXRef-PACKAGE-setuptools')).toMatchObject({ name: 'setuptools', versionInfo: '65.5.0' });
    expect(byId.get('SPDXRef-PACKAGE-pip-setuptools')).toMatchObject({ name: 'setuptools', versionInfo: '44.0.0' });
    expect(byId.get('SPDXRef-PACKAGE-expat')?.externalRefs?.find((ref) => ref.referenceType === 'cpe23Type')?.referenceLocator).toBe(
      'cpe:2.3:a:libexpat_project:libexpat:2.5.0:*:*:*:*:*:*:*',
    );

    const pipDeps = doc.relationships
      .filter((r) => r.relationshipType === 'DEPENDS_ON' && r.spdxElementId === 'SPDXRef-PACKAGE-pip')
      .map((r) => byId.get(r.relatedSpdxElement));
    expect(Object.fromEntries(pipDeps.map((p) => [p?.name, p?.versionInfo]))).toEqual(PIP_22_3_1_VENDORED);
    expect(pipDeps).toHaveLength(23);
    // setuptools 65.5.0 vendors 11 projects; packaging 21.3, pyparsing 3.0.9 and tomli 2.0.1 are
    // pip's very pins, shared: CPython + 6 components + pip + 23 + setuptools + 8 = 40 packages.
    const setuptoolsDeps = doc.relationships.filter((r) => r.relationshipType === 'DEPENDS_ON' && r.spdxElementId === 'SPDXRef-PACKAGE-setuptools');
    expect(setuptoolsDeps).toHaveLength(11);
    expect(setuptoolsDeps.map((r) => r.relatedSpdxElement)).toContain('SPDXRef-PACKAGE-packaging');
    expect(doc.packages).toHaveLength(40);

    // Every vendored file is its component's, none CPython's.
    const fileName = new Map(doc.files.map((f) => [f.SPDXID, f.fileName]));
    const owner = new Map<string, string>();
    for (const r of doc.relationships)
      if (r.relationshipType === 'CONTAINS') owner.set(fileName.get(r.relatedSpdxElement) as string, byId.get(r.spdxElementId)?.name as string);
    expect(owner.size).toBe(doc.files.length);
    const count = (name: string) => [...owner.values()].filter((n) => n === name).length;
    expect([count('expat'), count('mpdecimal'), count('libb2'), count('tiny_sha3'), count('libffi'), count('macholib')]).toEqual([20, 52, 14, 3, 20, 4]);
    const vendoredDirs =
      /^(Modules\/expat\/(?!expat_config\.h|pyexpatns\.h)|Modules\/_decimal\/libmpdec\/|Modules\/_blake2\/impl\/|Modules\/_ctypes\/libffi_osx\/|Modules\/_sha3\/sha3\.[ch]$)/;
    for (const [file, name] of owner) {
      if (vendoredDirs.test(file)) expect(name, file).not.toBe('CPython');
    }
    expect(owner.get('Lib/ensurepip/_bundled/setuptools-65.5.0-py3-none-any.whl')).toBe('setuptools');
  });
});

describe.each([
  [REAL.py3135, { expat: '2.7.1' }],
  [REAL.py31315, { expat: '2.8.2' }],
])('%s: detection beside the manifest', (name, expected) => {
  it.skipIf(!hasReal(name))('finds every manifest component at the manifest’s version (3.13.5: its stale expat entry is drift, a warning)', async () => {
    const dir = tempDir();
    execFileSync('tar', ['xf', realPath(name) as string, '-C', dir, '--strip-components=1']);
    const manifest = JSON.parse(readFileSync(join(dir, 'Misc/sbom.spdx.json'), 'utf8')) as SpdxDoc;
    const { packages, findings, warnings } = await runDetectors(dir, vendoredDetectors());
    expect(findings).toEqual([]);
    expect(warnings).toEqual([]);
    const detected = Object.fromEntries(packages.map((p) => [p.name, p.version]));
    expect(Object.keys(detected).sort()).toEqual(['expat', 'hacl-star', 'libb2', 'macholib', 'mpdecimal']);
    expect(detected.expat).toBe(expected.expat);
    for (const pkg of manifest.packages) {
      if (pkg.name === 'expat' && name === REAL.py3135) {
        expect(pkg.versionInfo).toBe('2.6.3'); // the stale entry: the sources are 2.7.1
        continue;
      }
      expect(detected[pkg.name], pkg.name).toBe(pkg.versionInfo);
    }

    const ok = await run(['generate', dir, '--output', '-']);
    expect(ok.code, ok.stderr).toBe(0);
    // No hand-kept errata: 3.13.5's stale expat entry is drift, reported as a warning; the complete
    // profile records the sources' 2.7.1 and python.org's keeps the manifest's 2.6.3.
    if (name === REAL.py3135) {
      expect(ok.stderr.split('\n').filter((line) => !NO_LICENSE_TEXT.test(line))).toEqual([
        'cpython-sbom: warning: expat: the vendored sources say 2.7.1 (Modules/expat/expat.h) but Misc/sbom.spdx.json says 2.6.3',
        '',
      ]);
      const version = (out: string) => (JSON.parse(out) as SpdxDoc).packages.find((p) => p.name === 'expat')?.versionInfo;
      expect(version(ok.stdout)).toBe('2.7.1');
      expect(version((await run(['generate', dir, '--output', '-', '--profile', 'python.org'])).stdout)).toBe('2.6.3');
    } else expect(ok.stderr.split('\n').filter((line) => !NO_LICENSE_TEXT.test(line))).toEqual(['']);

    // A copy whose expat.h claims another version is refused (its hash is not the manifest's), naming expat and both versions.
    const header = join(dir, 'Modules/expat/expat.h');
    writeFileSync(header, readFileSync(header, 'utf8').replace(/(XML_MICRO_VERSION\s+)\d+/, '$199'));
    const refused = await run(['generate', dir, '--output', '-']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    const claimed = `${expected.expat.split('.').slice(0, 2).join('.')}.99`;
    const listed = name === REAL.py3135 ? '2.6.3' : '2.8.2';
    expect(refused.stderr).toContain(`expat: the vendored sources say ${claimed} (Modules/expat/expat.h) but Misc/sbom.spdx.json says ${listed}`);
  });
});
