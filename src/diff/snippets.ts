import { normalizePackageName } from '../model/document.js';
import type { FileEntry, Snippet } from '../model/types.js';
import { sameContent } from './package-files.js';
import { SNIPPET_FIELDS, type ChangedSnippet, type SbomDiff, type SnippetField, type SnippetSnapshot } from './types.js';
import { known } from './values.js';

/**
 * Compares snippets (third-party code inside another package's file: SipHash in Python/pyhash.c,
 * the kqueue code in Modules/selectmodule.c). They pair by name and file, then by name alone (a
 * snippet whose code moved to another file). An SBOM records no digest of a snippet, only of the
 * file around it, so the content verdict says what that allows (see ChangedSnippet.content).
 */
export function compareSnippets(
  oldSnippets: readonly Snippet[],
  newSnippets: readonly Snippet[],
  oldFiles: Map<string, FileEntry>,
  newFiles: Map<string, FileEntry>,
  options: { crossFormat?: boolean } = {},
): { result: SbomDiff['snippets']; unchanged: number } {
  // SPDX 2.3 snippets carry no purl, CycloneDX's snippet components do: across formats the purl
  // is not compared, so a document and its twin in the other format diff as equal.
  const snapshotOf = (snippet: Snippet) => {
    const out = snippetSnapshot(snippet);
    if (options.crossFormat) delete out.purl;
    return out;
  };
  // Queues of OLD snippets by name and file, and by name: each pairs at most once.
  const nameOf = (snippet: Snippet) => normalizePackageName(snippet.name);
  const byNameAndFile = groupBy(oldSnippets, (snippet) => `${nameOf(snippet)}\u0000${snippet.file}`);
  const byName = groupBy(oldSnippets, nameOf);
  const used = new Set<Snippet>();
  const take = (queue: Snippet[] | undefined) => {
    while (queue && queue.length > 0) {
      const candidate = queue.shift() as Snippet;
      if (!used.has(candidate)) {
        used.add(candidate);
        return candidate;
      }
    }
    return undefined;
  };
  const pairs: [Snippet, Snippet][] = [];
  const unpaired: Snippet[] = [];
  for (const after of newSnippets) {
    const before = take(byNameAndFile.get(`${nameOf(after)}\u0000${after.file}`));
    if (before) pairs.push([before, after]);
    else unpaired.push(after);
  }
  const added: SnippetSnapshot[] = [];
  for (const after of unpaired) {
    const before = take(byName.get(nameOf(after)));
    if (before) pairs.push([before, after]);
    else added.push(snapshotOf(after));
  }
  const restOld = oldSnippets.filter((snippet) => !used.has(snippet));
  const removed = restOld.map(snapshotOf);

  const changed: ChangedSnippet[] = [];
  let unchanged = 0;
  for (const [before, after] of pairs) {
    const oldSnapshot = snapshotOf(before);
    const newSnapshot = snapshotOf(after);
    const content = sameContent(oldFiles.get(before.file)?.checksums, newFiles.get(after.file)?.checksums)
      ? 'unchanged'
      : oldSnapshot.bytes !== newSnapshot.bytes
        ? 'changed'
        : 'file-changed';
    const fields: SnippetField[] = SNIPPET_FIELDS.filter((field) =>
      field === 'content' ? content !== 'unchanged' : JSON.stringify(oldSnapshot[field] ?? null) !== JSON.stringify(newSnapshot[field] ?? null),
    );
    if (fields.length === 0) unchanged++;
    else changed.push({ name: after.name, old: oldSnapshot, new: newSnapshot, fields, content });
  }
  const order = (a: { name: string; file?: string; new?: { file: string } }, b: typeof a) =>
    byCodePoint(normalizePackageName(a.name), normalizePackageName(b.name)) || byCodePoint(a.file ?? a.new?.file ?? '', b.file ?? b.new?.file ?? '');
  return { result: { added: added.sort(order), removed: removed.sort(order), changed: changed.sort(order) }, unchanged };
}

export function snippetSnapshot(snippet: Snippet): SnippetSnapshot {
  const out: SnippetSnapshot = {
    name: snippet.name,
    file: snippet.file,
    lines: [snippet.lineRange[0], snippet.lineRange[1]],
    bytes: snippet.byteRange[1] - snippet.byteRange[0] + 1,
  };
  const version = known(snippet.version);
  if (version) out.version = version;
  const concluded = known(snippet.licenseConcluded);
  const inSnippet = snippet.licenseInfoInSnippet
    .map((id) => known(id))
    .filter((id): id is string => id !== undefined)
    .sort(byCodePoint);
  if (concluded || inSnippet.length > 0) {
    out.licenses = {};
    if (concluded) out.licenses.concluded = concluded;
    if (inSnippet.length > 0) out.licenses.inSnippet = inSnippet;
  }
  const copyright = known(snippet.copyrightText);
  if (copyright) out.copyright = copyright;
  const purl = known(snippet.purl);
  if (purl) out.purl = purl;
  return out;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group) group.push(item);
    else groups.set(name, [item]);
  }
  return groups;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
