import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compilerLacksSpareCore, tuneOptimizingCompiler } from '../../src/commands/engine-tuning.js';
import { REPO } from '../support/cli.js';

/**
 * `generate` asks V8 to optimize less eagerly when the optimizing compiler would have no core of
 * its own (commands/engine-tuning.ts). The tuning must fire only then, only on the engine whose
 * flag is known (an unknown flag is reported on stdout, where an SBOM may be going), and never
 * change a byte of output.
 */
describe('tuning the optimizing compiler', () => {
  it('fires only where the compiler has no spare core', () => {
    expect(compilerLacksSpareCore({ cores: 1, compression: undefined })).toBe(true);
    expect(compilerLacksSpareCore({ cores: 1, compression: 'gzip' })).toBe(true);
    expect(compilerLacksSpareCore({ cores: 2, compression: 'xz' })).toBe(true);
    // A gzip tarball or a directory on two cores leaves one core mostly idle; more cores leave one free.
    expect(compilerLacksSpareCore({ cores: 2, compression: 'gzip' })).toBe(false);
    expect(compilerLacksSpareCore({ cores: 2, compression: 'none' })).toBe(false);
    expect(compilerLacksSpareCore({ cores: 2, compression: undefined })).toBe(false);
    expect(compilerLacksSpareCore({ cores: 4, compression: 'xz' })).toBe(false);
  });

  it('leaves an engine it was not measured on alone, and any run that asks for the defaults', () => {
    expect(tuneOptimizingCompiler('xz', { engine: '12.4.254.21-node.33' })).toBe(false);
    expect(tuneOptimizingCompiler('xz', { engine: '10.2.154.26-node.36' })).toBe(false);
    expect(tuneOptimizingCompiler('xz', { env: { CPYTHON_SBOM_TIERING: 'default' }, engine: '11.3.244.8-node.33' })).toBe(false);
  });

  it('prints nothing and applies on the engine it knows, when the cores call for it', () => {
    const module = join(REPO, 'dist', 'commands', 'engine-tuning.js');
    const script = `import(${JSON.stringify(module)}).then((m) => process.stderr.write(String(m.tuneOptimizingCompiler('xz'))))`;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    // V8 writes "Error: unrecognized flag" to stdout for a flag it does not know.
    expect(result.stdout).toBe('');
    const known = /^11\.3\./.test(process.versions.v8);
    expect(result.stderr).toBe(String(known && availableParallelism() <= 2));
  });
});
