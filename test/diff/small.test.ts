import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/commands/io.js';
import { runDiff } from '../../src/commands/diff.js';
import type { SbomDiff } from '../../src/diff/types.js';
import { REPO, run, runBinary, tempDir } from '../support/cli.js';

const SMALL = join(REPO, 'fixtures', 'diff', 'small');
const OLD = join(SMALL, 'old.spdx.json');
const NEW = join(SMALL, 'new.spdx.json');

async function json(...extra: string[]): Promise<{ code: number; diff: SbomDiff }> {
  const result = await run(['diff', OLD, NEW, '--format', 'json', ...extra]);
  expect(result.stderr).toBe('');
  return { code: result.code, diff: JSON.parse(result.stdout) as SbomDiff };
}

const changed = (diff: SbomDiff, name: string) => {
  const matches = diff.packages.changed.filter((change) => change.name === name);
  expect(matches, name).toHaveLength(1);
  return matches[0] as SbomDiff['packages']['changed'][number];
};

describe('diff: every kind of change on a small hand-written pair', () => {
  it('prints the contract JSON shape with the documents named', async () => {
    const { code, diff } = await json();
    expect(code).toBe(1);
    // The contract's keys first, then the security review's additions.
    expect(Object.keys(diff)).toEqual(['old', 'new', 'packages', 'files', 'snippets', 'fileLicenses', 'vulnerabilities']);
    expect(diff.old).toEqual({ file: OLD, format: 'spdx-2.3', name: 'old' });
    expect(diff.new).toEqual({ file: NEW, format: 'spdx-2.3', name: 'new' });
    expect(Object.keys(diff.packages)).toEqual(['added', 'removed', 'changed']);
    expect(Object.keys(diff.files)).toEqual(['added', 'removed', 'changed']);
  });

  it('lists added and removed packages with their versions', async () => {
    const { diff } = await json();
    expect(diff.packages.added).toEqual([{ name: 'zstd', version: '1.5.7' }]);
    expect(diff.packages.removed).toEqual([{ name: 'dependency-groups', version: '1.3.1' }]);
  });

  it('names exactly the changed packages, each with the fields that differ', async () => {
    const { diff } = await json();
    const summary = Object.fromEntries(diff.packages.changed.map((change) => [change.name, change.fields]));
    expect(summary).toEqual({
      CPython: ['version', 'checksums', 'cpe', 'downloadLocation', 'files'],
      expat: ['version', 'checksums', 'cpe', 'downloadLocation', 'files'],
      'hacl-star': ['version', 'checksums'],
      libb2: ['version', 'checksums'],
      libffi: ['licenses', 'cpe'],
      macholib: ['purl', 'supplier'],
      mpdecimal: ['checksums'],
      packaging: ['version', 'purl'],
      pip: ['version', 'licenses', 'checksums', 'purl'],
      setuptools: ['version', 'purl'],
    });
  });

  it('says upgrade or downgrade: dotted, PEP 440 (post-releases), and plain change for commit ids', async () => {
    const { diff } = await json();
    const kinds = Object.fromEntries(diff.packages.changed.map((change) => [change.name, change.versionChange ?? null]));
    expect(kinds).toEqual({
      CPython: 'upgrade', // 3.13.0rc1 -> 3.13.0
      expat: 'upgrade',
      'hacl-star': 'changed', // commit ids have no order
      libb2: 'downgrade', // 0.98.1 -> 0.98.0
      libffi: null,
      macholib: null,
      mpdecimal: null,
      packaging: 'upgrade', // 24.0 -> 24.0.post1 only orders right under PEP 440
      pip: 'upgrade',
      setuptools: 'upgrade',
    });
  });

  it('flags a checksum change without a version change as suspicious, and nothing else', async () => {
    const { diff } = await json();
    expect(diff.packages.changed.filter((change) => change.suspicious).map((change) => change.name)).toEqual(['mpdecimal']);
    expect(changed(diff, 'mpdecimal').old.version).toBe(changed(diff, 'mpdecimal').new.version);
  });

  it('carries version plus the other compared fields in old/new', async () => {
    const { diff } = await json();
    const pip = changed(diff, 'pip');
    expect(pip.old).toEqual({
      version: '24.0',
      licenses: { declared: 'MIT' },
      checksums: { SHA256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      purl: 'pkg:pypi/pip@24.0',
      supplier: 'Organization: Python Software Foundation',
    });
    expect(pip.new.licenses).toEqual({ declared: 'MIT AND BSD-3-Clause' });
    expect(changed(diff, 'libffi').old.licenses).toEqual({ concluded: 'MIT' });
    expect(changed(diff, 'libffi').new.licenses).toEqual({ concluded: 'MIT OR Apache-2.0' });
    const expat = changed(diff, 'expat');
    expect(expat.old.files).toBe(2);
    expect(expat.new.files).toBe(2);
    // xmltok_impl.h joined, refresh.sh moved to CPython, xmlparse.c changed.
    expect(expat.fileChanges).toEqual({ added: 1, removed: 1, changed: 1 });
    expect(changed(diff, 'CPython').fileChanges).toEqual({ added: 2, removed: 1, changed: 2 });
  });

  it('tells repeated names apart by the depending package (pip-vendored setuptools vs the bundled one)', async () => {
    const { diff } = await json();
    const setuptools = changed(diff, 'setuptools');
    expect(setuptools.parent).toBe('pip');
    expect([setuptools.old.version, setuptools.new.version]).toEqual(['44.0.0', '44.1.0']);
    // The top-level setuptools 65.5.0 is in both and unchanged: neither added nor removed.
    expect([...diff.packages.added, ...diff.packages.removed].map((item) => item.name)).not.toContain('setuptools');
  });

  it('matches names as PyPI normalizes them and treats NOASSERTION like an absent value', async () => {
    const { diff } = await json();
    const names = [...diff.packages.added, ...diff.packages.removed, ...diff.packages.changed].map((item) => item.name);
    expect(names).not.toContain('typing_extensions'); // typing_extensions == typing-extensions
    expect(names).not.toContain('typing-extensions');
    expect(names).not.toContain('distro'); // licenseConcluded NOASSERTION vs absent
  });

  it('lists files added, removed and changed by content (SHA-256, or SHA-1 when that is all there is)', async () => {
    const { diff } = await json();
    expect(diff.files).toEqual({
      added: ['Lib/new.py', 'Modules/expat/xmltok_impl.h'],
      removed: ['Lib/gone.py'],
      changed: ['Lib/b.py', 'Misc/sha1only.txt', 'Modules/expat/xmlparse.c'],
    });
  });

  it('--only packages / --only files restrict what is compared and reported', async () => {
    const packagesOnly = (await json('--only', 'packages')).diff;
    expect(packagesOnly.files).toEqual({ added: [], removed: [], changed: [] });
    expect(packagesOnly.packages.changed).toHaveLength(10);
    const filesOnly = (await json('--only', 'files')).diff;
    expect(filesOnly.packages).toEqual({ added: [], removed: [], changed: [] });
    expect(filesOnly.files.changed).toHaveLength(3);
  });
});

describe('diff: exit codes and --fail-on', () => {
  it('exits 0 for a document against itself, 1 when they differ', async () => {
    expect((await run(['diff', OLD, OLD])).code).toBe(0);
    expect((await run(['diff', OLD, NEW])).code).toBe(1);
  });

  it('exits 1 only for the chosen kinds of change', async () => {
    const code = async (kinds: string, ...extra: string[]) => (await run(['diff', OLD, NEW, '--fail-on', kinds, ...extra])).code;
    expect(await code('downgrade')).toBe(1); // libb2
    expect(await code('suspicious')).toBe(1); // mpdecimal
    expect(await code('files-removed')).toBe(1);
    expect(await code('any')).toBe(1);
    // Reverse the pair: the downgrade becomes an upgrade, the added package a removed one.
    const reversed = async (kinds: string) => (await run(['diff', NEW, OLD, '--fail-on', kinds])).code;
    expect(await reversed('downgrade')).toBe(1); // everything else now goes down
    expect(await reversed('added')).toBe(1);
    // Kinds that do not occur do not fail; with --only files, package kinds cannot occur.
    expect(await code('supplier', '--only', 'files')).toBe(0);
    expect(await code('downgrade,suspicious', '--only', 'files')).toBe(0);
    expect(await code('files', '--only', 'packages')).toBe(1); // package file lists still compared
  });

  it('passes when the only kinds that changed are not chosen', async () => {
    const dir = tempDir('diff-kinds-');
    const old = JSON.parse(readFileSync(OLD, 'utf8')) as { packages: { name: string; versionInfo: string }[] };
    const upgraded = structuredClone(old);
    for (const pkg of upgraded.packages) if (pkg.name === 'libb2') pkg.versionInfo = '0.98.2';
    writeFileSync(join(dir, 'upgraded.spdx.json'), JSON.stringify(upgraded));
    const args = ['diff', OLD, join(dir, 'upgraded.spdx.json')];
    expect((await run([...args, '--fail-on', 'downgrade,removed,files'])).code).toBe(0);
    expect((await run([...args, '--fail-on', 'upgrade'])).code).toBe(1);
    expect((await run([...args, '--fail-on', 'version'])).code).toBe(1);
    expect((await run(args)).code).toBe(1);
  });

  it('exits 2 with one line naming the problem for unknown kinds, missing files and non-SBOMs', async () => {
    const dir = tempDir('diff-bad-');
    const unknownKind = await run(['diff', OLD, NEW, '--fail-on', 'upgrades']);
    expect(unknownKind.code).toBe(2);
    expect(unknownKind.stderr).toMatch(/^cpython-sbom: --fail-on: unknown kind upgrades \(choose from any, added/);
    const missing = await run(['diff', OLD, join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`cpython-sbom: ${join(dir, 'nope.json')}: no such file or directory\n`);
    writeFileSync(join(dir, 'broken.json'), '{"spdxVersion": "SPDX-2.3", ');
    const broken = runBinary(['diff', join(dir, 'broken.json'), NEW]);
    expect(broken.code).toBe(2);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
    expect(broken.stderr).toContain('broken.json');
    expect(broken.stdout).toBe('');
    writeFileSync(join(dir, 'other.json'), '{"hello": 1}');
    const other = await run(['diff', OLD, join(dir, 'other.json')]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/other\.json: neither an SPDX nor a CycloneDX document/);
    expect((await run(['diff', OLD, NEW, '--format', 'yaml'])).code).toBe(2);
  });

  it('reads gzip-compressed documents', async () => {
    const dir = tempDir('diff-gz-');
    writeFileSync(join(dir, 'old.spdx.json.gz'), gzipSync(readFileSync(OLD)));
    const result = await run(['diff', join(dir, 'old.spdx.json.gz'), OLD]);
    expect(result.code).toBe(0);
  });
});

describe('diff: text output', () => {
  it('shows versions with their direction, field details, suspicious checksums and files by package', async () => {
    const { code, stdout } = await run(['diff', OLD, NEW]);
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`OLD  ${OLD}  (spdx-2.3, old)`);
    expect(stdout).toContain('Packages: 1 added, 1 removed, 10 changed, 3 unchanged');
    expect(lines).toContain('  + zstd                  1.5.7');
    expect(lines).toContain('  - dependency-groups     1.3.1');
    expect(lines).toContain('  ~ expat                 2.6.3 → 2.6.4  upgrade');
    expect(lines).toContain('  ~ libb2                 0.98.1 → 0.98.0  downgrade');
    expect(lines).toContain('  ~ setuptools (via pip)  44.0.0 → 44.1.0  upgrade');
    expect(lines).toContain('      suspicious: artifact checksum changed but the version did not');
    expect(lines).toContain('      licenses: concluded MIT → concluded MIT OR Apache-2.0');
    expect(lines).toContain('      supplier: Organization: Python Software Foundation → Organization: Ronald Oussoren');
    expect(lines).toContain('      files: 1 added, 1 removed, 1 changed');
    // The purl/CPE that merely follow the version are not repeated.
    expect(stdout).not.toContain('purl: pkg:pypi/pip@24.0');
    expect(stdout).toContain('Files: 2 added, 1 removed, 3 changed, 3 unchanged');
    expect(lines).toContain('  CPython  1 added, 1 removed, 2 changed');
    expect(lines).toContain('  expat    1 added, 1 changed');
    const expatSection = lines.slice(lines.indexOf('expat'));
    expect(expatSection.slice(0, 3)).toEqual(['expat', '  + Modules/expat/xmltok_impl.h', '  ~ Modules/expat/xmlparse.c']);
    expect(stdout).not.toContain('\u001b[');
  });

  it('uses colour only on a terminal, and never when NO_COLOR is set', async () => {
    const tty = bufferIO({ stdoutIsTTY: true, env: {} });
    await runDiff(OLD, NEW, { format: 'text' }, tty);
    expect(tty.out()).toContain('\u001b[32m  + zstd');
    expect(tty.out()).toContain('\u001b[31m  - dependency-groups');
    const noColour = bufferIO({ stdoutIsTTY: true, env: { NO_COLOR: '1' } });
    await runDiff(OLD, NEW, { format: 'text' }, noColour);
    expect(noColour.out()).not.toContain('\u001b[');
    expect(noColour.out().replace(/\u001b\[[0-9;]*m/g, '')).toBe(tty.out().replace(/\u001b\[[0-9;]*m/g, ''));
  });

  it('--only packages leaves the files section out, --only files the packages', async () => {
    const packages = (await run(['diff', OLD, NEW, '--only', 'packages'])).stdout;
    expect(packages).toContain('Packages:');
    expect(packages).not.toContain('Files:');
    const files = (await run(['diff', OLD, NEW, '--only', 'files'])).stdout;
    expect(files).not.toContain('Packages:');
    expect(files).toContain('Files: 2 added');
  });
});

describe('diff: markdown output', () => {
  it('has a package table, a file-count table, and file lists folded in <details>', async () => {
    const { code, stdout } = await run(['diff', OLD, NEW, '--format', 'markdown']);
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('### SBOM changes: `old.spdx.json` → `new.spdx.json`');
    expect(lines).toContain('| Package | Old | New | Change |');
    // The download URL only follows the version (R_2_6_3/expat-2.6.3 -> R_2_6_4/expat-2.6.4): not repeated.
    expect(lines).toContain(
      '| expat | 2.6.3 | 2.6.4 | upgrade<br>checksums: `SHA256 310d91b1329e…` → `SHA256 27b402f34c37…`<br>files: 1 added, 1 removed, 1 changed |',
    );
    expect(lines).toContain('| zstd | | 1.5.7 | added |');
    expect(lines).toContain('| dependency-groups | 1.3.1 | | removed |');
    expect(lines).toContain('| libb2 | 0.98.1 | 0.98.0 | downgrade<br>checksums: `SHA256 a6f9eb5a01c0…` → `SHA256 f06109f6db87…` |');
    expect(lines).toContain(
      '| mpdecimal | 2.5.1 | 2.5.1 | **suspicious: checksum changed, version did not**<br>checksums: `SHA256 fbf7f7813e72…` → `SHA256 9d2ff5408518…` |',
    );
    expect(lines).toContain('| setuptools (via pip) | 44.0.0 | 44.1.0 | upgrade |');
    expect(lines).toContain('| CPython | 1 | 1 | 2 |');
    expect(lines).toContain('| expat | 1 | 0 | 1 |');
    expect(lines).toContain('<summary>CPython: 1 added, 1 removed, 2 changed</summary>');
    expect(lines).toContain('- removed `Lib/gone.py`');
    expect(stdout.match(/<details>/g)).toHaveLength(2);
    expect(stdout.match(/<\/details>/g)).toHaveLength(2);
    // Table rows are sorted by name, whatever their kind.
    const names = lines.filter((line) => /^\| [^P-]/.test(line) && line.split('|').length === 6).map((line) => line.split('|')[1]?.trim());
    expect(names.slice(0, 3)).toEqual(['CPython', 'dependency-groups', 'expat']);
  });

  it('caps long file lists and escapes table cells', async () => {
    const dir = tempDir('diff-md-');
    const doc = JSON.parse(readFileSync(OLD, 'utf8')) as Record<string, any>;
    const bigger = structuredClone(doc);
    for (let i = 0; i < 150; i++) {
      bigger.files.push({ SPDXID: `SPDXRef-FILE-x${i}`, fileName: `Lib/x${i}.py`, checksums: [{ algorithm: 'SHA256', checksumValue: '0'.repeat(64) }] });
    }
    bigger.packages.find((pkg: { name: string }) => pkg.name === 'libffi').licenseConcluded = 'MIT | weird';
    writeFileSync(join(dir, 'bigger.spdx.json'), JSON.stringify(bigger));
    const { stdout } = await run(['diff', OLD, join(dir, 'bigger.spdx.json'), '--format', 'markdown']);
    expect(stdout).toContain('- … and 50 more (see `--format json`)');
    expect(stdout.match(/^- added `Lib\/x/gm)).toHaveLength(100);
    expect(stdout).toContain('| (no package) | 150 | 0 | 0 |');
    expect(stdout).toContain('licenses: `concluded MIT` → `concluded MIT \\| weird`');
  });

  it('says so plainly when nothing changed', async () => {
    const { code, stdout } = await run(['diff', OLD, OLD, '--format', 'markdown']);
    expect(code).toBe(0);
    expect(stdout).toContain('**Packages:** 0 added, 0 removed, 0 changed, 14 unchanged');
    expect(stdout).toContain('**Files:** 0 added, 0 removed, 0 changed, 7 unchanged');
    expect(stdout).not.toContain('<details>');
  });
});

describe('diff: --help documents every --fail-on kind', () => {
  it('lists each kind the code accepts, in the option and with its meaning below', async () => {
    const { FAIL_ON_KINDS } = await import('../../src/diff/fail-on.js');
    const raw = (await run(['diff', '--help'])).stdout;
    const help = raw.replace(/\s+/g, ' ');
    const documented = /--fail-on <kinds> (.*?) -h, --help/.exec(help)?.[1] ?? '';
    for (const [kind, meaning] of Object.entries(FAIL_ON_KINDS)) {
      expect(documented, kind).toMatch(new RegExp(`(^|[ (,])${kind}([ ),]|$)`));
      expect(
        raw.split('\n').some((line) => line.trim().startsWith(`${kind} `) && line.includes(meaning)),
        kind,
      ).toBe(true);
    }
  });
});
