import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadAdvisories } from '../../src/vex/advisory-dir.js';
import { readOsvRecord, purlKey, repositoryKey } from '../../src/vex/osv.js';
import { PSF_FIXTURES, scratch, SYNTHETIC } from './support.js';

/** A folder holding copies of some synthetic advisories. */
function folderWith(...names: string[]): string {
  const dir = scratch('advisories');
  for (const name of names) copyFileSync(join(SYNTHETIC, name), join(dir, name));
  return dir;
}

describe('reading the advisory folder (bounded, hostile-safe)', () => {
  it("reads a checkout of the PSF database through its advisories/ folder, classifying each record's references", async () => {
    const set = await loadAdvisories(PSF_FIXTURES);
    expect(set.location).toBe(PSF_FIXTURES);
    expect(set.counts).toEqual({ files: 11, skipped: 0, withdrawn: 0, duplicates: 0, links: 0 });
    expect(set.warnings).toEqual([]);
    const urlparse = set.advisories.find((advisory) => advisory.id === 'PSF-2023-1');
    expect(urlparse).toMatchObject({ aliases: ['CVE-2023-24329'], cpython: true, packagePurls: [], file: 'python/PSF-2023-1.json' });
    expect(urlparse?.fixReferences).toEqual([
      { kind: 'issue', tracker: 'gh', number: 99418, type: 'REPORT', url: 'https://github.com/python/cpython/issues/99418' },
    ]);
    const tarfile = set.advisories.find((advisory) => advisory.id === 'PSF-2024-11');
    expect(tarfile?.fixReferences.map((reference) => `${reference.kind}:${reference.type}`)).toEqual([
      'pull:WEB',
      'issue:REPORT',
      'commit:FIX',
      'commit:FIX',
      'commit:FIX',
      'commit:FIX',
      'commit:FIX',
      'commit:FIX',
    ]);
    const old = set.advisories.find((advisory) => advisory.id === 'PSF-2007-1');
    expect(old?.fixReferences.map((reference) => (reference.kind === 'issue' ? `${reference.tracker}-${reference.number}` : reference.kind))).toEqual([
      'bpo-1179',
      'bpo-8678',
    ]);
  });

  it('never follows a symbolic link, to a file or a folder, out of DIR', async () => {
    const outside = folderWith('SYNTH-ISSUE.json', 'SYNTH-BPO.json');
    const dir = folderWith('SYNTH-PULL.json');
    symlinkSync(join(outside, 'SYNTH-ISSUE.json'), join(dir, 'linked.json'));
    symlinkSync(outside, join(dir, 'linked-folder'));
    const set = await loadAdvisories(dir);
    expect(set.advisories.map((advisory) => advisory.id)).toEqual(['SYNTH-PULL']);
    expect(set.counts.links).toBe(2);
    expect(set.warnings).toEqual([`2 symbolic links under ${dir} not followed (only what is inside the directory is read)`]);
  });

  it('skips dot-folders (.git) and non-JSON files, and does not hang on a FIFO named *.json', async () => {
    const dir = folderWith('SYNTH-PULL.json');
    mkdirSync(join(dir, '.git'));
    copyFileSync(join(SYNTHETIC, 'SYNTH-ISSUE.json'), join(dir, '.git', 'SYNTH-ISSUE.json'));
    writeFileSync(join(dir, 'README.md'), '# not an advisory\n');
    const fifo = spawnSync('mkfifo', [join(dir, 'pipe.json')]);
    const set = await loadAdvisories(dir);
    expect(set.advisories.map((advisory) => advisory.id)).toEqual(['SYNTH-PULL']);
    expect(set.counts.files).toBe(1);
    if (fifo.status !== 0) process.stderr.write('(mkfifo unavailable: the FIFO case was not exercised)\n');
  });

  it('holds its bounds: file size and depth are warnings, too many files or bytes an error', async () => {
    const dir = folderWith('SYNTH-ISSUE.json', 'SYNTH-BPO.json', 'SYNTH-PULL.json');
    const small = await loadAdvisories(dir, { maxFileBytes: 100 });
    expect(small.advisories).toEqual([]);
    expect(small.warnings[0]).toBe('SYNTH-BPO.json: larger than 100 bytes; skipped');
    await expect(loadAdvisories(dir, { maxFiles: 2 })).rejects.toThrow(`--advisories ${dir}: more than 2 JSON files; point it at the advisories folder itself`);
    await expect(loadAdvisories(dir, { maxTotalBytes: 1000 })).rejects.toThrow(InputError);

    const deep = scratch('deep');
    let folder = deep;
    for (let level = 1; level <= 4; level++) {
      folder = join(folder, `level${level}`);
      mkdirSync(folder);
      copyFileSync(join(SYNTHETIC, 'SYNTH-ISSUE.json'), join(folder, `advisory-${level}.json`));
    }
    const shallow = await loadAdvisories(deep, { maxDepth: 2 });
    expect(shallow.counts.files).toBe(2);
    expect(shallow.warnings).toContain(`${deep}: folders deeper than 2 levels were not read`);
    expect(shallow.counts.duplicates).toBe(1);
  });

  it('keeps the first of two files that give the same id, with a warning', async () => {
    const dir = folderWith('SYNTH-ISSUE.json');
    copyFileSync(join(SYNTHETIC, 'SYNTH-ISSUE.json'), join(dir, 'SYNTH-ISSUE-copy.json'));
    const set = await loadAdvisories(dir);
    expect(set.advisories).toHaveLength(1);
    expect(set.warnings).toEqual(['SYNTH-ISSUE.json: SYNTH-ISSUE is already given by SYNTH-ISSUE-copy.json; this copy is not used']);
  });

  it('a missing DIR, or something that is neither a folder nor a file, is an InputError naming it', async () => {
    await expect(loadAdvisories('/nonexistent/advisories')).rejects.toThrow('--advisories /nonexistent/advisories: no such file or directory');
    await expect(loadAdvisories('/dev/null')).rejects.toThrow('--advisories /dev/null: neither a directory nor a file');
    const one = await loadAdvisories(join(SYNTHETIC, 'SYNTH-ISSUE.json'));
    expect(one.advisories.map((advisory) => advisory.id)).toEqual(['SYNTH-ISSUE']);
  });
});

describe('OSV records', () => {
  it('names CPython by its GIT repository, a cpython purl, or the repository as package name', () => {
    const git = (repo: string) => readOsvRecord({ id: 'X-1', affected: [{ ranges: [{ type: 'GIT', repo, events: [] }] }] }, 'x.json');
    expect(git('https://github.com/python/cpython').cpython).toBe(true);
    expect(git('https://github.com/Python/CPython.git/').cpython).toBe(true);
    expect(git('https://github.com/python/cpython-fork').cpython).toBe(false);
    expect(git('https://github.com/libexpat/libexpat').packagePurls).toEqual(['pkg:github/libexpat/libexpat']);
    const pkg = (value: object) => readOsvRecord({ id: 'X-1', affected: [{ package: value }] }, 'x.json');
    expect(pkg({ ecosystem: 'GIT', name: 'https://github.com/python/cpython' }).cpython).toBe(true);
    expect(pkg({ ecosystem: 'generic', name: 'cpython', purl: 'pkg:generic/cpython' }).cpython).toBe(true);
    expect(pkg({ ecosystem: 'PyPI', name: 'Typing_Extensions' }).packagePurls).toEqual(['pkg:pypi/typing-extensions']);
    expect(pkg({ ecosystem: 'generic', name: 'pip', purl: 'pkg:pypi/pip' }).packagePurls).toEqual(['pkg:pypi/pip']);
    // Bitnami's or a distribution's own python package is not CPython's source tree.
    expect(pkg({ ecosystem: 'Bitnami', name: 'python' })).toMatchObject({ cpython: false, packagePurls: [] });
  });

  it('reads purls and repository URLs to comparable keys', () => {
    expect(purlKey('pkg:github/libexpat/libexpat@R_2_6_3')).toBe('pkg:github/libexpat/libexpat');
    expect(purlKey('pkg:generic/cpython@3.13.15?download_url=https%3A%2F%2Fwww.python.org%2Fftp%2Fpython%2F3.13.15%2FPython-3.13.15.tar.xz')).toBe(
      'pkg:generic/cpython',
    );
    expect(purlKey('pkg:pypi/Typing.Extensions@4.9.0')).toBe('pkg:pypi/typing-extensions');
    expect(purlKey('not a purl')).toBeUndefined();
    expect(repositoryKey('git://github.com/python/cpython.git')).toBe('github.com/python/cpython');
    expect(repositoryKey('ftp://github.com/python/cpython')).toBeUndefined();
  });

  it('refuses what is not an OSV record, naming the JSON pointer', () => {
    expect(() => readOsvRecord([], 'x.json')).toThrow('/: expected an object, found an array');
    expect(() => readOsvRecord({ id: 'bad id with spaces' }, 'x.json')).toThrow('/id: not an advisory id');
    expect(() => readOsvRecord({ id: 'X-1', affected: [{ ranges: 'GIT' }] }, 'x.json')).toThrow('/affected/0/ranges: expected an array, found a string');
    expect(() => readOsvRecord({ id: 'X-1', affected: [{ versions: [1] }] }, 'x.json')).toThrow('/affected/0/versions/0: expected a string, found a number');
    expect(() => readOsvRecord({ id: 'X-1', references: [{ type: 'FIX' }] }, 'x.json')).toThrow('/references/0: a reference needs a "type" and a "url"');
  });
});
