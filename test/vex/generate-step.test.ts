import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateCycloneDxSchema, writeCycloneDx } from '../../src/formats/cyclonedx/index.js';
import { readSbomFile } from '../../src/formats/registry.js';
import { generate } from '../../src/index.js';
import type { SbomDocument, VulnerabilityStatement } from '../../src/model/types.js';
import { loadAdvisories } from '../../src/vex/advisory-dir.js';
import { vexStep } from '../../src/vex/step.js';
import { REPO } from '../support/cli.js';
import { sampleTreeWith, scratch, SYNTHETIC } from './support.js';

describe('generate --advisories: the statements step of the pipeline', () => {
  it('wants the changelog from the scan and puts the statements into the CycloneDX SBOM, which stays valid and reads back', async () => {
    const step = vexStep(await loadAdvisories(SYNTHETIC));
    expect(step.name).toBe('vex');
    expect(['Misc/NEWS', 'Misc/NEWS.d/3.13.0.rst', 'Misc/NEWS.d/next/Security/x.gh-issue-1.y.rst'].every((path) => step.wants(path))).toBe(true);
    expect(['Misc/NEWS.txt', 'Misc/sbom.spdx.json', 'Lib/NEWS'].some((path) => step.wants(path))).toBe(false);

    const tree = sampleTreeWith('rendered');
    const plain = await generate(tree, { format: ['cyclonedx-json'], created: '2024-01-01T00:00:00Z' });
    const result = await generate(tree, { format: ['spdx-json', 'cyclonedx-json', 'cyclonedx-xml'], created: '2024-01-01T00:00:00Z', advisories: SYNTHETIC });
    expect(result.ok).toBe(true);
    const statements = result.model.vulnerabilities ?? [];
    expect(statements).toHaveLength(17);
    expect(statements.filter((statement) => statement.state === 'fixed')).toHaveLength(6);
    expect(result.warnings.some((warning) => warning.startsWith('broken-syntax.json'))).toBe(true);
    expect(result.notes).toContain('the SPDX documents carry no VEX statements (SPDX 2.3 has no place for them); the CycloneDX documents do');

    const work = scratch('step');
    for (const format of ['json', 'xml'] as const) {
      const text = result.documents[`cyclonedx-${format}`] as string;
      const file = join(work, `vex-step.cdx.${format}`);
      writeFileSync(file, text);
      const read = await readSbomFile(file);
      expect(read.document.vulnerabilities).toEqual(statements);
      // The SBOM keeps its files: the statements are added, nothing taken away.
      expect(read.document.files.length).toBe(plain.model.files.length);
    }
    // SPDX alone cannot carry them: refused with one line, not written without them.
    await expect(generate(tree, { format: ['spdx-json'], advisories: SYNTHETIC })).rejects.toThrow(/--advisories: VEX statements are written in CycloneDX/);
  });
});

/**
 * A pair of VEX-bearing CycloneDX documents for `diff` (fixtures/vex/diff): between them
 * CVE-2099-0101 (CPython) and CVE-2099-0103 (bundled expat) become fixed, CVE-2099-0102 stays
 * fixed, CVE-2099-0104 is new (under investigation), CVE-2099-0105 goes from fixed back to under
 * investigation. Regenerate with UPDATE_GOLDEN=1 after a deliberate change of the writer.
 */
describe('fixture pair for diff: fixtures/vex/diff/{old,new}.cdx.json', () => {
  const dir = join(REPO, 'fixtures', 'vex', 'diff');
  const model = (): SbomDocument => JSON.parse(readFileSync(join(REPO, 'fixtures', 'formats', 'cyclonedx', 'model.json'), 'utf8')) as SbomDocument;
  const statement = (id: string, state: VulnerabilityStatement['state'], affects = ['cpython']): VulnerabilityStatement => ({
    id,
    aliases: [`SYNTH-${id.slice(-4)}`],
    source: { name: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${id}` },
    affects,
    state,
    detail:
      state === 'fixed'
        ? `SYNTH-${id.slice(-4)}: fixed in this tree. Misc/NEWS:1, Python 3.13.99 final, Security: gh-9${id.slice(-4)}: made up.`
        : `SYNTH-${id.slice(-4)}: under investigation.`,
  });
  const documents = {
    old: [
      statement('CVE-2099-0101', 'under_investigation'),
      statement('CVE-2099-0102', 'fixed'),
      statement('CVE-2099-0103', 'under_investigation', ['expat']),
      statement('CVE-2099-0105', 'fixed'),
    ],
    new: [
      statement('CVE-2099-0101', 'fixed'),
      statement('CVE-2099-0102', 'fixed'),
      statement('CVE-2099-0103', 'fixed', ['expat']),
      statement('CVE-2099-0104', 'under_investigation'),
      statement('CVE-2099-0105', 'under_investigation'),
    ],
  };

  for (const [name, statements] of Object.entries(documents)) {
    it(`${name}.cdx.json is what the writer gives, schema-valid, and reads back with its statements`, async () => {
      const text = writeCycloneDx({ ...model(), vulnerabilities: statements }, { format: 'json', specVersion: '1.6' });
      const file = join(dir, `${name}.cdx.json`);
      if (process.env.UPDATE_GOLDEN === '1') {
        mkdirSync(dir, { recursive: true });
        writeFileSync(file, text);
      }
      expect(readFileSync(file, 'utf8')).toBe(text);
      expect(await validateCycloneDxSchema(text, 'json', '1.6')).toEqual([]);
      expect((await readSbomFile(file)).document.vulnerabilities).toEqual(statements);
    });
  }
});
