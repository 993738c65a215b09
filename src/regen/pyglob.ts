import { type Dirent, lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { compileFnmatch, fnmatchSegment } from '../util/fnmatch.js';

/**
 * `glob.glob(pattern, root_dir=root, recursive=True)` as CPython's glob module answers it, because
 * generate_sbom.py lists a component's files that way and we must list exactly the same paths:
 * names starting with a dot are matched by neither `*` nor `**` (nor walked into), `**` also
 * yields the directory itself (`dir/`), and unreadable directories are silently empty. Results
 * are in directory order, unsorted, duplicates kept.
 *
 * Where Python would leave the tree we refuse instead (an InputError naming the pattern): a
 * pattern with a `..` segment or an absolute one, and any symbolic link to a directory the
 * pattern would run through (Python follows them), in git checkouts and unpacked trees alike.
 * Nothing outside the tree is listed or read.
 *
 * One deliberate difference: for `dir/**` with `dir` missing, Python 3.11 still yields `dir/`
 * while 3.13 yields nothing; we follow 3.13 (the caller refuses an include that lists no file).
 */
export function pythonGlob(pattern: string, root: string, origin = 'include'): string[] {
  const refuse = (why: string): never => {
    throw new InputError(`${origin} '${pattern}': ${why}; refused (regen never reads outside the tree)`);
  };
  if (pattern.startsWith('/')) refuse('an absolute pattern');
  if (pattern.split('/').includes('..')) refuse("a '..' segment climbs out of the tree");
  const guard: Guard = (relative) => refuse(`it runs through ${relative}, a symbolic link to a directory`);
  // A literal directory part may itself be a link (Modules/expat -> /elsewhere).
  const parts = pattern.split('/');
  for (let i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i);
    if (prefix.some(hasMagic)) break;
    const relative = prefix.join('/');
    if (relative && isLinkToDir(join(root, relative))) guard(relative);
  }
  return [...iglob(pattern, root, false, guard)];
}

/** Called with a tree-relative path when the glob would enter a symbolic link to a directory. */
type Guard = (relative: string) => never;

function isLinkToDir(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink() && statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const MAGIC = /[*?[]/;
const hasMagic = (text: string): boolean => MAGIC.test(text);
const isHidden = (name: string): boolean => name.startsWith('.');

/** `os.path.split`: the head keeps no trailing slashes unless it is all slashes. */
function splitPath(path: string): [string, string] {
  const cut = path.lastIndexOf('/') + 1;
  let head = path.slice(0, cut);
  const tail = path.slice(cut);
  if (head && !/^\/+$/.test(head)) head = head.replace(/\/+$/, '');
  return [head, tail];
}

/** `os.path.join(a, b)` for relative POSIX parts. */
function joinPath(dir: string, name: string): string {
  if (name.startsWith('/')) return name;
  if (!dir || dir.endsWith('/')) return dir + name;
  return `${dir}/${name}`;
}

function under(root: string, path: string): string {
  return path ? join(root, path) : root;
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function* iglob(pattern: string, root: string, dirsOnly: boolean, guard: Guard): Generator<string> {
  const [dirname, basename] = splitPath(pattern);
  if (!hasMagic(pattern)) {
    if (basename ? exists(under(root, pattern)) : isDir(under(root, dirname))) yield pattern;
    return;
  }
  if (!dirname) {
    yield* basename === '**' ? glob2(root, '', dirsOnly, guard) : glob1(root, '', basename, dirsOnly, guard);
    return;
  }
  const dirs = dirname !== pattern && hasMagic(dirname) ? iglob(dirname, root, true, guard) : [dirname];
  for (const dir of dirs) {
    const absolute = under(root, dir);
    const names = !hasMagic(basename)
      ? glob0(absolute, basename)
      : basename === '**'
        ? glob2(absolute, dir, dirsOnly, guard)
        : glob1(absolute, dir, basename, dirsOnly, guard);
    for (const name of names) yield joinPath(dir, name);
  }
}

function glob0(dir: string, basename: string): string[] {
  if (!basename) return isDir(dir) ? [basename] : [];
  return exists(join(dir, basename)) ? [basename] : [];
}

function glob1(dir: string, relative: string, pattern: string, dirsOnly: boolean, guard: Guard): string[] {
  const matches = compileFnmatch(pattern);
  const hiddenToo = isHidden(pattern);
  return listEntries(dir)
    .map((entry) => entry.name)
    .filter((name) => {
      if (!hiddenToo && isHidden(name)) return false;
      if (!matches(name)) return false;
      if (!dirsOnly) return true;
      // A directory the glob goes on into: a link to one would take it outside the tree.
      const path = join(dir, name);
      if (isLinkToDir(path)) guard(relative ? `${relative}/${name}` : name);
      return isDir(path);
    });
}

function* glob2(dir: string, relative: string, dirsOnly: boolean, guard: Guard): Generator<string> {
  if (isDir(dir)) yield '';
  yield* walk(dir, relative, dirsOnly, guard);
}

/** `_rlistdir`, refusing to enter a symbolic link to a directory (Python would follow it). */
function* walk(dir: string, relative: string, dirsOnly: boolean, guard: Guard): Generator<string> {
  for (const entry of listEntries(dir)) {
    const name = entry.name;
    if (isHidden(name)) continue;
    const path = join(dir, name);
    const inside = relative ? `${relative}/${name}` : name;
    if (entry.isSymbolicLink() && isDir(path)) guard(inside);
    if (dirsOnly && !entry.isDirectory()) continue;
    yield name;
    if (entry.isDirectory()) for (const inner of walk(path, inside, dirsOnly, guard)) yield `${name}/${inner}`;
  }
}

function listEntries(path: string): Dirent[] {
  try {
    return readdirSync(path, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** `fnmatch.translate` for one name (POSIX: case-sensitive); the glob itself uses compileFnmatch. */
export function fnmatchRegex(pattern: string): RegExp {
  return new RegExp(`^(?:${fnmatchSegment(pattern)})$`, 's');
}
