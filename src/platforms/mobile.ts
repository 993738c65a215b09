import type { PlatformLibrary } from '../catalog/catalog.js';
import { InputError } from '../errors.js';
import { type Expr, RecipeSource, type Scope, type Stmt, type Value, evaluate, isDict, parseExpression, parseFunction } from './python-source.js';
import { type PlatformRecipe, type RecipeLibrary, catalogLibrary, shipsLibraryFile } from './recipe.js';

/**
 * The Android and iOS builds' libraries: `unpack_deps()` of Android/android.py (3.13+) and of
 * Apple/__main__.py (3.14+), read (never run) for one host. Both download BeeWare's prebuilt
 * libraries, one release tag per library (`openssl-3.0.19-1`: OpenSSL 3.0.19, BeeWare's build 1),
 * from `{deps_url}/{name_ver}/{filename}`; the recipes record no checksum. The statements of the
 * function must be of the shapes below, or the reader refuses the file, naming the line:
 *
 *     deps_url = "https://github.com/beeware/…/releases/download"
 *     for name_ver in ["bzip2-1.0.8-3", …]:
 *         filename = f"{name_ver}-{host}.tar.gz"
 *         out_path = download(f"{deps_url}/{name_ver}/{filename}", …)
 *         shutil.unpack_archive(out_path)
 *     if platform == "iOS":                      # Apple only: iOS links no dylib
 *         for dylib in prefix_dir.glob("**\/*.dylib"):
 *             dylib.unlink()
 */

export const ANDROID_RECIPE = 'Android/android.py';
export const APPLE_RECIPE = 'Apple/__main__.py';

/** python.org's Android packages: aarch64 first (x86_64 for emulators). */
export const DEFAULT_ANDROID_HOST = 'aarch64-linux-android';
/** python.org's iOS framework: the device slice. */
export const DEFAULT_IOS_HOST = 'arm64-apple-ios';

/** Calls whose effects are on the build machine only (a directory change, unpacking): not data. */
const EFFECT_ONLY = new Set(['os.chdir', 'shutil.unpack_archive']);

function dotted(expr: Expr): string | undefined {
  if (expr.kind === 'name') return expr.id;
  if (expr.kind === 'attr') {
    const object = dotted(expr.object);
    return object === undefined ? undefined : `${object}.${expr.attr}`;
  }
  return undefined;
}

interface Download {
  nameVer: string;
  url: string;
  line: number;
}

/** Walks unpack_deps() for one host, collecting each download and whether iOS drops dylibs. */
function readUnpackDeps(source: RecipeSource, scope: Scope, platform: string | undefined): { downloads: Download[]; dylibsRemoved: boolean } {
  const { line: defLine, body } = parseFunction(source, 'unpack_deps');
  const downloads: Download[] = [];
  let dylibsRemoved = false;
  let sawLoop = false;

  const statement = (stmt: Stmt, inLoop: boolean): void => {
    if (stmt.kind === 'expr' && stmt.value.kind === 'str') return; // a docstring
    if (stmt.kind === 'expr' && stmt.value.kind === 'call' && EFFECT_ONLY.has(dotted(stmt.value.func) ?? '')) return;
    if (stmt.kind === 'assign') {
      const value = stmt.value;
      if (value.kind === 'call' && dotted(value.func) === 'download') {
        if (!inLoop) source.fail(stmt.line, 'a download outside the loop over the libraries');
        const first = value.args[0];
        if (!first) source.fail(stmt.line, 'download() without a URL');
        const url = evaluate(first, scope);
        if (typeof url !== 'string' || !/^https:\/\/[^\s]+$/.test(url)) source.fail(stmt.line, 'a download URL this reader does not compute');
        downloads.push({ nameVer: scope.variables.get('name_ver') as string, url, line: stmt.line });
        scope.variables.set(stmt.target, { opaque: 'downloaded archive' });
        return;
      }
      scope.variables.set(stmt.target, evaluate(value, scope));
      return;
    }
    if (stmt.kind === 'for' && !inLoop && stmt.target === 'name_ver') {
      sawLoop = true;
      const list = evaluate(stmt.iter, scope);
      if (!Array.isArray(list) || list.some((item) => typeof item !== 'string'))
        source.fail(stmt.line, 'the libraries are not a list of "name-version-build" strings');
      for (const item of list as string[]) {
        scope.variables.set('name_ver', item);
        const before = downloads.length;
        for (const inner of stmt.body) statement(inner, true);
        if (downloads.length !== before + 1) source.fail(stmt.line, 'each library of the loop is not downloaded exactly once');
      }
      return;
    }
    if (stmt.kind === 'if' && stmt.branches.length === 1) {
      const test = stmt.branches[0]?.test;
      const loop = stmt.branches[0]?.body[0];
      if (
        test?.kind === 'compare' &&
        test.op === '==' &&
        test.left.kind === 'name' &&
        test.left.id === 'platform' &&
        test.right.kind === 'str' &&
        stmt.branches[0]?.body.length === 1 &&
        loop?.kind === 'for' &&
        loop.iter.kind === 'call' &&
        dotted(loop.iter.func)?.endsWith('.glob') &&
        loop.iter.args[0]?.kind === 'str' &&
        loop.iter.args[0].value === '**/*.dylib' &&
        loop.body.length === 1 &&
        loop.body[0]?.kind === 'expr' &&
        loop.body[0].value.kind === 'call' &&
        dotted(loop.body[0].value.func) === `${loop.target}.unlink`
      ) {
        if (platform === test.right.value) dylibsRemoved = true;
        return;
      }
    }
    source.fail(stmt.line, 'a statement of unpack_deps() this reader does not know');
  };
  for (const stmt of body) statement(stmt, false);
  if (!sawLoop) source.fail(defLine, 'unpack_deps() has no loop over the libraries it downloads');
  return { downloads, dylibsRemoved };
}

/** `openssl-3.0.19-1` → OpenSSL, 3.0.19, build 1 (BeeWare's release tags). */
function splitNameVer(nameVer: string, where: string): { name: string; version: string; build: string } {
  const match = /^([A-Za-z][A-Za-z0-9_+]*)-(\d[0-9A-Za-z.]*)-(\d+)$/.exec(nameVer);
  if (!match) throw new InputError(`${where}: ${JSON.stringify(nameVer)} is not a "name-version-build" release tag`);
  return { name: match[1] as string, version: match[2] as string, build: match[3] as string };
}

/**
 * A library `unpack_deps()` downloads, with its catalog entry, and the recipe row for it once how
 * it is linked is known (Android and iOS differ only there).
 */
function downloadedLibrary(
  download: { line: number; nameVer: string; url: string },
  recipeFile: string,
  libraries: readonly PlatformLibrary[],
): { library: PlatformLibrary; recipe: (link: RecipeLibrary['link'], linkReason: string) => RecipeLibrary } {
  const where = `${recipeFile}:${download.line}`;
  const tag = splitNameVer(download.nameVer, where);
  const library = catalogLibrary(libraries, tag.name, where);
  return {
    library,
    recipe: (link, linkReason) => ({
      library,
      recipeName: download.nameVer,
      version: tag.version,
      build: tag.build,
      url: download.url,
      patches: [],
      link,
      linkReason,
      where,
      download: 'binary',
    }),
  };
}

function moduleValue(source: RecipeSource, scope: Scope, name: string): Value {
  const assignment = source.moduleAssignment(name);
  if (!assignment) source.fail(1, `no module-level ${name} (the hosts this reader checks a host against)`);
  return evaluate(parseExpression(source, assignment.line, assignment.text), scope);
}

function baseScope(source: RecipeSource, variables: Record<string, Value>, call: Scope['call']): Scope {
  return {
    source,
    variables: new Map(Object.entries(variables)),
    call,
    global(name, line) {
      source.fail(line, `unknown name ${name} (not a value of the recipe this reader can follow)`);
    },
  };
}

export function readAndroidRecipe(text: string, libraries: readonly PlatformLibrary[], host: string = DEFAULT_ANDROID_HOST): PlatformRecipe {
  const source: RecipeSource = new RecipeSource(ANDROID_RECIPE, text);
  const noCalls: Scope['call'] = (name, _args, line) => source.fail(line, `unknown name ${name}() (not a function this reader follows)`);
  const hosts = moduleValue(source, baseScope(source, {}, noCalls), 'HOSTS');
  if (!Array.isArray(hosts) || !hosts.every((item) => typeof item === 'string'))
    source.fail(source.moduleAssignment('HOSTS')?.line ?? 1, 'HOSTS is not a list of host triplets');
  if (!(hosts as string[]).includes(host)) throw new InputError(`--host ${host}: ${ANDROID_RECIPE} builds for ${(hosts as string[]).join(', ')}`);

  const scope = baseScope(source, { host }, noCalls);
  const { downloads } = readUnpackDeps(source, scope, undefined);

  // What the package ships from the prefix: `("lib", ["libcrypto*.so", …])` in package().
  const packaged = source.functionLines('package');
  const libPatterns = packaged ? /\(\s*["']lib["']\s*,\s*\[([^\]]*)\]\s*\)/.exec(packaged.text) : null;
  if (!packaged || !libPatterns) source.fail(packaged?.start ?? 1, 'package() does not list the libraries it ships as ("lib", [...])');
  const patterns = [...(libPatterns[1] as string).matchAll(/["']([^"']+)["']/g)].map((match) => match[1] as string);

  const recipes = downloads.map((download): RecipeLibrary => {
    const { library, recipe } = downloadedLibrary(download, ANDROID_RECIPE, libraries);
    const shipped = shipsLibraryFile(library, patterns);
    return shipped
      ? recipe('DYNAMIC_LINK', "its shared library is shipped in the package's lib/ (package())")
      : recipe('STATIC_LINK', 'no shared library of it is shipped (package()): linked statically');
  });
  return {
    platform: 'android',
    file: ANDROID_RECIPE,
    entryPoint: 'unpack_deps',
    assumptions: [
      { name: 'host', value: host, why: `the Android host triplet (--host; python.org's Android packages: ${DEFAULT_ANDROID_HOST} and x86_64-linux-android)` },
    ],
    libraries: recipes,
    supplier: 'Organization: BeeWare',
  };
}

export function readAppleRecipe(text: string, libraries: readonly PlatformLibrary[], host: string = DEFAULT_IOS_HOST): PlatformRecipe {
  const source: RecipeSource = new RecipeSource(APPLE_RECIPE, text);
  const noCalls: Scope['call'] = (name, _args, line) => source.fail(line, `unknown name ${name}() (not a function this reader follows)`);
  // HOSTS: {platform: {xcframework slice: {host triple: multiarch}}}.
  const hosts = moduleValue(source, baseScope(source, {}, noCalls), 'HOSTS');
  const hostLine = source.moduleAssignment('HOSTS')?.line ?? 1;
  const multiarchs = new Map<string, { platform: string; multiarch: string }>();
  if (!isDict(hosts)) source.fail(hostLine, 'HOSTS is not a dict of platforms');
  for (const [platform, slicesExpr] of hosts.dict) {
    const slices = evaluate(slicesExpr, hosts.scope);
    if (!isDict(slices)) source.fail(hostLine, `HOSTS[${JSON.stringify(platform)}] is not a dict of slices`);
    for (const partsExpr of slices.dict.values()) {
      const parts = evaluate(partsExpr, slices.scope);
      if (!isDict(parts)) source.fail(hostLine, 'a slice of HOSTS is not a dict of hosts');
      for (const [triple, multiarchExpr] of parts.dict) {
        const multiarch = evaluate(multiarchExpr, parts.scope);
        if (typeof multiarch !== 'string') source.fail(hostLine, `HOSTS: the multiarch of ${triple} is not a string`);
        multiarchs.set(triple, { platform, multiarch });
      }
    }
  }
  const chosen = multiarchs.get(host);
  if (chosen?.platform !== 'iOS') {
    const ios = [...multiarchs].filter(([, value]) => value.platform === 'iOS').map(([triple]) => triple);
    throw new InputError(`--host ${host}: ${APPLE_RECIPE} builds iOS for ${ios.join(', ')}`);
  }
  // apple_target(host): "arm64-iphoneos" → "iphoneos.arm64", as the function writes it.
  const target = source.functionLines('apple_target');
  if (!target?.text.includes('".".join(multiarch.split("-")[::-1])')) {
    source.fail(target?.start ?? 1, 'apple_target() is not the function this reader knows (".".join(multiarch.split("-")[::-1]))');
  }
  const appleTarget = chosen.multiarch.split('-').reverse().join('.');
  const calls: Scope['call'] = (name, args, line) => {
    if (name === 'apple_target' && args.length === 1 && args[0] === host) return appleTarget;
    return noCalls(name, args, line);
  };
  const scope = baseScope(source, { host, platform: chosen.platform }, calls);
  const { downloads, dylibsRemoved } = readUnpackDeps(source, scope, chosen.platform);

  const recipes = downloads.map((download): RecipeLibrary => {
    const { recipe } = downloadedLibrary(download, APPLE_RECIPE, libraries);
    if (!dylibsRemoved) source.fail(download.line, 'unpack_deps() keeps dynamic libraries for iOS: how they are linked is not a shape this reader knows');
    return recipe('STATIC_LINK', 'unpack_deps() deletes every .dylib for iOS, so only static libraries are linked');
  });
  return {
    platform: 'ios',
    file: APPLE_RECIPE,
    entryPoint: 'unpack_deps',
    assumptions: [
      {
        name: 'host',
        value: host,
        why: `the iOS host triple (--host; python.org's iOS XCframework holds ${[...multiarchs]
          .filter(([, v]) => v.platform === 'iOS')
          .map(([t]) => t)
          .join(', ')})`,
      },
    ],
    libraries: recipes,
    supplier: 'Organization: BeeWare',
  };
}
