import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type CatalogComponent, findComponent } from '../../src/catalog/catalog.js';
import { catalogDetector } from '../../src/detect/catalog-detector.js';
import { vendoredDetectors } from '../../src/detect/registry.js';
import { expatHeader, makeTree, runDetectors } from './helpers.js';

const component = (name: string): CatalogComponent => {
  const found = findComponent(name);
  if (!found) throw new Error(`catalog has no ${name}`);
  return found;
};
const detectOne = async (name: string, files: Record<string, string>, version?: string) =>
  runDetectors(makeTree(files, version), [catalogDetector(component(name))]);

describe('expat', () => {
  it('reads XML_*_VERSION from expat.h and owns Modules/expat minus CPython’s own files', async () => {
    const { packages, findings, warnings } = await detectOne('expat', {
      'Modules/expat/expat.h': expatHeader('2.5.0'),
      'Modules/expat/xmlparse.c': 'x',
      'Modules/expat/expat_config.h': 'cpython',
      'Modules/expat/pyexpatns.h': 'cpython',
      'Modules/pyexpat.c': 'cpython',
    });
    expect(findings).toEqual([]);
    expect(warnings).toEqual([]);
    expect(packages).toHaveLength(1);
    expect(packages[0]).toMatchObject({
      ref: 'expat',
      name: 'expat',
      version: '2.5.0',
      purpose: 'SOURCE',
      licenseConcluded: 'NOASSERTION',
      cpe: 'cpe:2.3:a:libexpat_project:libexpat:2.5.0:*:*:*:*:*:*:*',
      downloadLocation: 'https://github.com/libexpat/libexpat/releases/download/R_2_5_0/expat-2.5.0.tar.gz',
      originator: 'Organization: Expat development team',
      comment: 'version from Modules/expat/expat.h',
      files: ['Modules/expat/expat.h', 'Modules/expat/xmlparse.c'],
    });
  });

  it('takes the archive hash from refresh.sh, and refuses a refresh.sh naming another version', async () => {
    const sha = 'ab'.repeat(32);
    const agreeing = await detectOne(
      'expat',
      {
        'Modules/expat/expat.h': expatHeader('2.8.2'),
        'Modules/expat/refresh.sh': `expected_libexpat_version="2.8.2"\nexpected_libexpat_sha256="${sha}"\n`,
      },
      '3.13.15',
    );
    expect(agreeing.findings).toEqual([]);
    expect(agreeing.packages[0]?.checksums).toEqual({ SHA256: sha });
    expect(agreeing.packages[0]?.files).toEqual(['Modules/expat/expat.h']);

    const drifting = await detectOne(
      'expat',
      {
        'Modules/expat/expat.h': expatHeader('2.8.2'),
        'Modules/expat/refresh.sh': `expected_libexpat_version="2.8.1"\n`,
      },
      '3.13.15',
    );
    expect(drifting.findings.map((f) => f.message)).toEqual(['expat: Modules/expat/refresh.sh says 2.8.1 but Modules/expat/expat.h says 2.8.2']);
  });

  it('lists a copy whose expat.h has no version without one, and says so', async () => {
    const { packages, warnings } = await detectOne('expat', { 'Modules/expat/expat.h': '/* nothing */' });
    expect(packages[0]).toMatchObject({ version: '', downloadLocation: 'NOASSERTION' });
    expect(packages[0]?.cpe).toBeUndefined();
    expect(warnings).toEqual(['expat: Modules/expat/expat.h records no version the catalog recognises; listed without a version']);
  });

  it('finds nothing in a tree without expat', async () => {
    expect((await detectOne('expat', { 'Python/ceval.c': 'x' })).packages).toEqual([]);
  });
});

describe('mpdecimal, hacl-star and macholib', () => {
  it('mpdecimal: MPD_VERSION in mpdecimal.h; owns all of libmpdec', async () => {
    const { packages } = await detectOne('mpdecimal', {
      'Modules/_decimal/libmpdec/mpdecimal.h': '#define MPD_VERSION "2.5.1"\n',
      'Modules/_decimal/libmpdec/literature/fnt.py': 'x',
      'Modules/_decimal/_decimal.c': 'cpython',
    });
    expect(packages[0]).toMatchObject({
      version: '2.5.1',
      cpe: 'cpe:2.3:a:bytereef:mpdecimal:2.5.1:*:*:*:*:*:*:*',
      files: ['Modules/_decimal/libmpdec/literature/fnt.py', 'Modules/_decimal/libmpdec/mpdecimal.h'],
    });
  });

  it('hacl-star: expected_hacl_star_rev in refresh.sh, which it does not own', async () => {
    const rev = 'bb3d0dc8d9d15a5cd51094d5b69e70aa09005ff0';
    const { packages } = await detectOne(
      'hacl-star',
      {
        'Modules/_hacl/refresh.sh': `expected_hacl_star_rev=${rev}\n`,
        'Modules/_hacl/Hacl_Hash_SHA2.c': 'x',
        'Modules/_hacl/README.md': 'cpython',
      },
      '3.13.15',
    );
    expect(packages[0]).toMatchObject({
      version: rev,
      downloadLocation: `https://github.com/hacl-star/hacl-star/archive/${rev}.zip`,
      files: ['Modules/_hacl/Hacl_Hash_SHA2.c'],
    });
  });

  it('macholib: __version__, with the exact PyPI download of 1.0', async () => {
    const { packages } = await detectOne('macholib', {
      'Lib/ctypes/macholib/__init__.py': "__version__ = '1.0'\n",
      'Lib/ctypes/macholib/dyld.py': 'x',
      'Lib/ctypes/macholib/fetch_macholib': 'cpython',
    });
    expect(packages[0]).toMatchObject({
      version: '1.0',
      purl: 'pkg:pypi/macholib@1.0',
      files: ['Lib/ctypes/macholib/__init__.py', 'Lib/ctypes/macholib/dyld.py'],
    });
    expect(packages[0]?.downloadLocation).toMatch(/^https:\/\/files\.pythonhosted\.org\/packages\/.*\/macholib-1\.0\.tar\.gz$/);
  });
});

describe('the SHA-3 sources of 3.8–3.11', () => {
  const commit = 'dcbb3192047c2a721f5f851db591871d428036a9';

  it('tiny_sha3 (3.11): commit from Modules/_sha3/README.txt; owns sha3.c/h and LICENSE, not the module', async () => {
    const { packages } = await detectOne('tiny_sha3', {
      'Modules/_sha3/README.txt': `tiny_sha3\n=========\n\nhttps://github.com/mjosaarinen/tiny_sha3\ncommit ${commit}\n`,
      'Modules/_sha3/sha3.c': 'x',
      'Modules/_sha3/sha3.h': 'x',
      'Modules/_sha3/LICENSE': 'MIT',
      'Modules/_sha3/sha3module.c': 'cpython',
    });
    expect(packages[0]).toMatchObject({
      name: 'tiny_sha3',
      version: commit,
      purl: `pkg:github/mjosaarinen/tiny_sha3@${commit}`,
      files: ['Modules/_sha3/LICENSE', 'Modules/_sha3/sha3.c', 'Modules/_sha3/sha3.h'],
    });
  });

  it('a 3.10 tree has the Keccak Code Package (unversioned, with a warning) and no tiny_sha3', async () => {
    const tree = makeTree(
      {
        'Modules/_sha3/README.txt': 'Keccak Code Package\n===================\n',
        'Modules/_sha3/kcp/KeccakHash.c': 'x',
        'Modules/_sha3/kcp/KeccakSponge.inc': 'x',
        'Modules/_sha3/LICENSE': 'whatever 3.10 had',
      },
      '3.10.9',
    );
    const { packages, warnings } = await runDetectors(tree, [catalogDetector(component('tiny_sha3')), catalogDetector(component('kcp'))]);
    expect(packages.map((p) => p.name)).toEqual(['Keccak Code Package']);
    expect(packages[0]).toMatchObject({
      version: '',
      downloadLocation: 'NOASSERTION',
      files: ['Modules/_sha3/kcp/KeccakHash.c', 'Modules/_sha3/kcp/KeccakSponge.inc'],
    });
    expect(packages[0]?.purl).toBeUndefined();
    expect(warnings).toEqual(['Keccak Code Package: the tree records no version for it; listed without one']);
  });
});

describe('libffi for macOS (Modules/_ctypes/libffi_osx)', () => {
  it('is libffi at the release its README names', async () => {
    const { packages } = await detectOne('libffi_osx', {
      'Modules/_ctypes/libffi_osx/README':
        'libffi-2.00 has not been released yet! This is a development snapshot!\n\nlibffi-1.20 was released on October 5, 1998.\n',
      'Modules/_ctypes/libffi_osx/x86/darwin64.S': 'x',
      'Modules/_ctypes/_ctypes.c': 'cpython',
    });
    expect(packages[0]).toMatchObject({
      ref: 'libffi_osx',
      name: 'libffi',
      version: '1.20',
      cpe: 'cpe:2.3:a:libffi_project:libffi:1.20:*:*:*:*:*:*:*',
      comment: 'version from Modules/_ctypes/libffi_osx/README',
      files: ['Modules/_ctypes/libffi_osx/README', 'Modules/_ctypes/libffi_osx/x86/darwin64.S'],
    });
  });
});

describe('components identified by content (libb2)', () => {
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');
  const libb2Like: CatalogComponent = {
    name: 'libb2',
    files: { include: ['Modules/_blake2/impl/**'], exclude: [] },
    cpe: 'cpe:2.3:a:blake2:libb2:{version}:*:*:*:*:*:*:*',
    fingerprints: [
      { version: '0.98.1', seenIn: '3.11.2', files: { 'Modules/_blake2/impl/a.c': sha('a'), 'Modules/_blake2/impl/b.h': sha('b') } },
      { version: '0.98.1', seenIn: '3.13.15', files: { 'Modules/_blake2/impl/a.c': sha('a2'), 'Modules/_blake2/impl/b.h': sha('b') } },
    ],
  };

  it('names the release whose recorded files match byte for byte', async () => {
    const { packages, warnings } = await runDetectors(makeTree({ 'Modules/_blake2/impl/a.c': 'a2', 'Modules/_blake2/impl/b.h': 'b' }), [
      catalogDetector(libb2Like),
    ]);
    expect(warnings).toEqual([]);
    expect(packages[0]).toMatchObject({
      version: '0.98.1',
      cpe: 'cpe:2.3:a:blake2:libb2:0.98.1:*:*:*:*:*:*:*',
      comment: 'version identified by content: 2 files identical to libb2 0.98.1 as shipped in CPython 3.13.15',
    });
  });

  it('gives a patched copy (or one with an extra file) no version, naming the closest release', async () => {
    const patched = await runDetectors(makeTree({ 'Modules/_blake2/impl/a.c': 'patched', 'Modules/_blake2/impl/b.h': 'b' }), [catalogDetector(libb2Like)]);
    expect(patched.packages[0]?.version).toBe('');
    expect(patched.packages[0]?.cpe).toBeUndefined();
    expect(patched.warnings).toEqual([
      'libb2: its 2 files match no known release (closest: libb2 0.98.1 as shipped in CPython 3.11.2, 1 of 2 files identical); listed without a version',
    ]);
    const extra = await runDetectors(makeTree({ 'Modules/_blake2/impl/a.c': 'a', 'Modules/_blake2/impl/b.h': 'b', 'Modules/_blake2/impl/c.h': 'c' }), [
      catalogDetector(libb2Like),
    ]);
    expect(extra.packages[0]?.version).toBe('');
    expect(extra.warnings[0]).toContain('2 of 3 files identical');
  });

  it('the catalog records libb2 0.98.1 as shipped in 3.11.2 and in 3.13', () => {
    const fingerprints = component('libb2').fingerprints ?? [];
    expect(fingerprints.map((f) => [f.version, f.seenIn, Object.keys(f.files).length])).toEqual([
      ['0.98.1', '3.11.2', 14],
      ['0.98.1', '3.13.15', 14],
    ]);
  });
});

describe('the registry', () => {
  it('runs a detector for every catalog component, plus the ensurepip pin check', () => {
    expect(vendoredDetectors().map((d) => d.name)).toEqual([
      'expat',
      'mpdecimal',
      'hacl-star',
      'libb2',
      'macholib',
      'tiny_sha3',
      'kcp',
      'libffi_osx',
      'ensurepip-pins',
    ]);
  });

  it('gives each file to exactly one component on a tree that has them all', async () => {
    const tree = makeTree({
      'Modules/expat/expat.h': expatHeader('2.5.0'),
      'Modules/_decimal/libmpdec/mpdecimal.h': '#define MPD_VERSION "2.5.1"\n',
      'Modules/_sha3/README.txt': 'https://github.com/mjosaarinen/tiny_sha3\ncommit dcbb3192047c2a721f5f851db591871d428036a9\n',
      'Modules/_sha3/sha3.c': 'x',
      'Modules/_ctypes/libffi_osx/README': 'libffi-1.20 was released on October 5, 1998.\n',
      'Modules/_blake2/impl/blake2.h': 'x',
      'Lib/ctypes/macholib/__init__.py': "__version__ = '1.0'\n",
    });
    const { packages } = await runDetectors(tree, vendoredDetectors());
    const owners = new Map<string, string[]>();
    for (const pkg of packages) for (const file of pkg.files) owners.set(file, [...(owners.get(file) ?? []), pkg.name]);
    expect([...owners.values()].filter((names) => names.length > 1)).toEqual([]);
    expect(packages.map((p) => `${p.name} ${p.version}`).sort()).toEqual([
      'expat 2.5.0',
      'libb2 ',
      'libffi 1.20',
      'macholib 1.0',
      'mpdecimal 2.5.1',
      'tiny_sha3 dcbb3192047c2a721f5f851db591871d428036a9',
    ]);
  });
});
