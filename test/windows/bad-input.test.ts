import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { listZipMembers } from '../../src/windows/zip-members.js';
import { SAMPLE, run, tempDir } from '../support/cli.js';
import { standInArtifact } from '../support/windows-standins.mjs';
import { syntheticWindowsTree } from './synthetic-tree.js';

function zip(entries: [string, Buffer][], compress = false): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const file = new yazl.ZipFile();
    for (const [name, data] of entries) file.addBuffer(data, name, { compress, mtime: new Date(2024, 0, 1) });
    file.end();
    const chunks: Buffer[] = [];
    file.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    file.outputStream.on('error', reject);
    file.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** One line on stderr naming the file, exit 2, no stack trace. */
function expectOneLineError(result: { code: number; stderr: string }, mentions: RegExp): void {
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^cpython-sbom: /);
  expect(lines[0]).toMatch(mentions);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('generate ARTIFACT --source: bad input is one line and exit 2, nothing written', () => {
  const dir = tempDir('cpython-sbom-windows-bad-');
  const tree = syntheticWindowsTree(dir);
  const embed = join(dir, 'python-3.13.0-embed-amd64.zip');

  it('an artifact name that matches no known pattern', async () => {
    const path = join(dir, 'python-3.13.0-embed-sparc.zip');
    writeFileSync(path, 'x');
    expectOneLineError(await run(['generate', path, '--source', tree]), /python-3\.13\.0-embed-sparc\.zip: not a python\.org Windows artifact name/);
  });

  it('no --source', async () => {
    writeFileSync(embed, await standInArtifact('python-3.13.0-embed-amd64.zip'));
    expectOneLineError(await run(['generate', embed]), /needs --source TREE/);
  });

  it('a --source of another version', async () => {
    const other = join(dir, 'python-3.13.15-embed-amd64.zip');
    writeFileSync(other, await standInArtifact('python-3.13.15-embed-amd64.zip'));
    expectOneLineError(await run(['generate', other, '--source', tree]), /the tree is CPython 3\.13\.0 but python-3\.13\.15-embed-amd64\.zip is 3\.13\.15/);
  });

  it('a --source that is not there, an artifact that is not there', async () => {
    writeFileSync(embed, await standInArtifact('python-3.13.0-embed-amd64.zip'));
    expectOneLineError(await run(['generate', embed, '--source', join(dir, 'nowhere')]), /nowhere: no such file or directory/);
    expectOneLineError(await run(['generate', join(dir, 'python-3.13.0-amd64.exe'), '--source', tree]), /python-3\.13\.0-amd64\.exe: no such file/);
  });

  it('--source with a tree as SOURCE', async () => {
    expectOneLineError(
      await run(['generate', SAMPLE, '--source', tree]),
      /--source does not apply to a source tree or tarball: it names the source tree of a Windows artifact/,
    );
  });

  it('a zip that is not a zip, and the output beside it is left as it was', async () => {
    writeFileSync(embed, 'this is not a zip archive at all, just text that is long enough to look at\n');
    const existing = join(dir, 'python-3.13.0-embed-amd64.zip.spdx.json');
    writeFileSync(existing, 'previous document\n');
    expectOneLineError(await run(['generate', embed, '--source', tree]), /python-3\.13\.0-embed-amd64\.zip: corrupt zip/);
    expect(readFileSync(existing, 'utf8')).toBe('previous document\n');
  });

  it('a member whose name leaves the archive', async () => {
    const bytes = await zip([
      ['python.exe', Buffer.from('x')],
      ['xx/evil.dll', Buffer.from('y')],
    ]);
    // The same length, so every offset stays right: the name becomes ../evil.dll in both headers.
    writeFileSync(embed, Buffer.from(bytes.toString('latin1').replaceAll('xx/evil.dll', '../evil.dll'), 'latin1'));
    expectOneLineError(await run(['generate', embed, '--source', tree]), /corrupt zip \(.*\.\.\/evil\.dll/);
  });

  it('a member listed twice', async () => {
    writeFileSync(
      embed,
      await zip([
        ['python.exe', Buffer.from('x')],
        ['python.exe', Buffer.from('y')],
      ]),
    );
    expectOneLineError(await run(['generate', embed, '--source', tree]), /member python\.exe appears more than once/);
  });

  it('a member whose CRC-32 is wrong', async () => {
    const bytes = await zip([
      ['python.exe', Buffer.from('x')],
      ['python313.dll', Buffer.from('y')],
    ]);
    const record = bytes.lastIndexOf('PK\x01\x02');
    bytes.writeUInt32LE((bytes.readUInt32LE(record + 16) ^ 0xffffffff) >>> 0, record + 16);
    writeFileSync(embed, bytes);
    expectOneLineError(await run(['generate', embed, '--source', tree]), /member python313\.dll fails its CRC-32 check/);
  });

  it('a Misc/externals.spdx.json nested past the depth bound', async () => {
    const deepTree = syntheticWindowsTree(join(dir, 'deep'));
    writeFileSync(join(deepTree, 'Misc', 'externals.spdx.json'), `{"packages": ${'['.repeat(5000)}${']'.repeat(5000)}}`);
    const installer = join(dir, 'deep', 'python-3.13.0-amd64.exe');
    writeFileSync(installer, await standInArtifact('python-3.13.0-amd64.exe'));
    expectOneLineError(
      await run(['generate', installer, '--source', deepTree, '--profile', 'python.org', '--output', '-']),
      /Misc\/externals\.spdx\.json: JSON nested deeper than 100 levels/,
    );
  });

  it('a truncated zip', async () => {
    const bytes = await standInArtifact('python-3.13.0-embed-amd64.zip');
    writeFileSync(embed, bytes.subarray(0, bytes.length - 30));
    expectOneLineError(await run(['generate', embed, '--source', tree]), /corrupt zip/);
  });
});

describe('zip members are read within bounds', () => {
  const dir = tempDir('cpython-sbom-windows-bounds-');

  it('refuses too many entries, a member past the size bound, and members past the total bound', async () => {
    const path = join(dir, 'bomb.zip');
    writeFileSync(
      path,
      await zip(
        [
          ['a.dll', Buffer.alloc(4096)],
          ['b.dll', Buffer.alloc(4096)],
          ['c.dll', Buffer.alloc(10)],
        ],
        true,
      ),
    );
    await expect(listZipMembers(path, { maxEntries: 2, maxMemberBytes: 1 << 20, maxTotalBytes: 1 << 30 })).rejects.toThrow(/3 entries, more than 2/);
    await expect(listZipMembers(path, { maxEntries: 10, maxMemberBytes: 1000, maxTotalBytes: 1 << 30 })).rejects.toThrow(
      /a\.dll claims 4096 bytes, more than 1000/,
    );
    await expect(listZipMembers(path, { maxEntries: 10, maxMemberBytes: 1 << 20, maxTotalBytes: 6000 })).rejects.toThrow(/members inflate past 6000 bytes/);
    const members = await listZipMembers(path);
    expect(members.map((member) => [member.path, member.size])).toEqual([
      ['a.dll', 4096],
      ['b.dll', 4096],
      ['c.dll', 10],
    ]);
    expect(members[2]?.sha256).toBe('01d448afd928065458cf670b60f5a594d735af0172c8d67f22a81680132681ca');
  });
});
