import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE, run, tempDir } from '../support/cli.js';
import { expatHeader, makeTree, makeWheel } from './helpers.js';

interface SpdxDoc {
  packages: { SPDXID: string; name: string; versionInfo?: string; comment?: string }[];
  files: { SPDXID: string; fileName: string }[];
  relationships: { spdxElementId: string; relationshipType: string; relatedSpdxElement: string }[];
}

/** file name -> name of the package that CONTAINS it. */
function owners(doc: SpdxDoc): Map<string, string> {
  const fileName = new Map(doc.files.map((f) => [f.SPDXID, f.fileName]));
  const pkgName = new Map(doc.packages.map((p) => [p.SPDXID, p.name]));
  const result = new Map<string, string>();
  for (const r of doc.relationships) {
    if (r.relationshipType !== 'CONTAINS') continue;
    const file = fileName.get(r.relatedSpdxElement) as string;
    expect(result.has(file), `${file} contained twice`).toBe(false);
    result.set(file, pkgName.get(r.spdxElementId) as string);
  }
  return result;
}

describe('generate on a tree without Misc/sbom.spdx.json (3.8–3.11 style)', () => {
  it('lists the vendored components found in the tree, each owning its files', async () => {
    const tree = makeTree({
      'Modules/expat/expat.h': expatHeader('2.5.0'),
      'Modules/expat/xmlparse.c': 'x',
      'Modules/expat/expat_config.h': 'cpython',
      'Modules/_decimal/libmpdec/mpdecimal.h': '#define MPD_VERSION "2.5.1"\n',
      'Modules/_sha3/README.txt': 'https://github.com/mjosaarinen/tiny_sha3\ncommit dcbb3192047c2a721f5f851db591871d428036a9\n',
      'Modules/_sha3/sha3.c': 'x',
      'Modules/_sha3/sha3module.c': 'cpython',
      'Modules/_ctypes/libffi_osx/README': 'libffi-1.20 was released on October 5, 1998.\n',
      'Lib/ctypes/macholib/__init__.py': "__version__ = '1.0'\n",
      'Lib/ensurepip/__init__.py': '_SETUPTOOLS_VERSION = "65.5.0"\n_PIP_VERSION = "22.3.1"\n',
      'Lib/ensurepip/_bundled/pip-22.3.1-py3-none-any.whl': await makeWheel({ 'pip/_vendor/vendor.txt': 'six==1.16.0\nsetuptools==44.0.0\n' }),
      'Lib/ensurepip/_bundled/setuptools-65.5.0-py3-none-any.whl': await makeWheel({ 'setuptools/__init__.py': '' }),
      'Python/ceval.c': 'cpython',
    });
    const result = await run(['generate', tree, '--output', '-']);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as SpdxDoc;
    const versions = Object.fromEntries(doc.packages.filter((p) => !p.SPDXID.includes('setuptools-')).map((p) => [p.SPDXID, `${p.name} ${p.versionInfo}`]));
    expect(versions).toEqual({
      'SPDXRef-PACKAGE-cpython': 'CPython 3.11.2',
      'SPDXRef-PACKAGE-expat': 'expat 2.5.0',
      'SPDXRef-PACKAGE-mpdecimal': 'mpdecimal 2.5.1',
      'SPDXRef-PACKAGE-tiny-sha3': 'tiny_sha3 dcbb3192047c2a721f5f851db591871d428036a9',
      'SPDXRef-PACKAGE-libffi': 'libffi 1.20',
      'SPDXRef-PACKAGE-macholib': 'macholib 1.0',
      'SPDXRef-PACKAGE-pip': 'pip 22.3.1',
      'SPDXRef-PACKAGE-six': 'six 1.16.0',
      'SPDXRef-PACKAGE-pip-setuptools': 'setuptools 44.0.0',
      'SPDXRef-PACKAGE-setuptools': 'setuptools 65.5.0',
    });
    expect(doc.packages.find((p) => p.name === 'expat')?.comment).toBe('version from Modules/expat/expat.h');
    const owner = owners(doc);
    expect(Object.fromEntries(owner)).toMatchObject({
      'Modules/expat/expat.h': 'expat',
      'Modules/expat/xmlparse.c': 'expat',
      'Modules/expat/expat_config.h': 'CPython',
      'Modules/_decimal/libmpdec/mpdecimal.h': 'mpdecimal',
      'Modules/_sha3/sha3.c': 'tiny_sha3',
      'Modules/_sha3/README.txt': 'CPython',
      'Modules/_sha3/sha3module.c': 'CPython',
      'Modules/_ctypes/libffi_osx/README': 'libffi',
      'Lib/ctypes/macholib/__init__.py': 'macholib',
      'Lib/ensurepip/_bundled/pip-22.3.1-py3-none-any.whl': 'pip',
      'Lib/ensurepip/_bundled/setuptools-65.5.0-py3-none-any.whl': 'setuptools',
      'Python/ceval.c': 'CPython',
    });
    expect(owner.size).toBe(doc.files.length);
  });

  it('warns about a tree whose ensurepip pins another pip than the wheel it bundles; --strict refuses it', async () => {
    const tree = makeTree({
      'Lib/ensurepip/__init__.py': '_PIP_VERSION = "22.3.2"\n',
      'Lib/ensurepip/_bundled/pip-22.3.1-py3-none-any.whl': await makeWheel({ 'pip/_vendor/vendor.txt': 'six==1.16.0\n' }),
    });
    const lenient = await run(['generate', tree, '--output', '-']);
    expect(lenient.code).toBe(0);
    expect(lenient.stderr).toContain('warning: pip: Lib/ensurepip/__init__.py pins 22.3.2 but the bundled wheel is 22.3.1');
    const result = await run(['generate', tree, '--output', '-', '--strict']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('pip: Lib/ensurepip/__init__.py pins 22.3.2 but the bundled wheel is 22.3.1');
  });
});

describe('generate on a tree with Misc/sbom.spdx.json', () => {
  it('refuses a copy whose expat.h claims another version than the manifest (its hash differs), naming expat and both versions', async () => {
    const tree = join(tempDir(), 'tree');
    cpSync(SAMPLE, tree, { recursive: true });
    expect(readFileSync(join(tree, 'Modules/expat/expat.h'), 'utf8')).toContain('XML_MINOR_VERSION 6');
    writeFileSync(join(tree, 'Modules/expat/expat.h'), expatHeader('2.7.0'));
    const out = join(tree, 'out.spdx.json');
    const result = await run(['generate', tree, '--output', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('warning: expat: the vendored sources say 2.7.0 (Modules/expat/expat.h) but Misc/sbom.spdx.json says 2.6.3');
    expect(result.stderr).toContain('Modules/expat/expat.h: SHA-256');
    expect(() => readFileSync(out)).toThrow();
  });

  it('lists the Windows externals only with --externals, beside the manifest’s packages', async () => {
    const tree = join(tempDir(), 'tree');
    cpSync(SAMPLE, tree, { recursive: true });
    mkdirSync(join(tree, 'PCbuild'));
    writeFileSync(join(tree, 'PCbuild/get_externals.bat'), 'set libraries=%libraries%  mpdecimal-4.0.0\nset libraries=%libraries%  zlib-1.3.1\n');
    const names = async (args: string[]) => {
      const result = await run(['generate', tree, '--output', '-', ...args]);
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as SpdxDoc).packages.map((p) => `${p.SPDXID} ${p.versionInfo}`).filter((s) => /mpdecimal|zlib/.test(s));
    };
    expect(await names([])).toEqual(['SPDXRef-PACKAGE-mpdecimal 2.5.1']);
    expect((await names(['--externals'])).sort()).toEqual([
      'SPDXRef-PACKAGE-externals-mpdecimal 4.0.0',
      'SPDXRef-PACKAGE-externals-zlib 1.3.1',
      'SPDXRef-PACKAGE-mpdecimal 2.5.1',
    ]);
  });
});
