import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SbomDiff } from '../../src/diff/types.js';
import { parseSbomText, readSbomText } from '../../src/formats/registry.js';
import { REPO, run, tempDir } from '../support/cli.js';

/**
 * `diff` of two VEX-bearing CycloneDX documents (fixtures/diff/vex, hand-written to the CycloneDX
 * 1.6 `vulnerabilities` schema; see its README for what each statement does). The comparison
 * itself is tested on the model in security-review.test.ts; here the documents go through the
 * real reader.
 */
const DIR = join(REPO, 'fixtures', 'diff', 'vex');
const OLD = join(DIR, 'old.cdx.json');
const NEW = join(DIR, 'new.cdx.json');

describe('diff: the VEX fixtures', () => {
  it('are valid CycloneDX 1.6, and the schema check does look at their statements', async () => {
    const valid = await run(['validate', OLD, NEW, '--format', 'json']);
    expect(valid.code).toBe(0);
    expect((JSON.parse(valid.stdout) as { format: string; valid: boolean }[]).map((r) => [r.format, r.valid])).toEqual([
      ['cyclonedx-1.6-json', true],
      ['cyclonedx-1.6-json', true],
    ]);
    const broken = JSON.parse(readFileSync(NEW, 'utf8')) as { vulnerabilities: { analysis: { state: string } }[] };
    (broken.vulnerabilities[0] as { analysis: { state: string } }).analysis.state = 'fixed'; // OpenVEX's word, not CycloneDX's
    const path = join(tempDir('vex-'), 'broken.cdx.json');
    writeFileSync(path, JSON.stringify(broken));
    const invalid = await run(['validate', path]);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toContain('/vulnerabilities/0/analysis/state');
  });
});

// The CycloneDX reader fills SbomDocument.vulnerabilities as `vex` lands; until it does, these
// tests cannot run, and say so loudly rather than pass.
const readerReadsVex = ((await parseSbomText(await readSbomText(NEW), NEW)).document.vulnerabilities?.length ?? 0) > 0;
if (!readerReadsVex) {
  process.stderr.write('\n*** SKIPPING diff-over-CycloneDX-VEX tests: the CycloneDX reader does not read `vulnerabilities` yet. ***\n\n');
}

describe.skipIf(!readerReadsVex)('diff: VEX statements read from CycloneDX', () => {
  it('shows the statement fixed between OLD and NEW, the new one, the one no longer made', async () => {
    const result = await run(['diff', OLD, NEW, '--format', 'json', '--only', 'packages']);
    const diff = JSON.parse(result.stdout) as SbomDiff;
    expect(diff.vulnerabilities.fixed).toEqual([
      {
        id: 'PSF-2099-1',
        aliases: ['CVE-2099-0001'],
        affects: ['CPython'],
        old: { state: 'under_investigation', detail: 'Looked for gh-99001 and gh-99002 in Misc/NEWS: not found' },
        new: { state: 'fixed', detail: 'Misc/NEWS, 3.13.6 Security: gh-99001' },
      },
    ]);
    expect(diff.vulnerabilities.added.map((item) => [item.id, item.affects, item.state])).toEqual([['PSF-2099-5', ['expat'], 'affected']]);
    expect(diff.vulnerabilities.removed.map((item) => [item.id, item.affects, item.state])).toEqual([['PSF-2099-3', ['expat'], 'under_investigation']]);
    expect(diff.vulnerabilities.changed).toEqual([]);
    expect((await run(['diff', OLD, NEW, '--fail-on', 'vulnerabilities-affected'])).code).toBe(1);
    const markdown = (await run(['diff', OLD, NEW, '--format', 'markdown'])).stdout;
    expect(markdown).toContain('| PSF-2099-1 | CPython | under_investigation | fixed | Misc/NEWS, 3.13.6 Security: gh-99001 |');
  });
});
