import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { bufferIO } from '../../src/commands/io.js';
import { writeCycloneDx } from '../../src/formats/cyclonedx/index.js';
import { writeSpdx } from '../../src/formats/spdx/write.js';
import { emptyDocument } from '../../src/model/document.js';
import type { SbomDocument } from '../../src/model/types.js';
import { scanSource } from '../../src/source/index.js';

/**
 * A small synthetic release: tree, tarball and SBOMs (SPDX, CycloneDX JSON and XML) written by the
 * project's own writers from the tree's scan, so the SBOMs are the shape `generate` produces.
 */
let work: string;
let tree: string;
let tarball: string;
const sboms: Record<string, string> = {};

const TREE_FILES: Record<string, string | Buffer> = {
  'README.rst': 'This is Python version 3.99.0\nline two\n',
  'Lib/os.py': 'import abc\n',
  'Modules/expat/expat.h': '#define XML_MAJOR_VERSION 2\n',
  'PC/icons/python.ico': Buffer.from([0, 1, 13, 10, 2, 3]), // binary, with a CRLF inside
};

function writeTree(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

function makeTarball(parent: string, name: string, out: string): void {
  execFileSync('tar', ['--sort=name', '--mtime=2024-01-01 00:00Z', '--owner=0', '--group=0', '-czf', out, '-C', parent, name]);
}

async function modelOf(treeRoot: string, artifactSha256: string): Promise<SbomDocument> {
  const scan = await scanSource(treeRoot);
  const document = emptyDocument();
  Object.assign(document, {
    name: 'CPython SBOM',
    namespace: 'https://example.org/Python-3.99.0.tgz.spdx.json',
    created: '2024-01-01T00:00:00Z',
    creators: ['Tool: cpython-sbom-test'],
    describes: ['cpython'],
  });
  document.files = scan.files.map((f) => ({ path: f.path, checksums: { SHA1: f.sha1, SHA256: f.sha256 } }));
  document.packages = [
    {
      ref: 'cpython',
      name: 'CPython',
      version: '3.99.0',
      checksums: { SHA256: artifactSha256 },
      purl: 'pkg:generic/cpython@3.99.0',
      files: scan.files.map((f) => f.path),
      dependsOn: [],
      licenseConcluded: 'PSF-2.0',
      downloadLocation: 'https://www.python.org/ftp/python/3.99.0/Python-3.99.0.tgz',
    },
  ];
  return document;
}

const run = async (...args: string[]) => {
  const io = bufferIO();
  const code = await main(['verify', ...args], io);
  return { code, out: io.out(), err: io.err() };
};

/** A copy of the tree with one file changed, one removed and one added (and its tarball). */
function tamperedCopy(): { dir: string; tgz: string } {
  const parent = mkdtempSync(join(work, 'tampered-'));
  const dir = join(parent, 'Python-3.99.0');
  cpSync(tree, dir, { recursive: true });
  writeFileSync(join(dir, 'Lib/os.py'), 'import abc\nimport evil\n');
  rmSync(join(dir, 'Modules/expat/expat.h'));
  writeFileSync(join(dir, 'Lib/backdoor.py'), 'pass\n');
  const tgz = join(parent, 'Python-3.99.0.tgz');
  makeTarball(parent, 'Python-3.99.0', tgz);
  return { dir, tgz };
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'cpython-sbom-verify-'));
  tree = join(work, 'release', 'Python-3.99.0');
  writeTree(tree, TREE_FILES);
  tarball = join(work, 'release', 'Python-3.99.0.tgz');
  makeTarball(join(work, 'release'), 'Python-3.99.0', tarball);
  const model = await modelOf(tree, createHash('sha256').update(readFileSync(tarball)).digest('hex'));
  sboms.spdx = join(work, 'Python-3.99.0.tgz.spdx.json');
  sboms['cyclonedx-json'] = join(work, 'Python-3.99.0.tgz.cdx.json');
  sboms['cyclonedx-xml'] = join(work, 'Python-3.99.0.tgz.cdx.xml');
  writeFileSync(sboms.spdx, writeSpdx(model));
  writeFileSync(sboms['cyclonedx-json'], writeCycloneDx(model, { format: 'json', specVersion: '1.6' }));
  writeFileSync(sboms['cyclonedx-xml'], writeCycloneDx(model, { format: 'xml', specVersion: '1.6' }));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.each(['spdx', 'cyclonedx-json', 'cyclonedx-xml'])('verify against a %s SBOM', (kind) => {
  it('accepts the tarball, checking the artifact hash, and the unpacked tree', async () => {
    const byTarball = await run(sboms[kind] as string, tarball);
    expect(byTarball.err).toBe('');
    expect(byTarball.code).toBe(0);
    expect(byTarball.out).toMatch(/artifact Python-3\.99\.0\.tgz: SHA-256 matches the SBOM/);
    expect(byTarball.out).toMatch(/files: 4 listed, 4 present with the recorded hash\nOK/);
    const byTree = await run(sboms[kind] as string, tree);
    expect(byTree.code).toBe(0);
    expect(byTree.out).not.toMatch(/artifact/);
  });

  it('names the changed, missing and unexpected file of a tampered copy, tarball and tree', async () => {
    const { dir, tgz } = tamperedCopy();
    for (const source of [dir, tgz]) {
      const { code, out } = await run(sboms[kind] as string, source);
      expect(code).toBe(1);
      expect(out).toMatch(/changed \(1\):\n {2}Lib\/os\.py \(SHA256 expected [0-9a-f]{64}, found [0-9a-f]{64}\)\n/);
      expect(out).toMatch(/missing \(1\):\n {2}Modules\/expat\/expat\.h\n/);
      expect(out).toMatch(/unexpected \(1\):\n {2}Lib\/backdoor\.py\n/);
      expect(out).toMatch(/FAILED: (artifact hash differs, )?1 changed, 1 missing, 1 unexpected\n$/);
    }
  });
});

describe('verify details', () => {
  it('prints a JSON report with counts and groups', async () => {
    const { dir } = tamperedCopy();
    const { code, out } = await run(sboms.spdx as string, dir, '--format', 'json');
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report).toMatchObject({
      sbom: { format: 'spdx-2.3' },
      source: { kind: 'directory' },
      artifact: null,
      ok: false,
      counts: { listed: 4, matched: 2, changed: 1, missing: 1, unexpected: 1 },
      changed: [{ path: 'Lib/os.py', algorithm: 'SHA256' }],
      missing: ['Modules/expat/expat.h'],
      unexpected: ['Lib/backdoor.py'],
    });
  });

  it('refuses a tarball whose files match but whose own bytes differ from the recorded artifact', async () => {
    const other = join(work, 'repacked.tar.gz');
    execFileSync('tar', ['--mtime=2020-01-01 00:00Z', '-czf', other, '-C', join(work, 'release'), 'Python-3.99.0']);
    const { code, out } = await run(sboms.spdx as string, other);
    expect(code).toBe(1);
    expect(out).toMatch(/SHA-256 DIFFERS: expected [0-9a-f]{64}, found [0-9a-f]{64}/);
    expect(out).toMatch(/FAILED: artifact hash differs\n$/);
  });

  it('uses SHA-1 when that is all a python.org-style SBOM records', async () => {
    const doc = JSON.parse(readFileSync(sboms.spdx as string, 'utf8'));
    for (const file of doc.files) file.checksums = file.checksums.filter((c: { algorithm: string }) => c.algorithm === 'SHA1');
    for (const pkg of doc.packages) for (const ref of pkg.externalRefs ?? []) ref.referenceCategory = ref.referenceCategory.replace('-', '_');
    const sha1Only = join(work, 'sha1-only.spdx.json');
    writeFileSync(sha1Only, JSON.stringify(doc));
    expect((await run(sha1Only, tree)).code).toBe(0);
    const { dir } = tamperedCopy();
    const { code, out } = await run(sha1Only, dir);
    expect(code).toBe(1);
    expect(out).toMatch(/Lib\/os\.py \(SHA1 expected [0-9a-f]{40}, found [0-9a-f]{40}\)/);
  });

  it('accepts a CRLF checkout of a text file in a directory, but not in a tarball or a binary file', async () => {
    const parent = mkdtempSync(join(work, 'crlf-'));
    const dir = join(parent, 'Python-3.99.0');
    cpSync(tree, dir, { recursive: true });
    writeFileSync(join(dir, 'README.rst'), (TREE_FILES['README.rst'] as string).replaceAll('\n', '\r\n'));
    const byTree = await run(sboms.spdx as string, dir);
    expect(byTree.code).toBe(0);
    expect(byTree.out).toMatch(/matched only after CRLF -> LF normalisation \(accepted\) \(1\):\n {2}README\.rst\n/);
    const tgz = join(parent, 'Python-3.99.0.tgz');
    makeTarball(parent, 'Python-3.99.0', tgz);
    const byTarball = await run(sboms.spdx as string, tgz);
    expect(byTarball.code).toBe(1);
    expect(byTarball.out).toMatch(/changed \(1\):\n {2}README\.rst/);
    // The binary file's CRLF is content: normalising it must not make a changed file pass.
    writeFileSync(join(dir, 'PC/icons/python.ico'), Buffer.from([0, 1, 10, 2, 3]));
    const binary = await run(sboms.spdx as string, dir);
    expect(binary.code).toBe(1);
    expect(binary.out).toMatch(/changed \(1\):\n {2}PC\/icons\/python\.ico/);
  });

  it('reports a symlink the SBOM cannot list as unexpected, with what it is', async () => {
    const parent = mkdtempSync(join(work, 'link-'));
    const dir = join(parent, 'Python-3.99.0');
    cpSync(tree, dir, { recursive: true });
    symlinkSync('/etc/passwd', join(dir, 'Lib/site.py'));
    const { code, out } = await run(sboms.spdx as string, dir);
    expect(code).toBe(1);
    expect(out).toMatch(/unexpected \(1\):\n {2}Lib\/site\.py \(symlink to \/etc\/passwd\)\n/);
  });

  it('exits 2 with one line for an unreadable SBOM, a missing source, or an SBOM without files', async () => {
    const notSbom = join(work, 'notes.txt');
    writeFileSync(notSbom, 'hello\n');
    let result = await run(notSbom, tree);
    expect(result.code).toBe(2);
    expect(result.err).toBe(`cpython-sbom: ${notSbom}: not JSON or XML (not an SBOM)\n`);
    result = await run(sboms.spdx as string, join(work, 'nowhere'));
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/nowhere: no such file or directory\n$/);
    const doc = JSON.parse(readFileSync(sboms.spdx as string, 'utf8'));
    doc.files = [];
    doc.relationships = doc.relationships.filter((r: { relationshipType: string }) => r.relationshipType !== 'CONTAINS');
    const empty = join(work, 'no-files.spdx.json');
    writeFileSync(empty, JSON.stringify(doc));
    result = await run(empty, tree);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/lists no files, so there is nothing to verify against\n$/);
  });
});
