import { comparableDigest } from '../model/document.js';
import type { Checksums, FileEntry, Package } from '../model/types.js';
import type { PackageFilePaths } from './types.js';

/**
 * How one package's own files changed between two documents, and which of those changes are
 * changes of code (for the in-place finding) rather than of bookkeeping (a file that only moved,
 * or moved between packages with its content intact).
 */
export interface PackageFileComparison {
  counts: { added: number; removed: number; changed: number; moved?: number };
  paths: PackageFilePaths;
  /** Files whose content is new to the package, gone from the document, or different. */
  content: { added: string[]; removed: string[]; changed: string[] };
}

/** Same content when the strongest digest both sides carry agrees; no shared digest counts as changed. */
export function sameContent(a: Checksums | undefined, b: Checksums | undefined): boolean {
  if (!a || !b) return false;
  const digest = comparableDigest(a, b);
  return digest !== undefined && digest.a === digest.b;
}

/**
 * Where a file would be if its wheel had not been renamed: members of `pip-26.0.1-py3-none-any.whl/`
 * and of `pip-26.2.1-py3-none-any.whl/` share `pip.whl/`, so pip's vendored projects pair file for
 * file across a pip upgrade instead of showing every file removed and added.
 */
export function relocationKey(path: string): string {
  const wheelEnd = path.indexOf('.whl/');
  if (wheelEnd < 0) return path;
  const start = path.lastIndexOf('/', wheelEnd) + 1;
  const project = path.slice(start, wheelEnd).split('-')[0] ?? '';
  return `${path.slice(0, start)}${project}.whl/${path.slice(wheelEnd + '.whl/'.length)}`;
}

export function comparePackageFiles(
  a: Package,
  b: Package,
  oldFiles: Map<string, FileEntry>,
  newFiles: Map<string, FileEntry>,
  changedPaths: Set<string>,
): PackageFileComparison {
  const before = new Set(a.files);
  const after = new Set(b.files);
  const addedRaw: string[] = [];
  const changed: string[] = [];
  for (const path of after) {
    if (!before.has(path)) addedRaw.push(path);
    else if (changedPaths.has(path)) changed.push(path);
  }
  const removedRaw = [...before].filter((path) => !after.has(path));

  // Pair files that only changed place (a renamed wheel), each removed file at most once.
  const removedByKey = new Map<string, string[]>();
  for (const path of removedRaw) {
    const key = relocationKey(path);
    if (key === path) continue;
    const group = removedByKey.get(key);
    if (group) group.push(path);
    else removedByKey.set(key, [path]);
  }
  const moved: PackageFilePaths['moved'] = [];
  const movedFrom = new Set<string>();
  const added: string[] = [];
  for (const path of addedRaw) {
    const key = relocationKey(path);
    const from = key === path ? undefined : removedByKey.get(key)?.shift();
    if (from === undefined) {
      added.push(path);
      continue;
    }
    movedFrom.add(from);
    const differs = !sameContent(oldFiles.get(from)?.checksums, newFiles.get(path)?.checksums);
    moved.push({ from, to: path, changed: differs });
    if (differs) changed.push(path);
  }
  const removed = removedRaw.filter((path) => !movedFrom.has(path));

  // A file that joined this package from another (or left for another) with the same content is
  // not new code: only count content the other document did not have at that path.
  const content = {
    added: added.filter((path) => !sameContent(oldFiles.get(path)?.checksums, newFiles.get(path)?.checksums)),
    removed: removed.filter((path) => !sameContent(oldFiles.get(path)?.checksums, newFiles.get(path)?.checksums)),
    changed: [...changed],
  };

  const movedSame = moved.filter((move) => !move.changed).length;
  const counts: PackageFileComparison['counts'] = { added: added.length, removed: removed.length, changed: changed.length };
  if (movedSame > 0) counts.moved = movedSame;
  const sort = (list: string[]) => list.sort(byCodePoint);
  return {
    counts,
    paths: { added: sort(added), removed: sort(removed), changed: sort(changed), moved: moved.sort((x, y) => byCodePoint(x.to, y.to)) },
    content: { added: sort(content.added), removed: sort(content.removed), changed: sort(content.changed) },
  };
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
