import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { InputError } from '../../src/errors.js';
import { readAndroidRecipe, readAppleRecipe, readMacRecipe } from '../../src/platforms/index.js';
import { REPO } from '../support/cli.js';

/**
 * The recipe readers on synthetic recipes shaped like CPython's (fixtures/platforms/tree): every
 * condition evaluated for the assumptions given, and every shape they do not know refused with the
 * file and line.
 */

const TREE = join(REPO, 'fixtures', 'platforms', 'tree');
const MAC = readFileSync(join(TREE, 'Mac/BuildScript/build-installer.py'), 'utf8');
const ANDROID = readFileSync(join(TREE, 'Android/android.py'), 'utf8');
const APPLE = readFileSync(join(TREE, 'Apple/__main__.py'), 'utf8');
const PATCH = readFileSync(join(TREE, 'Mac/BuildScript/example_tk.patch'));
const libraries = loadCatalog().platformLibraries ?? [];
const patchBytes = (path: string) => (path === 'Mac/BuildScript/example_tk.patch' ? PATCH : undefined);

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('macOS: library_recipes() of build-installer.py', () => {
  it('lists what the default target downloads, with versions, URLs, checksums and links', () => {
    const recipe = readMacRecipe(MAC, '3.14.0', libraries, patchBytes);
    const rows = recipe.libraries.map((item) => [item.library.key, item.version, item.url, item.checksum?.algorithm, item.link]);
    expect(rows).toEqual([
      ['openssl', '3.0.99', 'https://example.org/openssl-3.0.99.tar.gz', 'SHA256', 'DYNAMIC_LINK'],
      ['tcl', '8.6.99', 'https://example.org/tcl/tcl8.6.99-src.tar.gz', 'SHA256', 'DYNAMIC_LINK'],
      ['tk', '8.6.99', 'https://example.org/tcl/tk8.6.99-src.tar.gz', 'SHA256', 'DYNAMIC_LINK'],
      ['xz', '5.2.3', 'https://example.org/xz-5.2.3.tar.gz', 'MD5', 'STATIC_LINK'],
      ['sqlite', '3.99.0', 'https://example.org/sqlite-autoconf-3990000.tar.gz', 'SHA256', 'STATIC_LINK'],
    ]);
    // Each library is placed at its dict( line of the file.
    const firstDict = MAC.split('\n').findIndex((line) => line.trim() === 'dict(') + 1;
    expect(recipe.libraries[0]?.where).toBe(`Mac/BuildScript/build-installer.py:${firstDict}`);
    expect(recipe.assumptions.find((a) => a.name === 'deployment-target')?.value).toBe('10.13');
  });

  it('follows the deployment target: no Tcl/Tk below 10.6, bzip2 below 10.5', () => {
    const old = readMacRecipe(MAC, '3.14.0', libraries, patchBytes, { deploymentTarget: '10.4' });
    expect(old.libraries.map((item) => item.library.key)).toEqual(['openssl', 'xz', 'sqlite', 'bzip2']);
    expect(old.assumptions[0]?.value).toBe('10.4');
  });

  it("defaults to python.org's targets: 10.9 before 3.12", () => {
    expect(readMacRecipe(MAC, '3.11.2', libraries, patchBytes).assumptions[0]?.value).toBe('10.9');
  });

  it('refuses a deployment target that is not a version', () => {
    expect(refusal(() => readMacRecipe(MAC, '3.14.0', libraries, patchBytes, { deploymentTarget: 'ten' }))).toContain('--deployment-target');
  });

  it('names the file and line of a shape it does not know', () => {
    const loop = MAC.replace('    if PYTHON_3:\n', '    while PYTHON_3:\n');
    expect(refusal(() => readMacRecipe(loop, '3.14.0', libraries, patchBytes))).toMatch(/^Mac\/BuildScript\/build-installer\.py:\d+: a 'while' statement/);
    const unknownName = MAC.replace('if internalTk():', 'if hasFeature():');
    expect(refusal(() => readMacRecipe(unknownName, '3.14.0', libraries, patchBytes))).toMatch(/build-installer\.py:\d+: unknown name hasFeature\(\)/);
    const comprehension = MAC.replace('tk_patches = []', 'tk_patches = [p for p in PATCHES]');
    expect(refusal(() => readMacRecipe(comprehension, '3.14.0', libraries, patchBytes))).toMatch(/build-installer\.py:\d+: a comprehension/);
  });

  it('refuses a library the catalog does not name, a bad checksum, a missing patch', () => {
    expect(refusal(() => readMacRecipe(MAC.replace('name="XZ 5.2.3"', 'name="Frobnicate 1.0"'), '3.14.0', libraries, patchBytes))).toMatch(
      /build-installer\.py:\d+: the recipe downloads 'Frobnicate'/,
    );
    expect(refusal(() => readMacRecipe(MAC.replace("'66666666666666666666666666666666'", "'abc'"), '3.14.0', libraries, patchBytes))).toContain(
      'neither a SHA-256 nor an MD5',
    );
    // The old Tk applies a patch from Mac/BuildScript: a tree without it is refused.
    const oldTk = MAC.replace('return getBuildTuple() < (10, 15)', 'return True');
    expect(refusal(() => readMacRecipe(oldTk, '3.14.0', libraries, () => undefined))).toContain(
      'Mac/BuildScript/example_tk.patch, which the tree does not have',
    );
  });

  it("applies the old Tk's patch as the recipe says", () => {
    const oldTk = MAC.replace('return getBuildTuple() < (10, 15)', 'return True');
    const tk = readMacRecipe(oldTk, '3.14.0', libraries, patchBytes).libraries.find((item) => item.library.key === 'tk');
    expect(tk?.version).toBe('8.6.8');
    expect(tk?.checksum).toEqual({ algorithm: 'MD5', value: '33333333333333333333333333333333' });
    expect(tk?.patches).toEqual([{ location: 'Mac/BuildScript/example_tk.patch', local: true, kind: 'patch' }]);
  });

  it('refuses a buildrecipe that does not say whether it builds shared libraries', () => {
    const unclear = MAC.replace('        "shared",\n', '');
    expect(refusal(() => readMacRecipe(unclear, '3.14.0', libraries, patchBytes))).toMatch(/build-installer\.py:\d+: build_universal_openssl\(\) does not say/);
  });

  it('never runs the file: a recipe that would run code is read as data or refused', () => {
    const evil = MAC.replace('    result = []\n', "    result = []\n    __import__('os').system('touch /tmp/pwned')\n");
    expect(refusal(() => readMacRecipe(evil, '3.14.0', libraries, patchBytes))).toMatch(/build-installer\.py:\d+: /);
  });
});

describe('Android: unpack_deps() of android.py', () => {
  it("lists BeeWare's builds for the host, with the link package() implies", () => {
    const recipe = readAndroidRecipe(ANDROID, libraries);
    expect(recipe.libraries.map((item) => [item.library.key, item.version, item.build, item.link])).toEqual([
      ['bzip2', '1.0.8', '3', 'STATIC_LINK'],
      ['openssl', '3.0.99', '1', 'DYNAMIC_LINK'],
      ['sqlite', '3.99.0', '0', 'DYNAMIC_LINK'],
    ]);
    expect(recipe.libraries[1]?.url).toBe(
      'https://github.com/beeware/cpython-android-source-deps/releases/download/openssl-3.0.99-1/openssl-3.0.99-1-aarch64-linux-android.tar.gz',
    );
    expect(recipe.libraries.every((item) => item.checksum === undefined)).toBe(true);
  });

  it('takes another host of HOSTS, refuses one it does not build for', () => {
    expect(readAndroidRecipe(ANDROID, libraries, 'x86_64-linux-android').libraries[0]?.url).toMatch(/bzip2-1\.0\.8-3-x86_64-linux-android\.tar\.gz$/);
    expect(refusal(() => readAndroidRecipe(ANDROID, libraries, 'mips-linux-android'))).toContain('builds for aarch64-linux-android, x86_64-linux-android');
  });

  it('refuses an unknown statement in unpack_deps(), naming the line', () => {
    const changed = ANDROID.replace('        shutil.unpack_archive(out_path)\n', '        subprocess.run(out_path)\n');
    expect(refusal(() => readAndroidRecipe(changed, libraries))).toMatch(/^Android\/android\.py:\d+: a statement of unpack_deps\(\)/);
    const tag = ANDROID.replace('"bzip2-1.0.8-3"', '"bzip2"');
    expect(refusal(() => readAndroidRecipe(tag, libraries))).toContain('"bzip2" is not a "name-version-build" release tag');
  });
});

describe('iOS: unpack_deps() of Apple/__main__.py', () => {
  it("lists BeeWare's builds for the device slice, all linked statically", () => {
    const recipe = readAppleRecipe(APPLE, libraries);
    expect(recipe.libraries.map((item) => [item.library.key, item.version, item.url.split('/').pop(), item.link])).toEqual([
      ['bzip2', '1.0.8', 'bzip2-1.0.8-2-iphoneos.arm64.tar.gz', 'STATIC_LINK'],
      ['libffi', '3.4.99', 'libffi-3.4.99-2-iphoneos.arm64.tar.gz', 'STATIC_LINK'],
      ['mpdecimal', '4.0.0', 'mpdecimal-4.0.0-2-iphoneos.arm64.tar.gz', 'STATIC_LINK'],
    ]);
    expect(readAppleRecipe(APPLE, libraries, 'x86_64-apple-ios-simulator').libraries[0]?.url).toMatch(/iphonesimulator\.x86_64\.tar\.gz$/);
  });

  it('refuses a recipe that keeps dylibs for iOS, or an apple_target() it does not know', () => {
    const keeps = APPLE.replace('    if platform == "iOS":\n        for dylib in prefix_dir.glob("**/*.dylib"):\n            dylib.unlink()\n', '');
    expect(refusal(() => readAppleRecipe(keeps, libraries))).toMatch(/__main__\.py:\d+: unpack_deps\(\) keeps dynamic libraries/);
    const target = APPLE.replace('".".join(multiarch.split("-")[::-1])', 'multiarch');
    expect(refusal(() => readAppleRecipe(target, libraries))).toMatch(/^Apple\/__main__\.py:\d+: apple_target\(\) is not the function/);
  });
});
