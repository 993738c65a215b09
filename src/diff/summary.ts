import type { ChangedPackage, ComparedField, DiffDetails, PackageSnapshot, SbomDiff } from './types.js';

/** Helpers the text and Markdown renderers share. */

export interface FileGroup {
  /** Package name ('' for files no package contains). */
  label: string;
  added: string[];
  removed: string[];
  changed: string[];
}

/** Changed files grouped by owning package (NEW's owner; OLD's for removed files), biggest first. */
export function groupFiles(diff: SbomDiff, details: DiffDetails): FileGroup[] {
  const groups = new Map<string, FileGroup>();
  const add = (kind: 'added' | 'removed' | 'changed', path: string) => {
    const label = details.owners.get(path) ?? '';
    let group = groups.get(label);
    if (!group) groups.set(label, (group = { label, added: [], removed: [], changed: [] }));
    group[kind].push(path);
  };
  for (const path of diff.files.added) add('added', path);
  for (const path of diff.files.removed) add('removed', path);
  for (const path of diff.files.changed) add('changed', path);
  const size = (group: FileGroup) => group.added.length + group.removed.length + group.changed.length;
  return [...groups.values()].sort((a, b) => Number(a.label === '') - Number(b.label === '') || size(b) - size(a) || (a.label < b.label ? -1 : 1));
}

export function packageLabel(item: { name: string; parent?: string }): string {
  return item.parent !== undefined ? `${item.name} (${item.parent ? `via ${item.parent}` : 'top level'})` : item.name;
}

/** `2.6.3 → 2.8.2`, or the one version when it did not change. */
export function versionText(change: ChangedPackage): string {
  const before = change.old.version || '(none)';
  const after = change.new.version || '(none)';
  return change.fields.includes('version') ? `${before} → ${after}` : before;
}

/** `5 added, 2 removed, 12 changed, 3 moved`, leaving out zero counts (`no change` when all are zero). */
export function counts(values: { added: number; removed: number; changed: number; moved?: number }): string {
  const parts = (['added', 'removed', 'changed', 'moved'] as const)
    .filter((kind) => (values[kind] ?? 0) > 0)
    .map((kind) => `${values[kind]} ${kind}${kind === 'moved' ? ' (same content)' : ''}`);
  return parts.length > 0 ? parts.join(', ') : 'no change';
}

/**
 * One line per changed field other than the version: `licenses: MIT → Apache-2.0`. Fields whose
 * only change is the version number inside them (purl, CPE, most URLs) are left out as noise.
 */
export function fieldDetails(change: ChangedPackage): { field: ComparedField; before: string; after: string }[] {
  const out: { field: ComparedField; before: string; after: string }[] = [];
  for (const field of change.fields) {
    if (field === 'version') continue;
    if (field === 'files') {
      out.push({ field, before: '', after: counts(change.fileChanges ?? { added: 0, removed: 0, changed: 0 }) });
      continue;
    }
    const before = fieldText(change.old, field);
    const after = fieldText(change.new, field);
    if (change.fields.includes('version') && followsVersion(before, after, change.old.version, change.new.version)) continue;
    out.push({ field, before, after });
  }
  return out;
}

/**
 * True when `after` is `before` with the version swapped: `pkg:pypi/pip@24.0` → `…@24.1`, and
 * the underscore spelling tags use (`R_2_6_3` → `R_2_8_2` for expat 2.6.3 → 2.8.2).
 */
function followsVersion(before: string, after: string, oldVersion: string, newVersion: string): boolean {
  if (!oldVersion) return false;
  if (before.split(oldVersion).join(newVersion) === after) return true;
  const underscored = (version: string) => version.replaceAll('.', '_');
  return before.split(underscored(oldVersion)).join(underscored(newVersion)).split(oldVersion).join(newVersion) === after;
}

function fieldText(snapshot: PackageSnapshot, field: Exclude<ComparedField, 'files'>): string {
  const value = snapshot[field];
  if (value === undefined || value === '') return '(none)';
  if (typeof value === 'string') return value;
  if (field === 'licenses') {
    const licenses = value as NonNullable<PackageSnapshot['licenses']>;
    return [licenses.concluded && `concluded ${licenses.concluded}`, licenses.declared && `declared ${licenses.declared}`].filter(Boolean).join('; ');
  }
  return Object.entries(value as Record<string, string>)
    .map(([algorithm, digest]) => `${algorithm} ${digest.slice(0, 12)}…`)
    .join(', ');
}
