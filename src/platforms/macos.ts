import type { PlatformLibrary } from '../catalog/catalog.js';
import { compareVersions } from '../catalog/catalog.js';
import { InputError } from '../errors.js';
import {
  type Expr,
  RecipeSource,
  type Scope,
  type Stmt,
  type Value,
  evaluate,
  execute,
  isDict,
  isFunctionRef,
  isOpaque,
  isTuple,
  parseExpression,
  parseFunction,
} from './python-source.js';
import { type PlatformRecipe, type RecipeLibrary, type RecipePatch, catalogLibrary, recipeChecksum } from './recipe.js';

/**
 * The macOS installer's libraries: `library_recipes()` of Mac/BuildScript/build-installer.py, read
 * (never run) for a deployment target and build host. Its generations (3.10–3.15) use the same
 * shape: a list of `dict(name="OpenSSL 3.0.19", url=…, checksum=…, patches=[…], …)` extended under
 * conditions on `internalTk()`, `useOldTk()`, `PYTHON_3` and `getDeptargetTuple()`; the helper
 * functions and constants those name are read from the same file.
 */

export const MAC_RECIPE = 'Mac/BuildScript/build-installer.py';
export const MAC_BUILDSCRIPT = 'Mac/BuildScript/';

export interface MacAssumptions {
  /** `--dep-target` of the build (`10.13`). */
  deploymentTarget?: string;
}

/**
 * python.org's installers: "for macOS 10.13 and later" since 3.12 (universal2, built with
 * `--dep-target=10.13`), 10.9 before. Build hosts are current macOS releases.
 */
export function defaultDeploymentTarget(cpythonVersion: string): string {
  return compareVersions(cpythonVersion, '3.12') >= 0 ? '10.13' : '10.9';
}
/** The build host macOS python.org's installers are built on: a current one (only `< (10, 15)` is ever tested). */
export const BUILD_HOST_MACOS = '15.0';

function versionTuple(text: string, what: string): Value {
  if (!/^\d{1,3}(\.\d{1,3}){0,2}$/.test(text)) throw new InputError(`${what}: ${JSON.stringify(text)} is not a macOS version (e.g. 10.13, 11.0)`);
  // getDeptargetTuple() and getBuildTuple() keep two parts.
  const parts = text.split('.').map((part) => Number.parseInt(part, 10));
  while (parts.length < 2) parts.push(0);
  return { tuple: parts.slice(0, 2) };
}

export function readMacRecipe(
  text: string,
  cpythonVersion: string,
  libraries: readonly PlatformLibrary[],
  patchBytes: (path: string) => Buffer | undefined,
  assumptions: MacAssumptions = {},
): PlatformRecipe {
  const source: RecipeSource = new RecipeSource(MAC_RECIPE, text);
  const target = assumptions.deploymentTarget ?? defaultDeploymentTarget(cpythonVersion);
  const targetTuple = versionTuple(target, '--deployment-target');
  const hostTuple = versionTuple(BUILD_HOST_MACOS, 'build host');
  const [major, minor] = cpythonVersion.split('.').map((part) => Number.parseInt(part, 10)) as [number, number];
  const majorMinor = `${major}.${minor}`;
  const used = new Set<string>();

  const constants = new Map<string, Value>();
  const resolving = new Set<string>();
  const scope: Scope = {
    source,
    variables: new Map(),
    call(name, args, line) {
      if (args.length > 0) source.fail(line, `${name}() with arguments is not a shape this reader knows`);
      switch (name) {
        case 'getDeptargetTuple':
          used.add('deployment-target');
          return targetTuple;
        case 'getBuildTuple':
          used.add('build-host');
          return hostTuple;
        case 'getVersionMajorMinor':
          return { tuple: [major, minor] };
        case 'getVersion':
          return majorMinor;
        case 'getFullVersion':
          return cpythonVersion;
        default:
          return helper(name, line);
      }
    },
    global(name, line) {
      if (constants.has(name)) return constants.get(name) as Value;
      if (source.defLine(name) !== undefined) return { function: name };
      const assignment = source.moduleAssignment(name);
      if (!assignment || resolving.has(name)) source.fail(line, `unknown name ${name} (no module constant or function of that name this reader can follow)`);
      resolving.add(name);
      const value = evaluate(parseExpression(source, assignment.line, assignment.text), scope);
      resolving.delete(name);
      constants.set(name, value);
      return value;
    },
  };

  /** A helper such as `internalTk()`: a function whose body is one `return EXPR` (after a docstring). */
  function helper(name: string, line: number): Value {
    if (source.defLine(name) === undefined) source.fail(line, `unknown name ${name}() (no function of that name in the file)`);
    if (resolving.has(name)) source.fail(line, `${name}() calls itself`);
    const { line: defLine, body } = parseFunction(source, name);
    const statements = body.filter((stmt) => !(stmt.kind === 'expr' && stmt.value.kind === 'str'));
    const only = statements[0];
    if (statements.length !== 1 || only?.kind !== 'return' || !only.value) {
      source.fail(defLine, `${name}() is not a one-expression function this reader can follow`);
    }
    resolving.add(name);
    const value = evaluate(only.value, { ...scope, variables: new Map() });
    resolving.delete(name);
    return value;
  }

  const { line: defLine, body } = parseFunction(source, 'library_recipes');
  const returned = execute(body, scope);
  const result = scope.variables.get('result');
  if (returned === undefined || !Array.isArray(returned) || returned !== result) {
    source.fail(defLine, 'library_recipes() does not end by returning its result list');
  }

  const recipes: RecipeLibrary[] = [];
  for (const item of returned) {
    if (!isDict(item)) source.fail(defLine, 'library_recipes() lists something that is not a dict(...)');
    recipes.push(libraryOf(item, source, libraries, patchBytes));
  }

  const recorded: PlatformRecipe['assumptions'] = [
    {
      name: 'deployment-target',
      value: target,
      why: `macOS deployment target (--deployment-target; python.org's installers for ${majorMinor} use ${defaultDeploymentTarget(cpythonVersion)})`,
    },
  ];
  if (used.has('build-host')) {
    recorded.push({
      name: 'build-host',
      value: `macOS ${BUILD_HOST_MACOS}`,
      why: 'the macOS the installer is built on (python.org builds on a current release; the recipe picks Tcl/Tk by it)',
    });
  }
  return { platform: 'macos', file: MAC_RECIPE, entryPoint: 'library_recipes', assumptions: recorded, libraries: recipes };
}

function field(item: { dict: Map<string, Expr>; scope: Scope }, key: string): Value | undefined {
  const expr = item.dict.get(key);
  return expr === undefined ? undefined : evaluate(expr, item.scope);
}

function libraryOf(
  item: { dict: Map<string, Expr>; line: number; scope: Scope },
  source: RecipeSource,
  libraries: readonly PlatformLibrary[],
  patchBytes: (path: string) => Buffer | undefined,
): RecipeLibrary {
  const where = `${source.file}:${item.line}`;
  const text = (key: string, required: boolean): string | undefined => {
    const value = field(item, key);
    if (value === undefined && !required) return undefined;
    if (typeof value !== 'string') source.fail(item.line, `the recipe's ${key} is not a string this reader computes`);
    return value;
  };
  const name = text('name', true) as string;
  const named = /^(.*\S)\s+(\d[0-9A-Za-z.]*)$/.exec(name);
  if (!named) source.fail(item.line, `recipe name ${JSON.stringify(name)} is not "NAME VERSION"`);
  const library = catalogLibrary(libraries, named[1] as string, where);
  const url = text('url', true) as string;
  if (!/^(https?|ftp):\/\/[^\s]+$/.test(url)) source.fail(item.line, `url ${JSON.stringify(url)} is not a download URL`);
  const checksum = recipeChecksum(text('checksum', true) as string, where);

  const patches: RecipePatch[] = [];
  for (const [key, kind] of [
    ['patches', 'patch'],
    ['patchscripts', 'patch script'],
  ] as const) {
    const list = field(item, key);
    if (list === undefined) continue;
    if (!Array.isArray(list)) source.fail(item.line, `the recipe's ${key} is not a list`);
    for (const patch of list) {
      if (typeof patch === 'string') {
        // build-installer.py applies a bare name from Mac/BuildScript (its own directory).
        if (!/^[A-Za-z0-9_.+-]+$/.test(patch)) source.fail(item.line, `patch ${JSON.stringify(patch)} is not a file name in ${MAC_BUILDSCRIPT}`);
        const path = MAC_BUILDSCRIPT + patch;
        if (!patchBytes(path)) source.fail(item.line, `the recipe applies ${path}, which the tree does not have`);
        patches.push({ location: path, local: true, kind });
      } else if (isTuple(patch) && patch.tuple.length === 2 && typeof patch.tuple[0] === 'string' && typeof patch.tuple[1] === 'string') {
        patches.push({ location: patch.tuple[0], local: false, checksum: recipeChecksum(patch.tuple[1], where), kind });
      } else {
        source.fail(item.line, `an entry of ${key} is neither a file name nor a (url, checksum) pair`);
      }
    }
  }

  const { link, reason } = linkOf(item, source);
  return {
    library,
    recipeName: name,
    version: named[2] as string,
    url,
    checksum,
    patches,
    link,
    linkReason: reason,
    where,
    download: 'source',
  };
}

/**
 * Static or dynamic: build-installer.py configures every library `--enable-static --disable-shared`
 * unless the recipe's `configure_pre` says `--enable-shared` (or ncurses' `--with-shared`); a recipe
 * with its own `buildrecipe` and no configure step (OpenSSL) builds what that function configures.
 */
function linkOf(item: { dict: Map<string, Expr>; line: number; scope: Scope }, source: RecipeSource): { link: 'STATIC_LINK' | 'DYNAMIC_LINK'; reason: string } {
  const configure = item.dict.has('configure') ? field(item, 'configure') : undefined;
  const buildrecipe = item.dict.has('buildrecipe') ? field(item, 'buildrecipe') : undefined;
  if (configure === null) {
    if (buildrecipe === undefined) {
      // bzip2 and zlib in old generations: `make install` of the library's own Makefile, which builds a static library.
      if (!item.dict.has('install')) source.fail(item.line, 'a recipe without a configure step names neither a buildrecipe nor an install command');
      return { link: 'STATIC_LINK', reason: "no configure step: built by its own Makefile's install target, a static library" };
    }
    if (!isFunctionRef(buildrecipe)) source.fail(item.line, 'the buildrecipe is not a function of the file');
    const body = source.functionLines(buildrecipe.function)?.text ?? '';
    const shared = /["']shared["']/.test(body);
    const noShared = /["']no-shared["']/.test(body);
    if (shared === noShared)
      source.fail(source.defLine(buildrecipe.function) ?? item.line, `${buildrecipe.function}() does not say plainly whether it builds shared libraries`);
    return shared
      ? { link: 'DYNAMIC_LINK', reason: `built shared by ${buildrecipe.function}()` }
      : { link: 'STATIC_LINK', reason: `built static by ${buildrecipe.function}()` };
  }
  const pre = item.dict.has('configure_pre') ? field(item, 'configure_pre') : [];
  if (!Array.isArray(pre)) source.fail(item.line, 'configure_pre is not a list');
  const options = pre.filter((option): option is string => typeof option === 'string' && !isOpaque(option));
  const sharedOption = options.find((option) => option === '--enable-shared' || option === '--with-shared');
  if (sharedOption) return { link: 'DYNAMIC_LINK', reason: `configured ${sharedOption}` };
  const build = source.functionLines('buildRecipe')?.text ?? '';
  if (!/["']--disable-shared["']/.test(build))
    source.fail(source.defLine('buildRecipe') ?? item.line, 'buildRecipe() does not configure libraries --disable-shared by default, as this reader knows it');
  return { link: 'STATIC_LINK', reason: 'configured --enable-static --disable-shared (buildRecipe() default)' };
}

export type { Stmt };
