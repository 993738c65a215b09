import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL, hasReal, realPath } from '../support/real.js';
import { run, tempDir } from '../support/cli.js';

interface SpdxDoc {
  documentNamespace: string;
  packages: {
    SPDXID: string;
    name: string;
    versionInfo?: string;
    checksums?: { algorithm: string; checksumValue: string }[];
    externalRefs?: { referenceType: string; referenceLocator: string }[];
  }[];
  files: { SPDXID: string; fileName: string; checksums: { algorithm: string; checksumValue: string }[] }[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
}

async function generate(source: string): Promise<SpdxDoc> {
  const result = await run(['generate', source, '--profile', 'python.org', '--output', '-', '--no-progress']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as SpdxDoc;
}

const dependsOn = (doc: SpdxDoc, from: string) =>
  doc.relationships
    .filter((r) => r.relationshipType === 'DEPENDS_ON' && r.spdxElementId === from)
    .map((r) => r.relatedSpdxElement)
    .sort();

const PIP_26_2_1_VENDORED = {
  cachecontrol: '0.14.4',
  distlib: '0.4.2',
  distro: '1.9.0',
  msgpack: '1.1.2',
  packaging: '26.2',
  platformdirs: '4.10.0',
  'pyproject-hooks': '1.2.0',
  requests: '2.34.2',
  certifi: '2026.6.17',
  idna: '3.18',
  urllib3: '2.7.0',
  rich: '14.2.0',
  pygments: '2.20.0',
  resolvelib: '1.2.1',
  setuptools: '70.3.0',
  tomli: '2.4.1',
  'tomli-w': '1.2.0',
  truststore: '0.10.4',
};

describe.skipIf(!hasReal(REAL.py31315))('generate on the real Python-3.13.15.tar.xz', () => {
  const tarball = realPath(REAL.py31315) as string;
  let doc: SpdxDoc;

  it('lists the 25 packages python.org lists, at their versions', async () => {
    doc = await generate(tarball);
    const versions = Object.fromEntries(doc.packages.map((p) => [p.name, p.versionInfo]));
    expect(versions).toEqual({
      CPython: '3.13.15',
      expat: '2.8.2',
      'hacl-star': 'bb3d0dc8d9d15a5cd51094d5b69e70aa09005ff0',
      libb2: '0.98.1',
      macholib: '1.0',
      mpdecimal: '2.5.1',
      pip: '26.2.1',
      ...PIP_26_2_1_VENDORED,
    });
    expect(doc.files).toHaveLength(4859);
  });

  it('describes the artifact as python.org publishes it', () => {
    expect(doc.documentNamespace).toBe('https://www.python.org/ftp/python/3.13.15/Python-3.13.15.tar.xz.spdx.json');
    const cpython = doc.packages.find((p) => p.name === 'CPython');
    expect(cpython?.checksums).toEqual([{ algorithm: 'SHA256', checksumValue: '1e66a7945a48390ee4c2a4268a0e4185884059a13c4aab6d148aa208deea4a76' }]);
    expect(cpython?.externalRefs?.[0]?.referenceLocator).toBe('cpe:2.3:a:python:python:3.13.15:*:*:*:*:*:*:*');
    expect(dependsOn(doc, 'SPDXRef-PACKAGE-cpython')).toEqual(
      ['expat', 'hacl-star', 'libb2', 'macholib', 'mpdecimal', 'pip'].map((n) => `SPDXRef-PACKAGE-${n}`),
    );
    expect(dependsOn(doc, 'SPDXRef-PACKAGE-pip')).toHaveLength(18);
    const contains = doc.relationships.filter((r) => r.relationshipType === 'CONTAINS');
    expect(contains).toHaveLength(4859);
    // 3.13.15 counts Modules/expat/refresh.sh as CPython's (3.13.5 counted it as expat's).
    const owner = contains.find((r) => r.relatedSpdxElement === 'SPDXRef-FILE-Modules-expat-refresh.sh');
    expect(owner?.spdxElementId).toBe('SPDXRef-PACKAGE-cpython');
  });

  it('keeps SPDX ids unique where paths collide (Lib/importlib/_abc.py vs abc.py)', () => {
    const ids = doc.files.map((f) => f.SPDXID);
    expect(new Set(ids).size).toBe(ids.length);
    const byName = new Map(doc.files.map((f) => [f.fileName, f.SPDXID]));
    expect(byName.get('Lib/importlib/_abc.py')).toBe('SPDXRef-FILE-Lib-importlib-abc.py');
    expect(byName.get('Lib/importlib/abc.py')).toMatch(/^SPDXRef-FILE-Lib-importlib-abc\.py-[0-9a-f]{8}$/);
  });

  it('gives the unpacked tree the same files and hashes', async () => {
    const dir = tempDir();
    execFileSync('tar', ['-xJf', tarball, '-C', dir]);
    const fromTree = await generate(join(dir, 'Python-3.13.15'));
    expect(fromTree.files).toEqual(doc.files);
    expect(fromTree.relationships.length).toBe(doc.relationships.length);
  });
});

describe.skipIf(!hasReal(REAL.py3135))('generate on the real Python-3.13.5.tar.xz', () => {
  it('lists 27 packages and 4,808 files, expat 2.6.3 owning refresh.sh', async () => {
    const doc = await generate(realPath(REAL.py3135) as string);
    const versions = Object.fromEntries(doc.packages.map((p) => [p.name, p.versionInfo]));
    expect(Object.keys(versions)).toHaveLength(27);
    expect(versions).toMatchObject({ CPython: '3.13.5', expat: '2.6.3', pip: '25.1.1', typing_extensions: '4.13.2', 'dependency-groups': '1.3.1' });
    expect(doc.files).toHaveLength(4808);
    const owner = doc.relationships.find((r) => r.relatedSpdxElement === 'SPDXRef-FILE-Modules-expat-refresh.sh');
    expect(owner?.spdxElementId).toBe('SPDXRef-PACKAGE-expat');
  });
});
