import { cpSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { beforeAll, describe, expect, it } from 'vitest';
import { vex, type VexResult } from '../../src/api/vex.js';
import { scanSource } from '../../src/source/index.js';
import { loadAdvisories } from '../../src/vex/advisory-dir.js';
import { validateOpenVex } from '../../src/vex/openvex-schema.js';
import { hasReal, REAL, realPath } from '../support/real.js';
import { byAdvisory, PSF_FIXTURES, scratch, VEX_FIXTURES } from './support.js';

/**
 * The real trees against real advisories (fixtures/vex/psf-advisory-database, CC BY 4.0, see its
 * NOTICE) plus synthetic records pointing at real issues of 3.13.4-3.13.15
 * (fixtures/vex/real-issues): every statement written out, and every `fixed` one checked against
 * the tree's own Misc/NEWS, read here independently: the cited line is an entry filed under one
 * of the advisory's references.
 */

type Expected = [advisory: string, citation: string];
/** Per tree: the advisories that are fixed, with `Misc/NEWS:LINE, RELEASE, SECTION: ID`; all others are under investigation. */
const FIXED: Record<string, Expected[]> = {
  [REAL.py3112]: [
    ['PSF-2020-3', 'Misc/NEWS:10610, Python 3.10.0 alpha 1, Security: bpo-41004'],
    ['PSF-2022-10', 'Misc/NEWS:290, Python 3.11.1 final, Security: gh-issue-98433'],
    ['PSF-2023-5', 'Misc/NEWS:10254, Python 3.10.0 alpha 2, Security: bpo-42051'],
    ['PSF-2023-6', 'Misc/NEWS:9677, Python 3.10.0 alpha 3, Security: bpo-40791'],
  ],
  [REAL.py3135]: [
    ['PSF-2007-2', 'Misc/NEWS:9915, Python 3.12.0 beta 1, Library: gh-102953'],
    ['PSF-2020-3', 'Misc/NEWS:22967, Python 3.10.0 alpha 1, Security: bpo-41004'],
    ['PSF-2022-10', 'Misc/NEWS:11867, Python 3.12.0 alpha 2, Security: gh-98433'],
    ['PSF-2023-1', 'Misc/NEWS:9343, Python 3.12.0 beta 1, Security: gh-102153'],
    ['PSF-2023-5', 'Misc/NEWS:22611, Python 3.10.0 alpha 2, Security: bpo-42051'],
    ['PSF-2023-6', 'Misc/NEWS:22035, Python 3.10.0 alpha 3, Security: bpo-40791'],
    ['PSF-2024-10', 'Misc/NEWS:2126, Python 3.13.0 release candidate 2, Library: gh-123270'],
    ['PSF-2024-11', 'Misc/NEWS:2109, Python 3.13.0 release candidate 2, Security: gh-121285'],
    ['SYNTH-REAL-135034', 'Misc/NEWS:110, Python 3.13.4 final, Security: gh-135034'],
  ],
  [REAL.py31315]: [
    ['PSF-2007-2', 'Misc/NEWS:12894, Python 3.12.0 beta 1, Library: gh-102953'],
    ['PSF-2020-3', 'Misc/NEWS:26243, Python 3.10.0 alpha 1, Security: bpo-41004'],
    ['PSF-2022-10', 'Misc/NEWS:14877, Python 3.12.0 alpha 2, Security: gh-98433'],
    ['PSF-2023-1', 'Misc/NEWS:12307, Python 3.12.0 beta 1, Security: gh-102153'],
    ['PSF-2023-5', 'Misc/NEWS:25881, Python 3.10.0 alpha 2, Security: bpo-42051'],
    ['PSF-2023-6', 'Misc/NEWS:25287, Python 3.10.0 alpha 3, Security: bpo-40791'],
    ['PSF-2024-10', 'Misc/NEWS:5056, Python 3.13.0 release candidate 2, Library: gh-123270'],
    ['PSF-2024-11', 'Misc/NEWS:5039, Python 3.13.0 release candidate 2, Security: gh-121285'],
    ['SYNTH-REAL-135034', 'Misc/NEWS:3006, Python 3.13.4 final, Security: gh-135034'],
    ['SYNTH-REAL-135462', 'Misc/NEWS:2684, Python 3.13.6 final, Security: gh-135462'],
    ['SYNTH-REAL-145506', 'Misc/NEWS:1210, Python 3.13.13 final, Security: gh-145506'],
    ['SYNTH-REAL-153030', 'Misc/NEWS:70, Python 3.13.15 final, Security: gh-153030'],
    ['SYNTH-REAL-EXPAT-152216', 'Misc/NEWS:82, Python 3.13.15 final, Security: gh-152216'],
  ],
};

const ALL = [
  'PSF-2007-1',
  'PSF-2007-2',
  'PSF-2008-1',
  'PSF-2020-3',
  'PSF-2022-10',
  'PSF-2023-1',
  'PSF-2023-5',
  'PSF-2023-6',
  'PSF-2024-6',
  'PSF-2024-10',
  'PSF-2024-11',
  'SYNTH-REAL-135034',
  'SYNTH-REAL-135462',
  'SYNTH-REAL-145506',
  'SYNTH-REAL-153030',
  'SYNTH-REAL-EXPAT-152216',
];

/** The ids each statement is filed under: the advisory's CVE alias, or the advisory's own id. */
const IDS: Record<string, string> = {
  'PSF-2007-1': 'CVE-2007-4965',
  'PSF-2007-2': 'CVE-2007-4559',
  'PSF-2008-1': 'CVE-2008-1679',
  'PSF-2020-3': 'CVE-2020-14422',
  'PSF-2022-10': 'CVE-2022-45061',
  'PSF-2023-1': 'CVE-2023-24329',
  'PSF-2023-5': 'CVE-2022-48566',
  'PSF-2023-6': 'CVE-2022-48566',
  'PSF-2024-6': 'CVE-2024-5642',
  'PSF-2024-10': 'CVE-2024-8088',
  'PSF-2024-11': 'CVE-2024-6232',
};

/** The advisories' fixture folder and the synthetic real-issue records, as one advisory folder. */
function advisoryFolder(): string {
  const dir = scratch('real-advisories');
  cpSync(join(PSF_FIXTURES, 'advisories', 'python'), join(dir, 'psf'), { recursive: true });
  cpSync(join(VEX_FIXTURES, 'real-issues'), join(dir, 'real-issues'), { recursive: true });
  return dir;
}

/** The tree's Misc/NEWS lines, read on their own (not through vex). */
async function newsLines(tarball: string): Promise<string[]> {
  const scan = await scanSource(tarball, { wantContent: (path) => path === 'Misc/NEWS' });
  return (scan.contents.get('Misc/NEWS') as Buffer).toString('utf8').split('\n');
}

it('the real advisory fixtures are the database files named in their NOTICE', async () => {
  const set = await loadAdvisories(PSF_FIXTURES);
  expect(set.advisories.map((advisory) => advisory.id).sort()).toEqual(ALL.filter((id) => id.startsWith('PSF-')).sort());
  expect(readdirSync(join(PSF_FIXTURES, 'advisories', 'python'))).toHaveLength(11);
});

for (const [name, format] of [
  [REAL.py3112, 'openvex'],
  [REAL.py3135, 'cyclonedx-json'],
  [REAL.py31315, 'cyclonedx-json'],
] as const) {
  describe.skipIf(!hasReal(name))(`vex on the real ${name}`, () => {
    let result: VexResult;
    let lines: string[];
    beforeAll(async () => {
      const tarball = realPath(name) as string;
      result = await vex(tarball, { advisories: advisoryFolder(), format, created: '2026-01-01T00:00:00Z' });
      lines = await newsLines(tarball);
    });

    it('states every advisory: the expected ones fixed with their citation, the others under investigation', () => {
      const statements = byAdvisory(result.statements);
      expect([...statements.keys()].sort()).toEqual([...ALL].sort());
      const fixed = new Map(FIXED[name]);
      for (const advisory of ALL) {
        const statement = statements.get(advisory);
        const citation = fixed.get(advisory);
        if (citation) {
          expect(statement?.state, advisory).toBe('fixed');
          expect(statement?.detail, advisory).toContain(`: ${citation}:`);
        } else {
          expect(statement?.state, advisory).toBe('under_investigation');
          expect(statement?.detail, advisory).toMatch(
            /under investigation\. (Looked for the advisory's fix references .* in Misc\/NEWS: not found\.|The advisory names no CPython issue)/,
          );
        }
        if (IDS[advisory]) expect(statement?.id).toBe(IDS[advisory]);
        expect(statement?.affects).toEqual([advisory === 'SYNTH-REAL-EXPAT-152216' ? 'expat' : 'cpython']);
      }
      expect(result.summary).toEqual({ advisories: 16, concerning: 16, fixed: fixed.size, underInvestigation: 16 - fixed.size });
    });

    it("every fixed statement cites a line of the tree's own Misc/NEWS that is an entry filed under one of the advisory's references", () => {
      for (const statement of result.statements.filter((item) => item.state === 'fixed')) {
        const cited = /: Misc\/NEWS:(\d+), /.exec(statement.detail ?? '');
        expect(cited, statement.id).not.toBeNull();
        const line = lines[Number(cited?.[1]) - 1] as string;
        const filedUnder = /^- (?:gh-issue-|gh-|bpo-)(\d+):/.exec(line);
        expect(filedUnder, line).not.toBeNull();
        // The number is one the statement lists among its references (the advisory's or the erratum's).
        const referenced = (statement.references ?? []).some((url) => url.endsWith(`/${filedUnder?.[1]}`) || url.endsWith(`issue${filedUnder?.[1]}`));
        expect(referenced, `${statement.id}: ${line}`).toBe(true);
      }
    });

    it('the document validates', async () => {
      if (format === 'openvex') {
        expect(validateOpenVex(JSON.parse(result.document))).toEqual([]);
        const json = JSON.parse(result.document);
        expect(json.statements[0].products[0]['@id']).toBe('pkg:generic/cpython@3.11.2');
      } else {
        expect(await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(result.document)).toBeNull();
      }
    });
  });
}

describe.skipIf(!hasReal(REAL.py3112))('CVE-2023-24329 on 3.11.2 (the erratum)', () => {
  it("is under investigation: gh-99418 is in 3.11.2's NEWS, but as an earlier, different change; its fix (gh-102153) is not", async () => {
    const result = await vex(realPath(REAL.py3112) as string, {
      advisories: join(PSF_FIXTURES, 'advisories', 'python', 'PSF-2023-1.json'),
      created: '2026-01-01T00:00:00Z',
    });
    expect(result.statements).toHaveLength(1);
    expect(result.statements[0]).toMatchObject({ id: 'CVE-2023-24329', state: 'under_investigation' });
    expect(result.statements[0]?.detail).toContain("Looked for the advisory's fix references gh-102153 (erratum) in Misc/NEWS: not found.");
    expect(result.statements[0]?.detail).toContain('Erratum applied: CVE-2023-24329: looked for gh-102153 instead of gh-99418');
    const lines = await newsLines(realPath(REAL.py3112) as string);
    expect(lines.some((line) => line.startsWith('- gh-issue-99418:'))).toBe(true);
  });
});
