import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE, run } from '../support/cli.js';

// A stand-in for PyPI's JSON API on 127.0.0.1: --pypi must never need the internet in tests.
const wheelSha = createHash('sha256')
  .update(readFileSync(join(SAMPLE, 'Lib/ensurepip/_bundled/pip-24.0-py3-none-any.whl')))
  .digest('hex');
const fakeSha = (name: string) => createHash('sha256').update(name).digest('hex');

let server: Server;
let base: string;
const requests: string[] = [];
let pipDigest = wheelSha;
/** How the server misbehaves (issue 23, classes 5, 6 and 8); undefined: it answers as PyPI does. */
let hostile: 'javascript-url' | 'http-url' | 'no-digest' | 'endless' | 'urls-not-objects' | undefined;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push(request.url ?? '');
    const match = /^\/pypi\/([^/]+)\/([^/]+)\/json$/.exec(request.url ?? '');
    if (!match) {
      response.writeHead(404).end();
      return;
    }
    const [, project, version] = match as unknown as [string, string, string];
    if (hostile === 'endless') {
      // A body without end: the reader must stop at its bound, not hold it all.
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1 << 20, 0x20);
      const more = (): void => {
        while (response.write(chunk)) if (response.destroyed) return;
        if (!response.destroyed) response.once('drain', more);
      };
      response.on('error', () => undefined);
      response.write('{"urls": [');
      more();
      return;
    }
    if (hostile === 'urls-not-objects') {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ urls: [null, 7, 'x', []] }));
      return;
    }
    const filename = project === 'pip' ? `pip-${version}-py3-none-any.whl` : `${project}-${version}-py3-none-any.whl`;
    const urls = [
      { filename: `${project}-${version}.tar.gz`, packagetype: 'sdist', url: `https://files.example/${project}.tar.gz`, digests: { sha256: '0'.repeat(64) } },
      {
        filename,
        packagetype: 'bdist_wheel',
        url:
          hostile === 'javascript-url'
            ? 'javascript:alert(1)'
            : hostile === 'http-url'
              ? `http://files.example/${filename}`
              : `https://files.example/packages/ab/cd/${filename}`,
        digests: hostile === 'no-digest' ? { sha256: 42 } : { sha256: project === 'pip' ? pipDigest : fakeSha(project) },
      },
    ];
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ urls }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pypi`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

interface Doc {
  packages: { name: string; downloadLocation: string; checksums?: { algorithm: string; checksumValue: string }[] }[];
}

describe('generate --pypi', () => {
  it('records the real URLs and hashes of pip and its vendored projects', async () => {
    const result = await run(['generate', SAMPLE, '--pypi', '--pypi-url', base, '--output', '-']);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as Doc;
    const urllib3 = doc.packages.find((p) => p.name === 'urllib3');
    expect(urllib3?.downloadLocation).toBe('https://files.example/packages/ab/cd/urllib3-1.26.18-py3-none-any.whl');
    expect(urllib3?.checksums).toEqual([{ algorithm: 'SHA256', checksumValue: fakeSha('urllib3') }]);
    const pip = doc.packages.find((p) => p.name === 'pip');
    expect(pip?.downloadLocation).toBe('https://files.example/packages/ab/cd/pip-24.0-py3-none-any.whl');
    expect(requests).toContain('/pypi/typing_extensions/4.9.0/json');
  });

  it("is a finding when the bundled pip wheel differs from PyPI's", async () => {
    pipDigest = 'f'.repeat(64);
    const result = await run(['generate', SAMPLE, '--pypi', '--pypi-url', base, '--output', '-']);
    pipDigest = wheelSha;
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("PyPI's has ffff");
  });

  it('fails with one line when the index cannot be reached', async () => {
    const result = await run(['generate', SAMPLE, '--pypi', '--pypi-url', 'http://127.0.0.1:9/pypi', '--output', '-']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^cpython-sbom: --pypi: cannot reach http:\/\/127\.0\.0\.1:9\/pypi\/pip\/24\.0\/json/);
  });

  it.each([
    ['javascript-url', 'javascript:alert(1), not https'],
    ['http-url', 'http://files.example/pip-24.0-py3-none-any.whl, not https'],
    ['no-digest', 'has no SHA-256 digest'],
    ['endless', 'larger than'],
    ['urls-not-objects', 'PyPI has no pip-24.0-py3-none-any.whl'],
  ] as const)('a hostile index answer (%s) is one line, never recorded', async (mode, message) => {
    hostile = mode;
    try {
      const result = await run(['generate', SAMPLE, '--pypi', '--pypi-url', base, '--output', '-']);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toContain(message);
      expect(result.stdout).toBe('');
    } finally {
      hostile = undefined;
    }
  });

  it('makes no request without the flag', async () => {
    const before = requests.length;
    expect((await run(['generate', SAMPLE, '--output', '-'])).code).toBe(0);
    expect(requests.length).toBe(before);
  });
});
