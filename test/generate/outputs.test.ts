import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIO } from '../../src/commands/io.js';
import { main } from '../../src/cli.js';
import { FIXED_EPOCH, REPO, SAMPLE, run, runBinary, tempDir } from '../support/cli.js';

const dir = tempDir('cpython-sbom-outputs-');

describe('generate --output FORMAT=FILE', () => {
  it('writes each format to its own place, - being standard output', async () => {
    const result = await run([
      'generate',
      SAMPLE,
      '--output',
      `spdx-json=${join(dir, 'a.spdx.json')}`,
      '-o',
      'cyclonedx-xml=-',
      '-o',
      `cyclonedx-json=${join(dir, 'a.cdx.json')}`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^<\?xml[\s\S]*<bom xmlns="http:\/\/cyclonedx.org\/schema\/bom\/1.6"/);
    expect(JSON.parse(readFileSync(join(dir, 'a.spdx.json'), 'utf8')).spdxVersion).toBe('SPDX-2.3');
    expect(JSON.parse(readFileSync(join(dir, 'a.cdx.json'), 'utf8')).bomFormat).toBe('CycloneDX');
    expect(result.stderr).toBe(
      `wrote ${join(dir, 'a.spdx.json')}\nwrote ${join(dir, 'a.cdx.json')}\n` +
        `cpython-sbom: note: ${SAMPLE} is the small synthetic sample tree shipped with cpython-sbom, not a CPython release\n`,
    );
  });

  it.each([
    [['-o', 'spdx-json=x.json', '-o', 'y.json'], /name its format/],
    [['-o', 'x.json', '-o', 'y.json'], /--output FILE can be given once/],
    [['-o', 'spdx-json=x.json', '-o', 'spdx-json=y.json'], /spdx-json is given twice/],
    [['-o', 'spdx-json=-', '-o', 'cyclonedx-json=-'], /standard output is given for two formats/],
    [['-o', 'spdx-json=x.json', '--format', 'cyclonedx-json'], /does not match the formats of --output/],
    [['-o', 'spdx-json=x.json', '--out-dir', 'd'], /--output and --out-dir cannot be used together/],
  ])('refuses %j with one line, exit 2', async (flags, message) => {
    const result = await run(['generate', SAMPLE, ...flags], {}, dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(dir).filter((name) => name.startsWith('x.') || name.startsWith('y.'))).toEqual([]);
  });
});

describe('output places are checked before the scan', () => {
  it('an unwritable --output is reported before a broken source is even read', async () => {
    const broken = join(dir, 'Python-3.13.0.tgz');
    writeFileSync(broken, 'not a tarball');
    const result = await run(['generate', broken, '--output', join(dir, 'missing', 'out.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`cpython-sbom: cannot write ${join(dir, 'missing', 'out.json')}: ${join(dir, 'missing')}: no such directory\n`);
  });

  it('an --output that is a directory, an --out-dir below a file', async () => {
    const asDir = await run(['generate', SAMPLE, '--output', dir]);
    expect(asDir.stderr).toBe(`cpython-sbom: cannot write ${dir}: is a directory\n`);
    const file = join(dir, 'plain-file');
    writeFileSync(file, '');
    const below = await run(['generate', SAMPLE, '--out-dir', join(file, 'sub')]);
    expect(below.code).toBe(2);
    expect(below.stderr).toBe(`cpython-sbom: cannot write into ${join(file, 'sub')}: ${file} is not a directory\n`);
  });

  it.skipIf(!existsSync('/proc/self'))('--out-dir under /proc returns with an error instead of hanging', () => {
    // spawnSync's timeout would end a hang with status null.
    const result = runBinary(['generate', SAMPLE, '--out-dir', '/proc/cpython-sbom-x/y']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^cpython-sbom: cannot write into \/proc\/cpython-sbom-x\/y: cannot create files in \/proc: /);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--out-dir creates missing directories, one level at a time', async () => {
    const nested = join(dir, 'new', 'deeper');
    const result = await run(['generate', SAMPLE, '--out-dir', nested, '--format', 'spdx-json,cyclonedx-json']);
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(nested).sort()).toEqual(['sample-cpython.cdx.json', 'sample-cpython.spdx.json']);
    // The writability probe leaves nothing behind.
    expect(readdirSync(dir).filter((name) => name.includes('write-test'))).toEqual([]);
  });
});

describe('what generate says on stderr', () => {
  it('for the bundled sample, that it is the sample and not a release', async () => {
    const result = await run(['generate', SAMPLE, '--output', '-']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `cpython-sbom: note: ${join(REPO, 'fixtures', 'sample-cpython')} is the small synthetic sample tree shipped with cpython-sbom, not a CPython release\n`,
    );
    expect(JSON.parse(result.stdout).name).toBe('CPython SBOM');
  });

  it('on a terminal, one progress line per phase, cleared at the end; none otherwise or with --no-progress', async () => {
    const args = ['generate', SAMPLE, '--format', 'spdx-json,cyclonedx-json', '--out-dir', join(dir, 'tty')];
    const tty = bufferIO({ env: { ...process.env, SOURCE_DATE_EPOCH: FIXED_EPOCH }, stderrIsTTY: true });
    expect(await main(args, tty)).toBe(0);
    const phases = tty
      .err()
      .split('\r')
      .map((line) => line.replace(/\x1b\[K/g, '').replace(/ \d+%$/, ''))
      .filter((line) => line !== '' && !line.startsWith('wrote'));
    expect([...new Set(phases)]).toEqual([
      'scanning…',
      'detecting components…',
      'rendering spdx-json…',
      'validating spdx-json…',
      'rendering cyclonedx-json…',
      'validating cyclonedx-json…',
      'writing…',
    ]);
    expect(tty.err()).toMatch(/\r\x1b\[Kwrote /);
    const quiet = bufferIO({ env: { ...process.env, SOURCE_DATE_EPOCH: FIXED_EPOCH }, stderrIsTTY: true });
    expect(await main([...args, '--no-progress'], quiet)).toBe(0);
    expect(quiet.err()).not.toContain('\r');
    const piped = await run(args);
    expect(piped.stderr).not.toContain('\r');
  });
});
