import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram, main } from '../../src/cli.js';
import { bufferIO } from '../../src/commands/io.js';
import { FIXED_EPOCH, REPO, SAMPLE, run, runBinary, tempDir } from '../support/cli.js';

/**
 * What every command shares: exit codes and examples in `--help`, `--quiet` and `--no-progress`;
 * and no silent surprises in `generate` (no SOURCE, a mistyped FORMAT=FILE, the sample tree).
 */
const program = buildProgram(bufferIO(), () => undefined);
const COMMANDS = program.commands.map((command) => command.name());

describe('--help of every command', () => {
  it('covers the commands the contract names, and completion', () => {
    expect(COMMANDS).toEqual(expect.arrayContaining(['generate', 'regen', 'validate', 'diff', 'verify', 'completion']));
  });

  it.each(COMMANDS)('%s --help shows exit codes 0, 1 and 2 and examples of itself', async (name) => {
    const { code, stdout } = await run([name, '--help']);
    expect(code).toBe(0);
    const exit = stdout.slice(stdout.indexOf('\nExit codes:\n'));
    expect(exit).toMatch(/^\nExit codes:\n {2}0 {2}\S.*\n {2}1 {2}\S.*\n {2}2 {2}\S/);
    const examples = stdout
      .slice(stdout.indexOf('\nExamples:\n') + '\nExamples:\n'.length)
      .split('\n')
      .filter(Boolean);
    expect(examples.length).toBeGreaterThan(0);
    for (const example of examples) expect(example).toMatch(new RegExp(`^ {2}(cpython-sbom ${name} |source <\\(cpython-sbom ${name} )`));
  });

  it.each(COMMANDS)('%s takes --quiet and --no-progress', (name) => {
    const command = program.commands.find((item) => item.name() === name);
    const flags = command?.options.map((option) => option.long);
    expect(flags).toContain('--quiet');
    expect(flags).toContain('--no-progress');
  });

  it('the program help says the exit codes too', async () => {
    const { stdout } = await run(['--help']);
    expect(stdout).toContain('Exit codes (every command): 0 success; 1 a finding');
  });

  it("validate's help says SPDX 2.2 as well as 2.3", async () => {
    const { stdout } = await run(['validate', '--help']);
    expect(stdout).toContain('SPDX 2.2 and 2.3');
    expect(stdout).not.toMatch(/SPDX 2\.3 JSON and CycloneDX/);
  });
});

describe('generate: no silent surprises', () => {
  it('without SOURCE is a usage error, exit 2, nothing on stdout', () => {
    const result = runBinary(['generate', '--output', '-']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/missing required argument 'SOURCE'/);
  });

  it('an unknown format in -o FORMAT=FILE is a usage error and writes nothing; ./NAME=… still names such a file', async () => {
    const dir = tempDir('outputs-');
    const mistyped = await run(['generate', SAMPLE, '-o', 'spdx=foo.json'], {}, dir);
    expect(mistyped.code).toBe(2);
    expect(mistyped.stderr).toContain("--output spdx=foo.json: unknown format 'spdx' (choose from spdx-json, spdx3-json, cyclonedx-json, cyclonedx-xml)");
    expect(mistyped.stderr.trim().split('\n')).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
    const twice = await run(['generate', SAMPLE, '-o', 'spdx-json=a.json', '-o', 'cdx-json=b.json'], {}, dir);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("unknown format 'cdx-json'");
    expect(readdirSync(dir)).toEqual([]);
    const literal = await run(['generate', SAMPLE, '-o', './spdx=foo.json'], {}, dir);
    expect(literal.code, literal.stderr).toBe(0);
    expect(readdirSync(dir)).toEqual(['spdx=foo.json']);
  });

  it('the bundled sample is never described without a note, even under --quiet; a copy of it is a tree like any other', async () => {
    const note = `cpython-sbom: note: ${SAMPLE} is the small synthetic sample tree shipped with cpython-sbom, not a CPython release\n`;
    const plain = await run(['generate', SAMPLE, '--output', '-']);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toBe(note);
    const quiet = await run(['generate', SAMPLE, '--output', '-', '--quiet']);
    expect(quiet.stderr).toBe(note);
    const copy = join(tempDir('sample-copy-'), 'tree');
    cpSync(SAMPLE, copy, { recursive: true });
    expect((await run(['generate', copy, '--output', '-'])).stderr).toBe('');
  });
});

/** A copy of the sample whose expat.h says 2.6.4 while its manifest still says 2.6.3: a drift warning. */
function driftingTree(): string {
  const tree = join(tempDir('drift-'), 'tree');
  cpSync(SAMPLE, tree, { recursive: true });
  const header = join(tree, 'Modules/expat/expat.h');
  writeFileSync(header, readFileSync(header, 'utf8').replace('#define XML_MICRO_VERSION 3', '#define XML_MICRO_VERSION 4'));
  const manifestPath = join(tree, 'Misc/sbom.spdx.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    files: { fileName: string; checksums: { algorithm: string; checksumValue: string }[] }[];
  };
  const bytes = readFileSync(header);
  const entry = manifest.files.find((file) => file.fileName === 'Modules/expat/expat.h');
  if (entry)
    entry.checksums = ['SHA1', 'SHA256'].map((algorithm) => ({ algorithm, checksumValue: createHash(algorithm.toLowerCase()).update(bytes).digest('hex') }));
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return tree;
}

describe('--quiet: warnings and notes off, errors and findings kept', () => {
  it('generate: the warning and the "wrote" line go, the output stays', async () => {
    const tree = driftingTree();
    const out = join(tempDir('quiet-'), 'x.spdx.json');
    const loud = await run(['generate', tree, '--output', out]);
    expect(loud.code).toBe(0);
    expect(loud.stderr).toContain('warning: expat: the vendored sources say 2.6.4');
    expect(loud.stderr).toContain(`wrote ${out}`);
    const quiet = await run(['generate', tree, '--output', out, '-q']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(existsSync(out)).toBe(true);
    // A finding is still said: --strict makes the drift one.
    const strict = await run(['generate', tree, '--output', out, '--strict', '--quiet']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/finding/);
  });

  it('validate: the text report leaves warnings out; errors stay; JSON keeps everything', async () => {
    const pythonOrg = join(REPO, 'fixtures', 'diff', 'python.org', 'Python-3.13.15.tar.xz.spdx.json.gz');
    const loud = await run(['validate', pythonOrg]);
    expect(loud.stdout).toContain('  warning ');
    const quiet = await run(['validate', pythonOrg, '--quiet']);
    expect(quiet.code).toBe(loud.code);
    expect(quiet.stdout).not.toContain('  warning ');
    expect(quiet.stdout.split('\n')[0]).toBe(loud.stdout.split('\n')[0]);
    const json = JSON.parse((await run(['validate', pythonOrg, '--quiet', '--format', 'json'])).stdout) as { warnings: unknown[] }[];
    expect(json[0]?.warnings.length).toBeGreaterThan(0);
    const dir = tempDir('quiet-');
    writeFileSync(join(dir, 'bad.json'), '{"spdxVersion": "SPDX-2.3"}');
    const invalid = await run(['validate', join(dir, 'bad.json'), '--quiet']);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toContain('  error ');
    expect((await run(['validate', join(dir, 'missing.json'), '-q'])).stderr).toMatch(/missing\.json/);
  });

  it('verify --no-progress (an unknown option before) and --quiet: no progress line on a terminal', async () => {
    const dir = tempDir('verify-');
    const sbom = join(dir, 'sample.spdx.json');
    expect((await run(['generate', SAMPLE, '--output', sbom])).code).toBe(0);
    for (const flag of [[], ['--no-progress'], ['--quiet']]) {
      const io = bufferIO({ env: { ...process.env, SOURCE_DATE_EPOCH: FIXED_EPOCH }, stderrIsTTY: true });
      expect(await main(['verify', sbom, SAMPLE, ...flag], io), flag.join(' ')).toBe(0);
      if (flag.length === 0) expect(io.err()).toContain('verifying');
      else expect(io.err()).toBe('');
    }
  });
});

describe('completion', () => {
  const script = (shell: string) => {
    const result = runBinary(['completion', shell]);
    expect(result.code).toBe(0);
    return result.stdout;
  };

  it('an unknown shell is a usage error', () => {
    const result = runBinary(['completion', 'fish']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  it('bash: sourcing it registers the function; commands, flags and choices come from the command tree', () => {
    const dir = tempDir('completion-');
    const file = join(dir, 'cpython-sbom.bash');
    writeFileSync(file, script('bash'));
    const complete = (...words: string[]) => {
      const shell = [
        `source ${JSON.stringify(file)}`,
        `COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')})`,
        `COMP_CWORD=${words.length - 1}`,
        '_cpython_sbom',
        'printf "%s\\n" "${COMPREPLY[@]}"',
      ].join('\n');
      const result = spawnSync('bash', ['--norc', '--noprofile', '-c', shell], { encoding: 'utf8', cwd: dir });
      expect(result.stderr).toBe('');
      return result.stdout.split('\n').filter(Boolean);
    };
    const registered = spawnSync('bash', ['--norc', '--noprofile', '-c', `source ${JSON.stringify(file)}; complete -p cpython-sbom`], { encoding: 'utf8' });
    expect(registered.stdout.trim()).toMatch(/^complete .*-F _cpython_sbom cpython-sbom$/);

    expect(complete('cpython-sbom', '')).toEqual(expect.arrayContaining(COMMANDS));
    expect(complete('cpython-sbom', 'v')).toEqual(['validate', 'verify', 'vex']);
    for (const command of program.commands) {
      const flags = complete('cpython-sbom', command.name(), '-');
      const expected = command.options.filter((option) => !option.hidden).flatMap((option) => [option.short, option.long].filter(Boolean));
      expect(flags.sort(), command.name()).toEqual([...expected, '-h', '--help'].sort());
    }
    expect(complete('cpython-sbom', 'generate', '--profile', '')).toEqual(['complete', 'python.org']);
    expect(complete('cpython-sbom', 'generate', '-f', 'spdx-json,cyclonedx-')).toEqual(['spdx-json,cyclonedx-json', 'spdx-json,cyclonedx-xml']);
    expect(complete('cpython-sbom', 'diff', 'a', 'b', '--fail-on', 'changed-in')).toEqual(['changed-in-place']);
    expect(complete('cpython-sbom', 'completion', '')).toEqual(['bash', 'zsh']);
    writeFileSync(join(dir, 'Python-3.13.15.tar.xz'), '');
    expect(complete('cpython-sbom', 'generate', 'Python-')).toEqual(['Python-3.13.15.tar.xz']);
  });

  const zsh = spawnSync('zsh', ['--version']).status === 0;
  if (!zsh && process.env.CI !== 'true') process.stderr.write('\n*** SKIPPING the zsh completion test: zsh is not installed (apt-get install zsh). ***\n\n');
  it.skipIf(!zsh && process.env.CI !== 'true')('zsh: the script parses, and loading it registers the function with compdef', () => {
    const dir = tempDir('completion-');
    const file = join(dir, '_cpython-sbom');
    const text = script('zsh');
    writeFileSync(file, text);
    expect(text.split('\n')[0]).toBe('#compdef cpython-sbom');
    expect(spawnSync('zsh', ['-n', file], { encoding: 'utf8' }).status).toBe(0);
    const loaded = spawnSync(
      'zsh',
      ['-f', '-c', `autoload -Uz compinit && compinit -u -D; source ${JSON.stringify(file)}; print -r -- \${_comps[cpython-sbom]}`],
      { encoding: 'utf8' },
    );
    expect(loaded.stdout.trim()).toBe('_cpython_sbom');
    for (const name of COMMANDS) expect(text).toContain(`        ${name})`);
    expect(text).toContain("'--fail-on[");
    expect(text).toContain(':fail-on:_sequence compadd - any added removed');
  });
});
