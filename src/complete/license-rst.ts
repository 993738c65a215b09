import { minOf } from '../util/arrays.js';
/**
 * Doc/license.rst's "Licenses and Acknowledgements for Incorporated Software": one section per
 * piece of third-party code, a title underlined with `-`, prose naming the code (`:file:` roles,
 * ``literal`` paths, module names) and the license text as an indented block. Sections come and
 * go between releases, so this reads whatever sections are there; the catalog says what each is.
 */

export const LICENSE_RST_PATH = 'Doc/license.rst';

const PART_TITLE = 'Licenses and Acknowledgements for Incorporated Software';

export interface LicenseRstSection {
  title: string;
  /** 1-based line of the title. */
  line: number;
  /** The section's prose and license text, as written (without title and underline). */
  body: string;
  /** Paths the prose names: `:file:` roles and ``literal`` paths. */
  files: string[];
  /** The indented block(s) of the section, dedented: the license notice. Empty when there is none. */
  licenseText: string;
}

/** The incorporated-software sections, in document order; empty when the part is missing. */
export function parseLicenseRst(text: string): LicenseRstSection[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const start = lines.findIndex((line, i) => line.trim() === PART_TITLE && isUnderline(lines[i + 1], '=', line.trim().length));
  if (start < 0) return [];
  const sections: LicenseRstSection[] = [];
  let current: { title: string; line: number; body: string[] } | undefined;
  const finish = () => {
    if (current) sections.push(section(current.title, current.line, current.body));
  };
  for (let i = start + 2; i < lines.length; i++) {
    const line = lines[i] as string;
    const next = lines[i + 1];
    const title = line.trim();
    if (title !== '' && !/^\s/.test(line) && isUnderline(next, '=', title.length)) break; // the next part
    if (title !== '' && !/^\s/.test(line) && !/^\.\./.test(line) && isUnderline(next, '-', title.length)) {
      finish();
      current = { title, line: i + 1, body: [] };
      i++;
      continue;
    }
    current?.body.push(line);
  }
  finish();
  return sections;
}

function isUnderline(line: string | undefined, char: '=' | '-', length: number): boolean {
  if (line === undefined) return false;
  const trimmed = line.trimEnd();
  return trimmed.length >= Math.max(length, 3) && trimmed === char.repeat(trimmed.length);
}

function section(title: string, line: number, bodyLines: string[]): LicenseRstSection {
  // Anchors for the next section (`.. _mimalloc-license:`) belong to it, not to this one.
  while (bodyLines.length > 0 && /^(\s*|\.\. _[^:]+:\s*)$/.test(bodyLines[bodyLines.length - 1] as string)) bodyLines.pop();
  const body = bodyLines.join('\n').replace(/^\n+/, '');
  const files = new Set<string>();
  for (const match of body.matchAll(/:file:`([^`]+)`/g)) files.add((match[1] as string).trim());
  for (const match of body.matchAll(/``([^`\s]+\/[^`\s]*)``/g)) files.add((match[1] as string).trim());
  return { title, line, body, files: [...files], licenseText: indentedText(bodyLines) };
}

/** The indented lines (with the blank lines between them), dedented by their smallest indent. */
function indentedText(lines: string[]): string {
  const first = lines.findIndex((line) => /^\s+\S/.test(line));
  if (first < 0) return '';
  const kept = lines.slice(first).filter((line) => /^\s+\S/.test(line) || line.trim() === '');
  const indent = minOf(
    kept.filter((line) => line.trim() !== '').map((line) => (/^\s*/.exec(line) as RegExpExecArray)[0].length),
    Number.POSITIVE_INFINITY,
  );
  return kept
    .map((line) => (line.trim() === '' ? '' : line.slice(indent)))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
