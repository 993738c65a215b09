import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveMembersOf, archivesStep } from '../../src/complete/archives.js';
import type { CompleteContext } from '../../src/complete/index.js';
import { buildSbom } from '../../src/generate/build.js';
import type { Package } from '../../src/model/types.js';
import { gzip, makeTar, makeZip, recordFor } from '../detect/archive-helpers.js';
import { makeTree } from '../detect/helpers.js';
import { run, tempDir } from '../support/cli.js';
import { withRunBudget } from '../../src/util/zip.js';

const full = createRequire(import.meta.url)('spdx-license-list/full') as Record<string, { licenseText: string }>;
const MIT_TEXT = `Copyright (c) 2020 Bar Authors\n\n${(full.MIT as { licenseText: string }).licenseText
  .split('\n')
  .filter((l) => !/^\s*copyright/i.test(l))
  .join('\n')}`;

const TEST_WHEEL = 'Lib/test/wheeldata/setuptools-80.0.0-py3-none-any.whl';

/**
 * A setuptools wheel as the tests install it: its own code, a project it vendors with a
 * .dist-info directory and RECORD, a project that one vendors in turn (pin list only), and test
 * data holding a zip, which holds a zip (read one level deep only).
 */
async function testWheel(options: { tamper?: boolean } = {}): Promise<Buffer> {
  const deeper = await makeZip({ 'deep.txt': 'deep' });
  const inner = await makeZip({ 'x.txt': 'inner data\n', 'deeper.zip': deeper });
  const members: Record<string, string | Buffer> = {
    'setuptools/__init__.py': '"""setuptools"""\n',
    'setuptools/_vendor/foo-1.2.dist-info/METADATA': 'Metadata-Version: 2.4\nName: foo\nVersion: 1.2\nLicense-Expression: Apache-2.0\n',
    'setuptools/_vendor/foo-1.2.dist-info/RECORD': 'foo/__init__.py,,\nfoo/core.py,,\nfoo-1.2.dist-info/METADATA,,\nfoo-1.2.dist-info/RECORD,,\n',
    'setuptools/_vendor/foo/__init__.py': '',
    'setuptools/_vendor/foo/core.py': 'def f(): pass\n',
    'setuptools/_vendor/foo/vendored/__init__.py': '',
    'setuptools/_vendor/foo/vendored/vendor.txt': 'bar==0.5\n',
    'setuptools/_vendor/foo/vendored/bar/__init__.py': 'B = 1\n',
    'setuptools/_vendor/foo/vendored/bar/LICENSE': MIT_TEXT,
    'pkg_resources/tests/data/inner.zip': inner,
    'setuptools-80.0.0.dist-info/METADATA': 'Metadata-Version: 2.4\nName: setuptools\nVersion: 80.0.0\nLicense-Expression: MIT\n\nLong description.\n',
  };
  const texts = Object.fromEntries(Object.entries(members).map(([name, content]) => [name, Buffer.isBuffer(content) ? content.toString('latin1') : content]));
  let record = recordFor(texts, 'setuptools-80.0.0.dist-info/RECORD');
  // recordFor hashes text; the zip members are bytes: hash those as they are.
  for (const [name, content] of Object.entries(members)) {
    if (Buffer.isBuffer(content))
      record = record.replace(
        new RegExp(`^${name.replaceAll('.', '\\.')},sha256=[^,]+`, 'm'),
        `${name},sha256=${(await import('node:crypto')).createHash('sha256').update(content).digest('base64url')}`,
      );
  }
  if (options.tamper) record = record.replace(/^setuptools\/__init__\.py,sha256=[^,]+/m, 'setuptools/__init__.py,sha256=AAAA');
  return makeZip({ ...members, 'setuptools-80.0.0.dist-info/RECORD': record });
}

async function tree(options: { tamper?: boolean } = {}): Promise<string> {
  return makeTree(
    {
      [TEST_WHEEL]: await testWheel(options),
      'Lib/test/archivetestdata/fixture.zip': await makeZip({ 'a.txt': 'fixture a\n', 'dir/b.txt': 'fixture b\n' }),
      'Lib/test/archivetestdata/broken.tar': Buffer.from('x'.repeat(1024)),
      'Tools/data/corpus.tar.gz': gzip(
        await makeTar([
          { name: 'proj-2.0/PKG-INFO', content: 'Metadata-Version: 1.1\nName: proj\nVersion: 2.0\nLicense: MIT\n' },
          { name: 'proj-2.0/proj.py', content: 'x = 2\n' },
        ]),
      ),
      'Tools/data/bad.zip': Buffer.from('PK\x03\x04 not really a zip'),
    },
    '3.13.0',
  );
}

type Scan = Awaited<ReturnType<typeof import('../../src/source/index.js')['scanSource']>>;

/** What the pipeline hands a step after the scan: a document listing the scanned files, owned by CPython. */
function contextOf(scan: Scan, content: (path: string) => Buffer | undefined = (path) => scan.contents.get(path)): CompleteContext {
  const files = new Map(scan.files.map((file) => [file.path, file]));
  const cpython: Package = { ref: 'cpython', name: 'CPython', version: '3.13.0', checksums: {}, files: scan.files.map((f) => f.path), dependsOn: [] };
  return {
    subject: 'source',
    notes: [],
    drift: [],
    driftFindings: [],
    document: {
      name: 'x',
      namespace: 'x',
      created: '',
      creators: [],
      dataLicense: 'CC0-1.0',
      describes: ['cpython'],
      packages: [cpython],
      files: scan.files.map((f) => ({ path: f.path, checksums: {} })),
      relationships: [],
      annotations: [],
    },
    detect: { scan, files, content, cpythonVersion: '3.13.0' },
    cpythonVersion: '3.13.0',
    hasManifest: false,
    findings: [],
    warnings: [],
    licenseSources: new Map(),
  };
}

describe('archives in the tree, complete profile', () => {
  it('are packages with their members hashed: the project, its version, what it vendors and their licenses; test-only content says so', async () => {
    const root = await tree();
    const { document, warnings, findings } = await buildSbom(root, { created: '2024-01-01T00:00:00Z', profile: 'complete' });
    expect(findings).toEqual([]);
    const byRef = new Map(document.packages.map((pkg) => [pkg.ref, pkg]));
    const cpython = document.packages[0] as Package;
    const wheel = byRef.get(`archive:${TEST_WHEEL}`);
    const foo = byRef.get(`archive:${TEST_WHEEL}/foo`);
    const bar = byRef.get(`archive:${TEST_WHEEL}/bar`);

    // The wheel the tests install: PyPI's setuptools, test-only, with its own files.
    expect(wheel && [wheel.name, wheel.version, wheel.purl, wheel.cpe, wheel.scope, wheel.licenseDeclared, wheel.purpose]).toEqual([
      'setuptools',
      '80.0.0',
      'pkg:pypi/setuptools@80.0.0',
      'cpe:2.3:a:python:setuptools:80.0.0:*:*:*:*:*:*:*',
      'excluded',
      'MIT',
      'ARCHIVE',
    ]);
    expect(wheel?.downloadLocation).toBe('https://files.pythonhosted.org/packages/py3/s/setuptools/setuptools-80.0.0-py3-none-any.whl');
    expect(wheel?.files).toEqual(
      expect.arrayContaining([
        TEST_WHEEL,
        `${TEST_WHEEL}/setuptools/__init__.py`,
        `${TEST_WHEEL}/pkg_resources/tests/data/inner.zip`,
        `${TEST_WHEEL}/pkg_resources/tests/data/inner.zip/x.txt`,
      ]),
    );
    expect(cpython.files).not.toContain(TEST_WHEEL);
    expect(cpython.dependsOn).not.toContain(wheel?.ref);

    // Vendored projects: foo by its .dist-info and RECORD, bar by foo's pin list; each owns its members.
    expect(foo && [foo.name, foo.version, foo.purl, foo.licenseDeclared, foo.scope]).toEqual(['foo', '1.2', 'pkg:pypi/foo@1.2', 'Apache-2.0', 'excluded']);
    expect(foo?.files).toEqual([
      `${TEST_WHEEL}/setuptools/_vendor/foo-1.2.dist-info/METADATA`,
      `${TEST_WHEEL}/setuptools/_vendor/foo-1.2.dist-info/RECORD`,
      `${TEST_WHEEL}/setuptools/_vendor/foo/__init__.py`,
      `${TEST_WHEEL}/setuptools/_vendor/foo/core.py`,
      `${TEST_WHEEL}/setuptools/_vendor/foo/vendored/__init__.py`,
      `${TEST_WHEEL}/setuptools/_vendor/foo/vendored/vendor.txt`,
    ]);
    expect(bar && [bar.version, bar.licenseDeclared, bar.files]).toEqual([
      '0.5',
      'MIT',
      [`${TEST_WHEEL}/setuptools/_vendor/foo/vendored/bar/LICENSE`, `${TEST_WHEEL}/setuptools/_vendor/foo/vendored/bar/__init__.py`],
    ]);
    expect(wheel?.dependsOn).toEqual([foo?.ref]);
    expect(foo?.dependsOn).toEqual([bar?.ref]);

    const relationships = document.relationships.map((r) => `${r.from} ${r.type} ${r.to}`);
    expect(relationships).toEqual(
      expect.arrayContaining([
        `archive:${TEST_WHEEL} TEST_DEPENDENCY_OF cpython`,
        `archive:${TEST_WHEEL}/foo TEST_DEPENDENCY_OF cpython`,
        `archive:${TEST_WHEEL}/bar TEST_DEPENDENCY_OF cpython`,
        // Test data of the wheel, one level deep: its own zip is read, the zip inside that is a member.
        `file:${TEST_WHEEL}/pkg_resources/tests/data/inner.zip TEST_OF archive:${TEST_WHEEL}`,
        // A zip of CPython's own test fixtures: CPython's file, and so are its members.
        'file:Lib/test/archivetestdata/fixture.zip TEST_OF cpython',
      ]),
    );
    const paths = new Set(document.files.map((file) => file.path));
    expect(paths.has(`${TEST_WHEEL}/pkg_resources/tests/data/inner.zip/deeper.zip`)).toBe(true);
    expect(paths.has(`${TEST_WHEEL}/pkg_resources/tests/data/inner.zip/deeper.zip/deep.txt`)).toBe(false);
    expect(cpython.files).toEqual(
      expect.arrayContaining([
        'Lib/test/archivetestdata/fixture.zip',
        'Lib/test/archivetestdata/fixture.zip/a.txt',
        'Lib/test/archivetestdata/fixture.zip/dir/b.txt',
      ]),
    );
    const comment = (path: string) => document.files.find((file) => file.path === path)?.comment;
    expect(comment('Lib/test/archivetestdata/fixture.zip')).toBe(
      'Test data: zip archive of 2 members, each listed as Lib/test/archivetestdata/fixture.zip/<member>',
    );
    // Broken on purpose in a test directory: its comment says so; elsewhere, a warning too.
    expect(comment('Lib/test/archivetestdata/broken.tar')).toMatch(/^Test data: archive whose members are not listed: unreadable tar archive/);
    expect(relationships).toContain('file:Lib/test/archivetestdata/broken.tar TEST_OF cpython');
    expect(warnings.filter((w) => w.includes('its members are not listed'))).toEqual([
      expect.stringMatching(/^Tools\/data\/bad\.zip: its members are not listed: corrupt zip/),
    ]);

    // A project archive outside the tests: part of what CPython holds, not test-only, named by its hash.
    const proj = byRef.get('archive:Tools/data/corpus.tar.gz');
    expect(proj && [proj.name, proj.version, proj.scope, proj.licenseDeclared]).toEqual(['proj', '2.0', undefined, 'MIT']);
    expect(proj?.purl).toMatch(/^pkg:generic\/proj@2\.0\?checksum=sha256%3A[0-9a-f]{64}$/);
    expect(cpython.dependsOn).toContain('archive:Tools/data/corpus.tar.gz');

    // Every member is a file with both hashes, owned once.
    const owners = new Map<string, number>();
    for (const pkg of document.packages) for (const path of pkg.files) owners.set(path, (owners.get(path) ?? 0) + 1);
    for (const file of document.files) {
      expect(owners.get(file.path), file.path).toBe(1);
      expect(Object.keys(file.checksums).sort(), file.path).toEqual(['SHA1', 'SHA256']);
    }
  });

  it('hold a wheel against its RECORD: a member whose hash disagrees is a finding', async () => {
    const { findings } = await buildSbom(await tree({ tamper: true }), { created: '2024-01-01T00:00:00Z', profile: 'complete' });
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(
        new RegExp(`^${TEST_WHEEL.replaceAll('.', '\\.')}/setuptools/__init__\\.py: SHA-256 is [0-9a-f]{64} but setuptools-80\\.0\\.0\\.dist-info/RECORD says`),
      ),
    ]);
  });

  it('hand the members they read to later steps, with the bytes a step asked to keep', async () => {
    const root = await tree();
    const step = archivesStep({ keepMember: (archive, member) => archive.endsWith('fixture.zip') && member === 'a.txt' });
    const { scanSource } = await import('../../src/source/index.js');
    const scan = await scanSource(root, { wantContent: (path) => step.wants(path) || path === 'Include/patchlevel.h' });
    const context = contextOf(scan);
    await step.apply(context);
    const fixture = archiveMembersOf(context).get('Lib/test/archivetestdata/fixture.zip');
    expect(fixture?.map((m) => [m.name, m.bytes?.toString()])).toEqual([
      ['a.txt', 'fixture a\n'],
      ['dir/b.txt', undefined],
    ]);
    expect([...archiveMembersOf(context).keys()]).toEqual(
      expect.arrayContaining([TEST_WHEEL, `${TEST_WHEEL}/pkg_resources/tests/data/inner.zip`, 'Tools/data/corpus.tar.gz']),
    );
  });

  describe('read while the scan goes by', () => {
    const FIXTURE = 'Lib/test/archivetestdata/fixture.zip';

    /** The step over one scan of `root`: shown each archive as the scan reads it (`early`) or not. */
    async function applyStep(
      root: string,
      options: { early: boolean; budgetBytes?: number; runBudget?: number; sha512?: boolean; content?: (path: string) => Buffer | undefined },
    ) {
      const step = archivesStep(options.budgetBytes === undefined ? {} : { budgetBytes: options.budgetBytes });
      const { scanSource } = await import('../../src/source/index.js');
      const scan = await scanSource(root, { wantContent: step.wants, ...(options.early && step.reads ? { readContent: step.reads } : {}) });
      const context = contextOf(scan, options.content);
      if (options.sha512) context.sha512 = true;
      await withRunBudget(() => Promise.resolve(step.apply(context)), options.runBudget);
      return { context, listed: archiveMembersOf(context) };
    }

    it('describe the archives exactly as reading them after the scan does', async () => {
      const root = await tree();
      const early = await applyStep(root, { early: true });
      const late = await applyStep(root, { early: false });
      expect(early.context.document).toEqual(late.context.document);
      expect(early.context.warnings).toEqual(late.context.warnings);
      expect(early.context.document.files.some((file) => file.path === `${FIXTURE}/dir/b.txt`)).toBe(true);
    });

    it('are what the step takes: the archive as the scan showed it', async () => {
      const root = await tree();
      const other = await makeZip({ 'other.txt': 'not what the scan read\n' });
      const content = (scan: Map<string, Buffer>) => (path: string) => (path === FIXTURE ? other : scan.get(path));
      const { scanSource } = await import('../../src/source/index.js');
      const kept = (await scanSource(root, { wantContent: archivesStep().wants })).contents;
      const early = await applyStep(root, { early: true, content: content(kept) });
      expect(early.listed.get(FIXTURE)?.map((member) => member.name)).toEqual(['a.txt', 'dir/b.txt']);
      // `--hash sha512` wants digests the early read did not take: the archive is read again.
      const sha512 = await applyStep(root, { early: true, sha512: true, content: content(kept) });
      expect(sha512.listed.get(FIXTURE)?.map((member) => member.name)).toEqual(['other.txt']);
      expect(sha512.listed.get(FIXTURE)?.[0]?.sha512).toMatch(/^[0-9a-f]{128}$/);
    });

    it('leave the budgets where reading after the scan does: the same archives pass them, with the same warnings', async () => {
      const root = await tree();
      for (const bound of [{ budgetBytes: 2_000 }, { runBudget: 2_000 }, { budgetBytes: 40 }]) {
        const early = await applyStep(root, { early: true, ...bound });
        const late = await applyStep(root, { early: false, ...bound });
        expect(early.context.warnings.some((warning) => /inflate past/.test(warning))).toBe(true);
        expect(early.context.warnings).toEqual(late.context.warnings);
        expect(early.context.document).toEqual(late.context.document);
      }
    });
  });

  it('read back alike from SPDX and CycloneDX (scope, TEST_* relationships), and verify checks every member', async () => {
    const root = await tree();
    const out = tempDir();
    const generated = await run(['generate', root, '--format', 'spdx-json,cyclonedx-json,cyclonedx-xml,spdx3-json', '--out-dir', out, '--no-progress']);
    expect(generated.code, generated.stderr).toBe(0);
    const name = root.slice(root.lastIndexOf('/') + 1);
    const [spdx, cdx, xml, spdx3] = ['spdx.json', 'cdx.json', 'cdx.xml', 'spdx3.json'].map((suffix) => join(out, `${name}.${suffix}`)) as [
      string,
      string,
      string,
      string,
    ];
    for (const file of [spdx, cdx, xml, spdx3]) expect((await run(['validate', file])).code, file).toBe(0);
    for (const other of [cdx, xml, spdx3]) expect((await run(['diff', spdx, other])).code, other).toBe(0);
    for (const file of [spdx, cdx]) expect((await run(['verify', file, root])).code, file).toBe(0);
    const spdxJson = JSON.parse((await run(['generate', root, '--output', '-'])).stdout) as { relationships: { relationshipType: string }[] };
    expect(spdxJson.relationships.filter((r) => r.relationshipType.startsWith('TEST_')).length).toBe(6);

    // A member changed inside a fixture zip and inside the zip inside the test wheel: verify names both.
    writeFileSync(join(root, 'Lib/test/archivetestdata/fixture.zip'), await makeZip({ 'a.txt': 'changed\n', 'dir/b.txt': 'fixture b\n' }));
    const report = JSON.parse((await run(['verify', spdx, root, '--format', 'json'])).stdout) as { changed: { path: string }[] };
    expect(report.changed.map((c) => c.path)).toEqual(['Lib/test/archivetestdata/fixture.zip', 'Lib/test/archivetestdata/fixture.zip/a.txt']);
  });

  it('are left out of the python.org profile', async () => {
    const { document } = await buildSbom(await tree(), { created: '2024-01-01T00:00:00Z', profile: 'python.org' });
    expect(document.packages.map((pkg) => pkg.ref)).toEqual(['cpython']);
    expect(document.files.filter((file) => /\.(?:whl|zip|tar\.gz)\//.test(file.path))).toEqual([]);
    expect(document.relationships).toEqual([]);
  });
});
