import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { parseOverlaySpec } from '../../src/overlay/load.js';

function errorOf(text: string): string {
  try {
    parseOverlaySpec(text, 'o.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected the overlay to be refused');
}

describe('overlay file', () => {
  it('reads every key, keeping lines for later messages', () => {
    const spec = parseOverlaySpec(
      [
        'supplier: Debian',
        'package:',
        '  name: python3.13',
        '  version: 3.10',
        '  purl: pkg:deb/debian/python3.13@3.13.5-2%2Bdeb13u5?arch=source',
        'namespace: https://example.org/sbom/x',
        'upstream: ../Python-3.13.5.tar.xz',
        'patches:',
        '  series: debian/patches/series',
        'unbundled:',
        '  - component: expat',
        '    replacedBy: pkg:deb/debian/libexpat1-dev',
        '  - pip',
        'exclude: [debian/**, .pc/**]',
      ].join('\n'),
      'o.yaml',
    );
    expect(spec.package).toEqual({ name: 'python3.13', version: '3.10', purl: 'pkg:deb/debian/python3.13@3.13.5-2%2Bdeb13u5?arch=source' });
    expect(spec.upstream).toEqual({ value: '../Python-3.13.5.tar.xz', line: 7 });
    expect(spec.patches).toEqual({ series: { value: 'debian/patches/series', line: 9 } });
    expect(spec.unbundled).toEqual([
      { component: 'expat', replacedBy: 'pkg:deb/debian/libexpat1-dev', line: 11 },
      { component: 'pip', line: 13 },
    ]);
    expect(spec.exclude).toEqual(['debian/**', '.pc/**']);
  });

  it.each([
    ['supplier: Debian\npackages:\n  name: x\n', 'o.yaml:2: unknown key "packages"'],
    ['package:\n  name: x\n  release: 1\n', 'o.yaml:3: unknown key "release" in package'],
    ['package:\n  purl: debian/python3.13\n', 'o.yaml:2: package.purl: not a package URL'],
    ['patches:\n  series: s\n  dir: d\n', 'o.yaml:2: patches takes exactly one of series'],
    ['patches:\n  quilt: s\n', 'o.yaml:2: unknown key "quilt" in patches'],
    ['unbundled:\n  - component: expat\n    replaced: x\n', 'o.yaml:3: unknown key "replaced" in unbundled'],
    ['unbundled:\n  - component: expat\n    replacedBy: libexpat\n', 'o.yaml:3: replacedBy: not a package URL'],
    ['exclude: debian/**\n', 'o.yaml:1: exclude must be a list of globs'],
    ['supplier: [a, b]\n', 'o.yaml:1: supplier must be a non-empty string'],
    ['namespace: not a uri\n', 'o.yaml:1: namespace must be an absolute URI'],
    ['supplier: a\nsupplier: b\n', 'o.yaml:2: not valid YAML: Map keys must be unique'],
    ['package: {name: [\n', 'o.yaml:2: not valid YAML'],
    ['', 'o.yaml:1: the overlay is empty'],
    ['- a\n- b\n', 'o.yaml:1: the overlay must be a mapping'],
  ])('refuses %j with file:line', (text, message) => {
    expect(errorOf(text)).toContain(message);
  });
});
