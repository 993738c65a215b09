import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { externalsDetector } from '../../src/detect/externals.js';
import { makeTree, runDetectors } from './helpers.js';

const BAT = [
  'set libraries=',
  'set libraries=%libraries%                                       bzip2-1.0.8',
  'if NOT "%IncludeSSLSrc%"=="false" set libraries=%libraries%     openssl-3.0.21',
  'set libraries=%libraries%                                       mpdecimal-4.0.0',
  'set libraries=%libraries%                                       newlib-1.2',
  'set binaries=%binaries% nasm-2.11.06',
  '',
].join('\r\n');

const manifest = (versions: Record<string, string>) =>
  JSON.stringify({
    packages: Object.entries(versions).map(([name, versionInfo]) => ({
      name,
      versionInfo,
      checksums: [{ algorithm: 'SHA256', checksumValue: `${name}`.padEnd(64, '0').slice(0, 64) }],
    })),
  });

describe('Windows externals of PCbuild/get_externals.bat', () => {
  it('lists every `set libraries=` tag as generate_sbom.py reads them (binaries are not sources)', async () => {
    const { packages, warnings, findings } = await runDetectors(makeTree({ 'PCbuild/get_externals.bat': BAT }), [externalsDetector()]);
    expect(findings).toEqual([]);
    expect(packages.map((p) => `${p.ref} ${p.version}`)).toEqual([
      'externals/bzip2 1.0.8',
      'externals/openssl 3.0.21',
      'externals/mpdecimal 4.0.0',
      'externals/newlib 1.2',
    ]);
    expect(packages[2]).toMatchObject({
      name: 'mpdecimal',
      spdxId: 'SPDXRef-PACKAGE-externals-mpdecimal',
      cpe: 'cpe:2.3:a:bytereef:mpdecimal:4.0.0:*:*:*:*:*:*:*',
      originator: 'Organization: bytereef.org',
      downloadLocation: 'https://github.com/python/cpython-source-deps/archive/refs/tags/mpdecimal-4.0.0.tar.gz',
      files: [],
    });
    expect(warnings).toEqual(["PCbuild/get_externals.bat: newlib is not in the catalog's externals; listed without CPE"]);
  });

  it('takes archive hashes from Misc/externals.spdx.json and refuses a version that disagrees with it', async () => {
    const agreeing = await runDetectors(
      makeTree({
        'PCbuild/get_externals.bat': BAT,
        'Misc/externals.spdx.json': manifest({ bzip2: '1.0.8', openssl: '3.0.21', mpdecimal: '4.0.0', newlib: '1.2' }),
      }),
      [externalsDetector()],
    );
    expect(agreeing.findings).toEqual([]);
    expect(agreeing.packages[0]?.checksums.SHA256).toBe('bzip2'.padEnd(64, '0'));

    const drifting = await runDetectors(
      makeTree({ 'PCbuild/get_externals.bat': BAT, 'Misc/externals.spdx.json': manifest({ bzip2: '1.0.6', zlib: '1.3.1' }) }),
      [externalsDetector()],
    );
    expect(drifting.findings.map((f) => f.message)).toEqual(['bzip2: PCbuild/get_externals.bat fetches 1.0.8 but Misc/externals.spdx.json says 1.0.6']);
    expect(drifting.warnings).toContain('Misc/externals.spdx.json lists zlib but PCbuild/get_externals.bat does not fetch it');
  });

  it('warns without get_externals.bat, and refuses an externals manifest that is not JSON', async () => {
    expect((await runDetectors(makeTree({}), [externalsDetector()])).warnings).toEqual([
      '--externals: no PCbuild/get_externals.bat in the tree; no externals listed',
    ]);
    await expect(runDetectors(makeTree({ 'PCbuild/get_externals.bat': BAT, 'Misc/externals.spdx.json': '{oops' }), [externalsDetector()])).rejects.toThrow(
      InputError,
    );
  });
});
