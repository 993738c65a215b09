import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE, run, tempDir } from '../support/cli.js';
import { standInArtifact } from '../support/windows-standins.mjs';
import { syntheticWindowsTree } from './synthetic-tree.js';

// PyPI's JSON API stood in for on 127.0.0.1: tests never need the internet.
const wheelSha = createHash('sha256')
  .update(readFileSync(join(SAMPLE, 'Lib/ensurepip/_bundled/pip-24.0-py3-none-any.whl')))
  .digest('hex');
const fakeSha = (name: string) => createHash('sha256').update(name).digest('hex');
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const match = /^\/pypi\/([^/]+)\/([^/]+)\/json$/.exec(request.url ?? '');
    if (!match) {
      response.writeHead(404).end();
      return;
    }
    const [, project, version] = match as unknown as [string, string, string];
    const filename = `${project}-${version}-py3-none-any.whl`;
    const urls = [
      { filename, packagetype: 'bdist_wheel', url: `https://files.example/${filename}`, digests: { sha256: project === 'pip' ? wheelSha : fakeSha(project) } },
    ];
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ urls }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pypi`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('generate ARTIFACT --source TREE --pypi', () => {
  const dir = tempDir('cpython-sbom-windows-pypi-');
  it("records PyPI's URL and digest for pip's vendored projects, as python.org's tooling does", async () => {
    const tree = syntheticWindowsTree(dir);
    const installer = join(dir, 'python-3.13.0-amd64.exe');
    writeFileSync(installer, await standInArtifact('python-3.13.0-amd64.exe'));
    const result = await run(['generate', installer, '--source', tree, '--profile', 'python.org', '--pypi', '--pypi-url', base, '--output', '-']);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as { packages: { name: string; downloadLocation: string; checksums?: { checksumValue: string }[] }[] };
    const urllib3 = doc.packages.find((pkg) => pkg.name === 'urllib3');
    expect(urllib3?.downloadLocation).toBe('https://files.example/urllib3-1.26.18-py3-none-any.whl');
    expect(urllib3?.checksums?.[0]?.checksumValue).toBe(fakeSha('urllib3'));
  });
});
