import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/cli.js';

/**
 * The package as users get it: what `npm pack` puts in the tarball, and a project that installs
 * that tarball and uses the library from JavaScript and from strict TypeScript. Scripts are
 * ignored when packing: `npm test` has built dist/ already, and `prepack` would rebuild it under
 * the feet of the other test files.
 */

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {
  version: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

function npm(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(NPM, args, {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
    // No registry traffic: everything comes from the npm cache `npm ci` filled.
    env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('npm pack', () => {
  it('holds built code with declarations, schemas, catalog, sample tree, examples, LICENSE, CHANGELOG; no sources, tests or maps', () => {
    const packed = npm(['pack', '--dry-run', '--json', '--ignore-scripts'], REPO);
    expect(packed.status, packed.stderr).toBe(0);
    const [entry] = JSON.parse(packed.stdout) as { files: { path: string }[] }[];
    const files = (entry?.files ?? []).map((file) => file.path);
    for (const required of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli.js',
      'dist/api/generate.d.ts',
      'dist/catalog/components.json',
      'dist/validate/compiled/fingerprints.json',
      'dist/validate/compiled/spdx-2.3.cjs',
      'schemas/spdx-2.3.schema.json',
      'catalog/components.yaml',
      'fixtures/sample-cpython/Include/patchlevel.h',
      'fixtures/sample-cpython/Misc/sbom.spdx.json',
      'examples/debian-python3.13.yaml',
    ]) {
      expect(files, required).toContain(required);
    }
    // Every module has its declarations.
    for (const js of files.filter((file) => file.startsWith('dist/') && file.endsWith('.js'))) {
      expect(files, `${js} without declarations`).toContain(js.replace(/\.js$/, '.d.ts'));
    }
    const unwanted = files.filter(
      (file) =>
        file.endsWith('.map') ||
        /^(src|test|bench|scripts|\.ci|node_modules)\//.test(file) ||
        (file.startsWith('fixtures/') && !file.startsWith('fixtures/sample-cpython/')) ||
        file.endsWith('.ts') && !file.endsWith('.d.ts'),
    );
    expect(unwanted).toEqual([]);
  });

  it('installs with no lifecycle script that builds (no prepare, install or postinstall)', () => {
    for (const script of ['prepare', 'preinstall', 'install', 'postinstall']) expect(pkg.scripts[script], script).toBeUndefined();
  });
});

describe('the packed package in a project of its own', () => {
  let work: string;
  let project: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'cpython-sbom-package-'));
    const packed = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], REPO);
    expect(packed.status, packed.stderr).toBe(0);
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz')) as string;
    project = join(work, 'consumer');
    mkdirSync(project);
    writeConsumerProject(project, join(work, tarball));
    const installed = npm(['ci', '--offline', '--no-audit', '--no-fund'], project);
    expect(installed.status, installed.stderr).toBe(0);
    // No warning from npm (a prepare script, deprecated fields, peer trouble, …).
    expect(installed.stderr).not.toMatch(/warn/i);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('imports from an ESM script', () => {
    writeFileSync(
      join(project, 'consumer.mjs'),
      [
        "import { generate, validate, diff, verify, regen, InputError, SAMPLE_TREE, VERSION } from 'cpython-sbom';",
        "const result = await generate(SAMPLE_TREE, { format: 'spdx-json,cyclonedx-json', created: '2024-01-01T00:00:00Z' });",
        "const checked = await validate({ text: result.documents['cyclonedx-json'], name: 'sample.cdx.json' });",
        'let inputError = false;',
        "try { await validate('/nonexistent/x.json'); } catch (error) { inputError = error instanceof InputError; }",
        'console.log(JSON.stringify({ version: VERSION, ok: result.ok, valid: checked.valid, format: checked.format, inputError,',
        '  functions: [diff, verify, regen].map((f) => typeof f) }));',
      ].join('\n'),
    );
    const run = spawnSync(process.execPath, ['consumer.mjs'], { cwd: project, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      version: pkg.version,
      ok: true,
      valid: true,
      format: 'cyclonedx-1.6-json',
      inputError: true,
      functions: ['function', 'function', 'function'],
    });
  });

  it('compiles a TypeScript file with tsc --strict, module nodenext, and no Node type definitions', () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      [
        "import { generate, validate, InputError, SAMPLE_TREE, type GenerateOptions, type GenerateResult, type OutputFormat, type ValidateResult } from 'cpython-sbom';",
        "const options: GenerateOptions = { format: ['cyclonedx-xml'], cyclonedxVersion: '1.7', created: '2024-01-01T00:00:00Z' };",
        'const result: GenerateResult = await generate(SAMPLE_TREE, options);',
        "const format: OutputFormat = 'cyclonedx-xml';",
        'const text: string | undefined = result.documents[format];',
        "if (text === undefined) throw new Error('no document');",
        "const checked: ValidateResult = await validate({ text, name: 'sample.cdx.xml' });",
        'let caught = false;',
        "try { await generate(SAMPLE_TREE, { format: 'nonsense' }); } catch (error) { caught = error instanceof InputError && error.exitCode === 2; }",
        'console.log(JSON.stringify({ valid: checked.valid, format: checked.format, caught, packages: result.model.packages.length > 0 }));',
      ].join('\n'),
    );
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, types: [], outDir: 'out' },
        files: ['consumer.ts'],
      }),
    );
    const compiled = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
    const run = spawnSync(process.execPath, ['out/consumer.js'], { cwd: project, encoding: 'utf8' });
    expect(JSON.parse(run.stdout)).toEqual({ valid: true, format: 'cyclonedx-1.7-xml', caught: true, packages: true });
  });

  it('runs the installed binary', () => {
    const bin = join(project, 'node_modules', '.bin', 'cpython-sbom');
    const sample = join(project, 'node_modules', 'cpython-sbom', 'fixtures', 'sample-cpython');
    const run = spawnSync(bin, ['generate', sample, '--output', '-'], { cwd: project, encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '1704067200' } });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/note: .*node_modules\/cpython-sbom\/fixtures\/sample-cpython is the small synthetic sample tree shipped with cpython-sbom, not a CPython release/);
    expect(JSON.parse(run.stdout).spdxVersion).toBe('SPDX-2.3');
  });
});

/**
 * A project depending on the tarball, with a lockfile made from ours: `npm ci --offline` then
 * takes every dependency from the npm cache by its integrity, without asking the registry.
 */
function writeConsumerProject(dir: string, tarball: string): void {
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean; [key: string]: unknown }>;
  };
  const spec = `file:${tarball}`;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', dependencies: { 'cpython-sbom': spec } },
    'node_modules/cpython-sbom': {
      version: pkg.version,
      resolved: spec,
      integrity,
      license: 'MIT',
      dependencies: pkg.dependencies,
      bin: { 'cpython-sbom': 'dist/cli.js' },
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path !== '' && !entry.dev && !entry.devOptional) packages[path] = entry;
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { 'cpython-sbom': spec } }));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }));
}
