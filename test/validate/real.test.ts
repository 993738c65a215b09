import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFile } from '../../src/validate/index.js';
import { run, tempDir } from '../support/cli.js';
import { REAL, hasReal, realPath } from '../support/real.js';

describe.skipIf(!hasReal(REAL.py31315))('validate our SBOMs of the real Python-3.13.15.tar.xz', () => {
  const out = tempDir('validate-real-');

  it('accepts every format generate writes, with no findings', async () => {
    const generated = await run([
      'generate',
      realPath(REAL.py31315) as string,
      '--format',
      'spdx-json,cyclonedx-json,cyclonedx-xml',
      '--out-dir',
      out,
      '--no-progress',
    ]);
    expect(generated.code, generated.stderr).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual(['Python-3.13.15.tar.xz.cdx.json', 'Python-3.13.15.tar.xz.cdx.xml', 'Python-3.13.15.tar.xz.spdx.json']);
    for (const name of files) {
      const started = performance.now();
      const result = await validateFile(join(out, name));
      const ms = performance.now() - started;
      process.stderr.write(`validate ${name}: ${ms.toFixed(0)} ms\n`);
      expect(result.errors, name).toEqual([]);
      expect(result.warnings, name).toEqual([]);
      expect(result.valid).toBe(true);
    }
    const cli = await run(['validate', ...files.map((name) => join(out, name))]);
    expect(cli.code).toBe(0);
  }, 60_000);
});
