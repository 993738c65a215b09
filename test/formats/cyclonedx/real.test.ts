import { describe, expect, it } from 'vitest';
import { readWheelMembers } from '../../../src/detect/wheel.js';
import { readCycloneDx, validateCycloneDxSchema } from '../../../src/formats/cyclonedx/index.js';
import { scanSource } from '../../../src/source/index.js';
import { hasReal, REAL, realPath } from '../../support/real.js';

const WHEEL = /^Lib\/ensurepip\/_bundled\/pip-[^/]+\.whl$/;

/** pip's own CycloneDX 1.4 document (`pip/_vendor/bom.cdx.json`), read straight out of the real release tarball. */
describe.skipIf(!hasReal(REAL.py31315))('pip’s bom.cdx.json in Python-3.13.15.tar.xz', () => {
  it('is schema-valid CycloneDX 1.4 and reads as pip depending on its 18 vendored projects', async () => {
    const scan = await scanSource(realPath(REAL.py31315) as string, { wantContent: (path) => WHEEL.test(path) });
    const [[wheelPath, wheel]] = [...scan.contents] as [[string, Buffer]];
    const members = await readWheelMembers(wheel, wheelPath, ['pip/_vendor/bom.cdx.json', 'pip/_vendor/vendor.txt']);
    const text = members.get('pip/_vendor/bom.cdx.json')?.toString('utf8') ?? '';
    expect(await validateCycloneDxSchema(text, 'json', '1.4')).toEqual([]);

    const { format, document } = readCycloneDx(text, 'bom.cdx.json');
    expect(format).toBe('cyclonedx-1.4');
    const [pip, ...vendored] = document.packages;
    expect(pip).toMatchObject({ name: 'pip', version: '' });
    expect(document.describes).toEqual([pip?.ref]);
    expect(vendored).toHaveLength(18);
    expect(pip?.dependsOn).toEqual(vendored.map((pkg) => pkg.ref));
    // The same pins as vendor.txt (indented lines included), compared by normalized name.
    const pins = (members.get('pip/_vendor/vendor.txt')?.toString('utf8') ?? '')
      .split('\n')
      .map((line) => /^\s*([\w.-]+)==(\S+)/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => `${(match[1] as string).toLowerCase().replace(/[-_.]+/g, '-')} ${match[2]}`)
      .sort();
    const fromBom = vendored.map((pkg) => `${pkg.name.toLowerCase().replace(/[-_.]+/g, '-')} ${pkg.version}`).sort();
    expect(fromBom).toEqual(pins);
    for (const pkg of vendored) expect(pkg.purl).toBe(`pkg:pypi/${pkg.name}@${pkg.version}`);
  });
});
