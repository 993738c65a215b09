import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LICENSE_TEXTS_LIST_VERSION } from '../../src/license/list-version.js';

describe('the license list version of the identified licenses', () => {
  it('is the version the installed spdx-license-list says its texts are from', () => {
    const packageJson = createRequire(import.meta.url).resolve('spdx-license-list/package.json');
    const readme = readFileSync(join(dirname(packageJson), 'readme.md'), 'utf8');
    const stated = /SPDX License List version (\d+\.\d+)/.exec(readme)?.[1];
    expect(stated, 'spdx-license-list no longer names its list version: update list-version.ts by hand').toBeDefined();
    expect(LICENSE_TEXTS_LIST_VERSION).toBe(stated);
  });
});
