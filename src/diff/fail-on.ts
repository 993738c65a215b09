import { InputError } from '../errors.js';
import type { SbomDiff } from './types.js';

/**
 * Kinds of change `--fail-on` can gate on. `diff` exits 1 when any chosen kind occurs (by default
 * any change at all), so CI can, say, fail on downgrades and suspicious checksums only.
 */
export const FAIL_ON_KINDS = {
  any: 'any difference (the default)',
  added: 'a package was added',
  removed: 'a package was removed',
  changed: 'a package changed in any compared field',
  version: 'a package version changed',
  upgrade: 'a package version went up',
  downgrade: 'a package version went down',
  suspicious: 'an artifact checksum changed while the version did not',
  'changed-in-place': "a package's files changed while its version did not (vendored code edited in place)",
  'changed-unversioned': 'files changed of a package that records no version',
  licenses: 'concluded or declared licenses changed',
  copyright: "a package's copyright text changed",
  checksums: 'artifact checksums changed',
  purl: 'a package URL changed',
  cpe: 'a CPE changed',
  supplier: 'a supplier changed',
  downloadLocation: 'a download location changed',
  scope: 'a package became unused (scope excluded) or used again',
  files: 'any file added, removed or changed (or moved between packages)',
  'files-added': 'a file was added',
  'files-removed': 'a file was removed',
  'files-changed': "a file's content changed",
  'file-licenses': "a file's own license findings or copyright notice changed",
  snippets: 'a snippet was added or removed, or changed place, license, copyright or content',
  vulnerabilities: 'a VEX statement was added or removed, or changed state (newly fixed included)',
  'vulnerabilities-affected': 'NEW says a component is affected where OLD did not',
} as const;
export type FailOnKind = keyof typeof FAIL_ON_KINDS;

export function parseFailOn(value: string | undefined): Set<FailOnKind> {
  if (value === undefined) return new Set(['any']);
  const kinds = value
    .split(',')
    .map((kind) => kind.trim())
    .filter(Boolean);
  if (kinds.length === 0) throw new InputError('--fail-on: give at least one kind of change');
  const unknown = kinds.filter((kind) => !Object.hasOwn(FAIL_ON_KINDS, kind));
  if (unknown.length > 0) {
    throw new InputError(`--fail-on: unknown kind ${unknown.join(', ')} (choose from ${Object.keys(FAIL_ON_KINDS).join(', ')})`);
  }
  return new Set(kinds as FailOnKind[]);
}

/** Which of the kinds occur in a diff. */
export function kindsPresent(diff: SbomDiff): Set<FailOnKind> {
  const present = new Set<FailOnKind>();
  const { packages, files } = diff;
  if (packages.added.length > 0) present.add('added');
  if (packages.removed.length > 0) present.add('removed');
  for (const change of packages.changed) {
    present.add('changed');
    for (const field of change.fields) present.add(field);
    if (change.versionChange === 'upgrade') present.add('upgrade');
    if (change.versionChange === 'downgrade') present.add('downgrade');
    if (change.suspicious) present.add('suspicious');
    if (change.inPlace) present.add('changed-in-place');
    if (change.unversioned) present.add('changed-unversioned');
  }
  if (files.added.length > 0) present.add('files-added');
  if (files.removed.length > 0) present.add('files-removed');
  if (files.changed.length > 0) present.add('files-changed');
  if (files.added.length + files.removed.length + files.changed.length > 0) present.add('files');
  if (diff.fileLicenses.length > 0) present.add('file-licenses');
  const { snippets, vulnerabilities } = diff;
  if (snippets.added.length + snippets.removed.length + snippets.changed.length > 0) present.add('snippets');
  const statements = [vulnerabilities.fixed, vulnerabilities.added, vulnerabilities.removed, vulnerabilities.changed];
  if (statements.some((list) => list.length > 0)) present.add('vulnerabilities');
  const affected = [...vulnerabilities.added, ...vulnerabilities.changed.map((change) => change.new)].some((item) => item.state === 'affected');
  if (affected) present.add('vulnerabilities-affected');
  if (present.size > 0) present.add('any');
  return present;
}

export function failsOn(diff: SbomDiff, kinds: Set<FailOnKind>): boolean {
  const present = kindsPresent(diff);
  return [...kinds].some((kind) => present.has(kind));
}
