import { execFileSync } from 'node:child_process';
import { spawn } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  constants,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { REPO, SAMPLE, run, tempDir } from '../support/cli.js';
import { TINY } from '../regen/helpers.js';
import { readCycloneDxJson } from '../../src/formats/cyclonedx/read.js';
import { spdxToModel } from '../../src/formats/spdx/read.js';
import { spdxIdentifier } from '../../src/license/match.js';
import { wheelMetadataLicense } from '../../src/license/wheel-metadata.js';
import { parseActor } from '../../src/formats/cyclonedx/vocabulary.js';
import { evaluateAt } from '../../src/regen/pyliteral.js';
import { InputError, describeSystemError } from '../../src/errors.js';
import { cleanXzMessage } from '../../src/source/decompress.js';
import { diff, generate, regen, validate, verify } from '../../src/index.js';
import { readAllWheelMembers } from '../../src/detect/wheel.js';
import { readArchiveMembers } from '../../src/detect/archive.js';
import { withRunBudget } from '../../src/util/zip.js';
import { writeFilesAtomic } from '../../src/util/atomic-write.js';
import { boundLines } from '../../src/util/one-line.js';
import { compileGlob, globRegex } from '../../src/util/exclude-glob.js';
import { tarHeader } from '../support/tar-header.js';

// Issue 23, "Hostile input, round three": classes 2–8 (class 1 is in git-checkout.test.ts).

const dir = tempDir('cpython-sbom-round3-');
let counter = 0;

function expectOneLine(result: { code: number; stderr: string }, ...fragments: string[]): void {
  expect(result.code).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/internal error|please report|\n\s+at /);
  for (const fragment of fragments) expect(result.stderr).toContain(fragment);
}

function tarMember(name: string, body: Buffer | string): Buffer {
  const bytes = Buffer.from(body);
  const padded = Buffer.alloc(Math.ceil(bytes.length / 512) * 512);
  bytes.copy(padded);
  return Buffer.concat([tarHeader(name, '0', bytes.length), padded]);
}

function tarball(members: Buffer[]): string {
  const path = join(dir, `t${++counter}.tgz`);
  writeFileSync(
    path,
    gzipSync(
      Buffer.concat([
        tarHeader('Python-3.13.0/', '5', 0),
        tarMember('Python-3.13.0/Include/patchlevel.h', '#define PY_VERSION "3.13.0"\n'),
        ...members,
        Buffer.alloc(1024),
      ]),
    ),
  );
  return path;
}

describe('class 3: tar member names are normalised before any check', () => {
  for (const spelling of ['Python-3.13.0/Modules/expat/./xmlparse.c', 'Python-3.13.0/Modules//expat/xmlparse.c', './Python-3.13.0/Modules/expat/xmlparse.c']) {
    it(`${spelling} after Modules/expat/xmlparse.c is a duplicate`, async () => {
      const bad = tarball([tarMember('Python-3.13.0/Modules/expat/xmlparse.c', 'clean\n'), tarMember(spelling, 'evil\n')]);
      expectOneLine(await run(['generate', bad, '--output', '-']), 'appears more than once', spelling);
    });
  }

  it('a wheel or in-tree archive naming one member twice under two spellings is refused', async () => {
    const zipped = await wheel([
      ['pkg/mod.py', 'clean'],
      ['pkg/./mod.py', 'evil'],
    ]);
    await expect(readAllWheelMembers(zipped, 'x.whl', () => false)).rejects.toThrow('member pkg/./mod.py appears more than once');
    const tar = Buffer.concat([tarMember('pkg/mod.py', 'clean'), tarMember('pkg//mod.py', 'evil'), Buffer.alloc(1024)]);
    await expect(readArchiveMembers(gzipSync(tar), 'Lib/test/data.tar.gz')).rejects.toThrow('member pkg/mod.py appears more than once');
  });

  it('a lone ./-spelled member is recorded under its normal name', async () => {
    const ok = tarball([tarMember('Python-3.13.0/Lib/./x.py', 'x = 1\n')]);
    const result = await run(['generate', ok, '--output', '-']);
    expect(result.code).toBe(0);
    const names = (JSON.parse(result.stdout) as { files: { fileName: string }[] }).files.map((f) => f.fileName);
    expect(names).toContain('Lib/x.py');
    expect(names.some((n) => n.includes('/./'))).toBe(false);
  });
});

/** The sample tree with a patch series of one patch, under dir/tN/tree; the overlay beside it. */
function overlayTree(): { tree: string; overlay: string; outside: string } {
  const base = join(dir, `o${++counter}`);
  const tree = join(base, 'tree');
  cpSync(SAMPLE, tree, { recursive: true });
  mkdirSync(join(tree, 'debian', 'patches'), { recursive: true });
  const outside = join(base, 'secret.txt');
  writeFileSync(outside, 'TOP-SECRET first line\n--- a/x\n+++ b/x\n');
  const overlay = join(base, 'overlay.yaml');
  writeFileSync(overlay, 'supplier: Example\npatches:\n  series: debian/patches/series\n');
  return { tree, overlay, outside };
}

describe('class 2: nothing outside the tree through links', () => {
  it('a series file that is a link out of the tree is refused without echoing its target', async () => {
    const { tree, overlay, outside } = overlayTree();
    symlinkSync(outside, join(tree, 'debian', 'patches', 'series'));
    const result = await run(['generate', tree, '--overlay', overlay, '--output', '-']);
    expectOneLine(result, 'patches.series', 'symbolic link');
    expect(result.stderr).not.toContain('TOP-SECRET');
  });

  it('a patch that is a link out of the tree is refused, and its target never reaches the SBOM', async () => {
    const { tree, overlay, outside } = overlayTree();
    writeFileSync(join(tree, 'debian', 'patches', 'series'), 'leak.patch\n');
    symlinkSync(outside, join(tree, 'debian', 'patches', 'leak.patch'));
    const result = await run(['generate', tree, '--overlay', overlay, '--format', 'cyclonedx-json', '--output', '-']);
    expectOneLine(result, 'leak.patch', 'symbolic link');
    expect(result.stdout).not.toContain('TOP-SECRET');
  });

  it('a patches directory that is a link out of the tree is refused', async () => {
    const { tree, overlay } = overlayTree();
    const elsewhere = join(dir, `elsewhere${++counter}`);
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, '0001-x.patch'), 'TOP-SECRET\n');
    symlinkSync(elsewhere, join(tree, 'debian', 'linked'));
    writeFileSync(overlay, 'supplier: Example\npatches:\n  dir: debian/linked\n');
    const result = await run(['generate', tree, '--overlay', overlay, '--format', 'cyclonedx-json', '--output', '-']);
    expectOneLine(result, 'symbolic link');
    expect(result.stdout).not.toContain('TOP-SECRET');
  });

  it('a FIFO as overlay or as series is refused at once, not waited on', async () => {
    const { tree, overlay } = overlayTree();
    const fifo = join(dir, `fifo${++counter}`);
    execFileSync('mkfifo', [fifo]);
    expectOneLine(await run(['generate', tree, '--overlay', fifo, '--output', '-']), 'FIFO');
    execFileSync('mkfifo', [join(tree, 'debian', 'patches', 'series')]);
    expectOneLine(await run(['generate', tree, '--overlay', overlay, '--output', '-']), 'patches.series', 'not a regular file');
  });

  it('regen never writes Misc/sbom.spdx.json through a link out of the checkout', async () => {
    const checkout = join(dir, `r${++counter}`);
    cpSync(TINY, checkout, { recursive: true });
    const outside = join(dir, `outside-${counter}.json`);
    // A stale copy outside the checkout, linked in: regen would rewrite it.
    const stale = readFileSync(join(checkout, 'Misc', 'sbom.spdx.json'), 'utf8').replace(/"versionInfo": "[^"]*"/, '"versionInfo": "0.0"');
    writeFileSync(outside, stale);
    unlinkSync(join(checkout, 'Misc', 'sbom.spdx.json'));
    symlinkSync(outside, join(checkout, 'Misc', 'sbom.spdx.json'));
    const result = await run(['regen', checkout]);
    expectOneLine(result, 'Misc/sbom.spdx.json', 'outside');
    expect(readFileSync(outside, 'utf8')).toBe(stale);
    expect(lstatSync(join(checkout, 'Misc', 'sbom.spdx.json')).isSymbolicLink()).toBe(true);
  });

  it('regen reads no fixed input through a link out of the checkout', async () => {
    const checkout = join(dir, `r${++counter}`);
    cpSync(TINY, checkout, { recursive: true });
    for (const input of ['Tools/build/generate_sbom.py', 'Modules/expat/expat.h']) {
      const outside = join(dir, `input-${++counter}`);
      writeFileSync(outside, readFileSync(join(checkout, input)));
      unlinkSync(join(checkout, input));
      symlinkSync(outside, join(checkout, input));
      expectOneLine(await run(['regen', checkout, '--check']), input, 'outside');
      unlinkSync(join(checkout, input));
      cpSync(outside, join(checkout, input));
    }
  });
});

/**
 * Work done by `Array.prototype.includes` and `indexOf` during `fn`, counted as elements scanned:
 * a deterministic cost measure (no clock), enough to tell linear from quadratic readers.
 */
function scanWork(fn: () => unknown): number {
  const includes = Array.prototype.includes;
  const indexOf = Array.prototype.indexOf;
  let work = 0;
  Array.prototype.includes = function (this: unknown[], ...args: [unknown, number?]) {
    work += this.length;
    return includes.apply(this, args);
  };
  Array.prototype.indexOf = function (this: unknown[], ...args: [unknown, number?]) {
    work += this.length;
    return indexOf.apply(this, args);
  };
  try {
    fn();
  } finally {
    Array.prototype.includes = includes;
    Array.prototype.indexOf = indexOf;
  }
  return work;
}

function spdxWithFiles(n: number): unknown {
  const files = Array.from({ length: n }, (_, i) => ({
    SPDXID: `SPDXRef-FILE-${i}`,
    fileName: `Lib/m${i}.py`,
    checksums: [{ algorithm: 'SHA1', checksumValue: '0'.repeat(40) }],
  }));
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: 'x',
    documentNamespace: 'https://example.org/x',
    creationInfo: { created: '2024-01-01T00:00:00Z', creators: ['Tool: x'] },
    packages: [{ SPDXID: 'SPDXRef-PACKAGE-a', name: 'a', downloadLocation: 'NOASSERTION' }],
    files,
    relationships: files.map((file) => ({ spdxElementId: 'SPDXRef-PACKAGE-a', relationshipType: 'CONTAINS', relatedSpdxElement: file.SPDXID })),
  };
}

function cyclonedxWithDependencies(n: number): unknown {
  const components = Array.from({ length: n }, (_, i) => ({ type: 'library', name: `c${i}`, 'bom-ref': `c${i}` }));
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    metadata: { component: { type: 'application', name: 'root', 'bom-ref': 'root' } },
    components,
    dependencies: [{ ref: 'root', dependsOn: components.map((c) => c['bom-ref']) }],
  };
}

describe('class 4: linear readers and patterns, no blocking reads', () => {
  it('SPDX CONTAINS: doubling the files does not quadruple the work', () => {
    const small = scanWork(() => spdxToModel(spdxWithFiles(2000), 'a.json'));
    const large = scanWork(() => spdxToModel(spdxWithFiles(4000), 'a.json'));
    expect(large).toBeLessThan(3 * Math.max(small, 1000));
  });

  it('CycloneDX dependsOn: doubling the dependencies does not quadruple the work', () => {
    const small = scanWork(() => readCycloneDxJson(cyclonedxWithDependencies(2000), 'a.json'));
    const large = scanWork(() => readCycloneDxJson(cyclonedxWithDependencies(4000), 'a.json'));
    expect(large).toBeLessThan(3 * Math.max(small, 1000));
  });

  it('exclude globs match as their regular expressions did, without one', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const patternParts = ['**', '*', 'a', 'b*', '*.c', '?', '[ab]', '[!a]', '.pc', 'a*b'];
    const pathParts = ['a', 'b', 'ab', 'x.c', '.pc', 'ba', 'c', 'aab'];
    for (let t = 0; t < 20_000; t++) {
      const pattern = Array.from({ length: 1 + random(4) }, () => patternParts[random(patternParts.length)]).join('/') + (random(8) === 0 ? '/' : '');
      const path = Array.from({ length: 1 + random(5) }, () => pathParts[random(pathParts.length)]).join('/');
      expect([pattern, path, compileGlob(pattern)(path)]).toEqual([pattern, path, globRegex(pattern).test(path)]);
    }
    // A chain that makes the regex backtrack: answered at once.
    expect(compileGlob(`${'**/a/'.repeat(12)}b`)(`${'a/'.repeat(40)}c`)).toBe(false);
  });

  it('the rewritten patterns read what the old expressions read', () => {
    expect(spdxIdentifier('/* SPDX-License-Identifier: MIT */')).toBe('MIT');
    expect(spdxIdentifier('# SPDX-License-Identifier:   Apache-2.0 OR MIT   \nx')).toBe('Apache-2.0 OR MIT');
    expect(spdxIdentifier('<!-- SPDX-License-Identifier: BSD-3-Clause -->')).toBe('BSD-3-Clause');
    expect(spdxIdentifier('SPDX-License-Identifier: */')).toBeUndefined();
    expect(wheelMetadataLicense('Metadata-Version: 2.4\nLicense-Expression:  MIT  \n\nbody')).toEqual({ expression: 'MIT', field: 'License-Expression' });
    expect(parseActor('Person: Jane Doe (jane@example.org) ')).toEqual({ kind: 'Person', name: 'Jane Doe', email: 'jane@example.org' });
    expect(parseActor('Organization:  PSF ')).toEqual({ kind: 'Organization', name: 'PSF' });
    expect(parseActor('Tool: a\nb')).toBeUndefined();
  });

  it('blank-heavy lines under the rewritten readers finish (their work is linear: no regex backtracking left)', () => {
    const blanks = ' '.repeat(200_000);
    expect(spdxIdentifier(`SPDX-License-Identifier: MIT${blanks}#`)).toBeUndefined();
    expect(spdxIdentifier(`SPDX-License-Identifier: MIT${blanks}\n`)).toBe('MIT');
    expect(wheelMetadataLicense(`License:${blanks}x${blanks}\n`)).toBeUndefined();
    expect(parseActor(`Person: a${blanks}\nb`)).toBeUndefined();
  });

  it("a FIFO as the overlay's upstream is refused at once", async () => {
    const { tree, overlay } = overlayTree();
    const fifo = join(dir, `up${++counter}.tgz`);
    execFileSync('mkfifo', [fifo]);
    writeFileSync(overlay, `supplier: Example\nupstream: ${fifo}\n`);
    expectOneLine(await run(['generate', tree, '--overlay', overlay, '--output', '-']), 'upstream', 'not a regular file');
  });
});

/** A stored zip of `members`, as a pip wheel. */
function wheel(members: [string, string][]): Promise<Buffer> {
  const archive = new yazl.ZipFile();
  for (const [name, text] of members) archive.addBuffer(Buffer.from(text), name, { mtime: new Date(0), compress: false });
  archive.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    archive.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    archive.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    archive.outputStream.on('error', reject);
  });
}

async function treeWithVendorTxt(vendorTxt: string): Promise<string> {
  const tree = join(dir, `v${++counter}`);
  cpSync(SAMPLE, tree, { recursive: true });
  writeFileSync(
    join(tree, 'Lib', 'ensurepip', '_bundled', 'pip-24.0-py3-none-any.whl'),
    await wheel([
      ['pip/__init__.py', ''],
      ['pip/_vendor/vendor.txt', vendorTxt],
      ['pip-24.0.dist-info/METADATA', 'Metadata-Version: 2.1\nName: pip\nVersion: 24.0\n'],
    ]),
  );
  return tree;
}

describe('class 5: crashes', () => {
  it("a vendored project named after an Object member ('constructor', 'toString') is just a name", async () => {
    const tree = await treeWithVendorTxt('constructor==1.0\ntoString==2.0\n');
    const result = await run(['generate', tree, '--profile', 'complete', '--output', '-']);
    expect(result.stderr).not.toMatch(/internal error|please report/);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"name": "constructor"');
  });

  it('a project pinned twice in vendor.txt is an error naming both lines', async () => {
    const tree = await treeWithVendorTxt('requests==2.31.0\nRequests==2.32.0\n');
    expectOneLine(await run(['generate', tree, '--output', '-']), 'vendor.txt:2', 'pinned twice', 'line 1');
  });

  it('a control character or newline in a file name is refused alike for every format, escaped in one line', async () => {
    for (const bad of ['a\u0001b.py', 'a\nb.py', 'a\rb.py']) {
      const tree = join(dir, `c${++counter}`);
      cpSync(SAMPLE, tree, { recursive: true });
      writeFileSync(join(tree, 'Lib', bad), '');
      for (const format of ['spdx-json', 'cyclonedx-xml']) {
        expectOneLine(await run(['generate', tree, '--format', format, '--output', '-']), 'control character', `Lib/a\\x`);
      }
    }
    const tarred = tarball([tarMember('Python-3.13.0/Lib/a\u0007b.py', '')]);
    expectOneLine(await run(['generate', tarred, '--output', '-']), 'control character', 'a\\x07b.py');
  });

  it('CycloneDX without a metadata component name or with empty hash entries: diff and verify answer, no crash', async () => {
    const base = join(dir, `base${++counter}.cdx.json`);
    expect((await run(['generate', SAMPLE, '--format', 'cyclonedx-json', '--output', base])).code).toBe(0);
    const doc = JSON.parse(readFileSync(base, 'utf8')) as { metadata: { component: unknown }; components: { hashes?: unknown }[] };
    const noName = join(dir, `noname${counter}.json`);
    writeFileSync(noName, JSON.stringify({ ...doc, metadata: { ...doc.metadata, component: {} } }));
    const emptyHashes = join(dir, `hashes${counter}.json`);
    writeFileSync(emptyHashes, JSON.stringify({ ...doc, components: doc.components.map((c) => ({ ...c, hashes: [{}] })) }));
    for (const other of [noName, emptyHashes]) {
      for (const args of [
        ['diff', base, other],
        ['verify', other, SAMPLE],
      ]) {
        const result = await run(args);
        expect(result.stderr).not.toMatch(/internal error|please report/);
        expect([0, 1]).toContain(result.code);
      }
    }
  });
});

describe('class 5: regen literals and validate', () => {
  it('a Python literal nested without bound is refused with its line, not a stack overflow', () => {
    const deep = `X = ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`;
    expect(() => evaluateAt(deep, 4, 'generate_sbom.py')).toThrow(InputError);
    expect(() => evaluateAt(deep, 4, 'generate_sbom.py')).toThrow(/generate_sbom\.py:1: a literal nested more than 100 deep/);
    const long = `X = [${'"a", '.repeat(200_000)}]\n`;
    expect(() => evaluateAt(long, 4, 'generate_sbom.py')).toThrow(/more than 100000 tokens/);
  });

  it("names and keys from a script never reach Object's members", () => {
    expect(() => evaluateAt('constructor("x")', 0, 's.py')).toThrow(/cannot read a call of 'constructor'/);
    expect(() => evaluateAt('toString', 0, 's.py')).toThrow(/the name 'toString'/);
    const dict = evaluateAt('{"__proto__": "x", "a": "b"}', 0, 's.py') as Record<string, unknown>;
    expect(Object.keys(dict)).toEqual(['__proto__', 'a']);
  });

  it("validate: a CycloneDX XML attribute past the XML parser's limit is an invalid document, not an internal error", async () => {
    const xml = join(dir, `big${++counter}.cdx.xml`);
    expect((await run(['generate', SAMPLE, '--format', 'cyclonedx-xml', '--output', xml])).code).toBe(0);
    writeFileSync(xml, readFileSync(xml, 'utf8').replace('<bom ', `<bom data-x="${'x'.repeat(11 * 1024 * 1024)}" `));
    const result = await run(['validate', xml]);
    expect(result.stderr).not.toMatch(/internal error|please report/);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('could not read the document');
  });
});

describe('class 6: bounded memory', () => {
  it('every wheel of a run charges one run-wide budget: each under its own bounds, together past it', async () => {
    const one = await wheel([['pkg/a.py', 'x'.repeat(600)]]);
    await withRunBudget(async () => {
      await readAllWheelMembers(one, 'first.whl', () => false);
      await expect(readAllWheelMembers(one, 'second.whl', () => false)).rejects.toThrow(
        /second\.whl: not read: the wheels and archives of this run inflate past 1000 bytes together/,
      );
    }, 1000);
    // Outside a run, and in a new run, the budget starts afresh.
    await withRunBudget(() => readAllWheelMembers(one, 'third.whl', () => false), 1000);
  });

  // The 1 MiB reads of verify's CRLF check end on a CR: a CRLF split across two reads, and a lone CR.
  it.each([
    ['a CRLF split across two reads', `${'a'.repeat((1 << 20) - 1)}\n${'b'.repeat(100)}\n${'c\n'.repeat(1000)}`],
    ['a lone CR at the end of a read', `${'a'.repeat((1 << 20) - 1)}\r${'b'.repeat(100)}\n${'c\n'.repeat(1000)}`],
  ])('verify matches a CRLF checkout, streamed: %s', async (_, text) => {
    const lf = join(dir, `lf${++counter}`);
    cpSync(SAMPLE, lf, { recursive: true });
    writeFileSync(join(lf, 'Lib', 'big.txt'), text);
    const sbom = join(dir, `lf${counter}.spdx.json`);
    expect((await run(['generate', lf, '--output', sbom])).code).toBe(0);
    const crlf = join(dir, `crlf${counter}`);
    cpSync(lf, crlf, { recursive: true });
    writeFileSync(join(crlf, 'Lib', 'big.txt'), text.replaceAll('\n', '\r\n'));
    const ok = await run(['verify', sbom, crlf]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Lib/big.txt');
    writeFileSync(join(crlf, 'Lib', 'big.txt'), text.replaceAll('\n', '\r\n').replace('b', 'B'));
    expect((await run(['verify', sbom, crlf])).code).toBe(1);
  });
});

describe('class 7: outputs all or none, temporary files never left, modes kept', () => {
  it('a FIFO whose reader goes away fails the run before any file is replaced', async () => {
    const where = join(dir, `out${++counter}`);
    mkdirSync(where);
    const file = join(where, 'a.json');
    writeFileSync(file, 'old\n');
    const fifo = join(where, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    // More than a pipe holds: the writer waits for the reader, which closes instead.
    setTimeout(() => closeSync(reader), 100);
    await expect(
      writeFilesAtomic([
        { path: file, data: 'new\n' },
        { path: fifo, data: Buffer.alloc(4 << 20, 0x61) },
      ]),
    ).rejects.toThrow(InputError);
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    expect(readdirSync(where).sort()).toEqual(['a.json', 'pipe']);
  });

  it('a replaced 0600 file stays 0600 (and a 0640 one 0640)', async () => {
    for (const mode of [0o600, 0o640]) {
      const file = join(dir, `mode${++counter}.json`);
      writeFileSync(file, 'old');
      chmodSync(file, mode);
      await writeFilesAtomic([{ path: file, data: 'new' }]);
      expect(readFileSync(file, 'utf8')).toBe('new');
      expect(statSync(file).mode & 0o777).toBe(mode);
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('%s while outputs are staged removes the temporary files', async (signal) => {
    const where = join(dir, `sig${++counter}`);
    mkdirSync(where);
    const fifo = join(where, 'pipe');
    execFileSync('mkfifo', [fifo]);
    // A reader that never reads: the child's write into the FIFO waits, its other output staged.
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const script = `import { writeFilesAtomic } from ${JSON.stringify(join(REPO, 'dist', 'util', 'atomic-write.js'))};
      await writeFilesAtomic([{ path: ${JSON.stringify(join(where, 'a.json'))}, data: 'x' }, { path: ${JSON.stringify(fifo)}, data: Buffer.alloc(4 << 20) }]);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'ignore' });
    try {
      const staged = (): boolean => readdirSync(where).some((name) => name.endsWith('.tmp'));
      for (let tries = 0; !staged() && tries < 600; tries++) await new Promise((wait) => setTimeout(wait, 50));
      expect(staged()).toBe(true);
      const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_, how) => done(how)));
      child.kill(signal);
      expect(await exited).toBe(signal);
      expect(readdirSync(where)).toEqual(['pipe']);
      expect(existsSync(join(where, 'a.json'))).toBe(false);
    } finally {
      child.kill('SIGKILL');
      closeSync(reader);
    }
  });
});

describe('class 8: messages and the library', () => {
  it('a vendor.txt project name past 200 characters is refused with its line', async () => {
    const tree = await treeWithVendorTxt(`${'a'.repeat(5000)}==1.0\n`);
    expectOneLine(await run(['generate', tree, '--profile', 'complete', '--output', '-']), 'vendor.txt:1: a project name longer than 200');
  });

  it('every message line is bounded: validate quoting a 50,000-character value, and stderr', async () => {
    const sbom = join(dir, `long${++counter}.spdx.json`);
    expect((await run(['generate', SAMPLE, '--output', sbom])).code).toBe(0);
    const doc = JSON.parse(readFileSync(sbom, 'utf8')) as { packages: { SPDXID: string }[] };
    (doc.packages[0] as { SPDXID: string }).SPDXID = `SPDXRef-${'x'.repeat(50_000)}!`;
    writeFileSync(sbom, JSON.stringify(doc));
    const result = await run(['validate', sbom]);
    expect(result.code).toBe(1);
    for (const line of `${result.stdout}\n${result.stderr}`.split('\n')) expect(line.length).toBeLessThan(2100);
    expect(boundLines(`${'w'.repeat(5000)}\nshort\n`)).toBe(`${'w'.repeat(2000)}… (3000 more characters)\nshort\n`);
  });

  it("xz's own path never reaches a message", () => {
    expect(cleanXzMessage('/usr/bin/xz: (stdin): File format not recognized\n')).toBe('file format not recognized');
    expect(cleanXzMessage('xz: (stdin): Unexpected end of input')).toBe('unexpected end of input');
  });

  it('a path too long to read keeps its reason: the path is shortened, not the reason', () => {
    const long = `/tmp/${'d'.repeat(200)}/`.repeat(25);
    const message = describeSystemError(Object.assign(new Error(`ENAMETOOLONG: name too long, scandir '${long}'`), { code: 'ENAMETOOLONG' }), long);
    expect(message.length).toBeLessThan(600);
    expect(message).toMatch(/file name too long/);
    const other = describeSystemError(Object.assign(new Error(`EIO: i/o error, read '${long}'`), { code: 'EIO' }), long);
    expect(other.length).toBeLessThan(600);
    expect(other).toContain('EIO: i/o error');
  });

  const wrong: [string, () => Promise<unknown>, string][] = [
    ['generate format', () => generate(SAMPLE, { format: 5 as never }), "option 'format'"],
    ['generate creator', () => generate(SAMPLE, { creator: 'Tool: x' as never }), "option 'creator'"],
    ['generate overlay', () => generate(SAMPLE, { overlay: {} as never }), "option 'overlay'"],
    ['generate onProgress', () => generate(SAMPLE, { onProgress: 'x' as never }), "option 'onProgress'"],
    ['generate created', () => generate(SAMPLE, { created: 'yesterday' }), "option 'created'"],
    ['generate pypiUrl', () => generate(SAMPLE, { pypi: true, pypiUrl: 5 as never }), "option 'pypiUrl'"],
    ['generate source', () => generate(5 as never), 'SOURCE must be'],
    ['generate options', () => generate(SAMPLE, 'x' as never), 'options must be an object'],
    ['validate input', () => validate(5 as never), 'validate: the input'],
    ['validate policy', () => validate(SAMPLE, { policy: 'ntia' as never }), "option 'policy'"],
    ['diff paths', () => diff(5 as never, 6 as never), 'OLD must be'],
    ['verify exclude', () => verify('x.json', SAMPLE, { exclude: 'x' as never }), "option 'exclude'"],
    ['regen check', () => regen(TINY, { check: 'yes' as never }), "option 'check'"],
  ];
  it.each(wrong)('the library throws InputError for a wrong-typed option (%s)', async (_, call, fragment) => {
    const error = await call().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toContain(fragment);
  });
});
