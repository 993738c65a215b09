import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
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
      'dist/formats/schema/compiled/fingerprints.json',
      'dist/formats/schema/compiled/spdx-2.3.cjs',
      'dist/license/spdx-index.json',
      'dist/license/spdx-index.bin',
      'schemas/spdx-2.3.schema.json',
      'catalog/components.yaml',
      'fixtures/sample-cpython/Include/patchlevel.h',
      'fixtures/sample-cpython/Misc/sbom.spdx.json',
      'examples/debian-python3.13.yaml',
    ]) {
      expect(files, required).toContain(required);
    }
    // Every built asset a run reads is packed: all of dist/ but source maps.
    const built = readdirSync(join(REPO, 'dist'), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(REPO, join(entry.parentPath, entry.name)).split(sep).join('/'))
      .filter((file) => !file.endsWith('.map'));
    expect(built.filter((file) => !files.includes(file))).toEqual([]);
    // Every module has its declarations.
    for (const js of files.filter((file) => file.startsWith('dist/') && file.endsWith('.js'))) {
      expect(files, `${js} without declarations`).toContain(js.replace(/\.js$/, '.d.ts'));
    }
    const unwanted = files.filter(
      (file) =>
        file.endsWith('.map') ||
        /^(src|test|bench|scripts|\.ci|node_modules)\//.test(file) ||
        (file.startsWith('fixtures/') && !file.startsWith('fixtures/sample-cpython/')) ||
        (file.endsWith('.ts') && !file.endsWith('.d.ts')),
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

  it('installs only run-time dependencies, and a run of every command uses each of them', () => {
    const installed = installedPackages(join(project, 'node_modules')).filter((name) => name !== 'cpython-sbom');
    // Test-only packages stay out: the CycloneDX library's XML serializer (we write XML ourselves).
    expect(installed).not.toContain('xmlbuilder2');
    expect(installed).not.toContain('vitest');
    expect(installed.length).toBeGreaterThan(10);

    // Every command, every kind of input: a tree, a .tgz, a .tar.xz through the WebAssembly
    // decoder, an overlay (YAML), all three formats, validate, diff, verify. Each module Node loads
    // and each file read under node_modules is recorded (trace.mjs, trace-hooks.mjs).
    const work2 = join(work, 'workload');
    mkdirSync(work2);
    const tree = join(work2, 'Python-3.13.0');
    cpSync(join(project, 'node_modules', 'cpython-sbom', 'fixtures', 'sample-cpython'), tree, { recursive: true });
    const tar = (args: string[]) => expect(spawnSync('tar', args, { cwd: work2 }).status).toBe(0);
    tar(['-czf', 'Python-3.13.0.tgz', 'Python-3.13.0']);
    tar(['-cJf', 'Python-3.13.0.tar.xz', 'Python-3.13.0']);
    writeFileSync(
      join(work2, 'overlay.yaml'),
      'supplier: Example\npackage: {name: python-example, version: 3.13.0-1, purl: "pkg:generic/python-example@3.13.0-1"}\n',
    );
    writeTracer(work2);
    const log = join(work2, 'loads.txt');
    const cli = join(project, 'node_modules', 'cpython-sbom', 'dist', 'cli.js');
    const out = join(work2, 'out');
    const runs: [string[], number][] = [
      [['generate', tree, '--format', 'spdx-json,cyclonedx-json,cyclonedx-xml', '--out-dir', out], 0],
      [['generate', join(work2, 'Python-3.13.0.tgz'), '--output', join(work2, 'tgz.spdx.json')], 0],
      [['generate', join(work2, 'Python-3.13.0.tar.xz'), '--output', join(work2, 'xz.spdx.json')], 0],
      [['generate', tree, '--overlay', join(work2, 'overlay.yaml'), '--output', join(work2, 'overlay.spdx.json')], 0],
      [['validate', join(out, 'Python-3.13.0.spdx.json'), join(out, 'Python-3.13.0.cdx.json'), join(out, 'Python-3.13.0.cdx.xml')], 0],
      [['diff', join(out, 'Python-3.13.0.spdx.json'), join(out, 'Python-3.13.0.cdx.xml')], 0],
      [['verify', join(out, 'Python-3.13.0.cdx.json'), tree], 0],
    ];
    for (const [args, code] of runs) {
      const result = spawnSync(process.execPath, ['--import', join(work2, 'trace.mjs'), cli, ...args, '--quiet'], {
        cwd: work2,
        encoding: 'utf8',
        env: { ...process.env, LOAD_TRACE: log, CPYTHON_SBOM_XZ: 'wasm', SOURCE_DATE_EPOCH: '1704067200' },
      });
      expect(result.status, `${args.join(' ')}: ${result.stderr}`).toBe(code);
    }
    const used = new Set<string>();
    for (const path of readFileSync(log, 'utf8').split('\n')) {
      const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path.slice(path.lastIndexOf('/node_modules/')));
      if (match) used.add(match[1] as string);
    }
    // Nothing the build derives is derived again by the installed package: the license index is
    // read from dist/license/ (not rebuilt from spdx-license-list's texts), and the schema
    // validators are the compiled ones (the fallback compiler, formats/schema/bundled.js, never loads).
    const trace = readFileSync(log, 'utf8').split('\n');
    expect(trace.filter((path) => path.endsWith('/cpython-sbom/dist/license/spdx-index.bin')).length).toBeGreaterThan(0);
    expect(trace.filter((path) => /\/spdx-license-list\/(full|spdx-full)\./.test(path) || path.endsWith('/dist/formats/schema/bundled.js'))).toEqual([]);
    // Our own dependencies all run.
    expect(Object.keys(pkg.dependencies).filter((name) => !used.has(name))).toEqual([]);
    // So does everything they bring, except what their authors list for other runtimes or tools.
    const unused = installed.filter((name) => !used.has(name));
    expect(unused).toEqual(
      Object.keys(NEVER_LOADED)
        .filter((name) => installed.includes(name))
        .sort(),
    );
    // The list holds only what is installed, so it cannot go stale unnoticed.
    expect(Object.keys(NEVER_LOADED).filter((name) => !installed.includes(name))).toEqual([]);
  });

  it('runs the installed binary', () => {
    const bin = join(project, 'node_modules', '.bin', 'cpython-sbom');
    const sample = join(project, 'node_modules', 'cpython-sbom', 'fixtures', 'sample-cpython');
    const run = spawnSync(bin, ['generate', sample, '--output', '-'], {
      cwd: project,
      encoding: 'utf8',
      env: { ...process.env, SOURCE_DATE_EPOCH: '1704067200' },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(
      /note: .*node_modules\/cpython-sbom\/fixtures\/sample-cpython is the small synthetic sample tree shipped with cpython-sbom, not a CPython release/,
    );
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

/**
 * Packages our dependencies declare that no run of cpython-sbom loads, and why. Everything else
 * installed must be used by the workload above, and all of our own dependencies are.
 */
const NEVER_LOADED: Record<string, string> = {
  '@types/node': "xmllint-wasm lists Node's type declarations as a run-time dependency",
  'undici-types': 'a dependency of @types/node (type declarations)',
  'bare-fs': "tar-stream's file system for the Bare runtime, not Node",
  'bare-stream': 'bare-fs, for the Bare runtime',
  'bare-url': 'bare-fs, for the Bare runtime',
  'bare-path': 'bare-fs, for the Bare runtime',
  'bare-buffer': 'bare-fs, for the Bare runtime',
  'bare-events': 'bare-stream, for the Bare runtime',
  teex: 'bare-stream, for the Bare runtime',
  punycode: 'uri-js and ajv-formats-draft2019 declare it; the code that runs uses its own copy or none',
  'require-from-string': "ajv's run-time schema compiler; validators are compiled at build time (recompiled only when the installed schemas changed)",
  'json-schema-traverse': "ajv's run-time schema compiler (reference resolution), as require-from-string",
  'fast-uri': "ajv's URI resolver, for its run-time compiler, as require-from-string (the compiled validators need only ajv's equal and ucs2length)",
  moo: "nearley's lexer, for grammars smtp-address-parser does not use",
  'railroad-diagrams': "nearley's diagram tool",
  randexp: "nearley's test-string generator",
  'discontinuous-range': 'randexp, for nearley',
  ret: 'randexp, for nearley',
};

/** Names of the packages under a node_modules directory, nested ones included. */
function installedPackages(root: string): string[] {
  const names = new Set<string>();
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
      const dirs = entry.name.startsWith('@') ? readdirSync(join(dir, entry.name)).map((name) => `${entry.name}/${name}`) : [entry.name];
      for (const name of dirs) {
        if (!existsSync(join(dir, name, 'package.json'))) continue;
        names.add(name);
        walk(join(dir, name, 'node_modules'));
      }
    }
  };
  walk(root);
  return [...names].sort();
}

/**
 * A preload (`node --import trace.mjs`) recording into $LOAD_TRACE every module Node loads
 * (CommonJS through Module.prototype.load, ES modules through a load hook) and every file read or
 * inspected through fs (a package whose data files are read, spdx-license-list's texts, the
 * WebAssembly of xmllint and xz, is used as much as one whose code is).
 */
function writeTracer(dir: string): void {
  writeFileSync(
    join(dir, 'trace.mjs'),
    [
      "import Module, { register } from 'node:module';",
      "import fs from 'node:fs';",
      'const record = (path) => { if (typeof path === "string" && path.includes("node_modules")) fs.appendFileSync(process.env.LOAD_TRACE, `${path}\\n`); };',
      "register('./trace-hooks.mjs', import.meta.url);",
      'const load = Module.prototype.load;',
      'Module.prototype.load = function traced(filename) { record(filename); return load.call(this, filename); };',
      'for (const name of ["readFileSync", "statSync", "openSync", "existsSync"]) {',
      '  const original = fs[name];',
      '  fs[name] = function traced(path, ...rest) { record(String(path)); return original.call(this, path, ...rest); };',
      '}',
      'for (const name of ["readFile", "open", "stat"]) {',
      '  const original = fs.promises[name];',
      '  fs.promises[name] = function traced(path, ...rest) { record(String(path)); return original.call(this, path, ...rest); };',
      '}',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'trace-hooks.mjs'),
    [
      "import { appendFileSync } from 'node:fs';",
      "import { fileURLToPath } from 'node:url';",
      'export async function load(url, context, next) {',
      '  if (url.startsWith("file:") && url.includes("node_modules")) appendFileSync(process.env.LOAD_TRACE, `${fileURLToPath(url)}\\n`);',
      '  return next(url, context);',
      '}',
    ].join('\n'),
  );
}
