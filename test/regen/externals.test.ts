import { describe, expect, it } from 'vitest';
import { parseExternals } from '../../src/detect/externals.js';
import { updateExternals } from '../../src/regen/externals.js';
import type { JsonObject } from '../../src/regen/manifest.js';

describe('parseExternals', () => {
  it('reads plain and conditional `set libraries=%libraries% NAME-VERSION` lines, not binaries', () => {
    const bat = [
      'set libraries=',
      'set libraries=%libraries%                                       bzip2-1.0.8',
      'if NOT "%IncludeSSLSrc%"=="false" set libraries=%libraries%     openssl-3.0.16',
      'if NOT "%IncludeTkinterSrc%"=="false" set libraries=%libraries% tcl-core-8.6.15.0',
      'set binaries=%binaries%     nasm-2.11.06',
      '',
    ].join('\r\n');
    const externals = parseExternals(bat);
    expect([...externals.values()]).toEqual([
      { name: 'bzip2', version: '1.0.8', tag: 'bzip2-1.0.8' },
      { name: 'openssl', version: '3.0.16', tag: 'openssl-3.0.16' },
      { name: 'tcl-core', version: '8.6.15.0', tag: 'tcl-core-8.6.15.0' },
    ]);
  });

  it('needs whitespace after the tag (as the reference regex does) and lets a later line win', () => {
    const externals = parseExternals('set libraries=%libraries% zlib-1.2.13\nset libraries=%libraries% zlib-1.3.1\nset libraries=%libraries% xz-5.2.5');
    expect(externals.get('zlib')?.version).toBe('1.3.1');
    expect(externals.has('xz')).toBe(false);
  });
});

describe('updateExternals', () => {
  const pkg = (): JsonObject => ({
    name: 'openssl',
    versionInfo: '3.0.16',
    downloadLocation: 'https://github.com/python/cpython-source-deps/archive/refs/tags/openssl-3.0.16.tar.gz',
    checksums: [{ algorithm: 'SHA256', checksumValue: 'ab' }],
    externalRefs: [
      { referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:openssl:openssl:3.0.16:*:*:*:*:*:*:*' },
      { referenceType: 'purl', referenceLocator: 'pkg:generic/openssl@3.0.16' },
    ],
  });

  it('sets versionInfo, the CPE version field and the download location, dropping stale checksums', () => {
    const packages = [pkg()];
    const dropped = updateExternals(packages, parseExternals('set libraries=%libraries% openssl-3.0.21\n'));
    expect(dropped).toEqual(['openssl']);
    expect(packages[0]).toEqual({
      name: 'openssl',
      versionInfo: '3.0.21',
      downloadLocation: 'https://github.com/python/cpython-source-deps/archive/refs/tags/openssl-3.0.21.tar.gz',
      externalRefs: [
        { referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:openssl:openssl:3.0.21:*:*:*:*:*:*:*' },
        // Only CPEs are rewritten, as in generate_sbom.py.
        { referenceType: 'purl', referenceLocator: 'pkg:generic/openssl@3.0.16' },
      ],
    });
  });

  it('keeps checksums when the download location is unchanged', () => {
    const packages = [pkg()];
    expect(updateExternals(packages, parseExternals('set libraries=%libraries% openssl-3.0.16\n'))).toEqual([]);
    expect(packages[0]?.checksums).toEqual([{ algorithm: 'SHA256', checksumValue: 'ab' }]);
  });

  it('leaves the CPE alone for the first scripts (February - March 2024), which updated only versionInfo', () => {
    const packages = [pkg()];
    updateExternals(packages, parseExternals('set libraries=%libraries% openssl-3.0.21\n'), { cpe: false });
    expect(packages[0]?.versionInfo).toBe('3.0.21');
    expect(((packages[0]?.externalRefs ?? []) as JsonObject[])[0]?.referenceLocator).toBe('cpe:2.3:a:openssl:openssl:3.0.16:*:*:*:*:*:*:*');
  });
});
