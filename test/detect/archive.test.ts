import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { listedArchives } from '../../src/detect/listed-archives.js';
import { InflateBudget, archiveKindOf, readArchiveMembers } from '../../src/detect/archive.js';
import { gzip, makeTar, makeZip, xz } from './archive-helpers.js';

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

describe('archive names', () => {
  it('are recognised by suffix: zips, wheels, eggs; tarballs plain, gzip and xz', () => {
    const kinds = ['a.zip', 'b.whl', 'c.egg', 'd.jar', 'e.tar', 'f.tgz', 'g.tar.gz', 'h.tar.xz', 'i.txz', 'j.gz', 'k.part', 'l.dia', 'tar'].map(archiveKindOf);
    expect(kinds).toEqual(['zip', 'zip', 'zip', 'zip', 'tar', 'tar', 'tar', 'tar', 'tar', undefined, undefined, undefined, undefined]);
  });

  it('that an SBOM lists members of are found, one level of nesting included', () => {
    const listed = listedArchives(['Lib/os.py', 'Lib/t/x.whl/a/b.py', 'Lib/t/x.whl/d/y.zip/c.txt', 'Lib/t/x.whl/d/y.zip/z.zip/deep', 'Lib/t/z.tar.xz/f']);
    expect([...listed.top].sort()).toEqual(['Lib/t/x.whl', 'Lib/t/z.tar.xz']);
    expect([...listed.nested]).toEqual(['Lib/t/x.whl/d/y.zip']);
  });
});

describe('zip members', () => {
  it('are hashed, with the bytes of the members asked for', async () => {
    const zip = await makeZip({ 'pkg/__init__.py': 'x = 1\n', 'pkg/data.bin': Buffer.from([0, 1, 2]) });
    const listing = await readArchiveMembers(zip, 'Lib/test/t.zip', { keep: (name) => name.endsWith('.py') });
    expect(listing.kind).toBe('zip');
    expect(listing.members.map((m) => [m.name, m.size, m.sha256, m.bytes?.toString()])).toEqual([
      ['pkg/__init__.py', 6, sha256('x = 1\n'), 'x = 1\n'],
      ['pkg/data.bin', 3, sha256(Buffer.from([0, 1, 2])), undefined],
    ]);
  });

  it('stop at the run-wide budget: many archives under their own bound still add up', async () => {
    const zip = await makeZip({ 'a.txt': 'a'.repeat(4000), 'b.txt': 'b'.repeat(4000) });
    const budget = new InflateBudget(10_000);
    await readArchiveMembers(zip, 'one.zip', { budget });
    await expect(readArchiveMembers(zip, 'two.zip', { budget })).rejects.toThrow(
      /^two\.zip: not read: the archives of the tree inflate past 10000 bytes together/,
    );
  });

  it('refuse a corrupt zip with one line naming it', async () => {
    const zip = await makeZip({ 'a.txt': 'hello hello hello hello' }, { compress: false });
    const broken = Buffer.from(zip);
    broken[broken.indexOf('hello')] = 0x48; // the stored bytes no longer match the CRC-32
    await expect(readArchiveMembers(broken, 'Lib/x.zip')).rejects.toThrow(/^Lib\/x\.zip: corrupt zip \(member a\.txt fails its CRC-32 check\)$/);
    await expect(readArchiveMembers(Buffer.from('not a zip at all'), 'Lib/y.zip')).rejects.toThrow(/^Lib\/y\.zip: corrupt zip/);
  });
});

describe('tar members', () => {
  const entries = [
    { name: 'pkg-1.0/PKG-INFO', content: 'Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n' },
    { name: './pkg-1.0/pkg.py', content: 'print(1)\n' },
    { name: 'pkg-1.0/sub', type: 'directory' as const },
    { name: 'pkg-1.0/link', type: 'symlink' as const, linkname: 'pkg.py' },
  ];

  it('are read from plain, gzip and xz tarballs alike; links and devices are named, not listed', async () => {
    const tar = await makeTar(entries);
    for (const [bytes, path] of [
      [tar, 'a.tar'],
      [gzip(tar), 'a.tar.gz'],
      [xz(tar), 'a.tar.xz'],
    ] as const) {
      const listing = await readArchiveMembers(bytes, path, { keep: (name) => name.endsWith('PKG-INFO') });
      expect(
        listing.members.map((m) => [m.name, m.sha256]),
        path,
      ).toEqual([
        ['pkg-1.0/PKG-INFO', sha256(entries[0]?.content as string)],
        ['pkg-1.0/pkg.py', sha256('print(1)\n')],
      ]);
      expect(listing.members[0]?.bytes?.toString()).toMatch(/^Metadata-Version/);
      expect(listing.special).toEqual([{ name: 'pkg-1.0/link', what: 'symbolic link to pkg.py' }]);
    }
  });

  it("do not stall on a directory entry whose header claims a size (as CPython's testtar.tar has)", async () => {
    const tar = await makeTar([
      { name: 'd/', type: 'directory' },
      { name: 'd/f', content: 'f' },
    ]);
    // Give the directory header a size of 255 and fix its checksum, as tarfile's test archive does.
    const header = Buffer.from(tar.subarray(0, 512));
    header.write('00000000377\0', 124, 'latin1');
    header.fill(' ', 148, 156);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    const patched = Buffer.concat([header, tar.subarray(512)]);
    const listing = await readArchiveMembers(patched, 't.tar');
    expect(listing.members.map((m) => m.name)).toEqual(['d/f']);
  });

  it('are read whole or not at all: a name that is not UTF-8, a path out of the archive, a name twice, corrupt data', async () => {
    // A ustar name with a latin1 byte (0xE9, é): tar-stream writes ASCII names plainly, so write one and change a byte.
    const bad = Buffer.from(
      await makeTar([
        { name: 'ok.txt', content: 'x' },
        { name: 'cafX.txt', content: 'y' },
      ]),
    );
    const at = bad.indexOf(Buffer.from('cafX.txt'));
    bad[at + 3] = 0xe9;
    const block = at - (at % 512);
    bad.fill(' ', block + 148, block + 156);
    let sum = 0;
    for (const byte of bad.subarray(block, block + 512)) sum += byte;
    bad.write(`${sum.toString(8).padStart(6, '0')}\0 `, block + 148, 'latin1');
    await expect(readArchiveMembers(bad, 'n.tar')).rejects.toThrow(/^n\.tar: unreadable tar archive \(member name 'caf\\xe9\.txt' is not UTF-8\)$/);
    await expect(readArchiveMembers(await makeTar([{ name: '../escape', content: 'x' }]), 'e.tar')).rejects.toThrow(/member '\.\.\/escape' escapes the tree/);
    await expect(
      readArchiveMembers(
        await makeTar([
          { name: 'a', content: '1' },
          { name: './a', content: '2' },
        ]),
        'd.tar',
      ),
    ).rejects.toThrow(/member a appears more than once/);
    await expect(readArchiveMembers(Buffer.from('x'.repeat(2048)), 'c.tar')).rejects.toThrow(/^c\.tar: unreadable tar archive/);
    await expect(readArchiveMembers(Buffer.from('garbage'), 'c.tar.gz')).rejects.toThrow(
      /^c\.tar\.gz: unreadable tar archive \(neither gzip, xz nor tar data\)$/,
    );
  });

  it('count against the run-wide budget, and a gzip bomb stops at the bound', async () => {
    const tar = await makeTar([{ name: 'big', content: Buffer.alloc(6000) }]);
    const budget = new InflateBudget(10_000);
    await readArchiveMembers(tar, 'a.tar', { budget });
    await expect(readArchiveMembers(gzip(tar), 'b.tar.gz', { budget })).rejects.toThrow(
      /^b\.tar\.gz: not read: the archives of the tree inflate past 10000 bytes together/,
    );
    // 9 MiB of zeros in one member: past the 8 MiB a member may have, refused before it is read.
    const bomb = gzip(await makeTar([{ name: 'zeros', content: Buffer.alloc(9 * 1024 * 1024) }]));
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expect(readArchiveMembers(bomb, 'bomb.tgz')).rejects.toThrow(/zeros is 9437184 bytes, more than 8388608/);
  });
});
