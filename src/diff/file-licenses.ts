import type { FileEntry } from '../model/types.js';
import type { FileLicenseChange } from './types.js';
import { known } from './values.js';

/**
 * Files present in both documents whose own license findings (SPDX `licenseInfoInFiles`) or
 * copyright notices changed: a vendored header that changed its license, third-party code absorbed
 * into a CPython file. Unknown values (`NOASSERTION`, `NONE`, absent) are all the same "unknown".
 */
export function compareFileLicenses(oldFiles: Map<string, FileEntry>, newFiles: Map<string, FileEntry>): FileLicenseChange[] {
  const out: FileLicenseChange[] = [];
  for (const [path, after] of newFiles) {
    const before = oldFiles.get(path);
    if (!before) continue;
    const old = licensing(before);
    const now = licensing(after);
    const fields: FileLicenseChange['fields'] = [];
    if (JSON.stringify(old.licenses ?? null) !== JSON.stringify(now.licenses ?? null)) fields.push('licenses');
    if ((old.copyright ?? null) !== (now.copyright ?? null)) fields.push('copyright');
    if (fields.length > 0) out.push({ path, old, new: now, fields });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function licensing(file: FileEntry): FileLicenseChange['old'] {
  const out: FileLicenseChange['old'] = {};
  const licenses = [...new Set((file.licenseInfoInFiles ?? []).map((id) => known(id)).filter((id): id is string => id !== undefined))].sort();
  if (licenses.length > 0) out.licenses = licenses;
  const copyright = known(file.copyrightText);
  if (copyright) out.copyright = copyright;
  return out;
}
