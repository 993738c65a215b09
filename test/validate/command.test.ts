import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { bufferIO } from '../../src/commands/io.js';
import { runBinary } from '../support/cli.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'validate');
const run = async (...args: string[]) => {
  const io = bufferIO();
  const code = await main(['validate', ...args], io);
  return { code, out: io.out(), err: io.err() };
};

describe('cpython-sbom validate', () => {
  it('exits 0 on valid documents of every format, printing VALID per file', async () => {
    const { code, out, err } = await run(
      join(FIXTURES, 'spdx', 'good.spdx.json'),
      join(FIXTURES, 'cyclonedx', 'good-1.6.cdx.json'),
      join(FIXTURES, 'cyclonedx', 'good-1.6.cdx.xml'),
      join(FIXTURES, 'real', 'SPDXJSONExample-v2.3.spdx.json'),
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.match(/: VALID \(/g)).toHaveLength(4);
  });

  it('exits 1 when any document is invalid, naming the place in text', async () => {
    const { code, out } = await run(join(FIXTURES, 'spdx', 'good.spdx.json'), join(FIXTURES, 'spdx', 'bad-timestamp.spdx.json'));
    expect(code).toBe(1);
    expect(out).toMatch(/bad-timestamp\.spdx\.json: INVALID \(spdx-2\.3-json, 1 error\)\n {2}error \/creationInfo\/created: expected an ISO 8601/);
  });

  it('prints exactly the contract shape with --format json', async () => {
    const { code, out } = await run(
      '--format',
      'json',
      join(FIXTURES, 'spdx', 'package-manager-underscore.spdx.json'),
      join(FIXTURES, 'spdx', 'dangling-relationship.spdx.json'),
    );
    expect(code).toBe(1);
    const parsed = JSON.parse(out) as Record<string, unknown>[];
    expect(parsed).toHaveLength(2);
    for (const entry of parsed) expect(Object.keys(entry)).toEqual(['file', 'format', 'valid', 'errors', 'warnings']);
    expect(parsed[0]).toMatchObject({ format: 'spdx-2.3-json', valid: true, errors: [] });
    expect(parsed[1]).toMatchObject({ valid: false, errors: [{ path: '/relationships/3/relatedSpdxElement' }] });
  });

  it('exits 2 with a one-line error when an input is unreadable, still reporting the others', async () => {
    const { code, out, err } = await run(join(FIXTURES, 'not-an-sbom.txt'), join(FIXTURES, 'spdx', 'duplicate-id.spdx.json'), join(FIXTURES, 'missing.json'));
    expect(code).toBe(2);
    expect(err.trim().split('\n')).toEqual([
      `cpython-sbom: ${join(FIXTURES, 'not-an-sbom.txt')}: not JSON or XML`,
      `cpython-sbom: ${join(FIXTURES, 'missing.json')}: no such file or directory`,
    ]);
    expect(out).toMatch(/duplicate-id\.spdx\.json: INVALID/);
  });

  it('decides the format from content, not the file name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpython-sbom-validate-'));
    try {
      const misnamed = join(dir, 'looks-like.spdx.json');
      copyFileSync(join(FIXTURES, 'cyclonedx', 'good-1.6.cdx.xml'), misnamed);
      const { code, out } = await run(misnamed);
      expect(code).toBe(0);
      expect(out).toBe(`${misnamed}: VALID (cyclonedx-1.6-xml)\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('as a binary: exit codes and one-line errors, no stack trace', () => {
    const bad = runBinary(['validate', join(FIXTURES, 'truncated.spdx.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^cpython-sbom: .*truncated\.spdx\.json: not valid JSON \(.*\)\n$/);
    const invalid = runBinary(['validate', join(FIXTURES, 'spdx', 'wrong-checksum-length.spdx.json')]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toBe('');
  });
});
