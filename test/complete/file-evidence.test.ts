import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { buildSbom } from '../../src/generate/build.js';
import { renderDocument } from '../../src/formats/registry.js';
import type { SbomDocument } from '../../src/model/types.js';
import { validateText } from '../../src/validate/index.js';
import { makeTree } from '../detect/helpers.js';

const full = createRequire(import.meta.url)('spdx-license-list/full') as Record<string, { licenseText: string }>;
const hashed = (id: string) =>
  (full[id] as { licenseText: string }).licenseText
    .split('\n')
    .filter((line) => !/^\s*copyright/i.test(line))
    .map((line) => `# ${line}`.trimEnd())
    .join('\n');

const PYREPL_NOTICE = [
  '#   Copyright 2000-2010 Michael Hudson-Doyle <micahel@gmail.com>',
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
].join('\n');

const PYHASH = `/* x */\n/* ****\n <MIT License>\n Copyright (c) 2013  Marek Majkowski <marek@popcount.org>\n\n${(
  full.MIT as { licenseText: string }
).licenseText
  .split('\n')
  .filter((line) => !/^\s*copyright/i.test(line))
  .map((line) => ` ${line}`)
  .join('\n')}\n</MIT License>\n*/\nstatic uint64_t\nsiphash24(int k) {\n  return k;\n}\n\nint rest;\n`;

async function build(): Promise<{ document: SbomDocument; warnings: string[] }> {
  const tree = makeTree(
    {
      'Doc/license.rst':
        'Licenses and Acknowledgements for Incorporated Software\n=======================================================\n\nSipHash24\n---------\n\nIn :file:`Python/pyhash.c`::\n\n  <MIT License>\n  Copyright (c) 2013  Marek Majkowski\n',
      'Python/pyhash.c': PYHASH,
      'Python/getcopyright.c':
        'static const char cprt[] =\n"\\\nCopyright (c) 2001-2024 Python Software Foundation.\\n\\\nAll Rights Reserved.\\n\\\n\\n\\\nCopyright (c) 2000 BeOpen.com.\\n\\\nAll Rights Reserved.\\n\\\n\\n\\\nCopyright (c) 1995-2001 Corporation for National Research Initiatives.\\n\\\nAll Rights Reserved.\\n\\\n\\n\\\nCopyright (c) 1991-1995 Stichting Mathematisch Centrum, Amsterdam.\\n\\\nAll Rights Reserved.";\n',
      // Someone else's code the catalog does not know: described, and named in a warning.
      'Lib/newthing.py': '# Copyright 2010 Jane Roe <jane@example.org>\n# Licensed under the Apache License, Version 2.0 (the "License");\n\nimport os\n',
      // A contributor's copyright under CPython's contributor agreement is CPython's.
      'Lib/abc.py': '# Copyright 2007 Google, Inc. All Rights Reserved.\n# Licensed to PSF under a Contributor Agreement.\n\n"""ABCs."""\n',
      // Code the catalog attributes by its files (tarfile: MIT), stated with its own license text.
      'Lib/tarfile.py': `#!/usr/bin/env python3\n# Copyright (C) 2002 Lars Gustaebel <lars@gustaebel.de>\n# All rights reserved.\n#\n${hashed('MIT')}\n\nimport os\n`,
      // A file's own tag wins over the catalog's record, and the disagreement is reported.
      'Lib/turtle.py': '# SPDX-License-Identifier: BSD-2-Clause\n# Copyright (C) 2006 - 2010  Gregor Lingl\n',
      // uvloop's files tag themselves PSF-2.0 AND (MIT OR Apache-2.0); the catalog's MIT OR Apache-2.0 is among it.
      'Lib/asyncio/events.py':
        '"""Event loop."""\n\n# SPDX-License-Identifier: PSF-2.0 AND (MIT OR Apache-2.0)\n# SPDX-FileCopyrightText: Copyright (c) 2015-2021 MagicStack Inc.  http://magic.io\n',
      // A notice on no license list: the catalog's LicenseRef, with the notice as its text.
      'Lib/_pyrepl/reader.py': `${PYREPL_NOTICE}\n\nimport os\n`,
      'Lib/doctest.py': '# Module doctest.\n# Released to the public domain 16-Jan-2001, by Tim Peters (tim@python.org).\n',
      // Documentation that only mentions a license states nothing about its own.
      'Doc/whatsnew/3.13.rst': '* CPython now bundles the mimalloc library.\n  It is licensed under the MIT license.\n',
      'Lib/plain.py': 'import os\n',
    },
    '3.13.0',
  );
  const { document, warnings } = await buildSbom(tree, { created: '2024-01-01T00:00:00Z', profile: 'complete' });
  return { document, warnings };
}

describe('file evidence step', () => {
  it("records what each file states, attributes other people's notices, and names those the catalog does not know", async () => {
    const { document, warnings } = await build();
    const file = (path: string) => document.files.find((entry) => entry.path === path);
    const scanWarnings = warnings.filter((warning) => /no catalog item attributes|but the catalog records/.test(warning));
    expect(scanWarnings).toEqual([
      "Lib/newthing.py: states license Apache-2.0 and copyright of Jane Roe, which is not CPython's own and no catalog item attributes; described at file level only",
      "Lib/turtle.py: states BSD-2-Clause, but the catalog records Zlib for turtle (Gregor Lingl); the file's statement is kept",
    ]);

    expect(file('Lib/newthing.py')).toMatchObject({ licenseInfoInFiles: ['Apache-2.0'], copyrightText: 'Copyright 2010 Jane Roe <jane@example.org>' });
    expect(file('Lib/abc.py')).toMatchObject({ copyrightText: 'Copyright 2007 Google, Inc. All Rights Reserved.' });
    expect(file('Lib/abc.py')?.licenseInfoInFiles).toBeUndefined();
    expect(file('Lib/tarfile.py')).toMatchObject({
      licenseInfoInFiles: ['MIT'],
      copyrightText: 'Copyright (C) 2002 Lars Gustaebel <lars@gustaebel.de> All rights reserved.',
      comment: expect.stringContaining("Contains code from Lars Gustäbel's tarfile"),
    });
    expect(file('Lib/turtle.py')?.licenseInfoInFiles).toEqual(['BSD-2-Clause']);
    expect(file('Lib/asyncio/events.py')?.licenseInfoInFiles).toEqual(['PSF-2.0 AND (MIT OR Apache-2.0)']);
    expect(file('Lib/asyncio/events.py')?.copyrightText).toBe('Copyright (c) 2015-2021 MagicStack Inc. http://magic.io');
    expect(file('Lib/_pyrepl/reader.py')?.licenseInfoInFiles).toEqual(['LicenseRef-pyrepl']);
    expect(file('Lib/doctest.py')?.licenseInfoInFiles).toEqual(['LicenseRef-public-domain']);
    expect(file('Doc/whatsnew/3.13.rst')?.licenseInfoInFiles).toBeUndefined();
    expect(file('Lib/plain.py')?.licenseInfoInFiles).toBeUndefined();
    // The snippet's notice lies in its lines: no warning, and the file says MIT.
    expect(file('Python/pyhash.c')?.licenseInfoInFiles).toEqual(['MIT']);

    // Every LicenseRef is declared, with the notice itself as its text.
    const refs = new Map((document.extractedLicenses ?? []).map((license) => [license.id, license]));
    expect([...refs.keys()].sort()).toEqual(['LicenseRef-public-domain', 'LicenseRef-pyrepl']);
    expect(refs.get('LicenseRef-pyrepl')?.text).toMatch(
      /^Permission to use, copy, modify, and distribute this software and\nits documentation[\s\S]*THIS SOFTWARE\.$/,
    );

    // CPython: declares PSF-2.0, concludes nothing; its files' licenses are their union; its copyright the chain.
    const cpython = document.packages[0];
    expect(cpython?.licenseConcluded).toBe('NOASSERTION');
    expect(cpython?.licenseInfoFromFiles).toEqual([
      'Apache-2.0',
      'BSD-2-Clause',
      'LicenseRef-public-domain',
      'LicenseRef-pyrepl',
      'MIT',
      'PSF-2.0 AND (MIT OR Apache-2.0)',
    ]);
    expect(cpython?.copyrightText).toBe(
      [
        'Copyright (c) 2001-2024 Python Software Foundation. All Rights Reserved.',
        'Copyright (c) 2000 BeOpen.com. All Rights Reserved.',
        'Copyright (c) 1995-2001 Corporation for National Research Initiatives. All Rights Reserved.',
        'Copyright (c) 1991-1995 Stichting Mathematisch Centrum, Amsterdam. All Rights Reserved.',
      ].join('\n'),
    );

    // Both formats are valid with the LicenseRefs (SPDX declares each, CycloneDX never puts one in license.id).
    for (const format of ['spdx-json', 'cyclonedx-json', 'cyclonedx-xml'] as const) {
      const text = await renderDocument(document, format, '1.6');
      const validation = await validateText(text, `doc.${format}`);
      expect(validation.errors, format).toEqual([]);
    }
  });

  it('leaves the python.org profile without file evidence', async () => {
    const tree = makeTree({ 'Lib/newthing.py': '# Copyright 2010 Jane Roe\n# SPDX-License-Identifier: MIT\n' }, '3.13.0');
    const { document, warnings } = await buildSbom(tree, { created: '2024-01-01T00:00:00Z', profile: 'python.org' });
    expect(document.files.find((file) => file.path === 'Lib/newthing.py')).toEqual({ path: 'Lib/newthing.py', checksums: expect.any(Object) });
    expect(document.packages[0]?.licenseConcluded).toBe('PSF-2.0');
    expect(warnings.filter((warning) => warning.includes('no catalog item'))).toEqual([]);
  });
});
