import { type ReviewItem, reviewSections } from './review.js';
import { counts, fieldDetails, groupFiles, packageLabel, versionText } from './summary.js';
import type { DiffDetails, SbomDiff } from './types.js';
import { maxOf } from '../util/arrays.js';

/** ANSI styles, or no-ops when colour is off. */
function palette(colour: boolean) {
  const style = (code: string) => (text: string) => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  return { bold: style('1'), dim: style('2'), added: style('32'), removed: style('31'), changed: style('33'), alert: style('1;31') };
}

/**
 * The terminal view: what a reviewer must look at first (code changed in place, suspicious
 * checksums, downgrades, VEX statements, license, copyright and identifier changes, snippets), then
 * the summary (packages, snippets, file counts per package), then every changed path grouped by
 * package for those who scroll on.
 */
export function renderText(diff: SbomDiff, details: DiffDetails, options: { colour: boolean }): string {
  const c = palette(options.colour);
  const lines: string[] = [];
  const describe = (side: SbomDiff['old']) => `${side.file}  ${c.dim(`(${side.format}${side.name ? `, ${side.name}` : ''})`)}`;
  lines.push(`${c.bold('OLD')}  ${describe(diff.old)}`, `${c.bold('NEW')}  ${describe(diff.new)}`);

  const sections = reviewSections(diff);
  if (sections.length > 0) {
    lines.push('', c.bold('Review:'));
    for (const section of sections) {
      lines.push(`  ${c.alert(section.title)}`);
      for (const item of section.items) {
        lines.push(`    ${item.subject}: ${reviewText(item)}`);
        for (const { mark, path } of item.paths ?? []) {
          const style = mark === '+' ? c.added : mark === '-' ? c.removed : c.changed;
          lines.push(style(`      ${mark} ${path}`));
        }
      }
    }
  }

  if (details.only !== 'files') {
    const { added, removed, changed } = diff.packages;
    lines.push('', c.bold(`Packages: ${added.length} added, ${removed.length} removed, ${changed.length} changed, ${details.unchangedPackages} unchanged`));
    const width = maxOf(
      [...added, ...removed, ...changed].map((item) => packageLabel(item).length),
      0,
    );
    for (const item of added) lines.push(c.added(`  + ${packageLabel(item).padEnd(width)}  ${item.version || '(no version)'}`));
    for (const item of removed) lines.push(c.removed(`  - ${packageLabel(item).padEnd(width)}  ${item.version || '(no version)'}`));
    for (const change of changed) {
      const kind = change.versionChange ? `  ${change.versionChange}` : '';
      lines.push(c.changed(`  ~ ${packageLabel(change).padEnd(width)}  ${versionText(change)}${kind}`));
      if (change.suspicious) lines.push(`      ${c.alert('suspicious: artifact checksum changed but the version did not')}`);
      if (change.inPlace) lines.push(`      ${c.alert('changed in place: files changed but the version did not')}`);
      for (const { field, before, after } of fieldDetails(change)) {
        lines.push(`      ${c.dim(`${field}:`)} ${field === 'files' ? after : `${before} → ${after}`}`);
      }
    }

    const snippets = diff.snippets;
    if (snippets.added.length + snippets.removed.length + snippets.changed.length + details.unchangedSnippets > 0) {
      lines.push(
        '',
        c.bold(
          `Snippets: ${snippets.added.length} added, ${snippets.removed.length} removed, ${snippets.changed.length} changed, ${details.unchangedSnippets} unchanged`,
        ),
      );
      for (const item of snippets.added) lines.push(c.added(`  + ${item.name}  ${item.file}:${item.lines.join('-')}`));
      for (const item of snippets.removed) lines.push(c.removed(`  - ${item.name}  ${item.file}:${item.lines.join('-')}`));
      for (const change of snippets.changed) {
        lines.push(c.changed(`  ~ ${change.name}  ${change.new.file}:${change.new.lines.join('-')}  ${change.fields.join(', ')}`));
      }
    }

    const vulnerabilities = diff.vulnerabilities;
    const statements = vulnerabilities.fixed.length + vulnerabilities.added.length + vulnerabilities.removed.length + vulnerabilities.changed.length;
    if (statements + details.unchangedVulnerabilities > 0) {
      lines.push(
        '',
        c.bold(
          `Vulnerabilities (VEX): ${vulnerabilities.fixed.length} fixed, ${vulnerabilities.added.length} new, ` +
            `${vulnerabilities.removed.length} no longer stated, ${vulnerabilities.changed.length} changed otherwise, ${details.unchangedVulnerabilities} unchanged`,
        ),
      );
    }
  }

  if (details.only !== 'packages') {
    const { added, removed, changed } = diff.files;
    lines.push('', c.bold(`Files: ${added.length} added, ${removed.length} removed, ${changed.length} changed, ${details.unchangedFiles} unchanged`));
    const groups = groupFiles(diff, details);
    const width = maxOf(
      groups.map((group) => (group.label || '(no package)').length),
      0,
    );
    for (const group of groups) {
      const tally = counts({ added: group.added.length, removed: group.removed.length, changed: group.changed.length });
      lines.push(`  ${(group.label || '(no package)').padEnd(width)}  ${tally}`);
    }
    for (const group of groups) {
      lines.push('', c.bold(group.label || '(no package)'));
      for (const path of group.added) lines.push(c.added(`  + ${path}`));
      for (const path of group.removed) lines.push(c.removed(`  - ${path}`));
      for (const path of group.changed) lines.push(c.changed(`  ~ ${path}`));
    }
  }
  return `${lines.join('\n')}\n`;
}

function reviewText(item: ReviewItem): string {
  const change = item.change ? `${item.change.label ? `${item.change.label}: ` : ''}${item.change.before} → ${item.change.after}` : '';
  return [item.text, change].filter(Boolean).join('; ');
}
