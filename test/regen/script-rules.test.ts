import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateAt, findAssignment } from '../../src/regen/pyliteral.js';
import { readScriptRules } from '../../src/regen/script-rules.js';
import { REPO } from '../support/cli.js';
import { TINY } from './helpers.js';

const script = (name: string) => readFileSync(join(REPO, 'fixtures', 'regen', 'scripts', name), 'utf8');
const summary = (text: string) => {
  const rules = readScriptRules(text, 'x.py');
  return {
    crlf: rules.normalizeLineEndings,
    license: rules.license.kind === 'allowed' ? rules.license.expressions : rules.license.kind,
    required: `${rules.required.fields.length}${rules.required.exact ? ' exact' : ''}`,
    refresh: rules.refreshChecks.map(
      (check) => `${check.packageName}:${check.file}:${check.patterns.map((p) => `${p.compares}${p.hasGroup ? '' : '(no group)'}`).join('+')}`,
    ),
    externals: rules.externals,
    downloads: rules.downloadsMissingChecksums,
    pypi: rules.pypi
      ? `${rules.pypi.vendored ? 'vendored' : 'pip'}${rules.pypi.dependsOn ? ' depends' : ''}${rules.pypi.wheelOptional ? ' optional' : ''}`
      : 'no',
  };
};

describe('readScriptRules: what each generation of generate_sbom.py does, read from its text', () => {
  it('December 2023', () => {
    expect(summary(script('2023-12-allowlist.py'))).toEqual({
      crlf: false,
      license: ['MIT', 'CC0-1.0', 'Apache-2.0', 'BSD-2-Clause'],
      required: '9 exact',
      refresh: [],
      externals: { writes: false, updatesCpe: false },
      downloads: false,
      pypi: 'no',
    });
  });

  it('the PyPI era', () => {
    expect(summary(script('2023-12-pypi-pip.py')).pypi).toBe('pip');
    expect(summary(script('2024-02-pypi-vendored.py'))).toMatchObject({ license: 'noassertion', required: '8', pypi: 'vendored depends optional' });
  });

  it('March 2024 and 3.13.5', () => {
    expect(summary(script('2024-03-hacl.py'))).toEqual({
      crlf: false,
      license: 'noassertion',
      required: '8',
      refresh: ['hacl-star:Modules/_hacl/refresh.sh:versionInfo'],
      externals: { writes: true, updatesCpe: false },
      downloads: true,
      pypi: 'no',
    });
    expect(summary(script('3.13.5-libexpat.py'))).toMatchObject({
      crlf: true,
      refresh: ['hacl-star:Modules/_hacl/refresh.sh:versionInfo', 'libexpat:Modules/expat/refresh.sh:versionInfo+checksums(no group)'],
      externals: { writes: true, updatesCpe: true },
    });
    expect(summary(readFileSync(join(TINY, 'Tools/build/generate_sbom.py'), 'utf8')).refresh).toEqual([
      'hacl-star:Modules/_hacl/refresh.sh:versionInfo',
      'expat:Modules/expat/refresh.sh:versionInfo+checksums',
    ]);
  });
});

describe('evaluateAt: the Python literals regen reads, never runs', () => {
  it('reads sets, frozensets, dicts, f-strings, names and supplied calls', () => {
    const source = 'X = frozenset([\n  "a",  # comment\n  "b",\n])\nY = {"k": f"v-{name}", "l": [spdx_id("p q")], "m": name}\n';
    expect(evaluateAt(source, findAssignment(source, 'X') as number, 'x.py')).toEqual(['a', 'b']);
    expect(
      evaluateAt(source, findAssignment(source, 'Y') as number, 'x.py', { names: { name: '1.0' }, calls: { spdx_id: (v) => String(v).replace(' ', '-') } }),
    ).toEqual({ k: 'v-1.0', l: ['p-q'], m: '1.0' });
  });

  it('refuses what it cannot read, naming file and line', () => {
    const source = 'Y = {\n  "k": other("x"),\n}\n';
    expect(() => evaluateAt(source, findAssignment(source, 'Y') as number, 'x.py')).toThrow(/^x\.py:2: cannot read/);
    const unknown = 'Y = {"k": secret}\n';
    expect(() => evaluateAt(unknown, findAssignment(unknown, 'Y') as number, 'x.py')).toThrow(/x\.py:1: cannot read the name 'secret'/);
  });
});
