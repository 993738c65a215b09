import { describe, expect, it } from 'vitest';
import { mayHoldText, thirdPartyClaims } from '../../src/complete/file-evidence.js';
import { scanSource } from '../../src/source/index.js';
import { buildSbom } from '../../src/generate/build.js';
import { scanFileEvidence } from '../../src/license/file-scan.js';
import { REAL, hasReal, realPath } from '../support/real.js';

/**
 * Every file CPython owns whose own notice names another holder or license, on the real
 * releases, written out: path -> [its licenseInfoInFiles (joined with ' | '; '' when it states
 * none we can identify), the first holder outside CPython's lineage ('' for a public-domain or
 * CC0 dedication, or a file that only reproduces or mentions other licenses)]. Read from the
 * files by hand and cross-checked against Debian's debian/copyright for python3.13; each is
 * attributed by a catalog item (or a snippet), and no file-level warning fires.
 */
type Table = Record<string, [string, string]>;

const COMMON: Table = {
  'Doc/library/hashlib.rst': ['CC0-1.0', ''],
  'Doc/tools/extensions/pyspecific.py': ['PSF-2.0', 'Georg Brandl'],
  'Include/pymacro.h': ['LicenseRef-public-domain', 'Rusty Russell, public domain'],
  'Include/unicodeobject.h': ['MIT-CMU', 'Secret Labs AB'],
  LICENSE: ['0BSD | CNRI-Python-GPL-Compatible | HPND | PSF-2.0', ''],
  'Lib/ast.py': ['PSF-2.0', 'Armin Ronacher'],
  // macholib's README, which CPython keeps (Bob Ippolito's py2app: MIT or PSF licenses).
  'Lib/ctypes/macholib/README.ctypes': ['MIT OR PSF-2.0', ''],
  'Lib/doctest.py': ['LicenseRef-public-domain', ''],
  'Lib/http/cookies.py': ['HPND', "Timothy O'Malley"],
  'Lib/inspect.py': ['LicenseRef-public-domain', ''],
  'Lib/logging/__init__.py': ['HPND', 'Vinay Sajip'],
  'Lib/logging/config.py': ['HPND', 'Vinay Sajip'],
  'Lib/logging/handlers.py': ['HPND', 'Vinay Sajip'],
  'Lib/optparse.py': ['BSD-3-Clause', 'Gregory P. Ward'],
  'Lib/platform.py': ['LicenseRef-platform', 'Marc-Andre Lemburg'],
  'Lib/profile.py': ['Apache-2.0', 'Disney Enterprises, Inc'],
  'Lib/pstats.py': ['Apache-2.0', 'Disney Enterprises, Inc'],
  'Lib/re/__init__.py': ['CNRI-Python', 'Secret Labs AB'],
  'Lib/re/_compiler.py': ['CNRI-Python', 'Secret Labs AB'],
  'Lib/re/_constants.py': ['CNRI-Python', 'Secret Labs AB'],
  'Lib/re/_parser.py': ['CNRI-Python', 'Secret Labs AB'],
  'Lib/socket.py': ['LicenseRef-public-domain', ''],
  'Lib/socketserver.py': ['', 'Luke Kenneth Casson Leighton'],
  'Lib/sqlite3/__init__.py': ['Zlib', 'Gerhard Häring'],
  'Lib/sqlite3/dbapi2.py': ['Zlib', 'Gerhard Häring'],
  'Lib/tabnanny.py': ['LicenseRef-public-domain', ''],
  'Lib/tarfile.py': ['MIT', 'Lars Gustaebel'],
  'Lib/test/test_epoll.py': ['MIT', 'Twisted Matrix Laboratories'],
  'Lib/test/test_logging.py': ['HPND', 'Vinay Sajip'],
  'Lib/test/test_sqlite3/test_dbapi.py': ['Zlib', 'Gerhard Häring'],
  'Lib/test/test_sqlite3/test_factory.py': ['Zlib', 'Gerhard Häring'],
  'Lib/test/test_sqlite3/test_hooks.py': ['Zlib', 'Gerhard Häring'],
  'Lib/test/test_sqlite3/test_regression.py': ['Zlib', 'Gerhard Häring'],
  'Lib/test/test_sqlite3/test_transactions.py': ['Zlib', 'Gerhard Häring'],
  'Lib/test/test_sqlite3/test_types.py': ['Zlib', 'Gerhard Häring'],
  'Lib/test/test_sqlite3/test_userfunctions.py': ['Zlib', 'Gerhard Häring'],
  'Lib/test/test_tomllib/__init__.py': ['MIT', 'Taneli Hukkinen'],
  'Lib/test/test_tomllib/burntsushi.py': ['MIT', 'Taneli Hukkinen'],
  'Lib/test/test_tomllib/test_data.py': ['MIT', 'Taneli Hukkinen'],
  'Lib/test/test_tomllib/test_error.py': ['MIT', 'Taneli Hukkinen'],
  'Lib/test/test_tomllib/test_misc.py': ['MIT', 'Taneli Hukkinen'],
  'Lib/textwrap.py': ['', 'Gregory P. Ward'],
  'Lib/tkinter/simpledialog.py': ['', 'Fredrik Lundh'],
  'Lib/tomllib/__init__.py': ['MIT', 'Taneli Hukkinen'],
  'Lib/tomllib/_parser.py': ['MIT', 'Taneli Hukkinen'],
  'Lib/tomllib/_re.py': ['MIT', 'Taneli Hukkinen'],
  'Lib/tomllib/_types.py': ['MIT', 'Taneli Hukkinen'],
  'Lib/trace.py': ['HPND-SMC | PSF-2.0', 'Autonomous Zones Industries, Inc., all rights'],
  'Lib/turtle.py': ['Zlib', 'Gregor Lingl'],
  'Lib/unittest/__init__.py': ['PSF-2.0', 'Steve Purcell'],
  'Lib/urllib/robotparser.py': ['GPL-2.0-only OR PSF-2.0', 'Bastian Kleineidam'],
  'Lib/wsgiref/validate.py': ['Apache-2.0 | MIT', 'Ian Bicking and contributors; written for Paste ('],
  'Lib/xml/etree/ElementInclude.py': ['MIT-CMU', 'Fredrik Lundh'],
  'Lib/xml/etree/ElementPath.py': ['MIT-CMU', 'Fredrik Lundh'],
  'Lib/xml/etree/ElementTree.py': ['MIT-CMU', 'Fredrik Lundh'],
  'Lib/xml/etree/__init__.py': ['MIT-CMU', 'Fredrik Lundh'],
  'Lib/xmlrpc/client.py': ['MIT-CMU', 'Secret Labs AB'],
  'Modules/_blake2/blake2b_impl.c': ['CC0-1.0', ''],
  'Modules/_blake2/blake2module.c': ['CC0-1.0', ''],
  'Modules/_blake2/blake2s_impl.c': ['CC0-1.0', ''],
  'Modules/_cursesmodule.c': ['LicenseRef-cursesmodule', 'Lance Ellinghouse, Cathedral City, California Republic, United States of America'],
  'Modules/_decimal/_decimal.c': ['BSD-2-Clause', 'Stefan Krah'],
  'Modules/_decimal/tests/deccheck.py': ['BSD-2-Clause', 'Stefan Krah'],
  'Modules/_decimal/tests/formathelper.py': ['BSD-2-Clause', 'Stefan Krah'],
  'Modules/_decimal/tests/randdec.py': ['BSD-2-Clause', 'Stefan Krah'],
  'Modules/_localemodule.c': ['LicenseRef-localemodule', 'Martin von Loewis'],
  'Modules/_randommodule.c': ['BSD-3-Clause', 'Makoto Matsumoto and Takuji Nishimura'],
  'Modules/_sqlite/connection.c': ['Zlib', 'Gerhard Häring'],
  'Modules/_sqlite/connection.h': ['Zlib', 'Gerhard Häring'],
  'Modules/_sqlite/cursor.c': ['Zlib', 'Gerhard Häring'],
  'Modules/_sqlite/cursor.h': ['Zlib', 'Gerhard Häring'],
  'Modules/_sqlite/microprotocols.c': ['Zlib', 'Federico Di Gregorio'],
  'Modules/_sqlite/microprotocols.h': ['Zlib', 'Federico Di Gregorio'],
  'Modules/_sqlite/module.c': ['Zlib', 'Gerhard Häring'],
  'Modules/_sqlite/module.h': ['Zlib', 'Gerhard Häring'],
  'Modules/_sqlite/prepare_protocol.c': ['Zlib', 'Gerhard Häring'],
  'Modules/_sqlite/prepare_protocol.h': ['Zlib', 'Gerhard Häring'],
  'Modules/_sqlite/row.c': ['Zlib', 'Gerhard Häring'],
  'Modules/_sqlite/row.h': ['Zlib', 'Gerhard Häring'],
  'Modules/_sqlite/statement.c': ['Zlib', 'Gerhard Häring'],
  'Modules/_sqlite/statement.h': ['Zlib', 'Gerhard Häring'],
  'Modules/_sqlite/util.c': ['Zlib', 'Gerhard Häring'],
  'Modules/_sqlite/util.h': ['Zlib', 'Gerhard Häring'],
  'Modules/_sre/sre.c': ['CNRI-Python', 'Secret Labs AB'],
  'Modules/_sre/sre.h': ['CNRI-Python', 'Secret Labs AB'],
  'Modules/_sre/sre_constants.h': ['CNRI-Python', 'Secret Labs AB'],
  'Modules/_sre/sre_lib.h': ['CNRI-Python', 'Secret Labs AB'],
  'Modules/_sre/sre_targets.h': ['CNRI-Python', 'Secret Labs AB'],
  'Modules/_tkinter.c': ['', 'Steen Lumholt'],
  'Modules/_winapi.c': ['MIT-CMU', 'Fredrik Lundh'],
  'Modules/binascii.c': ['LicenseRef-crc32-gary-brown', 'Gary S. Brown'],
  'Modules/expat/pyexpatns.h': ['', 'ActiveState Software Inc'],
  'Modules/selectmodule.c': ['BSD-2-Clause', 'Doug White, 2006 James Knight, 2007 Christian Heimes'],
  'Modules/syslogmodule.c': ['HPND', 'Lance Ellinghouse, Cathedral City, California Republic, United States of America'],
  'Objects/unicodeobject.c': ['MIT-CMU', 'Secret Labs AB'],
  'PC/winsound.c': ['LicenseRef-winsound', 'Toby Dickenson'],
  'Python/getopt.c': ['LicenseRef-getopt', 'David Gottner'],
  'Python/hashtable.c': ['BSD-3-Clause', 'Don Owens'],
  'Python/pyhash.c': ['MIT', 'Marek Majkowski'],
  // "(c) 2013-2017 Christian Heimes", with no copyright word: found by its (c) and year.
  'Tools/ssl/multissltests.py': ['', 'Christian Heimes'],
  'Tools/unicode/makeunicodedata.py': ['', 'Secret Labs AB'],
  'Tools/unicode/python-mappings/CP1140.TXT': ['LicenseRef-unicode-mappings', 'Unicode, Inc'],
  'Tools/unicode/python-mappings/GB2312.TXT': ['LicenseRef-unicode-mappings', 'Unicode, Inc'],
  'Tools/unicode/python-mappings/KOI8-U.TXT': ['LicenseRef-unicode-mappings', 'Unicode, Inc'],
  'Tools/unicode/python-mappings/TIS-620.TXT': ['LicenseRef-unicode-mappings', 'Unicode, Inc'],
  'Tools/unittestgui/unittestgui.py': ['PSF-2.0', 'Steve Purcell'],
  'aclocal.m4': ['FSFAP | FSFULLR | GPL-2.0-or-later WITH Autoconf-exception-generic', 'Free Software Foundation, Inc'],
  'config.guess': ['GPL-3.0-or-later WITH Autoconf-exception-generic-3.0', 'Free Software Foundation, Inc'],
  'config.sub': ['GPL-3.0-or-later WITH Autoconf-exception-generic-3.0', 'Free Software Foundation, Inc'],
  configure: ['FSFUL', 'Free Software Foundation, Inc'],
  'install-sh': ['LicenseRef-public-domain | X11', 'X Consortium'],
};

const ONLY_311: Table = {
  'Doc/distributing/index.rst': ['', ''],
  'Doc/license.rst': [
    '0BSD | BSD-2-Clause | BSD-3-Clause | CNRI-Python-GPL-Compatible | HPND | HPND-SMC | MIT | MIT-CMU | PSF-2.0 | dtoa',
    'Makoto Matsumoto and Takuji Nishimura',
  ],
  'Doc/tools/extensions/c_annotations.py': ['PSF-2.0', 'Georg Brandl'],
  'Doc/tools/extensions/patchlevel.py': ['PSF-2.0', 'Georg Brandl'],
  'Doc/tools/extensions/suspicious.py': ['PSF-2.0', 'Gabriel A. Genellina'],
  'Doc/tools/susp-ignored.csv': ['', ''],
  'Lib/asynchat.py': ['HPND', 'Sam Rushing'],
  'Lib/asyncore.py': ['HPND', 'Sam Rushing'],
  'Lib/unittest/test/testmock/testcallable.py': ['', 'Michael Foord & the mock team'],
  'Lib/unittest/test/testmock/testpatch.py': ['', 'Michael Foord & the mock team'],
  'Lib/uu.py': ['HPND', 'Lance Ellinghouse Cathedral City, California Republic, United States of America'],
  'Modules/audioop.c': ['LicenseRef-audioop', 'Jeffrey S. Lee'],
  'Modules/md5module.c': ['LicenseRef-public-domain', 'Gregory P. Smith'],
  'Modules/sha1module.c': ['LicenseRef-public-domain', 'Gregory P. Smith'],
  'Modules/sha256module.c': ['LicenseRef-public-domain', 'Gregory P. Smith'],
  'Modules/sha512module.c': ['LicenseRef-public-domain', 'Gregory P. Smith'],
  'Modules/ossaudiodev.c': ['', 'Peter Bosch'],
  'Tools/scripts/generate_sre_constants.py': ['CNRI-Python', 'Secret Labs AB'],
  'Tools/scripts/ndiff.py': ['LicenseRef-public-domain', ''],
  'Tools/scripts/reindent.py': ['LicenseRef-public-domain', ''],
};

const ONLY_313: Table = {
  'Doc/license.rst': [
    '0BSD | Apache-2.0 | BSD-2-Clause | BSD-3-Clause | CNRI-Python-GPL-Compatible | HPND | HPND-SMC | MIT | MIT-CMU | PSF-2.0 | dtoa',
    'Makoto Matsumoto and Takuji Nishimura',
  ],
  'Doc/whatsnew/3.13.rst': ['', ''],
  'Lib/_pyrepl/__init__.py': ['LicenseRef-pyrepl', 'Michael Hudson-Doyle, Armin Rigo'],
  'Lib/_pyrepl/base_eventqueue.py': ['LicenseRef-pyrepl', 'Michael Hudson-Doyle, Armin Rigo'],
  'Lib/_pyrepl/commands.py': ['LicenseRef-pyrepl', 'Michael Hudson-Doyle, Antonio Cuni, Armin Rigo'],
  'Lib/_pyrepl/completing_reader.py': ['LicenseRef-pyrepl', 'Michael Hudson-Doyle, Antonio Cuni'],
  'Lib/_pyrepl/console.py': ['LicenseRef-pyrepl', 'Michael Hudson-Doyle'],
  'Lib/_pyrepl/curses.py': ['LicenseRef-pyrepl', 'Michael Hudson-Doyle, Armin Rigo'],
  'Lib/_pyrepl/fancy_termios.py': ['LicenseRef-pyrepl', 'Michael Hudson-Doyle'],
  'Lib/_pyrepl/historical_reader.py': ['LicenseRef-pyrepl', 'Michael Hudson-Doyle'],
  'Lib/_pyrepl/input.py': ['LicenseRef-pyrepl', 'Michael Hudson-Doyle'],
  'Lib/_pyrepl/keymap.py': ['LicenseRef-pyrepl', 'Michael Hudson-Doyle, Armin Rigo'],
  'Lib/_pyrepl/reader.py': ['LicenseRef-pyrepl', 'Michael Hudson-Doyle, Antonio Cuni, Armin Rigo'],
  'Lib/_pyrepl/readline.py': ['LicenseRef-pyrepl', 'Michael Hudson-Doyle, Alex Gaynor, Antonio Cuni, Armin Rigo, Holger Krekel'],
  'Lib/_pyrepl/simple_interact.py': ['LicenseRef-pyrepl', 'Michael Hudson-Doyle, Armin Rigo'],
  'Lib/_pyrepl/unix_console.py': ['LicenseRef-pyrepl', 'Michael Hudson-Doyle, Antonio Cuni, Armin Rigo'],
  'Lib/_pyrepl/unix_eventqueue.py': ['LicenseRef-pyrepl', 'Michael Hudson-Doyle, Armin Rigo'],
  'Lib/_pyrepl/windows_console.py': ['LicenseRef-pyrepl', 'Michael Hudson-Doyle'],
  'Lib/asyncio/constants.py': ['PSF-2.0 AND (MIT OR Apache-2.0)', 'MagicStack Inc'],
  'Lib/asyncio/events.py': ['PSF-2.0 AND (MIT OR Apache-2.0)', 'MagicStack Inc'],
  'Lib/asyncio/sslproto.py': ['PSF-2.0 AND (MIT OR Apache-2.0)', 'MagicStack Inc'],
  'Lib/test/support/asynchat.py': ['HPND', 'Sam Rushing'],
  'Lib/test/support/asyncore.py': ['HPND', 'Sam Rushing'],
  'Lib/test/test_asyncio/test_ssl.py': ['PSF-2.0 AND (MIT OR Apache-2.0)', 'MagicStack Inc'],
  'Lib/test/test_unittest/testmock/testcallable.py': ['', 'Michael Foord & the mock team'],
  'Lib/test/test_unittest/testmock/testpatch.py': ['', 'Michael Foord & the mock team'],
  'Python/qsbr.c': ['BSD-2-Clause', 'Jeffrey Roberson'],
  'Tools/build/generate_sre_constants.py': ['CNRI-Python', 'Secret Labs AB'],
  'Tools/patchcheck/reindent.py': ['LicenseRef-public-domain', ''],
  'Tools/unicode/dawg.py': ['LicenseRef-public-domain', ''],
};

/**
 * Third-party code the tree gives no version (the WIDE project's getaddrinfo, Google's dynamic
 * annotations, the WiX bootstrapper, the W3C C14N files): described as files of CPython (the
 * identity step's versionless fold), each still attributed and stating its own license.
 */
const FOLDED: Table = {
  'Include/dynamic_annotations.h': ['BSD-Source-Code', 'Google Inc'],
  'Lib/test/xmltestdata/c14n-20/README': ['BSD-3-Clause', 'W3C® (MIT, ERCIM, Keio, Beihang)'],
  'Modules/addrinfo.h': ['BSD-3-Clause', 'WIDE Project'],
  'Modules/getaddrinfo.c': ['BSD-3-Clause', 'WIDE Project'],
  'Modules/getnameinfo.c': ['BSD-3-Clause', 'WIDE Project'],
  'Python/dynamic_annotations.c': ['BSD-Source-Code', 'Google Inc'],
  'Tools/msi/bundle/bootstrap/LICENSE.txt': ['MS-RL', ''],
  'Tools/msi/bundle/bootstrap/PythonBootstrapperApplication.cpp': ['MS-RL', 'Outercurve Foundation'],
  'Tools/msi/bundle/bootstrap/pch.h': ['MS-RL', 'Outercurve Foundation'],
  'Tools/msi/bundle/bootstrap/pythonba.cpp': ['MS-RL', 'Outercurve Foundation'],
  'Tools/msi/bundle/bootstrap/pythonba.def': ['MS-RL', 'Outercurve Foundation'],
  'Tools/msi/bundle/bootstrap/pythonba.vcxproj': ['MS-RL', 'Outercurve Foundation'],
  'Tools/msi/bundle/bootstrap/resource.h': ['MS-RL', 'Outercurve Foundation'],
};

const EXPECTED: Record<string, Table> = {
  [REAL.py3112]: { ...COMMON, ...FOLDED, ...ONLY_311 },
  [REAL.py3135]: { ...COMMON, ...FOLDED, ...ONLY_313 },
  [REAL.py31315]: { ...COMMON, ...FOLDED, ...ONLY_313 },
};

for (const [tarball, expected] of Object.entries(EXPECTED)) {
  describe.skipIf(!hasReal(tarball))(`file evidence on the real ${tarball}`, () => {
    it('finds exactly the files with third-party notices, with their licenses and holders, each attributed', async () => {
      const { document, warnings } = await buildSbom(realPath(tarball) as string, { created: '2024-01-01T00:00:00Z', profile: 'complete' });
      // The step reads the files as the scan goes by and keeps none: read them again here.
      const scan = await scanSource(realPath(tarball) as string, { wantContent: mayHoldText });
      const cpython = document.packages[0];
      const byPath = new Map(document.files.map((file) => [file.path, file]));
      const found: Table = {};
      for (const path of cpython?.files ?? []) {
        const bytes = scan.contents.get(path);
        const evidence = bytes && scanFileEvidence(path, bytes);
        const claims = evidence ? thirdPartyClaims(evidence) : undefined;
        if (claims) found[path] = [(byPath.get(path)?.licenseInfoInFiles ?? []).join(' | '), claims.holders[0] ?? ''];
      }
      expect(found).toEqual(expected);
      // Each is attributed: a catalog item's note, or a snippet holding the notice, or CPython's own license texts.
      const snippetFiles = new Set((document.snippets ?? []).map((snippet) => snippet.file));
      const ownTexts = new Set(['LICENSE', 'Doc/license.rst', 'Doc/whatsnew/3.13.rst', 'Doc/distributing/index.rst', 'Doc/tools/susp-ignored.csv']);
      for (const path of Object.keys(expected)) {
        const attributed = byPath.get(path)?.comment?.startsWith('Contains code from') || snippetFiles.has(path) || ownTexts.has(path);
        expect(attributed, path).toBe(true);
      }
      expect(warnings.filter((warning) => /no catalog item attributes|but the catalog records|not a valid SPDX license expression/.test(warning))).toEqual([]);
    });

    it('states copyrights whole and in UTF-8, and package licenses from all their files', async () => {
      const { document } = await buildSbom(realPath(tarball) as string, { created: '2024-01-01T00:00:00Z', profile: 'complete' });
      const file = (path: string) => document.files.find((entry) => entry.path === path);
      const pkg = (ref: string) => document.packages.find((candidate) => candidate.ref === ref);
      const cpython = document.packages[0];
      expect(cpython?.licenseDeclared).toBe('PSF-2.0');
      expect(cpython?.licenseConcluded).toBe('NOASSERTION');
      for (const holder of ['Python Software Foundation', 'BeOpen.com', 'Corporation for National Research Initiatives', 'Stichting Mathematisch Centrum']) {
        expect(cpython?.copyrightText, holder).toContain(holder);
      }
      // Its files hold other licenses than the one it declares.
      expect(cpython?.licenseInfoFromFiles).toEqual(expect.arrayContaining(['PSF-2.0', 'Zlib', 'Apache-2.0', 'MIT', 'LicenseRef-public-domain']));
      expect(file('Modules/_randommodule.c')?.copyrightText).toBe('Copyright (C) 1997 - 2002, Makoto Matsumoto and Takuji Nishimura, All rights reserved.');
      expect(file('Lib/test/xmltestdata/c14n-20/README')?.copyrightText).toBe('Copyright © 2013 W3C® (MIT, ERCIM, Keio, Beihang), All Rights Reserved.');
      expect(pkg('decimal-testcases')?.copyrightText).toMatch(/^Copyright \(c\) IBM Corporation, 1981, 2008\. All rights reserved\./);
      expect(pkg('decimal-testcases')?.files).not.toContain('Lib/test/decimaltestdata/extra.decTest');
      // Nothing anywhere reads as Latin-1 mojibake.
      const texts = [...document.files.map((entry) => entry.copyrightText ?? ''), ...document.packages.map((entry) => entry.copyrightText ?? '')];
      expect(texts.filter((text) => /Â©|Ã[\x80-\xBF]/.test(text))).toEqual([]);
      // Every LicenseRef named is declared with its text.
      const declared = new Set((document.extractedLicenses ?? []).map((license) => license.id));
      for (const expression of cpython?.licenseInfoFromFiles ?? []) {
        for (const ref of expression.match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? []) expect(declared.has(ref), ref).toBe(true);
      }
    });
  });
}

describe.skipIf(!hasReal(REAL.py31315))('file evidence on 3.13.15: what the issue names', () => {
  it("pysqlite, profile, the asyncio tags, HACL*'s karamel headers, distro, the Unicode database", async () => {
    const { document } = await buildSbom(realPath(REAL.py31315) as string, { created: '2024-01-01T00:00:00Z', profile: 'complete' });
    const file = (path: string) => document.files.find((entry) => entry.path === path);
    const pkg = (ref: string) => document.packages.find((candidate) => candidate.ref === ref);
    expect(file('Modules/_sqlite/module.c')).toMatchObject({
      licenseInfoInFiles: ['Zlib'],
      copyrightText: 'Copyright (C) 2004-2010 Gerhard Häring <gh@ghaering.de>',
    });
    // The catalog's origin in words, then the license the notice states, once.
    expect(file('Lib/profile.py')).toMatchObject({
      licenseInfoInFiles: ['Apache-2.0'],
      comment:
        "Contains code from James Roskind's profiler (Copyright Disney Enterprises, Inc.), contributed by its authors (Apache-2.0, as the file's own notice says)",
    });
    expect(file('Lib/asyncio/events.py')?.licenseInfoInFiles).toEqual(['PSF-2.0 AND (MIT OR Apache-2.0)']);
    expect(file('Modules/_hacl/include/krml/internal/target.h')).toMatchObject({
      licenseInfoInFiles: ['Apache-2.0'],
      copyrightText: 'Copyright (c) INRIA and Microsoft Corporation. All rights reserved.',
    });
    // HACL* declares MIT; its files state MIT and (the karamel headers) Apache-2.0.
    expect(pkg('hacl-star')).toMatchObject({ licenseDeclared: 'MIT', licenseInfoFromFiles: ['Apache-2.0', 'MIT'] });
    expect(pkg('pip/distro')?.copyrightText).toBe('Copyright 2015-2021 Nir Cohen');
    expect(pkg('unicode-database')?.copyrightText).toBe('Copyright © 1991-2026 Unicode, Inc.');
    // The WiX bootstrapper states no version: its files are CPython's, each saying it is MS-RL code.
    expect(pkg('wix-bootstrapper')).toBeUndefined();
    expect(file('Tools/msi/bundle/bootstrap/pythonba.cpp')).toMatchObject({ licenseInfoInFiles: ['MS-RL'] });
    expect(file('Tools/msi/bundle/bootstrap/pythonba.cpp')?.comment).toMatch(/^Contains code from the WiX toolset's WixStandardBootstrapper/);
  });
});
