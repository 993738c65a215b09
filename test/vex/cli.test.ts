import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, runBinary } from '../support/cli.js';
import { sampleTreeWith, scratch, SYNTHETIC } from './support.js';

describe('cpython-sbom vex', () => {
  const tree = sampleTreeWith('rendered');

  it('prints the CycloneDX VEX on standard output, the summary and warnings on stderr, exit 0', async () => {
    const result = await run(['vex', tree, '--advisories', SYNTHETIC, '--no-progress']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.bomFormat).toBe('CycloneDX');
    expect(json.metadata.timestamp).toBe('2024-01-01T00:00:00Z');
    expect(json.vulnerabilities).toHaveLength(17);
    expect(result.stderr).toContain(
      `cpython-sbom: vex: 18 advisories read from ${SYNTHETIC} (6 files skipped); 17 concern CPython 3.13.0 or its components: 6 fixed, 11 under investigation\n`,
    );
    expect(result.stderr).toContain('cpython-sbom: warning: broken-syntax.json: not valid JSON');
    // One line per message.
    for (const line of result.stderr.trimEnd().split('\n')) expect(line.startsWith('cpython-sbom: ')).toBe(true);
  });

  it('writes OpenVEX to --output atomically, and says where', async () => {
    const out = join(scratch('cli'), 'cpython.openvex.json');
    writeFileSync(out, 'old content');
    const result = await run(['vex', tree, '--advisories', SYNTHETIC, '--format', 'openvex', '--output', out]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`wrote ${out}`);
    expect(JSON.parse(readFileSync(out, 'utf8'))['@context']).toBe('https://openvex.dev/ns/v0.2.0');
  });

  it('bad usage and bad input: one line naming the problem, exit 2, nothing written', async () => {
    const out = join(scratch('cli-bad'), 'vex.json');
    const missingFlag = await run(['vex', tree]);
    expect(missingFlag.code).toBe(2);
    expect(missingFlag.stderr).toContain("required option '--advisories <dir>' not specified");

    const missingDir = await run(['vex', tree, '--advisories', '/nonexistent/db', '-o', out]);
    expect(missingDir).toMatchObject({ code: 2, stderr: 'cpython-sbom: --advisories /nonexistent/db: no such file or directory\n' });
    expect(existsSync(out)).toBe(false);

    const empty = scratch('empty-db');
    const none = await run(['vex', tree, '--advisories', empty]);
    expect(none).toMatchObject({ code: 2, stderr: `cpython-sbom: --advisories ${empty}: no usable OSV advisory among 0 JSON files\n` });

    const unrelated = scratch('unrelated-db');
    writeFileSync(join(unrelated, 'django.json'), readFileSync(join(SYNTHETIC, 'SYNTH-NOT-CPYTHON.json')));
    const nothing = await run(['vex', tree, '--advisories', unrelated]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toBe(
      `cpython-sbom: --advisories ${unrelated}: none of its 1 advisories concerns CPython or a component of this tree (by purl); nothing to state\n`,
    );

    const notTree = await run(['vex', scratch('not-a-tree'), '--advisories', SYNTHETIC]);
    expect(notTree.code).toBe(2);
    expect(notTree.stderr).toMatch(/^cpython-sbom: .*not a CPython source tree \(no Include\/patchlevel.h\)\n$/);

    const windows = await run(['vex', 'python-3.13.5-amd64.exe', '--advisories', SYNTHETIC]);
    expect(windows.code).toBe(2);
    expect(windows.stderr).toContain('vex reads a source tree or release tarball');

    const badFormat = await run(['vex', tree, '--advisories', SYNTHETIC, '--format', 'csaf']);
    expect(badFormat.code).toBe(2);

    const badOut = await run(['vex', tree, '--advisories', SYNTHETIC, '-o', '/nonexistent/dir/vex.json']);
    expect(badOut).toMatchObject({ code: 2, stderr: 'cpython-sbom: --output /nonexistent/dir/vex.json: /nonexistent/dir: no such file or directory\n' });
  });

  it('the built binary: same exit codes, no stack trace', () => {
    const ok = runBinary(['vex', tree, '--advisories', SYNTHETIC, '--format', 'openvex']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).statements).toHaveLength(17);
    const bad = runBinary(['vex', tree, '--advisories', '/nonexistent/db']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).not.toContain('    at ');
  });
});
