import { describe, expect, it } from 'vitest';
import { validate } from '../../src/api/validate.js';
import { writeCycloneDx } from '../../src/formats/cyclonedx/index.js';
import { writeSpdx } from '../../src/formats/spdx/write.js';
import type { Package, SbomDocument } from '../../src/model/types.js';
import { POLICIES } from '../../src/validate/policies/catalog.js';
import { POLICY_IDS, type PolicyId } from '../../src/validate/policies/types.js';
import { run } from '../support/cli.js';

/**
 * Each policy on a document that has every element it asks for, then on that document with one
 * element taken away (one planted fault per element): the policy fails, naming that element and,
 * for a component element, that component; nothing else fails.
 */

const SHA = (c: string, n: number) => c.repeat(n);

function component(ref: string, name: string, version: string, extra: Partial<Package> = {}): Package {
  return {
    ref,
    name,
    version,
    supplier: 'Organization: Example Project (security@example.org)',
    originator: 'Organization: Example Project (security@example.org)',
    downloadLocation: `https://example.org/${name}-${version}.tar.gz`,
    packageFileName: `${name}-${version}.tar.gz`,
    licenseConcluded: 'MIT',
    licenseDeclared: 'MIT',
    checksums: { SHA256: SHA('b', 64), SHA512: SHA('c', 128) },
    purl: `pkg:generic/${name}@${version}`,
    artifactProperties: { executable: false, archive: true, structured: true },
    files: [],
    dependsOn: [],
    filesAnalyzed: false,
    ...extra,
  };
}

/** A document with every element of all four policies. */
function complete(): SbomDocument {
  return {
    name: 'Example SBOM',
    namespace: 'https://example.org/sbom/example-1.0',
    created: '2026-01-01T00:00:00Z',
    creators: ['Tool: cpython-sbom-0.1.0', 'Organization: Example Project (security@example.org)'],
    dataLicense: 'CC0-1.0',
    licenseListVersion: '3.28',
    describes: ['app'],
    packages: [
      component('app', 'app', '1.0', { dependsOn: ['lib'] }),
      component('lib', 'lib', '2.1', {
        pedigree: { ancestors: [], patches: [{ path: 'fix.diff', order: 1, sha256: SHA('d', 64), type: 'backport', touches: [], resolves: [] }] },
      }),
    ],
    files: [],
    relationships: [],
    annotations: [],
    lifecycles: ['pre-build'],
  };
}

type Mutation = (document: SbomDocument) => void;
const lib = (document: SbomDocument) => document.packages[1] as Package;

/** How to take each check's element away (keyed by the check a policy element uses). */
const FAULTS: Record<string, { mutate?: Mutation; json?: (json: Record<string, unknown>) => void; component?: string }> = {
  machineReadable: {
    json: (json) => {
      json.specVersion = '1.1';
    },
  },
  bsiFormat: {
    json: (json) => {
      json.specVersion = '1.5';
    },
  },
  // CycloneDX always names this tool: the fault is planted in the JSON.
  author: {
    mutate: (d) => {
      d.creators = [];
    },
    json: (json) => void delete (json.metadata as Record<string, unknown>).tools,
  },
  authorEntity: {
    mutate: (d) => {
      d.creators = ['Tool: cpython-sbom-0.1.0'];
    },
  },
  authorContact: {
    mutate: (d) => {
      d.creators = ['Tool: cpython-sbom-0.1.0', 'Organization: Example Project'];
    },
  },
  toolName: { json: (json) => void delete (json.metadata as Record<string, unknown>).tools },
  timestamp: {
    mutate: (d) => {
      d.created = '';
    },
  },
  generationContext: { mutate: (d) => void delete d.lifecycles },
  uniqueIdentifier: { json: (json) => void delete json.serialNumber },
  describesComponent: {
    mutate: (d) => {
      d.describes = [];
      (d.packages[0] as Package).dependsOn.push('lib');
    },
  },
  dependencyGraph: {
    mutate: (d) => {
      (d.packages[0] as Package).dependsOn = [];
    },
  },
  hasComponents: {
    mutate: (d) => {
      d.packages = [];
      d.describes = [];
    },
  },
  licenseCoverage: {
    mutate: (d) => {
      for (const p of d.packages) {
        delete p.licenseConcluded;
        delete p.licenseDeclared;
      }
    },
  },
  noVulnerabilities: { json: (json) => void (json.vulnerabilities = [{ id: 'CVE-2026-0001', affects: [{ ref: 'lib' }] }]) },
  name: { mutate: (d) => void (lib(d).name = ''), component: 'lib' },
  version: { mutate: (d) => void (lib(d).version = ''), component: 'lib' },
  supplier: { mutate: (d) => void (lib(d).supplier = 'NOASSERTION'), component: 'lib' },
  producer: { mutate: (d) => void (delete lib(d).supplier, delete lib(d).originator), component: 'lib' },
  creatorContact: { mutate: (d) => void ((lib(d).supplier = 'Organization: Example Project'), delete lib(d).originator), component: 'lib' },
  identifier: { mutate: (d) => void delete lib(d).purl, component: 'lib' },
  validPurl: { mutate: (d) => void (lib(d).purl = 'pkg:/no-type'), component: 'lib' },
  hash: { mutate: (d) => void (lib(d).checksums = {}), component: 'lib' },
  hashSha512: { mutate: (d) => void delete lib(d).checksums.SHA512, component: 'lib' },
  license: { mutate: (d) => void ((lib(d).licenseConcluded = 'NOASSERTION'), delete lib(d).licenseDeclared), component: 'lib' },
  concludedLicense: { mutate: (d) => void (lib(d).licenseConcluded = 'NOASSERTION'), component: 'lib' },
  declaredLicense: { mutate: (d) => void delete lib(d).licenseDeclared, component: 'lib' },
  dependency: {
    mutate: (d) => {
      (d.packages[0] as Package).dependsOn = [];
    },
    component: 'lib',
  },
  filename: { mutate: (d) => void delete lib(d).packageFileName, component: 'lib' },
  deployableUri: { mutate: (d) => void (lib(d).downloadLocation = 'NOASSERTION'), component: 'lib' },
  sourceUri: { mutate: (d) => void (lib(d).downloadLocation = 'NOASSERTION'), component: 'lib' },
  executable: { mutate: (d) => void delete lib(d).artifactProperties?.executable, component: 'lib' },
  archive: { mutate: (d) => void delete lib(d).artifactProperties?.archive, component: 'lib' },
  structured: { mutate: (d) => void delete lib(d).artifactProperties?.structured, component: 'lib' },
  // The writer leaves an empty pedigree out; other tools write `"pedigree": {}`.
  pedigree: { json: (json) => void (((json.components as Record<string, unknown>[])[0] as Record<string, unknown>).pedigree = {}), component: 'lib' },
};

function cyclonedx(document: SbomDocument, json?: (json: Record<string, unknown>) => void): string {
  const parsed = JSON.parse(writeCycloneDx(document, { format: 'json', specVersion: '1.6' })) as Record<string, unknown>;
  json?.(parsed);
  return JSON.stringify(parsed, null, 2);
}

async function policyOf(text: string, policy: PolicyId) {
  const result = await validate({ text, name: 'doc' }, { policy: [policy] });
  return result.policies?.[0] as NonNullable<typeof result.policies>[number];
}

describe('validate --policy: a document with every element passes', () => {
  for (const policy of POLICY_IDS) {
    it(`${policy}, CycloneDX 1.6 JSON and XML`, async () => {
      const report = await policyOf(cyclonedx(complete()), policy);
      expect(report.findings).toEqual([]);
      expect(report.pass).toBe(true);
      expect(report.components).toBe(2);
      const xml = await policyOf(writeCycloneDx(complete(), { format: 'xml', specVersion: '1.6' }), policy);
      expect(xml.findings).toEqual([]);
    });
  }
  it('SPDX 2.3 passes NTIA, CISA 2025 and SCVS level 1; BSI TR-03183-2 v2.1 asks for SPDX 3.0.1', async () => {
    const text = writeSpdx(complete());
    for (const policy of ['ntia', 'cisa-2025', 'scvs-l1'] as const) expect((await policyOf(text, policy)).findings, policy).toEqual([]);
    const bsi = await policyOf(text, 'bsi-tr-03183-2');
    // SPDX 2.3 has no field for the artifact properties either.
    expect(new Set(bsi.findings.map((f) => f.element))).toEqual(new Set(['format', 'executable', 'archive', 'structured']));
  });
});

describe('validate --policy: one planted fault per element', () => {
  for (const [policy, definition] of POLICIES) {
    for (const element of definition.elements) {
      it(`${policy} ${element.id} (${element.name})`, async () => {
        const fault = FAULTS[element.check];
        expect(fault, `no planted fault for check ${element.check}`).toBeDefined();
        const document = complete();
        fault?.mutate?.(document);
        const report = await policyOf(cyclonedx(document, fault?.json), policy);
        expect(report.pass).toBe(false);
        const named = report.findings.filter((f) => f.element === element.id);
        expect(named.length, JSON.stringify(report.findings)).toBeGreaterThan(0);
        if (fault?.component) expect(named.map((f) => f.component?.ref)).toContain(fault.component);
        else expect(named.every((f) => f.component === undefined)).toBe(true);
      });
    }
  }
});

describe('validate --policy on the command line', () => {
  it('exits 1 naming the component and the element, lists reports in --format json, and refuses an unknown policy', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'cpython-sbom-policy-'));
    try {
      const good = join(dir, 'good.cdx.json');
      const bad = join(dir, 'bad.spdx.json');
      writeFileSync(good, cyclonedx(complete()));
      const faulty = complete();
      (faulty.packages[1] as Package).version = '';
      writeFileSync(bad, writeSpdx(faulty));
      expect(await run(['validate', good, '--policy', 'ntia', '--policy', 'scvs-l1'])).toMatchObject({ code: 0 });
      const text = await run(['validate', bad, '--policy', 'ntia']);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain('VALID (spdx-2.3-json)');
      expect(text.stdout).toContain('policy ntia: FAILS (1 finding;');
      expect(text.stdout).toContain("package 'lib' (SPDXRef-PACKAGE-lib): no version [Version of the Component]");
      const json = await run(['validate', good, bad, '--format', 'json', '--policy', 'ntia,cisa-2025']);
      expect(json.code).toBe(1);
      const parsed = JSON.parse(json.stdout) as {
        valid: boolean;
        policies: { policy: string; pass: boolean; findings: { element: string; component?: { name: string } }[] }[];
      }[];
      expect(parsed.map((r) => r.valid)).toEqual([true, true]);
      expect(parsed[0]?.policies.map((p) => [p.policy, p.pass])).toEqual([
        ['ntia', true],
        ['cisa-2025', true],
      ]);
      expect(parsed[1]?.policies[0]?.findings).toEqual([
        expect.objectContaining({ element: 'component-version', component: { ref: 'SPDXRef-PACKAGE-lib', name: 'lib' } }),
      ]);
      // Without --policy the contract's objects are unchanged.
      expect(Object.keys((JSON.parse((await run(['validate', good, '--format', 'json'])).stdout) as object[])[0] as object)).toEqual([
        'file',
        'format',
        'valid',
        'errors',
        'warnings',
      ]);
      expect(await run(['validate', good, '--policy', 'fda'])).toMatchObject({ code: 2, stderr: expect.stringContaining("--policy: unknown policy 'fda'") });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
