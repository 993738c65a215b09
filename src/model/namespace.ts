import { createHash } from 'node:crypto';
import { TOOL_NAME } from '../version.js';

/**
 * A namespace for a document that has no published home (a directory, a distributor's build):
 * derived from what it describes, so the same tree always gets the same namespace and a changed
 * file a new one. `files` must come sorted by path; `salt` (an identity line) comes first.
 */
export function contentNamespace(label: string, files: Iterable<{ path: string; sha256: string }>, salt = ''): string {
  const digest = createHash('sha256').update(salt);
  for (const file of files) digest.update(`${file.path}\0${file.sha256}\n`);
  return `https://spdx.org/spdxdocs/${TOOL_NAME}/${label}-${digest.digest('hex').slice(0, 16)}`;
}
