import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { readAllWheelMembers } from '../../src/detect/wheel.js';
import { extractCopyrights, holderOf } from '../../src/license/copyright.js';
import { HEAD_BYTES, TAIL_BYTES, WHOLE_BYTES, scanFileEvidence } from '../../src/license/file-scan.js';
import { licenseReferences } from '../../src/license/references.js';

const full = createRequire(import.meta.url)('spdx-license-list/full') as Record<string, { licenseText: string }>;
/** A license's SPDX text without its own title and copyright lines, as a project quotes it. */
const body = (id: string) =>
  (full[id] as { licenseText: string }).licenseText
    .split('\n')
    .filter((line) => !/^\s*copyright/i.test(line))
    .join('\n');
const commented = (prefix: string, text: string) =>
  text
    .split('\n')
    .map((line) => `${prefix}${line}`.trimEnd())
    .join('\n');
const scan = (path: string, text: string | Buffer) => scanFileEvidence(path, typeof text === 'string' ? Buffer.from(text) : text);

describe('scanFileEvidence: REUSE tags', () => {
  it('takes SPDX-License-Identifier and SPDX-FileCopyrightText as stated, with their lines', () => {
    const evidence = scan(
      'Lib/asyncio/events.py',
      '"""Event loop."""\n\n# Contains code from uvloop\n# SPDX-License-Identifier: PSF-2.0 AND (MIT OR Apache-2.0)\n# SPDX-FileCopyrightText: Copyright (c) 2015-2021 MagicStack Inc.  http://magic.io\n\nimport os\n',
    );
    expect(evidence?.licenses).toEqual([{ expression: 'PSF-2.0 AND (MIT OR Apache-2.0)', method: 'spdx-tag', line: 4 }]);
    expect(evidence?.copyrights).toEqual(['Copyright (c) 2015-2021 MagicStack Inc. http://magic.io']);
    expect(evidence?.copyrightLines).toEqual([5]);
  });

  it('reads a tag in a C comment, prefixes a bare FileCopyrightText, and reports a tag that is no expression', () => {
    const evidence = scan(
      'x.c',
      '/* SPDX-License-Identifier: MIT */\n/* SPDX-FileCopyrightText: 2021 Taneli Hukkinen */\n// SPDX-License-Identifier: not a (valid expression\nint x;\n',
    );
    expect(evidence?.licenses.map((license) => license.expression)).toEqual(['MIT']);
    expect(evidence?.copyrights).toEqual(['Copyright 2021 Taneli Hukkinen']);
    expect(evidence?.invalidTags).toEqual(['not a (valid expression']);
  });
});

describe('scanFileEvidence: license texts and notices', () => {
  it('matches a license quoted in a header comment (a notice) and a license file (a license text)', () => {
    const header = `/*\n * Copyright (C) 2004-2010 Gerhard Häring <gh@ghaering.de>\n *\n${commented(' * ', body('Zlib'))}\n */\n\n#include "module.h"\nint x;\n`;
    const notice = scan('Modules/_sqlite/module.c', header);
    expect(notice?.licenses).toEqual([{ expression: 'Zlib', method: 'notice', confidence: expect.any(Number), line: 2 }]);
    expect(notice?.licenses[0]?.confidence).toBeGreaterThanOrEqual(0.85);
    expect(notice?.copyrights).toEqual(['Copyright (C) 2004-2010 Gerhard Häring <gh@ghaering.de>']);

    const file = scan('Tools/msi/bundle/bootstrap/LICENSE.txt', `Copyright (c) 2020 Example\n\n${body('MIT')}\n`);
    expect(file?.licenses.map((license) => [license.expression, license.method])).toEqual([['MIT', 'license-text']]);
  });

  it('finds every license of a license file, section by section', () => {
    const text = `A. THE FIRST\n=============\n\nCopyright (c) 2001 One\n\n${body('BSD-3-Clause')}\n\nB. THE SECOND\n==============\n\n${body('Zlib')}\n`;
    expect(
      scan('LICENSE', text)
        ?.licenses.map((license) => license.expression)
        .sort(),
    ).toEqual(['BSD-3-Clause', 'Zlib']);
  });

  it('keeps a permission notice no SPDX text matches as an unidentified notice, not a near miss', () => {
    const text = [
      '#   Copyright 2000-2010 Michael Hudson-Doyle <micahel@gmail.com>',
      '#                       Antonio Cuni',
      '#                       Armin Rigo',
      '#',
      '#                        All Rights Reserved',
      '#',
      '# Permission to use, copy, modify, and distribute this software and',
      '# its documentation for any purpose is hereby granted without fee,',
      '# provided that the above copyright notice appear in all copies and',
      '# that both that copyright notice and this permission notice appear in',
      '# supporting documentation.',
      '#',
      '# THE AUTHOR MICHAEL HUDSON DISCLAIMS ALL WARRANTIES WITH REGARD TO',
      '# THIS SOFTWARE, INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY',
      '# AND FITNESS, IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL,',
      '# INDIRECT OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES WHATSOEVER',
      '# RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN ACTION OF',
      '# CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR IN',
      '# CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.',
      '',
      'import os',
    ].join('\n');
    const evidence = scan('Lib/_pyrepl/reader.py', text);
    // ISC and 0BSD hold ~80% of it: close, but another license; nothing is claimed.
    expect(evidence?.licenses).toEqual([]);
    expect(evidence?.copyrights).toEqual(['Copyright 2000-2010 Michael Hudson-Doyle <micahel@gmail.com>, Antonio Cuni, Armin Rigo']);
    expect(evidence?.notices).toEqual([{ line: 7, text: expect.stringMatching(/^Permission to use, copy, modify[\s\S]*PERFORMANCE OF THIS SOFTWARE\.$/) }]);
  });

  it('says what public-domain code says, and which holders a contributor agreement speaks for', () => {
    expect(scan('Lib/doctest.py', '# Module doctest.\n# Released to the public domain 16-Jan-2001, by Tim Peters (tim@python.org).\n')?.publicDomain).toBe(
      'Released to the public domain 16-Jan-2001, by Tim Peters (tim@python.org).',
    );
    // Found by the byte search in any case, with no other notice word in the file; "public" alone is not enough.
    expect(scan('Lib/socket.py', '# Origin: https://gist.github.com/4325783, by Geert Jansen.  Public Domain.\n')?.publicDomain).toBe(
      'Origin: https://gist.github.com/4325783, by Geert Jansen. Public Domain.',
    );
    expect(scan('Lib/x.py', '# public API, domain names\n')).toBeUndefined();
    const evidence = scan(
      'Lib/abc.py',
      '# Copyright 2007 Google, Inc. All Rights Reserved.\n# Licensed to PSF under a Contributor Agreement.\n\n"""Abstract Base Classes."""\n',
    );
    expect(evidence?.contributorAgreement).toBe(true);
    expect(evidence?.contributed).toEqual(['Copyright 2007 Google, Inc. All Rights Reserved.']);
    // CC0's dedication is the license, not a bare public-domain statement.
    const cc0 = scan(
      'blake2.h',
      '/*\n   Written in 2012 by Samuel Neves <sneves@dei.uc.pt>\n\n   To the extent possible under law, the author(s) have dedicated all copyright\n   and related and neighboring rights to this software to the public domain\n   worldwide. This software is distributed without any warranty.\n*/\n',
    );
    expect(cc0?.licenses.map((license) => license.expression)).toEqual(['CC0-1.0']);
    expect(cc0?.publicDomain).toBeUndefined();
    expect(cc0?.copyrights).toEqual(['Written in 2012 by Samuel Neves <sneves@dei.uc.pt>']);
  });
});

describe('short references', () => {
  it.each([
    ['## Licensed under the Apache License, Version 2.0 (the "License");', 'Apache-2.0'],
    ['/* Copyright (c) INRIA and Microsoft Corporation. All rights reserved.\n   Licensed under the Apache 2.0 License. */', 'Apache-2.0'],
    ['/* Copyright (c) INRIA and Microsoft Corporation. All rights reserved.\n   Licensed under the Apache 2.0 and MIT Licenses. */', 'Apache-2.0 AND MIT'],
    ['"""Parses TOML.\n\nReleased under the MIT license.\n"""', 'MIT'],
    ['//   This software is released under Microsoft Reciprocal License (MS-RL).', 'MS-RL'],
    ['    You can choose between two licenses when using this package:\n    1) GNU GPLv2\n    2) PSF license for Python 2.2', 'GPL-2.0-only OR PSF-2.0'],
    ['# This Source Code Form is subject to the terms of the Mozilla Public\n# License, v. 2.0.', 'MPL-2.0'],
    [
      '# This file is dual licensed under the terms of the Apache License, Version\n# 2.0, and the BSD License. See the LICENSE file in the root of this repository',
      'Apache-2.0 OR BSD-2-Clause',
    ],
  ])('%s', (text, expression) => {
    expect(licenseReferences(text).map((reference) => reference.expression)).toEqual([expression]);
  });

  it('GPL with Autoconf\'s exception, and "or later"', () => {
    const guess = [
      '# This file is free software; you can redistribute it and/or modify it',
      '# under the terms of the GNU General Public License as published by',
      '# the Free Software Foundation, either version 3 of the License, or',
      '# (at your option) any later version.',
      '#',
      '# As a special exception to the GNU General Public License, if you',
      '# distribute this file as part of a program that contains a',
      '# configuration script generated by Autoconf, you may include it under',
      '# the same distribution terms that you use for the rest of that',
      '# program.  This Exception is an additional permission under section 7',
      '# of the GNU General Public License, version 3 ("GPLv3").',
    ].join('\n');
    expect(
      scan('config.guess', `#! /bin/sh\n# Copyright 1992-2021 Free Software Foundation, Inc.\n\n${guess}\n\ntimestamp='2021-06-03'\n`)?.licenses.map(
        (license) => license.expression,
      ),
    ).toEqual(['GPL-3.0-or-later WITH Autoconf-exception-generic-3.0']);
    expect(
      licenseReferences('the GNU General Public License as published by the Free Software Foundation; version 2 of the License.').map((r) => r.expression),
    ).toEqual(['GPL-2.0-only']);
  });

  it('does not take a sentence about something else for a reference', () => {
    expect(licenseReferences('We use the MIT License in examples; see the Apache Software Foundation.')).toEqual([]);
  });
});

describe('copyright statements', () => {
  it('joins continuation lines: a comma, a wrapped name, "All rights reserved." under it, an aligned holder list', () => {
    expect(extractCopyrights('Copyright © 2013 W3C® (MIT, ERCIM, Keio, Beihang),\nAll Rights Reserved.\n\nRedistribution and use ...')).toEqual([
      'Copyright © 2013 W3C® (MIT, ERCIM, Keio, Beihang), All Rights Reserved.',
    ]);
    expect(extractCopyrights('   Copyright (C) 1997 - 2002, Makoto Matsumoto and Takuji Nishimura,\n   All rights reserved.\n')).toEqual([
      'Copyright (C) 1997 - 2002, Makoto Matsumoto and Takuji Nishimura, All rights reserved.',
    ]);
    expect(
      extractCopyrights(
        'Copyright (c) 1991 - 1995, Stichting Mathematisch Centrum Amsterdam,\nThe Netherlands.  All rights reserved.\n\nPermission to use ...',
      ),
    ).toEqual(['Copyright (c) 1991 - 1995, Stichting Mathematisch Centrum Amsterdam, The Netherlands. All rights reserved.']);
    expect(
      extractCopyrights(
        ' *  Copyright 1995-1996 by Fred L. Drake, Jr. and Virginia Polytechnic\n *  Institute and State University, Blacksburg, Virginia, USA.\n',
      ),
    ).toEqual(['Copyright 1995-1996 by Fred L. Drake, Jr. and Virginia Polytechnic Institute and State University, Blacksburg, Virginia, USA.']);
  });

  it('reads statements quoted in a license, wrapped or not, and in C strings, without trailing punctuation', () => {
    const license = [
      "provided, however, that PSF's License Agreement and PSF's notice of copyright,",
      'i.e., "Copyright (c) 2001-2024 Python Software Foundation; All Rights Reserved"',
      'are retained in Python alone or in any derivative version prepared by Licensee.',
      'License Agreement and CNRI\'s notice of copyright, i.e., "Copyright (c)',
      '1995-2001 Corporation for National Research Initiatives; All Rights',
      'Reserved" are retained in Python 1.6.1 alone or in any derivative',
    ].join('\n');
    expect(extractCopyrights(license)).toEqual([
      'Copyright (c) 2001-2024 Python Software Foundation; All Rights Reserved',
      'Copyright (c) 1995-2001 Corporation for National Research Initiatives; All Rights Reserved',
    ]);
    expect(extractCopyrights('static const char cprt[] =\n"\\\nCopyright (c) 2000 BeOpen.com.\\n\\\nAll Rights Reserved.\\n\\\n\\n\\\n')).toEqual([
      'Copyright (c) 2000 BeOpen.com. All Rights Reserved.',
    ]);
    expect(extractCopyrights('# Copyright (c) 2006-2008, R Oudkerk,\n# Licensed to PSF under a Contributor Agreement.')).toEqual([
      'Copyright (c) 2006-2008, R Oudkerk',
    ]);
    expect(extractCopyrights('-- Copyright (c) IBM Corporation, 1981, 2008.  All rights reserved.   --')).toEqual([
      'Copyright (c) IBM Corporation, 1981, 2008. All rights reserved.',
    ]);
    expect(extractCopyrights(' * Copyright (C) 1986 Gary S. Brown.  You may use this program, or')).toEqual(['Copyright (C) 1986 Gary S. Brown.']);
    expect(extractCopyrights(':copyright: 2008-2014 by Georg Brandl.')).toEqual(['Copyright 2008-2014 by Georg Brandl.']);
  });

  it('splits several statements on one line, reads C\'s \\xA9, and finds a "(c) year" with no copyright word', () => {
    expect(extractCopyrights('#define PYTHON_COPYRIGHT "Copyright \\xA9 2001-2024 Python Software Foundation. Copyright \\xA9 2000 BeOpen.com."')).toEqual([
      'Copyright © 2001-2024 Python Software Foundation.',
      'Copyright © 2000 BeOpen.com.',
    ]);
    expect(extractCopyrights('# (c) Copyright CNRI, All Rights Reserved. NO WARRANTY.')).toEqual(['(c) Copyright CNRI, All Rights Reserved. NO WARRANTY.']);
    expect(
      scan('Tools/ssl/multissltests.py', '"""Test against several OpenSSL versions.\n\n(c) 2013-2017 Christian Heimes <christian@python.org>\n"""\nimport os\n')
        ?.copyrights,
    ).toEqual(['(c) 2013-2017 Christian Heimes <christian@python.org>']);
  });

  it('skips mentions, templates and identifiers', () => {
    expect(
      extractCopyrights(
        [
          "    '\\xa9'     #  0xA9 -> COPYRIGHT SIGN",
          '# Copyright (C) YEAR ORGANIZATION',
          '//  Copyright (c) 2002 __MyCompanyName__. All rights reserved.',
          '    THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS',
          '__copyright__ = sys.copyright',
          'Copyright [yyyy] [name of copyright owner]',
          '(c) You must retain all copyright notices',
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('names the holder of a statement', () => {
    expect(holderOf('Copyright (C) 1997 - 2002, Makoto Matsumoto and Takuji Nishimura, All rights reserved.')).toBe('Makoto Matsumoto and Takuji Nishimura');
    expect(holderOf('Copyright 2001-2022 by Vinay Sajip. All Rights Reserved.')).toBe('Vinay Sajip');
    expect(holderOf('Written in 2012 by Samuel Neves <sneves@dei.uc.pt>')).toBe('Samuel Neves');
    expect(holderOf('Copyright (c) 1999-2000, Marc-Andre Lemburg; mailto:mal@lemburg.com')).toBe('Marc-Andre Lemburg');
  });
});

describe('encodings', () => {
  it('reads UTF-8 as UTF-8 (no Â©) and other bytes as Windows-1252', () => {
    expect(scan('README', 'Copyright © 2013 W3C® (MIT, ERCIM, Keio, Beihang)\n')?.copyrights).toEqual(['Copyright © 2013 W3C® (MIT, ERCIM, Keio, Beihang)']);
    const latin = Buffer.concat([
      Buffer.from('/* Copyright '),
      Buffer.from([0xa9]),
      Buffer.from(' 1999 J'),
      Buffer.from([0xf6]),
      Buffer.from('rg M'),
      Buffer.from([0xfc]),
      Buffer.from('ller */\n'),
    ]);
    expect(scan('x.c', latin)?.copyrights).toEqual(['Copyright © 1999 Jörg Müller']);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('// Copyright (c) 2020 Microsoft Corporation\r\n', 'utf16le')]);
    expect(scan('x.rc', utf16)?.copyrights).toEqual(['Copyright (c) 2020 Microsoft Corporation']);
  });
});

describe('bounds and the prefilter', () => {
  it('leaves files without notice words and binary files alone', () => {
    expect(scan('Lib/os.py', 'import sys\n\ndef f(c):\n    return isalpha(c)\n')).toBeUndefined();
    expect(scan('x.png', Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n\0\0Copyright 2020 X')]))).toBeUndefined();
  });

  it("reads a big file only in its head and tail, with the tail's line numbers right", () => {
    const filler = (bytes: number) => `${'x = 1\n'.repeat(Math.ceil(bytes / 6))}`;
    const head = `# Copyright 2001 Head Holder\n${filler(HEAD_BYTES)}`;
    const middle = `# Copyright 2002 Middle Holder\n${filler(WHOLE_BYTES)}`;
    const tail = '# Copyright 2003 Tail Holder\n# SPDX-License-Identifier: MIT\n';
    const text = `${head}${middle}${filler(TAIL_BYTES / 2)}${tail}`;
    const evidence = scan('big.py', text);
    expect(evidence?.copyrights).toEqual(['Copyright 2001 Head Holder', 'Copyright 2003 Tail Holder']);
    const lines = text.split('\n');
    expect(evidence?.licenses).toEqual([{ expression: 'MIT', method: 'spdx-tag', line: lines.indexOf('# SPDX-License-Identifier: MIT') + 1 }]);
  });
});

describe('a notice inside a nested wheel member', () => {
  it('is read from the member bytes, wherever they come from', async () => {
    const inner = await zip({
      'vendored/__init__.py': '# Copyright 2015-2021 Nir Cohen\n#\n# Licensed under the Apache License, Version 2.0 (the "License");\n\nimport os\n',
    });
    const outer = await zip({ 'Lib/test/wheeldata/inner-1.0-py3-none-any.whl': inner, README: 'no notice here\n' });
    const [wheel] = (await readAllWheelMembers(outer, 'outer.whl', () => true)).filter((member) => member.name.endsWith('.whl'));
    const members = await readAllWheelMembers(wheel?.bytes as Buffer, 'inner.whl', () => true);
    const member = members.find((candidate) => candidate.name === 'vendored/__init__.py');
    const evidence = scanFileEvidence(`outer.whl/${wheel?.name}/${member?.name}`, member?.bytes as Buffer);
    expect(evidence?.licenses).toEqual([{ expression: 'Apache-2.0', method: 'reference', line: 1 }]);
    expect(evidence?.copyrights).toEqual(['Copyright 2015-2021 Nir Cohen']);
  });
});

function zip(members: Record<string, string | Buffer>): Promise<Buffer> {
  const archive = new yazl.ZipFile();
  for (const [name, content] of Object.entries(members))
    archive.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name, { mtime: new Date(0) });
  archive.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    archive.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    archive.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    archive.outputStream.on('error', reject);
  });
}
