import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkoutIgnoreRules, parseIgnorePatterns } from '../../src/source/gitignore.js';
import { parseGitIndex } from '../../src/source/git-index.js';
import { scanDirectory } from '../../src/source/directory.js';
import { run, SAMPLE, tempDir } from '../support/cli.js';
import { git, TINY, treeCopier } from '../regen/helpers.js';
import { standInArtifact } from '../support/windows-standins.mjs';
import { syntheticWindowsTree } from '../windows/synthetic-tree.js';

/**
 * A tree is input: its own git configuration must never choose what runs. Before this was fixed,
 * generate, verify and regen ran `git ls-files`/`git check-ignore` in the checkout, and git ran
 * the repository's `core.fsmonitor` command (a shell command of the tree's choosing).
 */
const copy = treeCopier();
const scratch = tempDir('cpython-sbom-gitconfig-');

/** Arms every configuration key we know git runs a command from, each touching `marker`. */
function arm(tree: string, marker: string): void {
  const command = `touch ${marker}; echo`;
  for (const [key, value] of [
    ['core.fsmonitor', command],
    ['core.pager', command],
    ['core.sshCommand', command],
    ['diff.external', command],
    ['filter.evil.clean', command],
    ['filter.evil.smudge', command],
    ['filter.evil.process', command],
  ] as const) {
    git(tree, 'config', key, value);
  }
  writeFileSync(join(tree, '.gitattributes'), '* filter=evil diff=evil\n');
  mkdirSync(join(tree, '.git', 'hooks'), { recursive: true });
  for (const hook of ['post-checkout', 'post-index-change', 'fsmonitor-watchman']) {
    writeFileSync(join(tree, '.git', 'hooks', hook), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
  }
}

describe('a checkout whose git configuration names commands', () => {
  it('generate, verify and regen never run them', async () => {
    const tree = copy(TINY, { git: true });
    const marker = join(scratch, 'ran-from-regen-tree');
    arm(tree, marker);
    expect((await run(['regen', tree])).code).toBe(0);
    expect((await run(['regen', tree, '--check'])).code).toBe(0);
    const sbom = join(scratch, 'tiny.spdx.json');
    const generated = await run(['generate', tree, '--output', sbom]);
    expect(generated.code, generated.stderr).toBe(0);
    const verified = await run(['verify', sbom, tree]);
    expect(verified.code, verified.stdout).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it('generate ARTIFACT --source CHECKOUT never runs them', async () => {
    const dir = tempDir('cpython-sbom-gitconfig-win-');
    const tree = syntheticWindowsTree(dir);
    git(tree, 'init', '-q');
    git(tree, 'add', '-A');
    git(tree, 'commit', '-q', '-m', 'import');
    const marker = join(dir, 'ran-from-windows-source');
    arm(tree, marker);
    const artifact = join(dir, 'python-3.13.0-embed-amd64.zip');
    writeFileSync(artifact, await standInArtifact('python-3.13.0-embed-amd64.zip'));
    const result = await run(['generate', artifact, '--source', tree, '--output', join(dir, 'out.spdx.json')]);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(marker)).toBe(false);
  });
});

describe("a checkout's ignore rules, read without git", () => {
  it('leave out untracked ignored files, never silently, and keep tracked ones', async () => {
    const tree = copy(SAMPLE, { git: true });
    writeFileSync(join(tree, '.gitignore'), '*.o\nbuild/\n');
    writeFileSync(join(tree, 'Modules', 'tracked.o'), 'tracked\n');
    git(tree, 'add', '-f', 'Modules/tracked.o', '.gitignore');
    writeFileSync(join(tree, 'Modules', 'hidden.o'), 'untracked\n');
    mkdirSync(join(tree, 'build'));
    writeFileSync(join(tree, 'build', 'python'), 'binary\n');
    const out = join(scratch, 'ignore.spdx.json');
    const result = await run(['generate', tree, '--output', out]);
    expect(result.code, result.stderr).toBe(0);
    const names = (JSON.parse(readFileSync(out, 'utf8')) as { files: { fileName: string }[] }).files.map((f) => f.fileName);
    expect(names).toContain('Modules/tracked.o');
    expect(names).not.toContain('Modules/hidden.o');
    expect(names).not.toContain('build/python');
    expect(result.stderr).toMatch(
      /warning: 2 untracked paths the checkout's ignore rules leave out are not described \(Modules\/hidden\.o, build\/; judged by the index \(\d+ tracked paths\); 1 \.gitignore file and \.git\/info\/exclude\)/,
    );

    // verify hashes every file and names the ignored ones instead of hiding them
    const verified = await run(['verify', out, tree, '--format', 'json']);
    expect(verified.code, verified.stdout).toBe(0);
    const report = JSON.parse(verified.stdout) as { ignored: string[]; unexpected: string[] };
    expect(report.ignored).toEqual(['Modules/hidden.o', 'build/python']);
    expect(report.unexpected).toEqual([]);
    // an unignored, unlisted file still fails
    writeFileSync(join(tree, 'Modules', 'planted.c'), 'int x;\n');
    expect((await run(['verify', out, tree])).code).toBe(1);
  });

  it('do not follow a .git that points elsewhere, nor a .gitignore that is a link', async () => {
    const tree = copy(SAMPLE);
    const outside = join(scratch, 'elsewhere-gitdir');
    mkdirSync(outside, { recursive: true });
    writeFileSync(join(tree, '.git'), `gitdir: ${outside}\n`);
    writeFileSync(join(scratch, 'outside-ignore'), '*\n');
    symlinkSync(join(scratch, 'outside-ignore'), join(tree, '.gitignore'));
    const scan = await scanDirectory(tree);
    expect(scan.files.length).toBeGreaterThan(5);
    expect(scan.ignored?.rules).toMatch(/index is not read \(\.git is not a directory inside the tree\); 0 \.gitignore files/);
    expect(scan.ignored?.warnings.join('\n')).toMatch(/\.gitignore not read: .*a symbolic link/);
  });

  it('follow git: nested files, negation, directory-only, anchored and ** patterns', () => {
    const root = tempDir('cpython-sbom-ignore-rules-');
    mkdirSync(join(root, 'sub', 'deep'), { recursive: true });
    writeFileSync(join(root, '.gitignore'), '*.o\n!keep.o\ncache/\n/top.txt\ndoc/**/*.html\nfoo/**\n\\#hash\n');
    writeFileSync(join(root, 'sub', '.gitignore'), '*.txt\n!deep/\n');
    const rules = checkoutIgnoreRules(root, { useIndex: false });
    expect(rules.ignores('a.o', false)).toBe(true);
    expect(rules.ignores('sub/deep/b.o', false)).toBe(true);
    expect(rules.ignores('keep.o', false)).toBe(false);
    expect(rules.ignores('cache', true)).toBe(true);
    expect(rules.ignores('cache', false)).toBe(false);
    expect(rules.ignores('cache/inner/file.c', false)).toBe(true);
    expect(rules.ignores('top.txt', false)).toBe(true);
    expect(rules.ignores('sub/top.txt', false)).toBe(true); // by sub/.gitignore's *.txt
    expect(rules.ignores('other/top.txt', false)).toBe(false);
    expect(rules.ignores('doc/a.html', false)).toBe(true);
    expect(rules.ignores('doc/x/y/a.html', false)).toBe(true);
    expect(rules.ignores('foo', true)).toBe(false);
    expect(rules.ignores('foo/bar', false)).toBe(true);
    expect(rules.ignores('#hash', false)).toBe(true);
    expect(rules.ignores('notes.txt', false)).toBe(false);
  });

  it('match **-chains and star runs in linear time (a backtracking matcher takes hours here)', () => {
    const chain = `${Array.from({ length: 24 }, () => '**/a').join('/')}/b`;
    const stars = `${'*a'.repeat(40)}b`;
    const patterns = parseIgnorePatterns(`${chain}\n${stars}\n`);
    expect(patterns).toHaveLength(2);
    const root = tempDir('cpython-sbom-ignore-chain-');
    writeFileSync(join(root, '.gitignore'), `${chain}\n${stars}\n`);
    const rules = checkoutIgnoreRules(root, { useIndex: false });
    const deep = Array.from({ length: 60 }, () => 'a').join('/');
    expect(rules.ignores(`${deep}/c`, false)).toBe(false);
    expect(rules.ignores('a'.repeat(200), false)).toBe(false);
    expect(rules.ignores(`${deep}/b`, false)).toBe(true);
  }, 20_000);
});

describe('the git index reader', () => {
  it('reads the tracked paths of real indexes, versions 2, 3 and 4', () => {
    for (const version of ['2', '3', '4']) {
      const tree = copy(TINY);
      git(tree, 'init', '-q');
      git(tree, 'config', 'index.version', version);
      git(tree, 'add', '-A');
      if (version === '3') git(tree, 'update-index', '--skip-worktree', 'README.md');
      const reading = parseGitIndex(readFileSync(join(tree, '.git', 'index')));
      expect(reading.ok, JSON.stringify(reading)).toBe(true);
      if (!reading.ok) continue;
      const listed = git(tree, 'ls-files', '-z').split('\0').filter(Boolean).sort();
      expect([...reading.tracked.files].sort()).toEqual(listed);
      expect(reading.tracked.directories.has('Modules/expat')).toBe(true);
    }
  });

  it('refuses a damaged index instead of guessing', () => {
    const tree = copy(TINY, { git: true });
    const bytes = readFileSync(join(tree, '.git', 'index'));
    const damaged = Buffer.from(bytes);
    damaged[40] = (damaged[40] as number) ^ 0xff;
    expect(parseGitIndex(damaged)).toEqual({ ok: false, why: 'the index checksum does not match its content' });
    expect(parseGitIndex(Buffer.from('DIRC\0\0\0\x09\0\0\0\0'))).toMatchObject({ ok: false });
    expect(parseGitIndex(Buffer.alloc(3))).toMatchObject({ ok: false });
  });
});
