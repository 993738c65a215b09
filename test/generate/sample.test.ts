import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageVerificationCode } from '../../src/formats/spdx/write.js';
import { REPO, SAMPLE, run, tempDir } from '../support/cli.js';

interface SpdxDoc {
  documentNamespace: string;
  creationInfo: { created: string; creators: string[] };
  packages: {
    SPDXID: string;
    name: string;
    versionInfo?: string;
    supplier?: string;
    filesAnalyzed?: boolean;
    packageVerificationCode?: { packageVerificationCodeValue: string };
    externalRefs?: { referenceCategory: string; referenceType: string; referenceLocator: string }[];
    checksums?: { algorithm: string; checksumValue: string }[];
    downloadLocation: string;
    packageFileName?: string;
  }[];
  files: { SPDXID: string; fileName: string; checksums: { algorithm: string; checksumValue: string }[] }[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
}

async function sampleSpdx(): Promise<{ text: string; doc: SpdxDoc }> {
  const result = await run(['generate', SAMPLE, '--profile', 'python.org', '--output', '-']);
  expect(result.code, result.stderr).toBe(0);
  return { text: result.stdout, doc: JSON.parse(result.stdout) as SpdxDoc };
}

const GOLDEN = join(REPO, 'fixtures', 'golden', 'sample-cpython.spdx.json');

describe('generate on the bundled sample tree', () => {
  it('matches the golden SPDX document byte for byte', async () => {
    const { text } = await sampleSpdx();
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text);
    expect(text).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('lists the manifest packages, pip from its wheel and every vendor.txt project', async () => {
    const { doc } = await sampleSpdx();
    const versions = Object.fromEntries(doc.packages.map((pkg) => [pkg.name, pkg.versionInfo]));
    expect(versions).toEqual({
      CPython: '3.13.0',
      expat: '2.6.3',
      mpdecimal: '2.5.1',
      pip: '24.0',
      cachecontrol: '0.14.0',
      packaging: '24.0',
      requests: '2.31.0',
      certifi: '2024.2.2',
      urllib3: '1.26.18',
      typing_extensions: '4.9.0',
    });
    const ids = new Set(doc.packages.map((pkg) => pkg.SPDXID));
    expect(ids.has('SPDXRef-PACKAGE-typing-extensions')).toBe(true);
  });

  it("relates CPython, its vendored packages, pip and pip's projects", async () => {
    const { doc } = await sampleSpdx();
    const rel = (type: string, from: string) =>
      doc.relationships
        .filter((r) => r.relationshipType === type && r.spdxElementId === from)
        .map((r) => r.relatedSpdxElement)
        .sort();
    expect(rel('DESCRIBES', 'SPDXRef-DOCUMENT')).toEqual(['SPDXRef-PACKAGE-cpython']);
    expect(rel('DEPENDS_ON', 'SPDXRef-PACKAGE-cpython')).toEqual(['SPDXRef-PACKAGE-expat', 'SPDXRef-PACKAGE-mpdecimal', 'SPDXRef-PACKAGE-pip']);
    expect(rel('DEPENDS_ON', 'SPDXRef-PACKAGE-pip')).toHaveLength(6);
    expect(rel('CONTAINS', 'SPDXRef-PACKAGE-expat')).toEqual([
      'SPDXRef-FILE-Modules-expat-COPYING',
      'SPDXRef-FILE-Modules-expat-expat.h',
      'SPDXRef-FILE-Modules-expat-xmlparse.c',
    ]);
    // expat_config.h is CPython's, not expat's; so is the wheel (as python.org's tooling has it).
    const cpythonFiles = rel('CONTAINS', 'SPDXRef-PACKAGE-cpython');
    expect(cpythonFiles).toContain('SPDXRef-FILE-Modules-expat-expat-config.h');
    expect(cpythonFiles).toContain('SPDXRef-FILE-Lib-ensurepip-bundled-pip-24.0-py3-none-any.whl');
    // Every file has exactly one owner.
    const contained = doc.relationships.filter((r) => r.relationshipType === 'CONTAINS').map((r) => r.relatedSpdxElement);
    expect(new Set(contained).size).toBe(contained.length);
    expect(contained.length).toBe(doc.files.length);
  });

  it('gives every package the supplier, filesAnalyzed and a correct verification code', async () => {
    const { doc } = await sampleSpdx();
    const sha1 = new Map(doc.files.map((f) => [f.SPDXID, f.checksums.find((c) => c.algorithm === 'SHA1')?.checksumValue ?? '']));
    for (const pkg of doc.packages) {
      expect(pkg.supplier).toBe('Organization: Python Software Foundation');
      expect(pkg.filesAnalyzed).toBe(true);
      const owned = doc.relationships
        .filter((r) => r.relationshipType === 'CONTAINS' && r.spdxElementId === pkg.SPDXID)
        .map((r) => sha1.get(r.relatedSpdxElement) as string);
      const expected = createHash('sha1').update(owned.sort().join('')).digest('hex');
      expect(pkg.packageVerificationCode?.packageVerificationCodeValue).toBe(expected);
    }
    expect(packageVerificationCode([])).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });

  it('hashes every file with SHA-1 and SHA-256 of its bytes', async () => {
    const { doc } = await sampleSpdx();
    for (const file of doc.files) {
      const bytes = readFileSync(join(SAMPLE, file.fileName));
      expect(file.checksums).toEqual([
        { algorithm: 'SHA1', checksumValue: createHash('sha1').update(bytes).digest('hex') },
        { algorithm: 'SHA256', checksumValue: createHash('sha256').update(bytes).digest('hex') },
      ]);
    }
  });

  it('writes purls as PACKAGE-MANAGER and CPE for CPython and pip', async () => {
    const { doc } = await sampleSpdx();
    const refs = (name: string) => doc.packages.find((p) => p.name === name)?.externalRefs ?? [];
    expect(refs('CPython')).toEqual([
      { referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:python:python:3.13.0:*:*:*:*:*:*:*' },
    ]);
    expect(refs('pip').map((r) => r.referenceLocator)).toEqual(['pkg:pypi/pip@24.0', 'cpe:2.3:a:pypa:pip:24.0:*:*:*:*:*:*:*']);
    expect(refs('urllib3')).toEqual([{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:pypi/urllib3@1.26.18' }]);
    expect(doc.packages.find((p) => p.name === 'pip')?.downloadLocation).toBe('https://files.pythonhosted.org/packages/py3/p/pip/pip-24.0-py3-none-any.whl');
    expect(doc.packages.find((p) => p.name === 'urllib3')?.downloadLocation).toBe('NOASSERTION');
  });

  it('is reproducible with SOURCE_DATE_EPOCH and uses the clock without it', async () => {
    const first = await run(['generate', SAMPLE, '--output', '-']);
    const second = await run(['generate', SAMPLE, '--output', '-']);
    expect(first.stdout).toBe(second.stdout);
    expect((JSON.parse(first.stdout) as SpdxDoc).creationInfo.created).toBe('2024-01-01T00:00:00Z');
    const now = await run(['generate', SAMPLE, '--output', '-'], { SOURCE_DATE_EPOCH: '' });
    const created = (JSON.parse(now.stdout) as SpdxDoc).creationInfo.created;
    expect(created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(created).not.toBe('2024-01-01T00:00:00Z');
    const bad = await run(['generate', SAMPLE, '--output', '-'], { SOURCE_DATE_EPOCH: 'yesterday' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('SOURCE_DATE_EPOCH');
  });
});

describe('generate on a tarball of the sample tree', () => {
  const dir = tempDir();
  const makeTarball = (name: string, flags: string) => {
    const staging = join(dir, 'staging');
    cpSync(SAMPLE, join(staging, 'Python-3.13.0'), { recursive: true });
    const tarball = join(dir, name);
    execFileSync('tar', [flags, tarball, '-C', staging, 'Python-3.13.0']);
    return tarball;
  };

  it.each([
    ['Python-3.13.0.tgz', '-czf'],
    ['Python-3.13.0.tar.xz', '-cJf'],
  ])('describes %s like the unpacked tree, plus the artifact', async (name, flags) => {
    const tarball = makeTarball(name, flags);
    const fromTarball = JSON.parse((await run(['generate', tarball, '--output', '-'])).stdout) as SpdxDoc;
    const fromTree = JSON.parse((await run(['generate', SAMPLE, '--output', '-'])).stdout) as SpdxDoc;
    expect(fromTarball.files).toEqual(fromTree.files);
    // The complete profile's identity follows its content and profile; python.org's is python.org's own.
    expect(fromTarball.documentNamespace).toMatch(new RegExp(`^https://spdx\\.org/spdxdocs/cpython-sbom/${name.replace(/\./g, '\\.')}-complete-[0-9a-f]{32}$`));
    const pythonOrg = JSON.parse((await run(['generate', tarball, '--profile', 'python.org', '--output', '-'])).stdout) as SpdxDoc;
    expect(pythonOrg.documentNamespace).toBe(`https://www.python.org/ftp/python/3.13.0/${name}.spdx.json`);
    const cpython = fromTarball.packages.find((p) => p.name === 'CPython');
    expect(cpython?.packageFileName).toBe(name);
    expect(cpython?.downloadLocation).toBe(`https://www.python.org/ftp/python/3.13.0/${name}`);
    const sha256 = createHash('sha256').update(readFileSync(tarball)).digest('hex');
    expect(cpython?.checksums).toEqual([{ algorithm: 'SHA256', checksumValue: sha256 }]);
    expect(fromTree.packages.find((p) => p.name === 'CPython')?.checksums).toBeUndefined();
  });

  it('names files after the artifact in --out-dir and beside the tarball by default', async () => {
    const tarball = makeTarball('Python-3.13.0.tgz', '-czf');
    const out = join(dir, 'out');
    const result = await run(['generate', tarball, '--format', 'spdx-json', '--out-dir', out]);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(out, 'Python-3.13.0.tgz.spdx.json'))).toBe(true);
    const beside = await run(['generate', tarball]);
    expect(beside.code, beside.stderr).toBe(0);
    expect(existsSync(join(dir, 'Python-3.13.0.tgz.spdx.json'))).toBe(true);
  });
});
