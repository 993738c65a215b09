/**
 * What a CPython tree's own changelog says was changed, entry by entry, in the three shapes the
 * changelog takes:
 *
 * - `Misc/NEWS` (release tarballs): rendered by blurb, newest release first. A release starts with
 *   `What's New in Python 3.13.4 final?` over a line of `=`, a section with its name over a line
 *   of `-`, an entry with `- gh-135034: text` (`gh-issue-NNN:` in 3.11-era files, `bpo-NNN:`
 *   before 2022), its further lines indented by two spaces.
 * - `Misc/NEWS.d/3.13.4.rst` (checkouts): one file per release, entries separated by a line `..`,
 *   each opening with metadata lines (`.. gh-issue: 135034`, `.. section: Security`).
 * - `Misc/NEWS.d/next/<Section>/<date>.gh-issue-NNN.<nonce>.rst` (checkouts): changes not yet in
 *   a release; the issue is in the file name.
 *
 * Each entry keeps the issue it is filed under (`ids`), what its text mentions (issue and pull
 * request numbers, CVE ids), and where it is: file, line, release and section, for citations.
 */

/** An issue number in one of CPython's two trackers. */
export interface IssueKey {
  tracker: 'gh' | 'bpo';
  number: number;
}

export interface NewsEntry {
  /** Tree path of the file the entry is in. */
  file: string;
  /** 1-based line where the entry starts. */
  line: number;
  /** `Python 3.13.4 final`, `Python 3.12.0 alpha 1`, or `unreleased` for Misc/NEWS.d/next. */
  release: string;
  /** `Security`, `Library`, … (empty when the file names none). */
  section: string;
  /** The issues the entry is filed under (`gh-135034:`, `.. gh-issue: 135034`, the next/ file name). */
  ids: IssueKey[];
  /** Issue or pull request numbers the text names: `gh-N`, `GH-N`, `` :gh:`N` ``, cpython issue/pull URLs. */
  ghMentions: number[];
  /** bugs.python.org issues the text names: `bpo-N`, `` :issue:`N` ``. */
  bpoMentions: number[];
  /** CVE ids the text names (`CVE-2024-1234`, `` :cve:`2024-1234` ``), upper case. */
  cves: string[];
  /** The entry's text, whitespace collapsed (markup kept). */
  text: string;
}

/** Where a tree keeps its changelog: the files `vex` asks the scan for. */
export function isNewsPath(path: string): boolean {
  return path === 'Misc/NEWS' || (path.startsWith('Misc/NEWS.d/') && path.endsWith('.rst'));
}

export function issueLabel(key: IssueKey): string {
  return `${key.tracker}-${key.number}`;
}

/** Issue numbers have at most 7 digits in either tracker; longer runs are not issue numbers. */
const NUMBER = /^\d{1,7}$/;

/** `gh-123`, `gh-issue-123`, `bpo-123`, `Issue #123` (pre-blurb) -> key; anything else undefined. */
export function parseIssueLabel(label: string): IssueKey | undefined {
  const text = label.trim();
  for (const [prefix, tracker] of [
    ['gh-issue-', 'gh'],
    ['gh-', 'gh'],
    ['bpo-', 'bpo'],
    ['Issue #', 'bpo'],
  ] as const) {
    if (text.startsWith(prefix)) {
      const digits = text.slice(prefix.length);
      return NUMBER.test(digits) ? { tracker, number: Number(digits) } : undefined;
    }
  }
  return undefined;
}

/** `Misc/NEWS.d/3.12.0a1.rst` -> `Python 3.12.0 alpha 1`, as Misc/NEWS titles the same release. */
export function releaseOfNewsFile(path: string): string | undefined {
  const name = path.slice('Misc/NEWS.d/'.length);
  const match = /^(\d{1,2}\.\d{1,3}\.\d{1,3})(?:(a|b|rc)(\d{1,3}))?\.rst$/.exec(name);
  if (!match) return undefined;
  const stage = match[2] === 'a' ? 'alpha' : match[2] === 'b' ? 'beta' : match[2] === 'rc' ? 'release candidate' : undefined;
  return stage ? `Python ${match[1]} ${stage} ${match[3]}` : `Python ${match[1]} final`;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function numbers(text: string, pattern: RegExp): number[] {
  const found: number[] = [];
  for (const match of text.matchAll(pattern)) found.push(Number(match[1]));
  return found;
}

function mentionsOf(text: string): Pick<NewsEntry, 'ghMentions' | 'bpoMentions' | 'cves'> {
  const ghMentions = [
    ...numbers(text, /\b(?:gh|GH)-(\d{1,7})\b/g),
    ...numbers(text, /:gh:`(\d{1,7})`/g),
    ...numbers(text, /github\.com\/python\/cpython\/(?:issues|pull)\/(\d{1,7})\b/g),
  ];
  const bpoMentions = [...numbers(text, /\bbpo-(\d{1,7})\b/g), ...numbers(text, /:issue:`(\d{1,7})`/g)];
  const cves = new Set<string>();
  for (const match of text.matchAll(/\bCVE-(\d{4})-(\d{4,7})\b/gi)) cves.add(`CVE-${match[1]}-${match[2]}`);
  for (const match of text.matchAll(/:cve:`(\d{4})-(\d{4,7})`/g)) cves.add(`CVE-${match[1]}-${match[2]}`);
  return { ghMentions: [...new Set(ghMentions)], bpoMentions: [...new Set(bpoMentions)], cves: [...cves] };
}

function entry(file: string, line: number, release: string, section: string, ids: IssueKey[], body: string): NewsEntry {
  const text = collapse(body);
  return { file, line, release, section, ids, ...mentionsOf(text), text };
}

/** The ids an entry of Misc/NEWS opens with: `gh-1, gh-2:` -> two keys; no `:` near the start -> none. */
function leadingIds(first: string): IssueKey[] {
  const colon = first.indexOf(':');
  if (colon <= 0 || colon > 80) return [];
  const keys = first
    .slice(0, colon)
    .split(',')
    .map((part) => parseIssueLabel(part));
  return keys.every((key) => key !== undefined) ? (keys as IssueKey[]) : [];
}

/** `What's New in Python 3.13.4 final?` -> `Python 3.13.4 final`. */
function releaseTitle(line: string): string | undefined {
  const prefix = "What's New in Python ";
  if (!line.startsWith(prefix) || line.length > 120) return undefined;
  const title = line.slice("What's New in ".length).trimEnd();
  return (title.endsWith('?') ? title.slice(0, -1) : title).trimEnd();
}

/** Misc/NEWS as rendered by blurb (release tarballs). */
export function parseRenderedNews(text: string, file = 'Misc/NEWS'): NewsEntry[] {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const entries: NewsEntry[] = [];
  let release = '';
  let section = '';
  let open: { line: number; ids: IssueKey[]; body: string[] } | undefined;
  const close = (): void => {
    if (open) entries.push(entry(file, open.line, release, section, open.ids, open.body.join('\n')));
    open = undefined;
  };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    const next = lines[index + 1] ?? '';
    const title = releaseTitle(line);
    if (title !== undefined && /^={3,}\s*$/.test(next)) {
      close();
      release = title;
      section = '';
      index++;
      continue;
    }
    if (line !== '' && !line.startsWith(' ') && !line.startsWith('-') && /^-{3,}\s*$/.test(next)) {
      close();
      section = line.trim();
      index++;
      continue;
    }
    if (line.startsWith('- ')) {
      close();
      const first = line.slice(2);
      const ids = leadingIds(first);
      open = { line: index + 1, ids, body: [first] };
      continue;
    }
    if (open && (line === '' || line.startsWith(' '))) {
      open.body.push(line);
      continue;
    }
    close();
  }
  close();
  return entries;
}

/** Metadata line of a NEWS.d record: `.. gh-issue: 135034`. */
const METADATA = /^\.\. ([a-z][a-z -]{0,30}): ?(.*)$/;

/** A release file of Misc/NEWS.d (`3.13.4.rst`): records separated by a line `..`. */
export function parseReleaseNewsFile(text: string, file: string): NewsEntry[] {
  const release = releaseOfNewsFile(file) ?? file;
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const entries: NewsEntry[] = [];
  let start = 0;
  const flush = (end: number): void => {
    const record = lines.slice(start, end);
    let bodyAt = 0;
    while (bodyAt < record.length && (record[bodyAt] as string).trim() === '') bodyAt++;
    const firstLine = start + bodyAt + 1;
    start = end + 1;
    const meta = new Map<string, string>();
    while (bodyAt < record.length) {
      const match = METADATA.exec(record[bodyAt] as string);
      if (!match) break;
      meta.set(match[1] as string, (match[2] as string).trim());
      bodyAt++;
    }
    const body = record.slice(bodyAt).join('\n');
    if (meta.size === 0 && body.trim() === '') return;
    if (meta.get('no changes') !== undefined && body.trim() === '') return;
    const ids: IssueKey[] = [];
    for (const [field, tracker] of [
      ['gh-issue', 'gh'],
      ['bpo', 'bpo'],
    ] as const) {
      for (const part of (meta.get(field) ?? '').split(',')) {
        const digits = part.trim();
        if (NUMBER.test(digits) && Number(digits) > 0) ids.push({ tracker, number: Number(digits) });
      }
    }
    entries.push(entry(file, firstLine, release, meta.get('section') ?? '', ids, body));
  };
  for (let index = 0; index < lines.length; index++) if (lines[index] === '..') flush(index);
  flush(lines.length);
  return entries;
}

/** `Misc/NEWS.d/next/Security/2024-05-01-10-00-00.gh-issue-118486.AbCd12.rst` (not yet released). */
export function parseNextNewsFile(text: string, file: string): NewsEntry[] {
  const parts = file.split('/');
  const section = parts.length >= 5 ? (parts[3] as string).replaceAll('_', ' ') : '';
  const name = parts[parts.length - 1] as string;
  const id = /\.(gh-issue|bpo)-(\d{1,7})\./.exec(name);
  const ids: IssueKey[] = id ? [{ tracker: id[1] === 'bpo' ? 'bpo' : 'gh', number: Number(id[2]) }] : [];
  // blurb's next/ files may still carry metadata lines; they are not text.
  const body = text
    .split('\n')
    .filter((line) => !METADATA.test(line.replace(/\r$/, '')))
    .join('\n');
  if (body.trim() === '' && ids.length === 0) return [];
  return [entry(file, 1, 'unreleased', section, ids, body)];
}

/** Every entry of one changelog file, by its place in the tree. */
export function parseNewsFile(path: string, text: string): NewsEntry[] {
  if (path === 'Misc/NEWS') return parseRenderedNews(text, path);
  if (path.startsWith('Misc/NEWS.d/next/')) return parseNextNewsFile(text, path);
  if (releaseOfNewsFile(path) !== undefined) return parseReleaseNewsFile(text, path);
  return [];
}

/**
 * All entries of a tree's changelog, looked up by the issue an entry is filed under and by what
 * its text mentions. Lookups go through Maps keyed by `gh-N`/`bpo-N`/CVE id.
 */
export class NewsIndex {
  readonly entries: NewsEntry[] = [];
  readonly files: string[] = [];
  private readonly byId = new Map<string, NewsEntry[]>();
  private readonly byMention = new Map<string, NewsEntry[]>();
  private readonly byCve = new Map<string, NewsEntry[]>();

  add(path: string, text: string): void {
    this.files.push(path);
    for (const item of parseNewsFile(path, text)) {
      this.entries.push(item);
      for (const key of item.ids) push(this.byId, issueLabel(key), item);
      for (const number of item.ghMentions) push(this.byMention, `gh-${number}`, item);
      for (const number of item.bpoMentions) push(this.byMention, `bpo-${number}`, item);
      for (const cve of item.cves) push(this.byCve, cve, item);
    }
  }

  /** Entries filed under the issue. */
  filedUnder(key: IssueKey): NewsEntry[] {
    return this.byId.get(issueLabel(key)) ?? [];
  }

  /** Entries whose text names the number (`gh-N`, `GH-N`, `` :gh:`N` ``, a cpython URL; `bpo-N`). */
  mentioning(key: IssueKey): NewsEntry[] {
    return this.byMention.get(issueLabel(key)) ?? [];
  }

  naming(cve: string): NewsEntry[] {
    return this.byCve.get(cve.toUpperCase()) ?? [];
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) {
    if (!list.includes(value)) list.push(value);
  } else {
    map.set(key, [value]);
  }
}
