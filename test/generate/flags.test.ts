import { createHash, generateKeyPairSync } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAG_RULES } from '../../src/generate/steps.js';
import { SUBJECT_KINDS, type SubjectKind } from '../../src/steps/types.js';
import { REPO, SAMPLE, run, tempDir } from '../support/cli.js';
import { androidStandIn } from '../support/platform-standins.js';
import { standInArtifact } from '../support/windows-standins.mjs';
import { syntheticWindowsTree } from '../windows/synthetic-tree.js';

/**
 * Every flag of `generate` against every subject: it works (with an effect this table checks) or
 * it is refused with one line naming the flag and why, exit 2. Never accepted and ignored.
 */

interface Checksum {
  algorithm: string;
  checksumValue: string;
}

interface Spdx {
  name: string;
  creationInfo: { creators: string[]; licenseListVersion?: string };
  packages: { SPDXID: string; name: string; downloadLocation: string; checksums?: Checksum[]; externalRefs?: { referenceLocator: string }[] }[];
  files?: { fileName: string; checksums: Checksum[] }[];
  signature?: { algorithm: string; value: string };
}

const dir = tempDir('cpython-sbom-flags-');
const windowsTree = syntheticWindowsTree(dir);
// The installer carries pip (for --pypi); the embeddable zip lists its members (complete profile).
const installer = join(dir, 'python-3.13.0-amd64.exe');
const embeddable = join(dir, 'python-3.13.0-embed-amd64.zip');
// The source subject: the same tree, which has PCbuild/get_externals.bat (for --externals).
const sourceTree = join(dir, 'source');
cpSync(windowsTree, sourceTree, { recursive: true });
// A signing key for --sign.
const signingKey = join(dir, 'signing-key.pem');
writeFileSync(signingKey, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
const sha512Of = (path: string) => createHash('sha512').update(readFileSync(path)).digest('hex');
// The platform subject: a tree with build recipes shaped like CPython's (macOS, Android, iOS).
const platformTree = join(dir, 'platform');
cpSync(join(REPO, 'fixtures', 'platforms', 'tree'), platformTree, { recursive: true });
// The platform artifact subject: a stand-in Android package of that tree's version (3.14.0).
let androidArtifact = '';

let server: Server;
let pypiUrl = '';
beforeAll(async () => {
  writeFileSync(installer, await standInArtifact('python-3.13.0-amd64.exe'));
  writeFileSync(embeddable, await standInArtifact('python-3.13.0-embed-amd64.zip'));
  androidArtifact = androidStandIn(dir, '3.14.0');
  const pipSha = createHash('sha256')
    .update(readFileSync(join(SAMPLE, 'Lib/ensurepip/_bundled/pip-24.0-py3-none-any.whl')))
    .digest('hex');
  // A stand-in for PyPI's JSON API on 127.0.0.1.
  server = createServer((request, response) => {
    const match = /^\/pypi\/([^/]+)\/([^/]+)\/json$/.exec(request.url ?? '');
    if (!match) return void response.writeHead(404).end();
    const [, project, version] = match as unknown as [string, string, string];
    const filename = `${project}-${version}-py3-none-any.whl`;
    const sha = project === 'pip' ? pipSha : createHash('sha256').update(project).digest('hex');
    const urls = [{ filename, packagetype: 'bdist_wheel', url: `https://files.example/${filename}`, digests: { sha256: sha } }];
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ urls }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pypiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pypi`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The command line for a subject, before the flag under test. */
function subjectArgs(subject: SubjectKind): string[] {
  if (subject === 'platform') return [platformTree, '--platform', 'macos'];
  if (subject === 'platform-artifact') return [androidArtifact, '--source', platformTree];
  return subject === 'source' ? [sourceTree] : [installer, '--source', windowsTree];
}

async function generate(subject: SubjectKind, flag: string[]): Promise<{ code: number; stderr: string; doc?: Spdx }> {
  const argv = ['generate', ...subjectArgs(subject), ...flag, '--output', '-'];
  // --source for a source tree replaces the subject's own --source-less form
  const result = await run(argv, {}, REPO);
  return { code: result.code, stderr: result.stderr, ...(result.code === 0 ? { doc: JSON.parse(result.stdout) as Spdx } : {}) };
}

/** What each flag does where it applies (the check fails if the flag were ignored). */
const EFFECTS: Record<string, { args: (subject: SubjectKind) => string[]; check: (doc: Spdx, subject: SubjectKind) => void }> = {
  '--externals': {
    args: () => ['--externals'],
    check: (doc) => expect(doc.packages.map((p) => p.name)).toContain('openssl'),
  },
  '--source': {
    args: () => [],
    check: (doc, subject) =>
      expect(doc.packages.find((p) => p.name === 'CPython')?.downloadLocation).toBe(
        subject === 'platform-artifact'
          ? 'https://www.python.org/ftp/python/3.14.0/python-3.14.0-aarch64-linux-android.tar.gz'
          : 'https://www.python.org/ftp/python/3.13.0/python-3.13.0-amd64.exe',
      ),
  },
  '--overlay': {
    args: () => {
      writeFileSync(join(sourceTree, 'overlay.yaml'), 'supplier: Example Linux\npackage: {name: python3.13, version: 3.13.0-1}\n');
      return ['--overlay', join(sourceTree, 'overlay.yaml')];
    },
    check: (doc) => expect(doc.name).toBe('python3.13 3.13.0-1'),
  },
  '--creator': {
    args: () => ['--creator', 'Person: Jane Doe (jane@example.org)'],
    check: (doc) => expect(doc.creationInfo.creators).toContain('Person: Jane Doe (jane@example.org)'),
  },
  '--strict': {
    // Without drift --strict changes nothing; the drift case is below.
    args: () => ['--strict'],
    check: (doc) => expect(doc.packages.length).toBeGreaterThan(1),
  },
  '--advisories': {
    // VEX statements are written in CycloneDX: the check reads them from its JSON.
    args: () => ['--advisories', join(REPO, 'fixtures', 'vex', 'synthetic'), '--format', 'cyclonedx-json'],
    check: (doc) => expect((doc as unknown as { vulnerabilities?: unknown[] }).vulnerabilities?.length).toBeGreaterThan(0),
  },
  '--hash': {
    args: () => ['--hash', 'sha512'],
    check: (doc, subject) => {
      const described = doc.packages.find((p) => p.name === 'CPython');
      if (subject === 'source') {
        // Every file of the tree, hashed in the scan's one pass.
        expect(doc.files?.length).toBeGreaterThan(0);
        for (const file of doc.files ?? []) {
          if (file.fileName.includes('.whl/')) continue; // wheel members: test/generate/hash-sign-identity.test.ts
          expect(file.checksums.find((c) => c.algorithm === 'SHA512')?.checksumValue).toBe(sha512Of(join(sourceTree, file.fileName.replace(/^\.\//, ''))));
        }
      } else {
        // The artifact the document describes.
        expect(described?.checksums?.find((c) => c.algorithm === 'SHA512')?.checksumValue).toBe(sha512Of(installer));
      }
    },
  },
  '--license-list-version': {
    args: () => ['--license-list-version', '3.20'],
    check: (doc) => expect(doc.creationInfo.licenseListVersion).toBe('3.20'),
  },
  '--sign': {
    // CycloneDX JSON carries its signature (the detached ones need files: test/sign).
    args: () => ['--sign', signingKey, '--format', 'cyclonedx-json'],
    check: (doc) => expect(doc.signature?.algorithm).toBe('ES256'),
  },
  '--platform': {
    // --platform windows is the tree with its externals; macos (the platform subject's own) the recipe's libraries.
    args: (subject) => (subject === 'platform' ? [] : ['--platform', 'windows']),
    check: (doc, subject) => expect(doc.packages.map((p) => p.name)).toContain(subject === 'platform' ? 'Tcl' : 'openssl'),
  },
  '--deployment-target': {
    // Below 10.5 the synthetic recipe adds bzip2, as build-installer.py once did.
    args: () => ['--deployment-target', '10.4'],
    check: (doc) => expect(doc.packages.map((p) => p.name)).toContain('bzip2'),
  },
  '--host': {
    args: (subject) => [...(subject === 'platform' ? ['--platform', 'android'] : []), '--host', 'x86_64-linux-android'],
    check: (doc) => expect(doc.packages.find((p) => p.name === 'OpenSSL')?.downloadLocation).toMatch(/openssl-3\.0\.99-1-x86_64-linux-android\.tar\.gz$/),
  },
  '--pypi': {
    args: () => ['--pypi', '--pypi-url', pypiUrl],
    check: (doc) => expect(doc.packages.find((p) => p.name === 'pip')?.downloadLocation).toBe('https://files.example/pip-24.0-py3-none-any.whl'),
  },
};

describe('every subject-dependent flag of generate, for every subject', () => {
  it('the table covers every flag rule', () => {
    expect(FLAG_RULES.map((rule) => rule.flag).sort()).toEqual(Object.keys(EFFECTS).sort());
  });

  for (const rule of FLAG_RULES) {
    for (const subject of SUBJECT_KINDS) {
      const applies = rule.subjects.includes(subject);
      it(`${rule.flag} on ${subject}: ${applies ? 'honoured' : 'refused'}`, async () => {
        const effect = EFFECTS[rule.flag] as (typeof EFFECTS)[string];
        let args = effect.args(subject);
        if (rule.flag === '--source' && (subject === 'source' || subject === 'platform')) args = ['--source', windowsTree];
        if (rule.flag === '--source' && subject === 'windows-artifact') args = [];
        const result = await generate(subject, args);
        if (applies) {
          expect(result.code, result.stderr).toBe(0);
          effect.check(result.doc as Spdx, subject);
        } else {
          expect(result.code).toBe(2);
          expect(result.stderr.trim().split('\n')).toHaveLength(1);
          expect(result.stderr).toContain(`${rule.flag} does not apply to`);
        }
      });
    }
  }

  it('--strict on every subject it applies to makes version drift a finding', async () => {
    for (const subject of ['source', 'windows-artifact'] as const) {
      const tree = subject === 'source' ? sourceTree : windowsTree;
      const init = join(tree, 'Lib/ensurepip/__init__.py');
      const before = readFileSync(init, 'utf8');
      writeFileSync(init, '_PIP_VERSION = "99.0"\n');
      try {
        const lenient = await generate(subject, []);
        expect(lenient.code, `${subject}: ${lenient.stderr}`).toBe(0);
        expect(lenient.stderr).toContain('warning: pip: Lib/ensurepip/__init__.py pins 99.0');
        const strict = await generate(subject, ['--strict']);
        expect(strict.code, subject).toBe(1);
        expect(strict.stderr).toContain('pip: Lib/ensurepip/__init__.py pins 99.0');
      } finally {
        writeFileSync(init, before);
      }
    }
  });

  it('--profile complete gives a Windows artifact purls, licenses and the PSF as manufacturer', async () => {
    const result = await run(['generate', embeddable, '--source', windowsTree, '--format', 'cyclonedx-json', '--output', '-']);
    expect(result.code, result.stderr).toBe(0);
    type Bom = { metadata: { component: { purl?: string; licenses?: unknown[]; manufacturer?: { name: string } }; lifecycles?: { phase: string }[] } };
    const bom = JSON.parse(result.stdout) as Bom;
    expect(bom.metadata.component.purl).toMatch(/^pkg:/);
    expect(bom.metadata.component.licenses?.length).toBeGreaterThan(0);
    expect(bom.metadata.component.manufacturer?.name).toBe('Python Software Foundation');
    expect(bom.metadata.lifecycles).toEqual([{ phase: 'post-build' }]);
    const plain = await run(['generate', embeddable, '--source', windowsTree, '--profile', 'python.org', '--format', 'cyclonedx-json', '--output', '-']);
    const python = (JSON.parse(plain.stdout) as Bom).metadata;
    expect(python.component.purl).toBeUndefined();
    expect(python.component.manufacturer).toBeUndefined();
  });
});
