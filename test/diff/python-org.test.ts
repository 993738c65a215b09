import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { SbomDiff } from '../../src/diff/types.js';
import { REPO, run } from '../support/cli.js';

/**
 * The real pair: python.org-style SBOMs of Python-3.13.5.tar.xz and Python-3.13.15.tar.xz, made
 * by python/release-tools' sbom.py (see fixtures/diff/python.org/README.md). The expected
 * differences below were worked out independently with Python's json module on the same files.
 */
const DIR = join(REPO, 'fixtures', 'diff', 'python.org');
const OLD = join(DIR, 'Python-3.13.5.tar.xz.spdx.json.gz');
const NEW = join(DIR, 'Python-3.13.15.tar.xz.spdx.json.gz');

const PYPI = (name: string, before: string, after: string) => ({
  name,
  fields: ['version', 'purl'],
  old: { version: before, purl: `pkg:pypi/${name}@${before}` },
  new: { version: after, purl: `pkg:pypi/${name}@${after}` },
  versionChange: 'upgrade',
});

const ADDED_FILES = [
  '.ruff.toml',
  'Doc/c-api/curses.rst',
  'Doc/c-api/picklebuffer.rst',
  'Doc/deprecations/c-api-pending-removal-in-3.16.rst',
  'Doc/deprecations/pending-removal-in-3.17.rst',
  'Doc/deprecations/pending-removal-in-3.18.rst',
  'Doc/howto/a-conceptual-overview-of-asyncio.rst',
  'Doc/tools/check-epub.py',
  'Lib/ensurepip/_bundled/pip-26.2.1-py3-none-any.whl',
  'Lib/idlelib/idle_test/test_zzdummy_user.py',
  'Lib/pydoc_data/module_docs.py',
  'Lib/test/NormalizationTest-3.2.0.txt',
  'Lib/test/_isolated_sample.py',
  'Lib/test/mime.types2',
  'Lib/test/mp_preload_flush.py',
  'Lib/test/mp_preload_large_sysargv.py',
  'Lib/test/mp_preload_main.py',
  'Lib/test/mp_preload_sysargv.py',
  'Lib/test/picklecommon.py',
  'Lib/test/support/isolation.py',
  'Lib/test/support/subprocess_runner.py',
  'Lib/test/test_capi/test_capsule.py',
  'Lib/test/test_capi/test_weakref.py',
  'Lib/test/test_free_threading/test_bisect.py',
  'Lib/test/test_json/json_lines.jsonl',
  'Lib/test/test_tkinter/test_dnd.py',
  'Lib/test/test_tkinter/test_filedialog.py',
  'Lib/test/test_tkinter/test_scrolledtext.py',
  'Lib/test/test_tkinter/test_tkinter_pipe.py',
  'Lib/test/test_tools/test_compute_changes.py',
  'Lib/test/test_xpickle.py',
  'Lib/test/xpickle_worker.py',
  'Mac/BuildScript/resources/update_shell_profile.command',
  'Misc/Brewfile',
  'Modules/_testcapi/weakref.c',
  'Modules/_testlimitedcapi/capsule.c',
  'Modules/_testlimitedcapi/run.c',
  'Modules/_testlimitedcapi/weakref.c',
  'Modules/expat/fallthrough.h',
  'Modules/expat/memory_sanitizer.h',
  'Modules/expat/xcsinc.c',
  'PC/layout/support/arch.py',
  'Python/asm_trampoline_aarch64.h',
  'Tools/build/.ruff.toml',
  'Tools/check-c-api-docs/ignored_c_api.txt',
  'Tools/check-c-api-docs/main.py',
  'Tools/check-c-api-docs/mypy.ini',
  'Tools/i18n/.ruff.toml',
  'Tools/peg_generator/.ruff.toml',
  'Tools/wasm/.ruff.toml',
  'iOS/Resources/bin/arm64-apple-ios-simulator-strip',
  'iOS/Resources/bin/arm64-apple-ios-strip',
  'iOS/Resources/bin/x86_64-apple-ios-simulator-strip',
  'iOS/testbed/iOSTestbed.lldbinit',
  'iOS/testbed/iOSTestbed.xcodeproj/xcshareddata/xcschemes/iOSTestbed.xcscheme',
  'iOS/testbed/iOSTestbed.xctestplan',
];
const REMOVED_FILES = [
  'Android/testbed/app/src/main/python/android_testbed_main.py',
  'Doc/library/tulip_coro.dia',
  'Doc/library/tulip_coro.png',
  'Lib/ensurepip/_bundled/pip-25.1.1-py3-none-any.whl',
  'Tools/wasm/mypy.ini',
];
const EXPAT_CHANGED = [
  'Modules/expat/COPYING',
  'Modules/expat/expat.h',
  'Modules/expat/expat_external.h',
  'Modules/expat/internal.h',
  'Modules/expat/siphash.h',
  'Modules/expat/xmlparse.c',
  'Modules/expat/xmlrole.c',
  'Modules/expat/xmlrole.h',
  'Modules/expat/xmltok.c',
  'Modules/expat/xmltok.h',
  'Modules/expat/xmltok_impl.c',
  'Modules/expat/xmltok_ns.c',
];

describe('diff: python.org SBOMs of 3.13.5 and 3.13.15 (made by release-tools, not by us)', () => {
  it('uses the documents the README describes', () => {
    const digest = (name: string) =>
      createHash('sha256')
        .update(gunzipSync(readFileSync(join(DIR, name))))
        .digest('hex');
    expect(digest('Python-3.13.5.tar.xz.spdx.json.gz')).toBe('0ae7228d19df00b8b0181bd885b6ee5badb7c34e40c02842efe55b613b10cdef');
    expect(digest('Python-3.13.15.tar.xz.spdx.json.gz')).toBe('db897192530698dc0f2df90aa3f7dec188441720ad70513b26ebed16030ba4da');
  });

  it('lists exactly the packages added, removed and changed, with old and new versions', async () => {
    const result = await run(['diff', OLD, NEW, '--format', 'json']);
    expect(result.code).toBe(1);
    const diff = JSON.parse(result.stdout) as SbomDiff;
    expect(diff.old).toEqual({ file: OLD, format: 'spdx-2.3', name: 'CPython SBOM' });
    expect(diff.packages.added).toEqual([]);
    expect(diff.packages.removed).toEqual([
      { name: 'dependency-groups', version: '1.3.1' },
      { name: 'typing_extensions', version: '4.13.2' },
    ]);
    expect(diff.packages.changed).toHaveLength(17);
    expect(diff.packages.changed).toMatchObject([
      PYPI('cachecontrol', '0.14.2', '0.14.4'),
      PYPI('certifi', '2025.1.31', '2026.6.17'),
      {
        name: 'CPython',
        fields: ['version', 'checksums', 'cpe', 'downloadLocation', 'files'],
        old: {
          version: '3.13.5',
          checksums: { SHA256: '93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640' },
          cpe: 'cpe:2.3:a:python:python:3.13.5:*:*:*:*:*:*:*',
          downloadLocation: 'https://www.python.org/ftp/python/3.13.5/Python-3.13.5.tar.xz',
          licenses: { concluded: 'PSF-2.0' },
        },
        new: {
          version: '3.13.15',
          checksums: { SHA256: '1e66a7945a48390ee4c2a4268a0e4185884059a13c4aab6d148aa208deea4a76' },
          cpe: 'cpe:2.3:a:python:python:3.13.15:*:*:*:*:*:*:*',
          downloadLocation: 'https://www.python.org/ftp/python/3.13.15/Python-3.13.15.tar.xz',
        },
        versionChange: 'upgrade',
        // Modules/expat/refresh.sh moved from expat to CPython (and changed).
        fileChanges: { added: 54, removed: 5, changed: 1311 },
      },
      PYPI('distlib', '0.3.9', '0.4.2'),
      {
        name: 'expat',
        fields: ['version', 'checksums', 'cpe', 'downloadLocation', 'files'],
        old: { version: '2.6.3', cpe: 'cpe:2.3:a:libexpat_project:libexpat:2.6.3:*:*:*:*:*:*:*' },
        new: { version: '2.8.2', cpe: 'cpe:2.3:a:libexpat_project:libexpat:2.8.2:*:*:*:*:*:*:*' },
        versionChange: 'upgrade',
        fileChanges: { added: 3, removed: 1, changed: 12 },
      },
      PYPI('idna', '3.10', '3.18'),
      PYPI('msgpack', '1.1.0', '1.1.2'),
      PYPI('packaging', '25.0', '26.2'),
      {
        name: 'pip',
        fields: ['version', 'checksums', 'purl', 'cpe', 'downloadLocation'],
        old: { version: '25.1.1', purl: 'pkg:pypi/pip@25.1.1' },
        new: { version: '26.2.1', purl: 'pkg:pypi/pip@26.2.1' },
        versionChange: 'upgrade',
      },
      PYPI('platformdirs', '4.3.7', '4.10.0'),
      PYPI('pygments', '2.19.1', '2.20.0'),
      PYPI('requests', '2.32.3', '2.34.2'),
      PYPI('resolvelib', '1.1.0', '1.2.1'),
      PYPI('rich', '14.0.0', '14.2.0'),
      PYPI('tomli', '2.2.1', '2.4.1'),
      PYPI('truststore', '0.10.1', '0.10.4'),
      PYPI('urllib3', '1.26.20', '2.7.0'),
    ]);
    expect(diff.packages.changed.some((change) => change.suspicious)).toBe(false);
  });

  it('lists exactly the files added, removed and changed', async () => {
    const diff = JSON.parse((await run(['diff', OLD, NEW, '--format', 'json'])).stdout) as SbomDiff;
    expect(diff.files.added).toEqual(ADDED_FILES);
    expect(diff.files.removed).toEqual(REMOVED_FILES);
    expect(diff.files.changed).toHaveLength(1324);
    expect(createHash('sha256').update(diff.files.changed.join('\n')).digest('hex')).toBe('50554a622cc62808cd598fc65001995273f225fbfef8caa062b407a81af9042b');
    expect(EXPAT_CHANGED.every((path) => diff.files.changed.includes(path))).toBe(true);
  });

  it('text output shows the version changes and the file counts per package', async () => {
    const { code, stdout } = await run(['diff', OLD, NEW]);
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(stdout).toContain('Packages: 0 added, 2 removed, 17 changed, 8 unchanged');
    expect(lines.find((line) => line.startsWith('  ~ expat '))).toMatch(/^ {2}~ expat +2\.6\.3 → 2\.8\.2 {2}upgrade$/);
    expect(lines.find((line) => line.startsWith('  ~ pip '))).toMatch(/25\.1\.1 → 26\.2\.1 {2}upgrade$/);
    expect(lines.find((line) => line.startsWith('  - typing_extensions'))).toMatch(/4\.13\.2$/);
    expect(stdout).toContain('Files: 56 added, 5 removed, 1324 changed, 3479 unchanged');
    expect(lines).toContain('  CPython  53 added, 5 removed, 1312 changed');
    expect(lines).toContain('  expat    3 added, 12 changed');
    // Files are grouped by the package that contains them in NEW.
    const expat = lines.slice(lines.indexOf('expat') + 1);
    expect(expat.slice(0, expat.indexOf(''))).toEqual([
      ...ADDED_FILES.filter((path) => path.startsWith('Modules/expat/')).map((path) => `  + ${path}`),
      ...EXPAT_CHANGED.map((path) => `  ~ ${path}`),
    ]);
  });

  it('markdown output shows the version changes and the file counts per package', async () => {
    const { code, stdout } = await run(['diff', OLD, NEW, '--format', 'markdown']);
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines.find((line) => line.startsWith('| expat |'))).toMatch(/^\| expat \| 2\.6\.3 \| 2\.8\.2 \| upgrade<br>/);
    expect(lines).toContain('| pip | 25.1.1 | 26.2.1 | upgrade<br>checksums: `SHA256 2913a38a2abf…` → `SHA256 71138adf1f4c…` |');
    expect(lines).toContain('| urllib3 | 1.26.20 | 2.7.0 | upgrade |');
    expect(lines).toContain('| dependency-groups | 1.3.1 | | removed |');
    expect(lines).toContain('| CPython | 53 | 5 | 1312 |');
    expect(lines).toContain('| expat | 3 | 0 | 12 |');
    expect(stdout.length).toBeLessThan(65_536); // fits a GitHub comment
  });

  it('a document against itself is equal', async () => {
    expect((await run(['diff', NEW, NEW, '--format', 'json'])).code).toBe(0);
  });
});
