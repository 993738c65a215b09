import { InputError } from '../errors.js';
import type { ScanResult, ScannedFile } from '../source/types.js';
import { DEFAULT_ARCHIVES_BUDGET, InflateBudget, archiveKindOf, readArchiveMembers } from './archive.js';

/**
 * For `verify`: the archives whose members an SBOM lists (`<archive path>/<member path>`, as
 * `generate --profile complete` names them, one level of nesting included), opened so that each
 * member is checked like any file of the tree.
 */

/** Tree archives (and the archives inside them) that some listed path names a member of. */
export function listedArchives(paths: Iterable<string>): { top: Set<string>; nested: Set<string> } {
  const top = new Set<string>();
  const nested = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/');
    let found = 0;
    for (let end = 1; end < parts.length && found < 2; end++) {
      const prefix = parts.slice(0, end).join('/');
      if (archiveKindOf(prefix) === undefined) continue;
      (found === 0 ? top : nested).add(prefix);
      found++;
    }
  }
  return { top, nested };
}

/**
 * Adds the members of each listed archive found in the scan (its bytes in `scan.contents`) as
 * files named `<archive>/<member>`, and of each listed archive inside one. An archive that cannot
 * be read adds nothing: the SBOM lists no members for it either, unless it changed, and then its
 * listed members show as missing.
 */
export async function addArchiveMembers(scan: ScanResult, archives: { top: Set<string>; nested: Set<string> }): Promise<void> {
  if (archives.top.size === 0) return;
  const budget = new InflateBudget(DEFAULT_ARCHIVES_BUDGET);
  const added: ScannedFile[] = [];
  const open = async (bytes: Buffer, path: string, keepNested: boolean) => {
    try {
      const listing = await readArchiveMembers(bytes, path, { budget, keep: (name) => keepNested && archives.nested.has(`${path}/${name}`) });
      for (const member of listing.members) {
        added.push({ path: `${path}/${member.name}`, size: member.size, sha1: member.sha1, sha256: member.sha256 });
      }
      return listing.members;
    } catch (error) {
      if (error instanceof InputError) return [];
      throw error;
    }
  };
  for (const path of [...archives.top].sort()) {
    const bytes = scan.contents.get(path);
    if (!bytes) continue;
    for (const member of await open(bytes, path, true)) {
      if (member.bytes) await open(member.bytes, `${path}/${member.name}`, false);
    }
  }
  scan.files = [...scan.files, ...added].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
