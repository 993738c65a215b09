import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lazyTempDir, run, tempDir } from '../support/cli.js';
import { REAL, hasReal, realPath } from '../support/real.js';
import { embeddableMembers, standInArtifact } from '../support/windows-standins.mjs';
import { syntheticWindowsTree } from './synthetic-tree.js';

interface SpdxDoc {
  comment?: string;
  packages: { SPDXID: string; name: string; versionInfo?: string; annotations?: { comment: string }[]; filesAnalyzed?: boolean }[];
  files: { SPDXID: string; fileName: string; checksums: { algorithm: string; checksumValue: string }[]; comment?: string }[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
}

/** Each listed member's owning package name, from the CONTAINS relationships. */
function owners(doc: SpdxDoc): Map<string, string> {
  const names = new Map(doc.packages.map((pkg) => [pkg.SPDXID, `${pkg.name}${pkg.versionInfo ? ` ${pkg.versionInfo}` : ''}`]));
  const paths = new Map(doc.files.map((file) => [file.SPDXID, file.fileName]));
  const out = new Map<string, string>();
  for (const r of doc.relationships) {
    if (r.relationshipType !== 'CONTAINS') continue;
    const path = paths.get(r.relatedSpdxElement) as string;
    expect(out.has(path), `${path} has one owner`).toBe(false);
    out.set(path, names.get(r.spdxElementId) as string);
  }
  return out;
}

function excluded(doc: SpdxDoc): Map<string, string> {
  return new Map(
    doc.packages
      .filter((pkg) => pkg.annotations?.some((a) => a.comment.startsWith('Excluded: ')))
      .map((pkg) => [`${pkg.name} ${pkg.versionInfo}`, pkg.annotations?.[0]?.comment as string]),
  );
}

async function generateBoth(artifact: string, source: string, outDir: string): Promise<{ spdx: string; cdx: string; doc: SpdxDoc }> {
  const result = await run(['generate', artifact, '--source', source, '--format', 'spdx-json,cyclonedx-json', '--out-dir', outDir]);
  expect(result.code, result.stderr).toBe(0);
  const name = artifact.slice(artifact.lastIndexOf('/') + 1);
  const spdx = join(outDir, `${name}.spdx.json`);
  const cdx = join(outDir, `${name}.cdx.json`);
  const { readFileSync } = await import('node:fs');
  return { spdx, cdx, doc: JSON.parse(readFileSync(spdx, 'utf8')) as SpdxDoc };
}

async function expectValidAndEqual(spdx: string, cdx: string): Promise<void> {
  const validation = await run(['validate', spdx, cdx]);
  expect(validation.code, validation.stdout + validation.stderr).toBe(0);
  const diff = await run(['diff', spdx, cdx, '--format', 'json']);
  expect(diff.code, diff.stdout).toBe(0);
}

describe('generate (complete profile) on a synthetic embeddable package', () => {
  const dir = tempDir('cpython-sbom-windows-complete-');
  const tree = syntheticWindowsTree(dir);
  const artifact = join(dir, 'python-3.13.0-embed-amd64.zip');

  it('lists every member with SHA-1 and SHA-256 and gives each to the component it comes from', async () => {
    writeFileSync(artifact, await standInArtifact('python-3.13.0-embed-amd64.zip'));
    const { spdx, cdx, doc } = await generateBoth(artifact, tree, join(dir, 'out'));
    const members = embeddableMembers('3.13.0', 'amd64');
    expect(doc.files.map((file) => file.fileName).sort()).toEqual([...members].sort());
    for (const file of doc.files) expect(file.checksums.map((c) => c.algorithm).sort(), file.fileName).toEqual(['SHA1', 'SHA256']);

    const owner = owners(doc);
    expect(owner.size).toBe(members.length);
    expect(owner.get('libcrypto-3.dll')).toBe('openssl 3.0.21');
    expect(owner.get('libssl-3.dll')).toBe('openssl 3.0.21');
    expect(owner.get('sqlite3.dll')).toBe('sqlite 3.50.4.0');
    expect(owner.get('libffi-8.dll')).toBe('libffi 3.4.4');
    expect(owner.get('vcruntime140.dll')).toBe('Microsoft Visual C++ Runtime');
    expect(owner.get('vcruntime140_1.dll')).toBe('Microsoft Visual C++ Runtime');
    expect(owner.get('python313.zip')).toBe('CPython 3.13.0');
    expect(owner.get('python313.dll')).toBe('CPython 3.13.0');
    expect(owner.get('_decimal.pyd')).toBe('CPython 3.13.0');

    const comment = (path: string) => doc.files.find((file) => file.fileName === path)?.comment;
    expect(comment('_decimal.pyd')).toBe("CPython's; this member statically links mpdecimal 4.0.0");
    expect(comment('pyexpat.pyd')).toBe("CPython's; this member statically links expat 2.6.3");
    expect(comment('_bz2.pyd')).toBe("CPython's; this member statically links bzip2 1.0.8");

    // Not in the embeddable package: Tcl/Tk (no DLL), pip (release tooling leaves it out), and
    // the vendored libmpdec 2.5.1 the Windows build does not compile.
    const marked = excluded(doc);
    expect([...marked.keys()].sort()).toEqual(['mpdecimal 2.5.1', 'tcl-core 8.6.15.0', 'tk 8.6.15.0']);
    expect(marked.get('mpdecimal 2.5.1')).toContain('PCbuild/_decimal.vcxproj compiles mpdecimal 4.0.0 of the externals instead');
    expect(doc.packages.some((pkg) => pkg.name === 'pip')).toBe(false);
    expect(doc.comment).toContain('Every member of python-3.13.0-embed-amd64.zip is listed');

    await expectValidAndEqual(spdx, cdx);
  });

  it('keeps the vendored libmpdec where _decimal.vcxproj compiles it (3.12 and before)', async () => {
    const older = syntheticWindowsTree(join(dir, 'older'), { decimalFromTree: true });
    const result = await run(['generate', artifact, '--source', older, '--output', '-']);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as SpdxDoc;
    expect([...excluded(doc).keys()]).not.toContain('mpdecimal 2.5.1');
    expect(excluded(doc).get('mpdecimal 4.0.0')).toContain('no PCbuild project compiles it; the build compiles the vendored mpdecimal 2.5.1');
    expect(doc.packages.find((pkg) => pkg.SPDXID === 'SPDXRef-PACKAGE-mpdecimal-2.5.1')).toMatchObject({
      comment: 'Used by the Windows build: compiled by PCbuild/_decimal.vcxproj.',
    });
  });

  it('does not unpack an installer, and says so', async () => {
    const installer = join(dir, 'python-3.13.0-amd64.exe');
    writeFileSync(installer, await standInArtifact('python-3.13.0-amd64.exe'));
    const { spdx, cdx, doc } = await generateBoth(installer, tree, join(dir, 'out-exe'));
    expect(doc.files).toEqual([]);
    expect(doc.comment).toContain('is an installer; it is not unpacked');
    // Its facts are the zip's minus the member list: pip is there, Tcl/Tk are not marked absent.
    expect(doc.packages.some((pkg) => pkg.name === 'pip')).toBe(true);
    expect([...excluded(doc).keys()]).toEqual(['mpdecimal 2.5.1']);
    await expectValidAndEqual(spdx, cdx);
  });
});

describe('generate (complete profile) on a synthetic PyManager package', () => {
  const dir = tempDir('cpython-sbom-windows-pymanager-');
  it('gives pip its installed files, Tcl/Tk their DLLs and library scripts, CPython the rest', async () => {
    const tree = syntheticWindowsTree(dir);
    const yazl = (await import('yazl')).default;
    const members = [
      'python.exe',
      'python313.dll',
      'vcruntime140.dll',
      'DLLs/libcrypto-3.dll',
      'DLLs/_decimal.pyd',
      'DLLs/tcl86t.dll',
      'DLLs/tk86t.dll',
      'tcl/tcl8.6/init.tcl',
      'tcl/tk8.6/tk.tcl',
      'Lib/os.py',
      'Lib/site-packages/pip/__init__.py',
      'Lib/site-packages/pip/_vendor/idna/core.py',
      'Lib/site-packages/pip-24.0.dist-info/RECORD',
    ];
    const bytes = await new Promise<Buffer>((resolve) => {
      const file = new yazl.ZipFile();
      for (const member of members) file.addBuffer(Buffer.from(`stand-in ${member}\n`), member, { compress: false, mtime: new Date(2024, 0, 1) });
      file.end();
      const chunks: Buffer[] = [];
      file.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
      file.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    });
    const artifact = join(dir, 'python-3.13.0-amd64.zip');
    writeFileSync(artifact, bytes);
    const { spdx, cdx, doc } = await generateBoth(artifact, tree, join(dir, 'out'));
    const owner = owners(doc);
    expect(Object.fromEntries([...owner].sort())).toEqual({
      'DLLs/_decimal.pyd': 'CPython 3.13.0',
      'DLLs/libcrypto-3.dll': 'openssl 3.0.21',
      'DLLs/tcl86t.dll': 'tcl-core 8.6.15.0',
      'DLLs/tk86t.dll': 'tk 8.6.15.0',
      'Lib/os.py': 'CPython 3.13.0',
      'Lib/site-packages/pip-24.0.dist-info/RECORD': 'pip 24.0',
      'Lib/site-packages/pip/__init__.py': 'pip 24.0',
      'Lib/site-packages/pip/_vendor/idna/core.py': 'pip 24.0',
      'python.exe': 'CPython 3.13.0',
      'python313.dll': 'CPython 3.13.0',
      'tcl/tcl8.6/init.tcl': 'tcl-core 8.6.15.0',
      'tcl/tk8.6/tk.tcl': 'tk 8.6.15.0',
      'vcruntime140.dll': 'Microsoft Visual C++ Runtime',
    });
    // No sqlite3.dll, libffi DLL, _bz2.pyd, _lzma.pyd or pyexpat.pyd in this small package: marked as absent.
    expect([...excluded(doc).keys()].sort()).toEqual(['bzip2 1.0.8', 'expat 2.6.3', 'libffi 3.4.4', 'mpdecimal 2.5.1', 'sqlite 3.50.4.0', 'xz 5.2.5']);
    await expectValidAndEqual(spdx, cdx);
  });
});

describe.skipIf(!hasReal(REAL.py31315))('generate (complete profile) on a stand-in embeddable package of 3.13.15', () => {
  const tmp = lazyTempDir('cpython-sbom-windows-real-');
  it('attributes every member, marks what the Windows build and the zip leave out, and both formats agree', async () => {
    const dir = tmp();
    const artifact = join(dir, 'python-3.13.15-embed-arm64.zip');
    writeFileSync(artifact, await standInArtifact('python-3.13.15-embed-arm64.zip'));
    const { spdx, cdx, doc } = await generateBoth(artifact, realPath(REAL.py31315) as string, join(dir, 'out'));
    const owner = owners(doc);
    expect(owner.size).toBe(embeddableMembers('3.13.15', 'arm64').length);
    expect(owner.get('libcrypto-3-arm64.dll')).toBe('openssl 3.0.21');
    expect([...excluded(doc).keys()].sort()).toEqual(['mpdecimal 2.5.1', 'tcl-core 8.6.15.0', 'tk 8.6.15.0']);
    const comment = (path: string) => doc.files.find((file) => file.fileName === path)?.comment;
    expect(comment('python313.dll')).toBe(
      "CPython's; this member statically links hacl-star bb3d0dc8d9d15a5cd51094d5b69e70aa09005ff0, libb2 0.98.1, zlib 1.3.1",
    );
    expect(doc.packages.find((pkg) => pkg.SPDXID === 'SPDXRef-PACKAGE-libb2-0.98.1')).toMatchObject({
      comment: 'Used by the Windows build: compiled by PCbuild/pythoncore.vcxproj.',
    });
    await expectValidAndEqual(spdx, cdx);
  });
});
