import { reviewSections } from './review.js';
import { counts, fieldDetails, groupFiles, packageLabel } from './summary.js';
import type { DiffDetails, SbomDiff } from './types.js';
import { pushAll } from '../util/arrays.js';

/**
 * Markdown for release issues and pull-request comments: what a reviewer must look at first (code
 * changed in place, suspicious checksums, downgrades, VEX statements, license, copyright and
 * identifier changes, snippets), a table of package changes, of snippets and of VEX statements, a
 * table of file counts per package, and each package's paths folded in `<details>` (capped, so a
 * comment stays under GitHub's 65,536-character limit; the JSON output has every path).
 */
export const MARKDOWN_PATHS_PER_GROUP = 100;

export function renderMarkdown(diff: SbomDiff, details: DiffDetails): string {
  const out: string[] = [];
  const title = (side: SbomDiff['old']) => code(baseName(side.file));
  out.push(`### SBOM changes: ${title(diff.old)} → ${title(diff.new)}`, '');

  const sections = reviewSections(diff);
  if (sections.length > 0) {
    out.push('#### For review', '');
    for (const section of sections) {
      out.push(`**${inline(section.title)}** (\`--fail-on ${section.kind}\`)`, '');
      for (const item of section.items) {
        const change = item.change ? `${item.change.label ? `${item.change.label}: ` : ''}${code(item.change.before)} → ${code(item.change.after)}` : '';
        out.push(`- **${inline(item.subject)}**: ${[item.text && inline(item.text), change].filter(Boolean).join('; ')}`);
        const paths = item.paths ?? [];
        const word = { '+': 'added', '-': 'removed', '~': 'changed' } as const;
        for (const { mark, path } of paths.slice(0, MARKDOWN_PATHS_PER_GROUP)) out.push(`  - ${word[mark]} ${code(path)}`);
        if (paths.length > MARKDOWN_PATHS_PER_GROUP) out.push(`  - … and ${paths.length - MARKDOWN_PATHS_PER_GROUP} more (see \`--format json\`)`);
      }
      out.push('');
    }
  }

  if (details.only !== 'files') {
    const { added, removed, changed } = diff.packages;
    out.push(`**Packages:** ${added.length} added, ${removed.length} removed, ${changed.length} changed, ${details.unchangedPackages} unchanged`, '');
    if (added.length + removed.length + changed.length > 0) {
      out.push('| Package | Old | New | Change |', '|---|---|---|---|');
      const rows: [string, string][] = [];
      for (const item of added) rows.push([packageLabel(item), `| ${cell(packageLabel(item))} | | ${cell(item.version)} | added |`]);
      for (const item of removed) rows.push([packageLabel(item), `| ${cell(packageLabel(item))} | ${cell(item.version)} | | removed |`]);
      for (const change of changed) {
        const notes: string[] = [];
        if (change.versionChange) notes.push(change.versionChange);
        if (change.suspicious) notes.push('**suspicious: checksum changed, version did not**');
        for (const { field, before, after } of fieldDetails(change)) {
          notes.push(field === 'files' ? `files: ${after}` : `${field}: ${code(before)} → ${code(after)}`);
        }
        rows.push([
          packageLabel(change),
          `| ${cell(packageLabel(change))} | ${cell(change.old.version)} | ${cell(change.new.version)} | ${cell(notes.join('<br>'))} |`,
        ]);
      }
      rows.sort((a, b) => (a[0].toLowerCase() < b[0].toLowerCase() ? -1 : a[0].toLowerCase() > b[0].toLowerCase() ? 1 : 0));
      pushAll(
        out,
        rows.map(([, row]) => row),
      );
      out.push('');
    }

    const snippets = diff.snippets;
    if (snippets.added.length + snippets.removed.length + snippets.changed.length > 0) {
      out.push(
        `**Snippets:** ${snippets.added.length} added, ${snippets.removed.length} removed, ${snippets.changed.length} changed, ${details.unchangedSnippets} unchanged`,
        '',
        '| Snippet | File | Lines | Change |',
        '|---|---|---|---|',
      );
      for (const item of snippets.added) out.push(`| ${cell(item.name)} | ${cell(code(item.file))} | ${item.lines.join('-')} | added |`);
      for (const item of snippets.removed) out.push(`| ${cell(item.name)} | ${cell(code(item.file))} | ${item.lines.join('-')} | removed |`);
      for (const change of snippets.changed) {
        const lines = change.fields.includes('lines') ? `${change.old.lines.join('-')} → ${change.new.lines.join('-')}` : change.new.lines.join('-');
        const content = { unchanged: [], changed: ['content changed'], 'file-changed': ['its file changed'] }[change.content];
        const notes = [...change.fields.filter((field) => field !== 'content' && field !== 'lines'), ...content];
        out.push(`| ${cell(change.name)} | ${cell(code(change.new.file))} | ${lines} | ${cell(notes.join(', '))} |`);
      }
      out.push('');
    }

    const vulnerabilities = diff.vulnerabilities;
    const rows = [
      ...vulnerabilities.fixed.map((change) => [change.id, change.affects, change.old.state, change.new.state, change.new.detail] as const),
      ...vulnerabilities.changed.map((change) => [change.id, change.affects, change.old.state, change.new.state, change.new.detail] as const),
      ...vulnerabilities.added.map((item) => [item.id, item.affects, '', item.state, item.detail] as const),
      ...vulnerabilities.removed.map((item) => [item.id, item.affects, item.state, '', item.detail] as const),
    ];
    if (rows.length > 0) {
      out.push(
        `**Vulnerabilities (VEX):** ${vulnerabilities.fixed.length} fixed, ${vulnerabilities.added.length} new, ${vulnerabilities.removed.length} no longer stated, ` +
          `${vulnerabilities.changed.length} changed otherwise, ${details.unchangedVulnerabilities} unchanged`,
        '',
        '| Vulnerability | Affects | Old | New | Detail |',
        '|---|---|---|---|---|',
      );
      for (const [id, affects, before, after, detail] of rows) {
        out.push(row([id, affects.join(', '), before, after, detail ?? '']));
      }
      out.push('');
    }
  }

  if (details.only !== 'packages') {
    const { added, removed, changed } = diff.files;
    out.push(`**Files:** ${added.length} added, ${removed.length} removed, ${changed.length} changed, ${details.unchangedFiles} unchanged`, '');
    const groups = groupFiles(diff, details);
    if (groups.length > 0) {
      out.push('| Package | Added | Removed | Changed |', '|---|--:|--:|--:|');
      for (const group of groups) {
        out.push(`| ${cell(group.label || '(no package)')} | ${group.added.length} | ${group.removed.length} | ${group.changed.length} |`);
      }
      out.push('');
      for (const group of groups) {
        const total = group.added.length + group.removed.length + group.changed.length;
        const tally = counts({ added: group.added.length, removed: group.removed.length, changed: group.changed.length });
        out.push('<details>', `<summary>${html(group.label || '(no package)')}: ${tally}</summary>`, '');
        const listed = [
          ...group.added.map((path) => `- added ${code(path)}`),
          ...group.removed.map((path) => `- removed ${code(path)}`),
          ...group.changed.map((path) => `- changed ${code(path)}`),
        ];
        pushAll(out, listed.slice(0, MARKDOWN_PATHS_PER_GROUP));
        if (total > MARKDOWN_PATHS_PER_GROUP) out.push(`- … and ${total - MARKDOWN_PATHS_PER_GROUP} more (see \`--format json\`)`);
        out.push('', '</details>', '');
      }
    }
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** A table row of plain-text cells; an empty cell is `| |`, as in the package table. */
function row(cells: string[]): string {
  return `|${cells.map((text) => (text ? ` ${cell(text)} ` : ' ')).join('|')}|`;
}

/** A table cell: pipes escaped, no line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code that survives backticks inside the text. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${text}${fence.length > 1 ? ' ' : ''}${fence}`;
}

/** Text in running Markdown: emphasis, link, code and table characters escaped, HTML neutralised, one line. */
function inline(text: string): string {
  return html(text)
    .replace(/[\\`*_[\]|#]/g, (char) => `\\${char}`)
    .replace(/\r?\n/g, ' ');
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
