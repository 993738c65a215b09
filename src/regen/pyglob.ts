import { type Dirent, lstatSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fnmatchSegment } from '../util/fnmatch.js';

/**
 * `glob.glob(pattern, root_dir=root, recursive=True)` as CPython's glob module answers it, because
 * generate_sbom.py lists a component's files that way and we must list exactly the same paths:
 * names starting with a dot are matched by neither `*` nor `**` (nor walked into), `**` also
 * yields the directory itself (`dir/`), symbolic links to directories are followed, and unreadable
 * directories are silently empty. Results are in directory order, unsorted, duplicates kept.
 *
 * One deliberate difference: for `dir/**` with `dir` missing, Python 3.11 still yields `dir/`
 * while 3.13 yields nothing; we follow 3.13 (the caller refuses an include that lists no file).
 */
export function pythonGlob(pattern: string, root: string): string[] {
  return [...iglob(pattern, root, false)];
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

function listDir(path: string, dirsOnly: boolean): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const entry of entries) {
    if (!dirsOnly || entry.isDirectory() || (entry.isSymbolicLink() && isDir(join(path, entry.name)))) {
      names.push(entry.name);
    }
  }
  return names;
}

function* iglob(pattern: string, root: string, dirsOnly: boolean): Generator<string> {
  const [dirname, basename] = splitPath(pattern);
  if (!hasMagic(pattern)) {
    if (basename ? exists(under(root, pattern)) : isDir(under(root, dirname))) yield pattern;
    return;
  }
  if (!dirname) {
    yield* basename === '**' ? glob2(root, dirsOnly) : glob1(root, basename, dirsOnly);
    return;
  }
  const dirs = dirname !== pattern && hasMagic(dirname) ? iglob(dirname, root, true) : [dirname];
  for (const dir of dirs) {
    const absolute = under(root, dir);
    const names = !hasMagic(basename)
      ? glob0(absolute, basename)
      : basename === '**'
        ? glob2(absolute, dirsOnly)
        : glob1(absolute, basename, dirsOnly);
    for (const name of names) yield joinPath(dir, name);
  }
}

function glob0(dir: string, basename: string): string[] {
  if (!basename) return isDir(dir) ? [basename] : [];
  return exists(join(dir, basename)) ? [basename] : [];
}

function glob1(dir: string, pattern: string, dirsOnly: boolean): string[] {
  let names = listDir(dir, dirsOnly);
  if (!isHidden(pattern)) names = names.filter((name) => !isHidden(name));
  const regex = fnmatchRegex(pattern);
  return names.filter((name) => regex.test(name));
}

function* glob2(dir: string, dirsOnly: boolean): Generator<string> {
  if (isDir(dir)) yield '';
  yield* walk(dir, dirsOnly, new Set());
}

/** `_rlistdir`; `seen` guards against symbolic-link cycles, where Python would recurse until it fails. */
function* walk(dir: string, dirsOnly: boolean, seen: Set<string>): Generator<string> {
  let identity: string;
  try {
    const stat = statSync(dir);
    identity = `${stat.dev}:${stat.ino}`;
  } catch {
    return;
  }
  if (seen.has(identity)) return;
  seen.add(identity);
  for (const name of listDir(dir, dirsOnly)) {
    if (isHidden(name)) continue;
    yield name;
    for (const inner of walk(join(dir, name), dirsOnly, seen)) yield `${name}/${inner}`;
  }
  seen.delete(identity);
}

/** `fnmatch.translate` for one name (POSIX: case-sensitive). */
export function fnmatchRegex(pattern: string): RegExp {
  return new RegExp(`^(?:${fnmatchSegment(pattern)})$`, 's');
}
