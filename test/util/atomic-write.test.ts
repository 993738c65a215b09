import { lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFilesAtomic } from '../../src/util/atomic-write.js';
import { tempDir } from '../support/cli.js';

describe('writeFilesAtomic', () => {
  const dir = tempDir('cpython-sbom-atomic-');

  it('replaces a regular file whole', async () => {
    const path = join(dir, 'out.json');
    writeFileSync(path, 'old');
    await writeFilesAtomic([{ path, data: 'new' }]);
    expect(readFileSync(path, 'utf8')).toBe('new');
  });

  it('writes through a link to a file and leaves the link a link', async () => {
    const real = join(dir, 'real.json');
    const link = join(dir, 'link.json');
    writeFileSync(real, 'old');
    symlinkSync(real, link);
    await writeFilesAtomic([{ path: link, data: 'new' }]);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new');
  });

  it('writes into a device (here through a link to /dev/null) instead of renaming over it', async () => {
    // The link is ours: were it renamed over, a plain file would take its place, not /dev/null's.
    const link = join(dir, 'null');
    symlinkSync('/dev/null', link);
    await writeFilesAtomic([{ path: link, data: 'discarded' }]);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe('/dev/null');
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('refuses a directory', async () => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    await expect(writeFilesAtomic([{ path: sub, data: 'x' }])).rejects.toThrow(/sub: is a directory/);
  });
});
