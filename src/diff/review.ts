import { counts, fieldDetails, packageLabel } from './summary.js';
import type { ChangedPackage, SbomDiff, VulnerabilityChange, VulnerabilityView } from './types.js';

/**
 * What a security reviewer must look at first, derived from a diff: code changed under an
 * unchanged version, checksums that moved without a version, downgrades, VEX statements, license,
 * copyright and identifier changes, snippets. The text and Markdown reports print these sections
 * before the full package and file lists; each section is left out when it has nothing.
 */
export interface ReviewSection {
  /** The `--fail-on` kind that gates on this section (or the closest one). */
  kind: string;
  title: string;
  items: ReviewItem[];
}

export interface ReviewItem {
  subject: string;
  /** Plain words (counts, states). */
  text?: string;
  /** A value that changed: printed as `label: before → after`, values as code in Markdown. */
  change?: { label?: string; before: string; after: string };
  /** Paths behind the item: `+` added, `-` removed, `~` changed. */
  paths?: { mark: '+' | '-' | '~'; path: string }[];
}

export function reviewSections(diff: SbomDiff): ReviewSection[] {
  const sections: ReviewSection[] = [];
  const add = (kind: string, title: string, items: ReviewItem[]) => {
    if (items.length > 0) sections.push({ kind, title, items });
  };
  const changed = diff.packages.changed;

  add(
    'changed-in-place',
    'Changed in place (files changed, version did not)',
    changed.filter((change) => change.inPlace).map((change) => pathsItem(change, change.inPlace as NonNullable<ChangedPackage['inPlace']>)),
  );
  add(
    'changed-unversioned',
    'Changed, no version recorded',
    changed.filter((change) => change.unversioned).map((change) => pathsItem(change, change.unversioned as NonNullable<ChangedPackage['unversioned']>)),
  );
  add(
    'suspicious',
    'Artifact checksum changed, version did not',
    changed.filter((change) => change.suspicious).map((change) => ({ subject: subject(change), change: fieldChange(change, 'checksums') })),
  );
  add(
    'downgrade',
    'Downgrades',
    changed
      .filter((change) => change.versionChange === 'downgrade')
      .map((change) => ({ subject: packageLabel(change), change: { before: change.old.version, after: change.new.version } })),
  );

  const vulnerabilities = diff.vulnerabilities;
  add('vulnerabilities', 'Vulnerabilities fixed (VEX state became fixed)', vulnerabilities.fixed.map(vulnerabilityChangeItem));
  add('vulnerabilities', 'Vulnerability statements that changed otherwise', vulnerabilities.changed.map(vulnerabilityChangeItem));
  add('vulnerabilities', 'New vulnerability statements', vulnerabilities.added.map(vulnerabilityItem));
  add('vulnerabilities', 'Vulnerability statements no longer made', vulnerabilities.removed.map(vulnerabilityItem));

  const licenses: ReviewItem[] = [];
  const copyrights: ReviewItem[] = [];
  const identifiers: ReviewItem[] = [];
  for (const change of changed) {
    for (const detail of fieldDetails(change)) {
      const label = detail.field === 'licenses' || detail.field === 'copyright' ? undefined : detail.field;
      const item = { subject: subject(change), change: { ...(label ? { label } : {}), before: detail.before, after: detail.after } };
      if (detail.field === 'licenses') licenses.push(item);
      if (detail.field === 'copyright') copyrights.push(item);
      if (detail.field === 'purl' || detail.field === 'cpe') identifiers.push(item);
    }
  }
  for (const change of diff.snippets.changed) {
    const name = `${change.name} (snippet in ${change.new.file})`;
    if (change.fields.includes('licenses')) {
      licenses.push({ subject: name, change: { before: snippetLicenses(change.old.licenses), after: snippetLicenses(change.new.licenses) } });
    }
    if (change.fields.includes('copyright'))
      copyrights.push({ subject: name, change: { before: change.old.copyright ?? '(none)', after: change.new.copyright ?? '(none)' } });
    if (change.fields.includes('purl'))
      identifiers.push({ subject: name, change: { label: 'purl', before: change.old.purl ?? '(none)', after: change.new.purl ?? '(none)' } });
  }
  for (const change of diff.fileLicenses) {
    if (change.fields.includes('licenses')) {
      licenses.push({
        subject: change.path,
        change: { before: (change.old.licenses ?? ['(none)']).join(', '), after: (change.new.licenses ?? ['(none)']).join(', ') },
      });
    }
    if (change.fields.includes('copyright')) {
      copyrights.push({ subject: change.path, change: { before: change.old.copyright ?? '(none)', after: change.new.copyright ?? '(none)' } });
    }
  }
  add('licenses', 'License changes', licenses);
  add('copyright', 'Copyright changes', copyrights);
  add('purl,cpe', 'Identifier changes (purl, CPE) beyond the version', identifiers);

  const snippets: ReviewItem[] = [
    ...diff.snippets.added.map((snippet) => ({ subject: snippet.name, text: `added: ${snippet.file} lines ${snippet.lines[0]}-${snippet.lines[1]}` })),
    ...diff.snippets.removed.map((snippet) => ({ subject: snippet.name, text: `removed: was ${snippet.file} lines ${snippet.lines[0]}-${snippet.lines[1]}` })),
    ...diff.snippets.changed
      .filter((change) => change.content !== 'unchanged' || change.fields.includes('file') || change.fields.includes('lines'))
      .map((change) => ({ subject: change.name, text: snippetChangeText(change) })),
  ];
  add('snippets', 'Snippets (third-party code inside other files)', snippets);
  return sections;
}

function subject(change: ChangedPackage): string {
  return change.new.version ? `${packageLabel(change)} ${change.new.version}` : packageLabel(change);
}

function pathsItem(change: ChangedPackage, content: { added: string[]; removed: string[]; changed: string[] }): ReviewItem {
  return {
    subject: subject(change),
    text: counts({ added: content.added.length, removed: content.removed.length, changed: content.changed.length }),
    paths: [
      ...content.added.map((path) => ({ mark: '+' as const, path })),
      ...content.removed.map((path) => ({ mark: '-' as const, path })),
      ...content.changed.map((path) => ({ mark: '~' as const, path })),
    ],
  };
}

function fieldChange(change: ChangedPackage, field: 'checksums'): NonNullable<ReviewItem['change']> {
  const detail = fieldDetails(change).find((item) => item.field === field);
  return { before: detail?.before ?? '(none)', after: detail?.after ?? '(none)' };
}

function ids(statement: { id: string; aliases: string[] }): string {
  const others = statement.aliases.filter((alias) => alias !== statement.id);
  return others.length > 0 ? `${statement.id} (${others.join(', ')})` : statement.id;
}

function about(affects: string[]): string {
  return affects.length > 0 ? ` in ${affects.join(', ')}` : '';
}

function vulnerabilityChangeItem(change: VulnerabilityChange): ReviewItem {
  const detail = change.new.detail ? `: ${change.new.detail}` : '';
  return { subject: `${ids(change)}${about(change.affects)}`, text: `${change.old.state} → ${change.new.state}${detail}` };
}

function vulnerabilityItem(statement: VulnerabilityView): ReviewItem {
  const detail = statement.detail ? `: ${statement.detail}` : '';
  return { subject: `${ids(statement)}${about(statement.affects)}`, text: `${statement.state}${detail}` };
}

function snippetLicenses(licenses: { concluded?: string; inSnippet?: string[] } | undefined): string {
  if (!licenses) return '(none)';
  return [licenses.concluded && `concluded ${licenses.concluded}`, licenses.inSnippet && `in snippet ${licenses.inSnippet.join(', ')}`]
    .filter(Boolean)
    .join('; ');
}

function snippetChangeText(change: SbomDiff['snippets']['changed'][number]): string {
  const parts: string[] = [];
  if (change.fields.includes('file')) parts.push(`moved ${change.old.file} → ${change.new.file}`);
  if (change.fields.includes('lines')) parts.push(`lines ${change.old.lines.join('-')} → ${change.new.lines.join('-')}`);
  if (change.content === 'changed') parts.push(`content changed (${change.old.bytes} → ${change.new.bytes} bytes)`);
  if (change.content === 'file-changed') parts.push(`its file ${change.new.file} changed (the snippet's length did not)`);
  return parts.join('; ');
}
