import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSbomFile } from '../../src/formats/registry.js';
import { buildSbom } from '../../src/generate/build.js';
import type { SbomDocument } from '../../src/model/types.js';
import { makeTree, makeWheel } from '../detect/helpers.js';
import { run, tempDir } from '../support/cli.js';

const full = createRequire(import.meta.url)('spdx-license-list/full') as Record<string, { licenseText: string }>;
const licenseText = (id: string, holder: string) =>
  `Copyright (c) 2010-2020 ${holder}\n\n${(full[id] as { licenseText: string }).licenseText
    .split('\n')
    .filter((l) => !/^\s*copyright/i.test(l))
    .join('\n')}`;

const WHEEL = 'Lib/ensurepip/_bundled/pip-24.0-py3-none-any.whl';
const urlsafe = (text: string) => createHash('sha256').update(text).digest('base64url');

/** A pip wheel like the real ones: vendored projects under pip/_vendor, license files, METADATA, RECORD. */
async function pipWheel(options: { tamper?: string; extra?: Record<string, string> } = {}): Promise<Buffer> {
  const members: Record<string, string> = {
    'pip/__init__.py': '__version__ = "24.0"\n',
    'pip/_vendor/__init__.py': '',
    'pip/_vendor/vendor.txt': 'requests==2.31.0\nsix==1.16.0\ntyping_extensions==4.9.0\nsetuptools==69.1.0\n',
    'pip/_vendor/six.py': `# ${licenseText('MIT', 'Benjamin Peterson').split('\n').join('\n# ')}\n\nimport sys\n`,
    'pip/_vendor/requests/__init__.py': '"""\nRequests HTTP Library\n:copyright: (c) 2017 by Kenneth Reitz.\n"""\n',
    'pip/_vendor/requests/api.py': 'def get(url): pass\n',
    'pip/_vendor/requests/LICENSE': licenseText('Apache-2.0', 'Kenneth Reitz').replace(/\n\s*APPENDIX[\s\S]*$/, ''),
    'pip/_vendor/typing_extensions.py': 'import abc\n',
    'pip/_vendor/typing_extensions.LICENSE': (full['PSF-2.0'] as { licenseText: string }).licenseText,
    'pip/_vendor/pkg_resources/__init__.py': 'import os\n',
    'pip-24.0.dist-info/METADATA':
      'Metadata-Version: 2.4\nName: pip\nVersion: 24.0\nLicense-Expression: MIT\nLicense-File: LICENSE.txt\nLicense-File: src/pip/_vendor/requests/LICENSE\n\nLong description.\n',
    'pip-24.0.dist-info/licenses/LICENSE.txt': licenseText('MIT', 'The pip developers'),
    ...options.extra,
  };
  const record = Object.entries(members)
    .map(([name, text]) => `${name},sha256=${name === options.tamper ? urlsafe('something else') : urlsafe(text)},${Buffer.byteLength(text)}`)
    .join('\n');
  return makeWheel({ ...members, 'pip-24.0.dist-info/RECORD': `${record}\npip-24.0.dist-info/RECORD,,\n` });
}

async function build(tree: string, profile: 'complete' | 'python.org' = 'complete') {
  return buildSbom(tree, { created: '2024-01-01T00:00:00Z', profile });
}

const pkgOf = (doc: SbomDocument, ref: string) => doc.packages.find((p) => p.ref === ref);

describe('complete profile: inside the bundled wheels', () => {
  it('hashes every member, names it <wheel path>/<member path>, and gives each vendored project its members', async () => {
    const tree = makeTree({ [WHEEL]: await pipWheel(), LICENSE: full['PSF-2.0']?.licenseText ?? '' }, '3.12.1');
    const { document, findings } = await build(tree);
    expect(findings).toEqual([]);
    const paths = new Set(document.files.map((f) => f.path));
    expect(paths.has(`${WHEEL}/pip/_vendor/requests/api.py`)).toBe(true);
    expect(document.files.find((f) => f.path === `${WHEEL}/pip/__init__.py`)?.checksums).toEqual({
      SHA1: createHash('sha1').update('__version__ = "24.0"\n').digest('hex'),
      SHA256: createHash('sha256').update('__version__ = "24.0"\n').digest('hex'),
    });
    expect(pkgOf(document, 'pip/requests')?.files).toEqual([
      `${WHEEL}/pip/_vendor/requests/LICENSE`,
      `${WHEEL}/pip/_vendor/requests/__init__.py`,
      `${WHEEL}/pip/_vendor/requests/api.py`,
    ]);
    expect(pkgOf(document, 'pip/six')?.files).toEqual([`${WHEEL}/pip/_vendor/six.py`]);
    expect(pkgOf(document, 'pip/typing_extensions')?.files).toEqual([
      `${WHEEL}/pip/_vendor/typing_extensions.LICENSE`,
      `${WHEEL}/pip/_vendor/typing_extensions.py`,
    ]);
    // pip vendors setuptools as pkg_resources (catalog importNames).
    expect(pkgOf(document, 'pip/setuptools')?.files).toEqual([`${WHEEL}/pip/_vendor/pkg_resources/__init__.py`]);
    const pip = pkgOf(document, 'pip');
    expect(pip?.files).toContain(WHEEL);
    expect(pip?.files).toContain(`${WHEEL}/pip/_vendor/vendor.txt`);
    expect(pip?.files).toContain(`${WHEEL}/pip-24.0.dist-info/RECORD`);
    expect(pkgOf(document, 'cpython')?.files).not.toContain(WHEEL);
  });

  it('resolves each project license from the wheel: METADATA, license files, module headers, else the catalog', async () => {
    const tree = makeTree({ [WHEEL]: await pipWheel(), LICENSE: full['PSF-2.0']?.licenseText ?? '' }, '3.12.1');
    const { document, warnings } = await build(tree);
    const pip = pkgOf(document, 'pip');
    expect(pip).toMatchObject({ licenseDeclared: 'MIT', licenseConcluded: 'NOASSERTION', copyrightText: 'Copyright (c) 2010-2020 The pip developers' });
    expect(pip?.evidence?.licenses).toContainEqual({ expression: 'MIT', file: `${WHEEL}/pip-24.0.dist-info/METADATA`, method: 'wheel-metadata' });
    const requests = pkgOf(document, 'pip/requests');
    expect(requests?.licenseDeclared).toBe('Apache-2.0');
    expect(requests?.evidence?.licenses[0]).toMatchObject({ expression: 'Apache-2.0', file: `${WHEEL}/pip/_vendor/requests/LICENSE`, method: 'license-text' });
    expect(requests?.copyrightText).toBe('Copyright (c) 2010-2020 Kenneth Reitz\n(c) 2017 by Kenneth Reitz.');
    expect(requests?.licenseComments).toMatch(/Apache-2\.0 from Lib\/ensurepip\/.*requests\/LICENSE \(license text, \d+% of the SPDX license text\)/);
    expect(pkgOf(document, 'pip/six')).toMatchObject({ licenseDeclared: 'MIT', copyrightText: 'Copyright (c) 2010-2020 Benjamin Peterson' });
    expect(pkgOf(document, 'pip/six')?.evidence?.licenses[0]?.method).toBe('header');
    expect(pkgOf(document, 'pip/typing_extensions')?.licenseDeclared).toBe('PSF-2.0');
    // No license text for pkg_resources in this wheel: the catalog's declared license, said so.
    const setuptools = pkgOf(document, 'pip/setuptools');
    expect(setuptools?.licenseDeclared).toBe('MIT');
    expect(setuptools?.evidence?.licenses[0]?.method).toBe('catalog');
    expect(setuptools?.licenseComments).toContain('from the catalog');
    expect(warnings.filter((w) => /no license could be established/.test(w))).toEqual([]);
    // CPython: PSF-2.0 declared from its LICENSE; concluded is a reviewer's call (its files hold other licenses).
    expect(pkgOf(document, 'cpython')).toMatchObject({ licenseDeclared: 'PSF-2.0', licenseConcluded: 'NOASSERTION' });
  });

  it('reports a member whose hash disagrees with RECORD, a member RECORD omits, naming each', async () => {
    const tree = makeTree({ [WHEEL]: await pipWheel({ tamper: 'pip/_vendor/requests/api.py' }) }, '3.12.1');
    const { findings } = await build(tree);
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${WHEEL.replaceAll('.', '\\.')}/pip/_vendor/requests/api\\.py: SHA-256 is [0-9a-f]{64} but pip-24\\.0\\.dist-info/RECORD says [0-9a-f]{64}$`,
        ),
      ),
    ]);
    expect(findings[0]?.kind).toBe('wheel-record');
  });

  it('warns, naming the component, when no license can be established', async () => {
    const members = { 'pip/_vendor/vendor.txt': 'left-pad==1.0\n', 'pip/_vendor/left_pad/__init__.py': 'x = 1\n' };
    const record = Object.entries(members)
      .map(([n, t]) => `${n},sha256=${urlsafe(t)},${t.length}`)
      .join('\n');
    const tree = makeTree({ [WHEEL]: await makeWheel({ ...members, 'pip-24.0.dist-info/RECORD': record }) }, '3.12.1');
    const { document, warnings } = await build(tree);
    expect(pkgOf(document, 'pip/left-pad')?.licenseDeclared).toBe('NOASSERTION');
    expect(warnings).toContainEqual(expect.stringMatching(/^left-pad 1\.0: no license could be established/));
  });

  it('leaves the python.org profile as it was: no members, no declared licenses, no manufacturer', async () => {
    const tree = makeTree({ [WHEEL]: await pipWheel() }, '3.12.1');
    const { document } = await build(tree, 'python.org');
    expect(document.files.some((f) => f.path.startsWith(`${WHEEL}/`))).toBe(false);
    expect(document.packages.every((p) => p.licenseDeclared === undefined)).toBe(true);
    expect(document.manufacturer).toBeUndefined();
    expect(document.creators).toEqual([expect.stringMatching(/^Tool: /)]);
    expect(pkgOf(document, 'pip/requests')?.files).toEqual([]);
  });
});

describe('complete profile: identity', () => {
  it('gives every package a purl (PyPI names normalised), CPEs NVD knows, the PSF as manufacturer, the tool as the only creator', async () => {
    const tree = makeTree({ [WHEEL]: await pipWheel(), 'Modules/_decimal/libmpdec/mpdecimal.h': '#define MPD_VERSION "2.5.1"\n' }, '3.12.1');
    const { document } = await build(tree);
    expect(document.packages.filter((p) => !p.purl).map((p) => p.ref)).toEqual([]);
    expect(pkgOf(document, 'pip/typing_extensions')?.purl).toBe('pkg:pypi/typing-extensions@4.9.0');
    expect(pkgOf(document, 'pip/requests')?.cpe).toBe('cpe:2.3:a:python:requests:2.31.0:*:*:*:*:*:*:*');
    expect(pkgOf(document, 'mpdecimal')?.purl).toBe(
      'pkg:generic/mpdecimal@2.5.1?download_url=https%3A%2F%2Fwww.bytereef.org%2Fsoftware%2Fmpdecimal%2Freleases%2Fmpdecimal-2.5.1.tar.gz',
    );
    expect(pkgOf(document, 'cpython')?.purl).toMatch(/^pkg:generic\/cpython@3\.12\.1/);
    expect(document.manufacturer).toEqual({
      name: 'Python Software Foundation',
      urls: ['https://www.python.org/psf/'],
      securityContact: { email: 'security@python.org', url: 'https://www.python.org/dev/security/' },
    });
    // Whoever runs the tool makes the SBOM, not the PSF: --creator says who (next test).
    expect(document.creators).toEqual([expect.stringMatching(/^Tool: cpython-sbom-/)]);
    expect(document.lifecycles).toEqual(['pre-build']);
  });

  it('writes the manufacturer (CycloneDX 1.6 form), the supplier with its security contact, the lifecycle, and --creator in both formats', async () => {
    const tree = makeTree({ [WHEEL]: await pipWheel() }, '3.12.1');
    const out = tempDir();
    const result = await run([
      'generate',
      tree,
      '--format',
      'spdx-json,cyclonedx-json',
      '--out-dir',
      out,
      '--creator',
      'Organization: Example Distro',
      '--creator',
      'Person: Jane Doe (jane@example.org)',
    ]);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    const base = tree.slice(tree.lastIndexOf('/') + 1);
    const spdx = JSON.parse(readFileSync(join(out, `${base}.spdx.json`), 'utf8'));
    // The SPDX writer sorts its lists, as python.org's tooling does; --creator adds to the tool.
    expect(spdx.creationInfo.creators).toEqual([
      'Organization: Example Distro',
      'Person: Jane Doe (jane@example.org)',
      expect.stringMatching(/^Tool: cpython-sbom-/),
    ]);
    expect(spdx.creationInfo.comment).toMatch(/^SBOM type: Source \(CycloneDX lifecycle: pre-build\): made from the files of a source tree/);
    const cdx = JSON.parse(readFileSync(join(out, `${base}.cdx.json`), 'utf8'));
    // 1.6 deprecates metadata.manufacture for the metadata component's manufacturer; metadata.manufacturer is who made the BOM.
    expect(cdx.metadata.manufacture).toBeUndefined();
    expect(cdx.metadata.component.manufacturer).toEqual({ name: 'Python Software Foundation', url: ['https://www.python.org/psf/'] });
    expect(cdx.metadata.manufacturer).toEqual({ name: 'Example Distro' });
    expect(cdx.metadata.authors).toEqual([{ name: 'Jane Doe', email: 'jane@example.org' }]);
    expect(cdx.metadata.lifecycles).toEqual([{ phase: 'pre-build' }]);
    expect(cdx.metadata.supplier).toEqual({
      name: 'Python Software Foundation',
      url: ['https://www.python.org/psf/'],
      contact: [{ name: 'Security response team', email: 'security@python.org' }],
    });
    expect(cdx.metadata.component.externalReferences).toContainEqual({ type: 'security-contact', url: 'https://www.python.org/dev/security/' });
    // Both CycloneDX encodings read back to the same organisation, and the security page is not a foreign reference.
    const xml = join(out, 'x.cdx.xml');
    expect((await run(['generate', tree, '--format', 'cyclonedx-xml', '--output', xml])).code).toBe(0);
    for (const file of [join(out, `${base}.cdx.json`), xml]) {
      const { document } = await readSbomFile(file);
      expect(document.manufacturer, file).toEqual({
        name: 'Python Software Foundation',
        urls: ['https://www.python.org/psf/'],
        securityContact: { email: 'security@python.org', url: 'https://www.python.org/dev/security/' },
      });
      expect(pkgOf(document, 'cpython')?.otherRefs, file).toBeUndefined();
      expect(document.lifecycles, file).toEqual(['pre-build']);
    }
    expect((await readSbomFile(join(out, `${base}.spdx.json`))).document.lifecycles).toEqual(['pre-build']);
    // metadata.manufacturer (who made the BOM) reads back as the Organization creator it came from.
    expect((await readSbomFile(join(out, `${base}.cdx.json`))).document.creators).toEqual([
      expect.stringMatching(/^Tool: cpython-sbom-/),
      'Organization: Example Distro',
      'Person: Jane Doe (jane@example.org)',
    ]);
    expect(await run(['generate', tree, '--output', '-', '--creator', 'Someone'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--creator: expected 'Organization: NAME'"),
    });
  });
});

describe('verify and diff see wheel members', () => {
  it('verify opens the wheel and names a changed, missing or added member; diff lists member changes', async () => {
    const tree = makeTree({ [WHEEL]: await pipWheel() }, '3.12.1');
    const out = tempDir();
    const sbom = join(out, 'old.spdx.json');
    expect((await run(['generate', tree, '--output', sbom])).code).toBe(0);
    expect((await run(['verify', sbom, tree])).code).toBe(0);

    writeFileSync(join(tree, WHEEL), await pipWheel({ extra: { 'pip/_vendor/requests/api.py': 'def get(url): steal()\n', 'pip/evil.py': 'x\n' } }));
    const verified = await run(['verify', sbom, tree, '--format', 'json']);
    expect(verified.code).toBe(1);
    const report = JSON.parse(verified.stdout);
    expect(report.changed.map((c: { path: string }) => c.path)).toEqual([WHEEL, `${WHEEL}/pip-24.0.dist-info/RECORD`, `${WHEEL}/pip/_vendor/requests/api.py`]);
    expect(report.unexpected).toEqual([`${WHEEL}/pip/evil.py`]);

    const newer = join(out, 'new.spdx.json');
    expect((await run(['generate', tree, '--output', newer])).code).toBe(0);
    const diff = JSON.parse((await run(['diff', sbom, newer, '--format', 'json'])).stdout);
    expect(diff.files.added).toEqual([`${WHEEL}/pip/evil.py`]);
    expect(diff.files.changed).toContain(`${WHEEL}/pip/_vendor/requests/api.py`);
  });
});
