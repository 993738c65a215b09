import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE } from '../support/cli.js';

/** Libraries PCbuild/get_externals.bat of 3.13.15 fetches (name, version, CPE vendor:product). */
export const EXTERNALS: [string, string, string][] = [
  ['bzip2', '1.0.8', 'bzip:bzip2'],
  ['libffi', '3.4.4', 'libffi_project:libffi'],
  ['openssl', '3.0.21', 'openssl:openssl'],
  ['mpdecimal', '4.0.0', 'bytereef:mpdecimal'],
  ['sqlite', '3.50.4.0', 'sqlite:sqlite'],
  ['tcl-core', '8.6.15.0', 'tcl_tk:tcl_tk'],
  ['tk', '8.6.15.0', 'tcl_tk:tcl_tk'],
  ['xz', '5.2.5', 'tukaani:xz'],
  ['zlib', '1.3.1', 'zlib:zlib'],
];

/**
 * The sample tree (CPython 3.13.0: expat 2.6.3 and mpdecimal 2.5.1 vendored, a pip wheel) with
 * the Windows build files shaped as 3.13's: get_externals.bat, python.props naming each
 * external's directory, Misc/externals.spdx.json, and projects compiling expat from the tree but
 * libmpdec from the externals, as PCbuild/_decimal.vcxproj does from 3.13 on.
 */
export function syntheticWindowsTree(dir: string, options: { decimalFromTree?: boolean } = {}): string {
  const tree = join(dir, 'Python-3.13.0');
  cpSync(SAMPLE, tree, { recursive: true });
  mkdirSync(join(tree, 'PCbuild'), { recursive: true });
  writeFileSync(
    join(tree, 'PCbuild', 'get_externals.bat'),
    ['@echo off', 'set libraries=', ...EXTERNALS.map(([name, version]) => `set libraries=%libraries%    ${name}-${version}`), ''].join('\r\n'),
  );
  const dirVar: Record<string, string> = { bzip2: 'bz2Dir', mpdecimal: 'mpdecimalDir', sqlite: 'sqlite3Dir', xz: 'lzmaDir', zlib: 'zlibDir' };
  writeFileSync(
    join(tree, 'PCbuild', 'python.props'),
    [
      '<Project>',
      '  <PropertyGroup>',
      ...EXTERNALS.filter(([name]) => dirVar[name]).map(
        ([name, version]) => `    <${dirVar[name]} Condition="$(${dirVar[name]}) == ''">$(ExternalsDir)${name}-${version}\\</${dirVar[name]}>`,
      ),
      '  </PropertyGroup>',
      '</Project>',
      '',
    ].join('\r\n'),
  );
  const project = (sources: string[]) =>
    ['<Project>', '  <ItemGroup>', ...sources.map((source) => `    <ClCompile Include="${source}" />`), '  </ItemGroup>', '</Project>', ''].join('\r\n');
  writeFileSync(
    join(tree, 'PCbuild', '_decimal.vcxproj'),
    project(options.decimalFromTree ? ['..\\Modules\\_decimal\\libmpdec\\basearith.c'] : ['$(mpdecimalDir)\\libmpdec\\basearith.c']),
  );
  writeFileSync(join(tree, 'PCbuild', 'pyexpat.vcxproj'), project(['..\\Modules\\expat\\xmlparse.c']));
  writeFileSync(join(tree, 'PCbuild', '_bz2.vcxproj'), project(['$(bz2Dir)\\blocksort.c']));
  writeFileSync(join(tree, 'PCbuild', 'pythoncore.vcxproj'), project(['..\\Python\\ceval.c', '$(zlibDir)\\adler32.c']));
  const externals = {
    SPDXID: 'SPDXRef-DOCUMENT',
    spdxVersion: 'SPDX-2.3',
    packages: EXTERNALS.map(([name, version, cpe]) => ({
      SPDXID: `SPDXRef-PACKAGE-${name}`,
      name,
      versionInfo: version,
      downloadLocation: `https://github.com/python/cpython-source-deps/archive/refs/tags/${name}-${version}.tar.gz`,
      checksums: [{ algorithm: 'SHA256', checksumValue: '0123456789abcdef'.repeat(4) }],
      externalRefs: [{ referenceCategory: 'SECURITY', referenceLocator: `cpe:2.3:a:${cpe}:${version}:*:*:*:*:*:*:*`, referenceType: 'cpe23Type' }],
      licenseConcluded: 'NOASSERTION',
      primaryPackagePurpose: 'SOURCE',
    })),
  };
  writeFileSync(join(tree, 'Misc', 'externals.spdx.json'), JSON.stringify(externals, null, 2));
  return tree;
}
