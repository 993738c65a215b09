import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { extractCopyrights } from '../../src/license/copyright.js';
import { leadingComment } from '../../src/license/header.js';
import { identifyLicense } from '../../src/license/match.js';

const full = createRequire(import.meta.url)('spdx-license-list/full') as Record<string, { licenseText: string }>;
const text = (id: string) => (full[id] as { licenseText: string }).licenseText;

/** A license as a project ships it: its own copyright line, re-wrapped, curly quotes, British spelling. */
function asShipped(id: string, holder: string): string {
  const body = text(id)
    .split('\n')
    .filter((line) => !/^\s*copyright/i.test(line))
    .join('\n')
    .replace(/"([^"]*)"/g, '\u201c$1\u201d')
    .replace(/\s+/g, (space, offset: number) => (offset % 7 === 0 || space.includes('\n') ? '\n' : ' '))
    .replace(/\blicense\b/, 'licence');
  return `Copyright (c) 2019-2024 ${holder}\n\n${body}`;
}

describe('identifyLicense', () => {
  for (const id of ['MIT', 'BSD-2-Clause', 'BSD-3-Clause', 'Apache-2.0', 'ISC', '0BSD', 'MIT-0', 'PSF-2.0', 'MPL-2.0', 'Zlib', 'CC0-1.0']) {
    it(`recognises ${id} as a project ships it`, () => {
      expect(identifyLicense(asShipped(id, 'Example Project Authors'))?.id).toBe(id);
    });
  }

  it('tells a C header comment block with the MIT text apart from the code after it', () => {
    const source = `/* Copyright (c) 2016-2022 INRIA, CMU and Microsoft Corporation\n${text('MIT')
      .split('\n')
      .slice(3)
      .map((line) => ` * ${line}`)
      .join('\n')}\n */\n\n#include <stdint.h>\nint x(void) { return 1; }\n`;
    const header = leadingComment(source);
    expect(header).not.toContain('#include');
    expect(identifyLicense(header)?.id).toBe('MIT');
    expect(extractCopyrights(header)).toEqual(['Copyright (c) 2016-2022 INRIA, CMU and Microsoft Corporation']);
  });

  it('takes an SPDX-License-Identifier line as stated', () => {
    expect(identifyLicense('// SPDX-License-Identifier: Apache-2.0 OR MIT\nint x;')).toEqual({ id: 'Apache-2.0 OR MIT', confidence: 1 });
  });

  it('does not guess from a short notice or prose', () => {
    expect(identifyLicense('Licensed under the Apache License, Version 2.0; see the LICENSE file.')).toBeUndefined();
    expect(identifyLicense('This module parses wheel files and checks their RECORD.')).toBeUndefined();
    expect(identifyLicense('')).toBeUndefined();
  });

  it('prefers the license a text holds entirely over one it holds a part of (ISC over 0BSD, BSD-3 over BSD-2)', () => {
    expect(identifyLicense(text('BSD-3-Clause'))?.id).toBe('BSD-3-Clause');
    expect(identifyLicense(asShipped('ISC', 'Jane Doe').replaceAll('ISC', 'THE AUTHOR'))?.id).toBe('ISC');
  });
});

describe('extractCopyrights', () => {
  it('keeps statements and skips sentences that only mention copyright', () => {
    const found = extractCopyrights(
      [
        '# Copyright (c) 2001-2025 Expat maintainers',
        ' * Copyright 2012-2021 Eric Larson',
        '(c) You must retain, in the Source form of any Derivative Works',
        'copyright notice and this permission notice appear in all copies.',
        'Copyright (C) <year> <copyright holders>',
        '© 2020 Will McGugan',
        'Copyright (c) 2001-2025 Expat maintainers',
      ].join('\n'),
    );
    expect(found).toEqual(['Copyright (c) 2001-2025 Expat maintainers', 'Copyright 2012-2021 Eric Larson', '© 2020 Will McGugan']);
  });
});

describe('leadingComment', () => {
  it('reads # blocks after a shebang and Python docstrings', () => {
    expect(leadingComment('#!/usr/bin/env python\n# Copyright 2020 X\n# MIT\nimport os\n')).toBe('#!/usr/bin/env python\n# Copyright 2020 X\n# MIT');
    expect(leadingComment('"""Module.\n\n:license: MIT\n"""\nimport os\n')).toBe('Module.\n\n:license: MIT\n');
  });
});

describe('wheelMetadataLicense', () => {
  it('takes License-Expression, else a License field that is an SPDX expression, else classifiers named like SPDX licenses', async () => {
    const { wheelMetadataLicense } = await import('../../src/license/wheel-metadata.js');
    expect(wheelMetadataLicense('Name: pip\nLicense-Expression: MIT\nLicense: Whatever\n\nbody')).toEqual({ expression: 'MIT', field: 'License-Expression' });
    expect(wheelMetadataLicense('Name: pip\nLicense: MIT\nClassifier: License :: OSI Approved :: BSD License\n')).toEqual({
      expression: 'MIT',
      field: 'License',
    });
    expect(wheelMetadataLicense('Name: x\nLicense: BSD\nClassifier: License :: OSI Approved :: MIT License\n')).toEqual({
      expression: 'MIT',
      field: 'Classifier',
    });
    // "BSD License" names a family, not a license: nothing is guessed.
    expect(wheelMetadataLicense('Name: x\nLicense: BSD\nClassifier: License :: OSI Approved :: BSD License\n')).toBeUndefined();
    // Only the header counts; the long description may say anything.
    expect(wheelMetadataLicense('Name: x\n\nLicense-Expression: MIT\n')).toBeUndefined();
  });
});

describe('parseRecord', () => {
  it('reads RECORD rows, quoted paths and the urlsafe-base64 SHA-256', async () => {
    const { parseRecord } = await import('../../src/detect/wheel.js');
    const digest = Buffer.from('ab'.repeat(32), 'hex').toString('base64url');
    expect(parseRecord(`pip/__init__.py,sha256=${digest},12\n"pip/a,b.py",sha256=${digest},3\npip-1.0.dist-info/RECORD,,\n`)).toEqual([
      { path: 'pip/__init__.py', sha256: 'ab'.repeat(32), size: 12 },
      { path: 'pip/a,b.py', sha256: 'ab'.repeat(32), size: 3 },
      { path: 'pip-1.0.dist-info/RECORD' },
    ]);
  });
});
