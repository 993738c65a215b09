import { describe, expect, it } from 'vitest';
import { ensurepipDetector } from '../../src/detect/ensurepip.js';
import { bundledWheelsDetector } from '../../src/detect/pip.js';
import { makeTree, makeWheel, runDetectors } from './helpers.js';

const PIP_VENDOR = 'CacheControl==0.12.11\npackaging==21.3\nsetuptools==44.0.0\n';

describe('the bundled setuptools wheel (3.8–3.11) and what it vendors', () => {
  it('lists setuptools 65.5.0 with the pins of its release tag, beside pip and pip’s own setuptools 44.0.0', async () => {
    const tree = makeTree({
      'Lib/ensurepip/_bundled/pip-22.3.1-py3-none-any.whl': await makeWheel({ 'pip/_vendor/vendor.txt': PIP_VENDOR }),
      // Like the real 65.5.0 wheel: no vendored.txt inside.
      'Lib/ensurepip/_bundled/setuptools-65.5.0-py3-none-any.whl': await makeWheel({ 'setuptools/__init__.py': '' }),
    });
    const { packages, warnings, findings } = await runDetectors(tree, [bundledWheelsDetector({ ownWheelFiles: true })]);
    expect(findings).toEqual([]);
    expect(warnings).toEqual([]);
    const byRef = new Map(packages.map((p) => [p.ref, p]));
    expect(new Set(byRef.keys()).size).toBe(packages.length);

    const setuptools = byRef.get('setuptools');
    expect(setuptools).toMatchObject({
      version: '65.5.0',
      purl: 'pkg:pypi/setuptools@65.5.0',
      cpe: 'cpe:2.3:a:python:setuptools:65.5.0:*:*:*:*:*:*:*',
      files: ['Lib/ensurepip/_bundled/setuptools-65.5.0-py3-none-any.whl'],
    });
    expect(setuptools?.spdxId).toBe('SPDXRef-PACKAGE-setuptools');
    expect(setuptools?.comment).toContain('tag v65.5.0');
    // pins of setuptools/_vendor/vendored.txt and pkg_resources/_vendor/vendored.txt at v65.5.0;
    // packaging 21.3 is the very project pip vendors too, so it is one package both depend on.
    expect(setuptools?.dependsOn.sort()).toEqual([
      'pip/packaging',
      'setuptools/appdirs',
      'setuptools/importlib_metadata',
      'setuptools/importlib_resources',
      'setuptools/jaraco.text',
      'setuptools/more_itertools',
      'setuptools/ordered-set',
      'setuptools/pyparsing',
      'setuptools/tomli',
      'setuptools/typing_extensions',
      'setuptools/zipp',
    ]);
    expect(byRef.get('setuptools/pyparsing')).toMatchObject({
      version: '3.0.9',
      purl: 'pkg:pypi/pyparsing@3.0.9',
      spdxId: 'SPDXRef-PACKAGE-setuptools-pyparsing',
    });

    // pip's vendored setuptools keeps its pin and a distinct SPDX id.
    expect(byRef.get('pip/setuptools')).toMatchObject({ name: 'setuptools', version: '44.0.0', spdxId: 'SPDXRef-PACKAGE-pip-setuptools' });
    expect(byRef.get('pip/packaging')?.spdxId).toBe('SPDXRef-PACKAGE-packaging');
  });

  it('reads the pins from the wheel when it carries its vendored.txt lists (two versions of one project: two packages)', async () => {
    const tree = makeTree({
      'Lib/ensurepip/_bundled/setuptools-99.0.0-py3-none-any.whl': await makeWheel({
        'setuptools/_vendor/vendored.txt': 'more_itertools==8.8.0\n# a comment\nzipp==3.7.0\n',
        'pkg_resources/_vendor/vendored.txt': 'more_itertools==8.12.0\nzipp==3.7.0\n',
      }),
    });
    const { packages } = await runDetectors(tree, [bundledWheelsDetector({ ownWheelFiles: false })]);
    const setuptools = packages.find((p) => p.ref === 'setuptools');
    expect(setuptools?.files).toEqual([]);
    expect(setuptools?.comment).toBe('vendored projects: pins from setuptools/_vendor/vendored.txt and pkg_resources/_vendor/vendored.txt in the wheel');
    expect(setuptools?.dependsOn.sort()).toEqual(['setuptools/more_itertools@8.12.0', 'setuptools/more_itertools@8.8.0', 'setuptools/zipp']);
    expect(packages.find((p) => p.ref === 'setuptools/more_itertools@8.8.0')?.spdxId).toBe('SPDXRef-PACKAGE-setuptools-more_itertools-8.8.0');
  });

  it('warns when neither the wheel nor the catalog knows what a setuptools release vendors', async () => {
    const tree = makeTree({ 'Lib/ensurepip/_bundled/setuptools-1.2.3-py3-none-any.whl': await makeWheel({ 'setuptools/__init__.py': '' }) });
    const { packages, warnings } = await runDetectors(tree, [bundledWheelsDetector({ ownWheelFiles: true })]);
    expect(packages.map((p) => p.ref)).toEqual(['setuptools']);
    expect(warnings[0]).toMatch(
      /setuptools-1\.2\.3-py3-none-any\.whl: the wheel lists no vendored projects and the catalog has no pins for setuptools 1\.2\.3/,
    );
  });
});

describe('ensurepip’s pins against the bundled wheels', () => {
  const init = '_SETUPTOOLS_VERSION = "65.5.0"\n_PIP_VERSION = "22.3.1"\n';

  it('agree: nothing to say', async () => {
    const tree = makeTree({
      'Lib/ensurepip/__init__.py': init,
      'Lib/ensurepip/_bundled/pip-22.3.1-py3-none-any.whl': 'w',
      'Lib/ensurepip/_bundled/setuptools-65.5.0-py3-none-any.whl': 'w',
    });
    expect(await runDetectors(tree, [ensurepipDetector()])).toEqual({ packages: [], findings: [], warnings: [] });
  });

  it('a wheel of another version is a finding naming both versions; a missing wheel a warning', async () => {
    const tree = makeTree({
      'Lib/ensurepip/__init__.py': init,
      'Lib/ensurepip/_bundled/pip-22.3.0-py3-none-any.whl': 'w',
    });
    const { findings, warnings } = await runDetectors(tree, [ensurepipDetector()]);
    expect(findings.map((f) => f.message)).toEqual(['pip: Lib/ensurepip/__init__.py pins 22.3.1 but the bundled wheel is 22.3.0']);
    expect(findings[0]).toMatchObject({ kind: 'version-drift', component: 'pip' });
    expect(warnings).toEqual(['Lib/ensurepip/__init__.py pins setuptools 65.5.0 but Lib/ensurepip/_bundled/ has no setuptools wheel']);
  });
});
