import type { Catalog } from '../catalog/catalog.js';
import { parsePyVersion } from '../cpython/release.js';
import { InputError } from '../errors.js';
import { MAX_CHECKOUT_FILE_BYTES, readFileResolvedInTree } from '../util/tree-file.js';
import { CURRENT_RULES, readScriptRules, type ScriptRules } from './script-rules.js';

/** Which globs name a component's files: one entry of generate_sbom.py's PACKAGE_TO_FILES. */
export interface PackageFiles {
  include: string[];
  exclude: string[];
}

export interface PackageFilesSource {
  /** Component name -> globs, in the order the source lists them. */
  packages: Map<string, PackageFiles>;
  /** Where the mapping came from, for messages. */
  origin: string;
  /** What the script does besides (hashing, checks, which files it writes). */
  rules: ScriptRules;
}

export const SCRIPT_PATH = 'Tools/build/generate_sbom.py';

/**
 * The checkout's own mapping when its generate_sbom.py is there (the mapping moves between
 * CPython versions and the script is the authority), else the catalog's rules for the CPython
 * version in Include/patchlevel.h.
 */
export async function loadPackageFiles(root: string, loadCatalog: () => Promise<Catalog>): Promise<PackageFilesSource> {
  const script = await readOptional(root, SCRIPT_PATH);
  if (script !== undefined) {
    const rules = readScriptRules(script, SCRIPT_PATH);
    return { packages: parsePackageToFiles(script, SCRIPT_PATH, { computedAtRunTime: rules.pypi !== undefined }), origin: SCRIPT_PATH, rules };
  }
  const version = await cpythonVersion(root);
  const [catalog, { fileRulesFor }] = await Promise.all([loadCatalog(), import('../catalog/catalog.js')]);
  const packages = new Map<string, PackageFiles>();
  for (const component of catalog.components) {
    if (component.manifest !== true) continue;
    const rules = fileRulesFor(component, version);
    if (rules.include.length > 0) packages.set(component.name, { include: rules.include, exclude: rules.exclude });
  }
  return { packages, origin: `the built-in catalog (CPython ${version ?? 'version unknown'})`, rules: CURRENT_RULES };
}

/** A file of the checkout, never read through a link out of it; undefined when absent. */
async function readOptional(root: string, path: string): Promise<string | undefined> {
  return readFileResolvedInTree(root, path, MAX_CHECKOUT_FILE_BYTES)?.toString('utf8');
}

/** PY_VERSION from Include/patchlevel.h, e.g. `3.13.15` or `3.14.0a1+`. */
export async function cpythonVersion(root: string): Promise<string | undefined> {
  const text = await readOptional(root, 'Include/patchlevel.h');
  return text === undefined ? undefined : parsePyVersion(text);
}

// ---------------------------------------------------------------------------------------------
// A strict parser for exactly the shape CPython writes:
//   PACKAGE_TO_FILES = {
//       "name": PackageFiles(include=["glob", ...], exclude=[...]),   # comments allowed
//   }
// Anything else (computed values, other calls, string prefixes, escapes) is refused with the
// line it was found on: guessing at a Python expression would silently regenerate the wrong files.

type Token = { kind: 'string' | 'name' | 'punct'; text: string; line: number };

export function parsePackageToFiles(source: string, file: string, options: { computedAtRunTime?: boolean } = {}): Map<string, PackageFiles> {
  const start = /^PACKAGE_TO_FILES\s*(?::[^=\n]*)?=\s*(?=\{)/m.exec(source);
  if (!start) throw new InputError(`${file}: no PACKAGE_TO_FILES = {...} literal found`);
  const offset = start.index + start[0].length;
  const firstLine = source.slice(0, offset).split('\n').length;
  const tokens = tokenize(source, offset, firstLine, file);
  let pos = 0;

  const peek = (): Token | undefined => tokens[pos];
  const fail = (expected: string): never => {
    const token = peek();
    const found = token ? `'${token.text}'` : 'the end of the literal';
    throw new InputError(`${file}:${token?.line ?? firstLine}: PACKAGE_TO_FILES: expected ${expected}, found ${found}`);
  };
  const take = (kind: Token['kind'], text?: string): Token => {
    const token = peek();
    if (!token || token.kind !== kind || (text !== undefined && token.text !== text)) {
      return fail(text !== undefined ? `'${text}'` : `a ${kind}`);
    }
    pos++;
    return token;
  };
  const accept = (text: string): boolean => {
    const token = peek();
    if (token?.kind === 'punct' && token.text === text) {
      pos++;
      return true;
    }
    return false;
  };
  const stringList = (): string[] | null => {
    if (peek()?.kind === 'name' && peek()?.text === 'None') {
      pos++;
      return null;
    }
    take('punct', '[');
    const items: string[] = [];
    while (!accept(']')) {
      items.push(take('string').text);
      if (!accept(',')) {
        take('punct', ']');
        break;
      }
    }
    return items;
  };

  const packages = new Map<string, PackageFiles>();
  take('punct', '{');
  while (!accept('}')) {
    const name = take('string');
    take('punct', ':');
    take('name', 'PackageFiles');
    take('punct', '(');
    const values: { include?: string[] | null; exclude?: string[] | null } = {};
    const positional = ['include', 'exclude'] as const;
    let index = 0;
    while (!accept(')')) {
      let key: 'include' | 'exclude' | undefined;
      if (peek()?.kind === 'name' && tokens[pos + 1]?.text === '=') {
        const keyword = take('name');
        if (keyword.text !== 'include' && keyword.text !== 'exclude') fail("'include=' or 'exclude='");
        key = keyword.text as 'include' | 'exclude';
        pos++; // '='
      } else {
        key = positional[index];
        if (!key) fail("')'");
      }
      if (!key) break;
      if (key in values) throw new InputError(`${file}:${name.line}: PACKAGE_TO_FILES: '${name.text}' sets ${key} twice`);
      values[key] = stringList();
      index++;
      if (!accept(',')) {
        take('punct', ')');
        break;
      }
    }
    if (packages.has(name.text)) throw new InputError(`${file}:${name.line}: PACKAGE_TO_FILES: '${name.text}' is listed twice`);
    if (!values.include && !options.computedAtRunTime) {
      // Early-2024 scripts filled pip's include in at run time from the bundled wheel and PyPI.
      throw new InputError(
        `${file}:${name.line}: PACKAGE_TO_FILES: '${name.text}' has no include list (computed at run time by this version of the script, which regen does not support)`,
      );
    }
    packages.set(name.text, { include: values.include ?? [], exclude: values.exclude ?? [] });
    if (!accept(',')) {
      take('punct', '}');
      break;
    }
  }
  return packages;
}

function tokenize(source: string, offset: number, firstLine: number, file: string): Token[] {
  const tokens: Token[] = [];
  let line = firstLine;
  let depth = 0;
  for (let i = offset; i < source.length; ) {
    const ch = source[i] as string;
    if (ch === '\n') {
      line++;
      i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
    } else if (ch === '#') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (ch === '"' || ch === "'") {
      const end = source.indexOf(ch, i + 1);
      const text = end === -1 ? '' : source.slice(i + 1, end);
      if (end === -1 || text.includes('\n') || text.includes('\\')) {
        throw new InputError(`${file}:${line}: PACKAGE_TO_FILES: unsupported string literal (escapes, multi-line or unterminated)`);
      }
      tokens.push({ kind: 'string', text, line });
      i = end + 1;
    } else if (/[A-Za-z_]/.test(ch)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i, i + 100)) as RegExpExecArray;
      const next = source[i + match[0].length];
      if (next === '"' || next === "'") {
        throw new InputError(`${file}:${line}: PACKAGE_TO_FILES: unsupported string prefix '${match[0]}'`);
      }
      tokens.push({ kind: 'name', text: match[0], line });
      i += match[0].length;
    } else if ('{}()[],:='.includes(ch)) {
      tokens.push({ kind: 'punct', text: ch, line });
      i++;
      if ('{(['.includes(ch)) depth++;
      if ('})]'.includes(ch) && --depth === 0) return tokens;
    } else {
      throw new InputError(`${file}:${line}: PACKAGE_TO_FILES: unexpected '${ch}' in the literal`);
    }
  }
  throw new InputError(`${file}:${line}: PACKAGE_TO_FILES: the literal is not closed`);
}
