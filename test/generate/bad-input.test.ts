import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { pack } from 'tar-stream';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { scanTarball } from '../../src/source/tarball.js';
import { SAMPLE, run, runBinary, tempDir } from '../support/cli.js';

const dir = tempDir();
let counter = 0;

function copySample(): string {
  const target = join(dir, `tree-${++counter}`);
  cpSync(SAMPLE, target, { recursive: true });
  return target;
}

/** A gzip'd tar built entry by entry, so names and types can be hostile. */
async function hostileTarball(entries: { name: string; type?: 'file' | 'symlink'; body?: string; linkname?: string }[]): Promise<string> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on('data', (chunk: unknown) => chunks.push(chunk as Buffer));
  const done = new Promise<void>((resolve) => archive.on('end', () => resolve()));
  for (const entry of entries) {
    if (entry.type === 'symlink') archive.entry({ name: entry.name, type: 'symlink', linkname: entry.linkname ?? '' });
    else archive.entry({ name: entry.name }, entry.body ?? '');
  }
  archive.finalize();
  await done;
  const tar = join(dir, `hostile-${++counter}.tar`);
  writeFileSync(tar, Buffer.concat(chunks));
  execFileSync('gzip', ['-f', tar]);
  return `${tar}.gz`;
}

const patchlevel = '#define PY_VERSION "3.13.0"\n';

function expectOneLineError(result: { code: number; stderr: string }, code: number, ...fragments: string[]) {
  expect(result.code).toBe(code);
  const lines = result.stderr.trim().split('\n');
  expect(lines[0]).toMatch(/^cpython-sbom: /);
  for (const fragment of fragments) expect(result.stderr).toContain(fragment);
  expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('generate refuses bad input with one line and exit 2', () => {
  it('a missing path', async () => {
    expectOneLineError(await run(['generate', join(dir, 'nope.tar.xz'), '--output', '-']), 2, 'nope.tar.xz', 'no such file');
  });

  it('random bytes', async () => {
    const file = join(dir, 'random.tar.xz');
    writeFileSync(file, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)));
    expectOneLineError(await run(['generate', file, '--output', '-']), 2, 'random.tar.xz', 'not a tar archive');
  });

  it.each([
    ['tgz', '-czf'],
    ['tar.xz', '-cJf'],
  ])('a truncated .%s', async (ext, flags) => {
    const staging = join(dir, `staging-${++counter}`);
    cpSync(SAMPLE, join(staging, 'Python-3.13.0'), { recursive: true });
    const whole = join(dir, `whole-${counter}.${ext}`);
    execFileSync('tar', [flags, whole, '-C', staging, 'Python-3.13.0']);
    const bytes = readFileSync(whole);
    const truncated = join(dir, `Python-3.13.0-cut-${counter}.${ext}`);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expectOneLineError(await run(['generate', truncated, '--output', '-']), 2, truncated);
    // The built binary, as a user runs it: its decompression starts before the tool has loaded,
    // so the archive fails while nothing reads it yet (it once crashed with a stack trace).
    const out = join(dir, `out-${counter}`);
    expectOneLineError(runBinary(['generate', truncated, '--out-dir', out]), 2, truncated, 'truncated or corrupt archive');
    expect(() => readdirSync(out)).toThrow(/ENOENT/);
  });

  it('a member that escapes the tree', async () => {
    const tarball = await hostileTarball([
      { name: 'Python-3.13.0/Include/patchlevel.h', body: patchlevel },
      { name: 'Python-3.13.0/../../etc/evil', body: 'x' },
    ]);
    expectOneLineError(await run(['generate', tarball, '--output', '-']), 2, 'escapes the tree');
  });

  it('an absolute member name and members outside the top directory', async () => {
    const absolute = await hostileTarball([{ name: '/etc/passwd', body: 'x' }]);
    expectOneLineError(await run(['generate', absolute, '--output', '-']), 2, absolute);
    const twoRoots = await hostileTarball([
      { name: 'Python-3.13.0/Include/patchlevel.h', body: patchlevel },
      { name: 'Other/file', body: 'x' },
    ]);
    expectOneLineError(await run(['generate', twoRoots, '--output', '-']), 2, 'outside the top directory');
  });

  it('symlink members are listed nowhere and never followed', async () => {
    const tarball = await hostileTarball([
      { name: 'Python-3.13.0/Include/patchlevel.h', body: patchlevel },
      { name: 'Python-3.13.0/Lib/passwd', type: 'symlink', linkname: '/etc/passwd' },
    ]);
    const result = await run(['generate', tarball, '--output', '-']);
    expect(result.code, result.stderr).toBe(0);
    const doc = JSON.parse(result.stdout) as { files: { fileName: string }[] };
    expect(doc.files.map((f) => f.fileName)).toEqual(['Include/patchlevel.h']);
  });

  it('stops a tarball that decompresses past the bound (archive bomb)', async () => {
    const staging = join(dir, `bomb-${++counter}`, 'Python-3.13.0');
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, 'zeros'), Buffer.alloc(8 * 1024 * 1024));
    const tarball = join(dir, `bomb-${counter}.tar.xz`);
    execFileSync('tar', ['-cJf', tarball, '-C', join(staging, '..'), 'Python-3.13.0']);
    await expect(scanTarball(tarball, { limits: { maxTotalBytes: 1024 * 1024 } })).rejects.toThrow(/more than 1048576 bytes/);
  });

  it('a directory that is not CPython', async () => {
    const empty = join(dir, 'not-cpython');
    mkdirSync(join(empty, 'src'), { recursive: true });
    writeFileSync(join(empty, 'src', 'main.c'), 'int main(void) { return 0; }\n');
    expectOneLineError(await run(['generate', empty, '--output', '-']), 2, 'not a CPython source tree');
  });

  it('a manifest that is not JSON', async () => {
    const tree = copySample();
    writeFileSync(join(tree, 'Misc', 'sbom.spdx.json'), '{ not json');
    expectOneLineError(await run(['generate', tree, '--output', '-']), 2, 'Misc/sbom.spdx.json', 'not valid JSON');
  });

  it('a corrupt pip wheel', async () => {
    const tree = copySample();
    writeFileSync(join(tree, 'Lib/ensurepip/_bundled/pip-24.0-py3-none-any.whl'), 'PK\x03\x04 this is not a zip');
    expectOneLineError(await run(['generate', tree, '--output', '-']), 2, 'pip-24.0-py3-none-any.whl', 'corrupt zip');
  });

  it('a wheel whose vendor.txt inflates past the bound (zip bomb)', async () => {
    const tree = copySample();
    const zip = new yazl.ZipFile();
    zip.addBuffer(Buffer.alloc(64 * 1024 * 1024, 0x61), 'pip/_vendor/vendor.txt');
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
    const wheel = Buffer.concat(chunks);
    expect(wheel.length).toBeLessThan(1024 * 1024);
    writeFileSync(join(tree, 'Lib/ensurepip/_bundled/pip-24.0-py3-none-any.whl'), wheel);
    expectOneLineError(await run(['generate', tree, '--output', '-']), 2, 'pip-24.0-py3-none-any.whl', 'corrupt zip');
    void deflateRawSync;
  });

  it('symlink loops and links leaving a directory tree are not followed', async () => {
    const tree = copySample();
    symlinkSync('.', join(tree, 'Lib', 'loop'));
    symlinkSync('/etc', join(tree, 'Lib', 'outside'));
    const result = await run(['generate', tree, '--output', '-']);
    expect(result.code, result.stderr).toBe(0);
    const names = (JSON.parse(result.stdout) as { files: { fileName: string }[] }).files.map((f) => f.fileName);
    expect(names.some((name) => name.startsWith('Lib/loop') || name.startsWith('Lib/outside'))).toBe(false);
  });
});

describe('generate refuses drift with exit 1 and writes nothing', () => {
  it('names a vendored file whose hash differs from the manifest, leaving an existing output alone', async () => {
    const tree = copySample();
    writeFileSync(join(tree, 'Modules/expat/xmlparse.c'), '/* patched */\n');
    const output = join(dir, `existing-${++counter}.spdx.json`);
    writeFileSync(output, 'previous contents');
    const result = await run(['generate', tree, '--output', output]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Modules/expat/xmlparse.c');
    expect(result.stderr).toContain('no SBOM written');
    expect(readFileSync(output, 'utf8')).toBe('previous contents');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('the cpython-sbom binary', () => {
  it('exits 2 with one line and no stack trace on a missing path', () => {
    const result = runBinary(['generate', '/nonexistent/Python-3.13.0.tar.xz']);
    expectOneLineError(result, 2, '/nonexistent/Python-3.13.0.tar.xz');
  });

  it('exits 2 on bad usage', () => {
    expect(runBinary(['generate', SAMPLE, '--no-such-flag']).code).toBe(2);
    expect(runBinary(['generate', SAMPLE, '--format', 'spdx-json,cyclonedx-json', '--output', 'x.json']).code).toBe(2);
    expect(runBinary(['generate', SAMPLE, '--format', 'spdx-yaml', '--output', '-']).code).toBe(2);
  });

  it('cannot write into a missing directory: exit 2, nothing left behind', () => {
    const result = runBinary(['generate', SAMPLE, '--output', join(dir, 'missing', 'out.json')]);
    expectOneLineError(result, 2, 'cannot write');
  });
});

describe('generate and version drift', () => {
  it('reports a vendored header that disagrees with the manifest as a warning naming both versions; --strict makes it a finding', async () => {
    const tree = copySample();
    const header = join(tree, 'Modules/expat/expat.h');
    writeFileSync(header, readFileSync(header, 'utf8').replace('XML_MINOR_VERSION 6', 'XML_MINOR_VERSION 7'));
    const plain = await run(['generate', tree, '--output', '-']);
    expect(plain.stderr).toMatch(/warning: expat: the vendored sources say 2\.7\.3 .*but Misc\/sbom\.spdx\.json says 2\.6\.3/);
    // The edited header no longer has the manifest's hash: that stays a finding in every profile.
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('Modules/expat/expat.h: SHA-256');
    expect(plain.stderr).not.toMatch(/^\s+expat: the vendored sources/m);
    const strict = await run(['generate', tree, '--output', '-', '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/^\s+expat: the vendored sources say 2\.7\.3/m);
    // --allow-drift is kept as a no-op alias.
    expect((await run(['generate', tree, '--output', '-', '--allow-drift'])).stderr).toBe(plain.stderr);
  });

  it('writes the SBOM anyway: the complete profile records the sources version, python.org keeps the manifest one', async () => {
    const tree = copySample();
    const manifest = join(tree, 'Misc/sbom.spdx.json');
    // The manifest's package entry lags behind its own (unchanged) files, as 3.13.3's and 3.13.7's did.
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"versionInfo": "2.6.3"', '"versionInfo": "2.6.2"'));
    const complete = await run(['generate', tree, '--output', '-']);
    expect(complete.code, complete.stderr).toBe(0);
    expect(complete.stderr).toContain('warning: expat: the vendored sources say 2.6.3 (Modules/expat/expat.h) but Misc/sbom.spdx.json says 2.6.2');
    const expat = JSON.parse(complete.stdout).packages.find((p: { name: string }) => p.name === 'expat');
    expect(expat.versionInfo).toBe('2.6.3');
    expect(expat.comment).toContain('Misc/sbom.spdx.json says 2.6.2');
    const official = await run(['generate', tree, '--output', '-', '--profile', 'python.org']);
    expect(official.code).toBe(0);
    expect(official.stderr).toContain('warning: expat: the vendored sources say 2.6.3 (Modules/expat/expat.h) but Misc/sbom.spdx.json says 2.6.2');
    expect(JSON.parse(official.stdout).packages.find((p: { name: string }) => p.name === 'expat').versionInfo).toBe('2.6.2');
    expect((await run(['generate', tree, '--output', '-', '--strict'])).code).toBe(1);
  });
});

describe("pip's own bom.cdx.json must agree with its vendor.txt", () => {
  async function wheelWith(members: Record<string, string>): Promise<Buffer> {
    const zip = new yazl.ZipFile();
    for (const [name, text] of Object.entries(members)) zip.addBuffer(Buffer.from(text), name);
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks);
  }
  const bom = (components: [string, string][]) =>
    JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.4',
      version: 1,
      metadata: { component: { 'bom-ref': 'bom-ref:pip', name: 'pip', type: 'library' } },
      components: [
        { 'bom-ref': 'bom-ref:pip', name: 'pip', type: 'library' },
        ...components.map(([name, version]) => ({
          'bom-ref': `pkg:pypi/${name}@${version}`,
          name,
          version,
          type: 'library',
          purl: `pkg:pypi/${name}@${version}`,
        })),
      ],
    });

  it('passes when they agree, names the project when they do not', async () => {
    const vendorTxt = 'requests==2.31.0\n    urllib3==1.26.18\n';
    const tree = copySample();
    const wheelPath = join(tree, 'Lib/ensurepip/_bundled/pip-24.0-py3-none-any.whl');
    writeFileSync(
      wheelPath,
      await wheelWith({
        'pip/_vendor/vendor.txt': vendorTxt,
        'pip/_vendor/bom.cdx.json': bom([
          ['requests', '2.31.0'],
          ['urllib3', '1.26.18'],
        ]),
      }),
    );
    expect((await run(['generate', tree, '--output', '-'])).code).toBe(0);

    writeFileSync(
      wheelPath,
      await wheelWith({
        'pip/_vendor/vendor.txt': vendorTxt,
        'pip/_vendor/bom.cdx.json': bom([
          ['requests', '2.32.0'],
          ['urllib3', '1.26.18'],
          ['idna', '3.7'],
        ]),
      }),
    );
    const result = await run(['generate', tree, '--output', '-']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("pip's vendor.txt pins requests 2.31.0 but");
    expect(result.stderr).toContain('says 2.32.0');
    expect(result.stderr).toMatch(/lists idna 3\.7 but pip's vendor\.txt does not/);
  });
});
