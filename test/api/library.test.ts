import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FindingError, InputError, SAMPLE_TREE, diff, generate, regen, renderDiff, validate, verify } from '../../src/index.js';
import type { GenerateProgress } from '../../src/index.js';
import { SAMPLE, tempDir } from '../support/cli.js';
import { TINY, treeCopier } from '../regen/helpers.js';

/** The library as a program would use it: data back, nothing printed, errors as exported classes. */

const created = '2024-01-01T00:00:00Z';
const work = tempDir('cpython-sbom-api-');
const copy = treeCopier();

describe('generate()', () => {
  it('returns the rendered, validated documents, their file names and the model', async () => {
    const phases: GenerateProgress['phase'][] = [];
    const result = await generate(SAMPLE, {
      format: ['spdx-json', 'cyclonedx-json'],
      profile: 'python.org',
      created,
      onProgress: (progress) => {
        if (phases.at(-1) !== progress.phase) phases.push(progress.phase);
      },
    });
    expect(result.ok).toBe(true);
    expect(result.findings).toEqual([]);
    expect(SAMPLE_TREE).toBe(SAMPLE);
    expect(Object.keys(result.documents)).toEqual(['spdx-json', 'cyclonedx-json']);
    expect(result.fileNames).toEqual({ 'spdx-json': 'sample-cpython.spdx.json', 'cyclonedx-json': 'sample-cpython.cdx.json' });
    const spdx = JSON.parse(result.documents['spdx-json'] as string);
    expect(spdx.creationInfo.created).toBe(created);
    expect(spdx.packages.map((pkg: { name: string }) => pkg.name)).toContain('CPython');
    expect(result.model.packages[0]?.name).toBe('CPython');
    expect(result.model.files.length).toBe(spdx.files.length);
    expect(result.source).toEqual({ path: SAMPLE, kind: 'directory' });
    expect(result.cpythonVersion).toMatch(/^3\.\d+\.\d+/);
    // Same text as the CLI writes for the same input: the CLI is a layer over this.
    expect(result.documents['spdx-json']).toBe(readFileSync(join(SAMPLE, '..', 'golden', 'sample-cpython.spdx.json'), 'utf8'));
    expect(phases).toEqual(['scan', 'detect', 'render', 'validate', 'render', 'validate']);
  });

  it('reports findings in the result and renders nothing', async () => {
    const tree = join(work, 'tampered');
    cpSync(SAMPLE, tree, { recursive: true });
    writeFileSync(join(tree, 'Modules/expat/xmlparse.c'), '/* changed */\n');
    const result = await generate(tree, { created });
    expect(result.ok).toBe(false);
    expect(result.documents).toEqual({});
    expect(result.findings).toContainEqual(expect.objectContaining({ kind: 'manifest-hash', message: expect.stringContaining('Modules/expat/xmlparse.c') }));
  });

  it('throws InputError for bad options and unreadable sources', async () => {
    await expect(generate(SAMPLE, { format: 'spdx-yaml' })).rejects.toBeInstanceOf(InputError);
    await expect(generate(join(work, 'nowhere'))).rejects.toThrow(InputError);
  });
});

describe('validate(), diff(), verify()', () => {
  it('validate: a result for valid and invalid documents, InputError for unreadable ones', async () => {
    const { documents } = await generate(SAMPLE, { format: 'cyclonedx-json', created });
    const good = await validate({ text: documents['cyclonedx-json'] as string, name: 'sample.cdx.json' });
    expect(good).toMatchObject({ file: 'sample.cdx.json', format: 'cyclonedx-1.6-json', valid: true, errors: [] });
    const broken = JSON.parse(documents['cyclonedx-json'] as string);
    broken.dependencies[0].dependsOn.push('nowhere');
    const bad = await validate({ text: JSON.stringify(broken) });
    expect(bad.valid).toBe(false);
    expect(bad.errors[0]?.message).toMatch(/"nowhere" does not resolve/);
    const path = join(work, 'not-an-sbom.json');
    writeFileSync(path, '{"hello": 1}');
    await expect(validate(path)).rejects.toThrow(InputError);
  });

  it('diff and verify return reports; a changed file is a finding, not an exception', async () => {
    const tree = join(work, 'changed');
    cpSync(SAMPLE, tree, { recursive: true });
    const before = join(work, 'before.spdx.json');
    writeFileSync(before, (await generate(SAMPLE, { created })).documents['spdx-json'] as string);
    writeFileSync(join(tree, 'Lib/os.py'), '# changed\n');
    const after = join(work, 'after.cdx.json');
    writeFileSync(after, (await generate(tree, { format: 'cyclonedx-json', created })).documents['cyclonedx-json'] as string);

    const same = await diff(before, before);
    expect(same).toMatchObject({ identical: true, fails: false });
    const changed = await diff(before, after, { failOn: ['downgrade'] });
    expect(changed.identical).toBe(false);
    expect(changed.fails).toBe(false);
    expect(changed.diff.files.changed).toEqual(['Lib/os.py']);
    expect(renderDiff(changed, 'markdown')).toContain('Lib/os.py');
    expect((await diff(before, after, { failOn: 'files-changed' })).fails).toBe(true);
    await expect(diff(before, after, { failOn: 'nonsense' })).rejects.toThrow(InputError);

    const report = await verify(before, tree);
    expect(report.ok).toBe(false);
    expect(report.changed.map((entry) => entry.path)).toEqual(['Lib/os.py']);
    expect((await verify(before, SAMPLE)).ok).toBe(true);
  });
});

describe('regen()', () => {
  it('check: stale without writing; then writes; then up to date', async () => {
    const tree = copy(TINY, { git: true });
    const manifest = join(tree, 'Misc/sbom.spdx.json');
    const original = readFileSync(manifest, 'utf8');
    const check = await regen(tree, { check: true });
    expect(check.ok).toBe(false);
    expect(check.verdict).toBe('stale');
    expect(check.stale).toContain('Misc/sbom.spdx.json');
    expect(check.written).toEqual([]);
    expect(readFileSync(manifest, 'utf8')).toBe(original);
    const written = await regen(tree);
    expect(written.ok).toBe(true);
    expect(written.verdict).toBe('updated');
    expect(written.written).toContain(manifest);
    expect(readFileSync(manifest, 'utf8')).not.toBe(original);
    expect(await regen(tree, { check: true })).toMatchObject({ ok: true, verdict: 'current', stale: [], scriptFailures: [] });
  });

  it('failed checks are findings; a tree that is not CPython is an InputError', async () => {
    const tree = copy(TINY, { git: true });
    const manifest = join(tree, 'Misc/sbom.spdx.json');
    const doc = JSON.parse(readFileSync(manifest, 'utf8'));
    doc.packages[0].SPDXID = 'SPDXRef-PACKAGE-wrong';
    writeFileSync(manifest, JSON.stringify(doc, null, 2));
    const result = await regen(tree);
    expect(result.ok).toBe(false);
    expect(result.verdict).toBe('fails-script-checks');
    expect(result.scriptFailures.join('\n')).toContain('SPDXRef-PACKAGE-wrong');
    expect(result.written).toEqual([]);
    await expect(regen(work)).rejects.toThrow(InputError);
    expect(FindingError.prototype).toBeInstanceOf(Error);
  });
});
