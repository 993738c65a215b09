import { createHash } from 'node:crypto';
import type { Patch } from '../model/types.js';

/**
 * What a distributor's patch files say about themselves: the files they touch (from the diff
 * headers) and what they resolve (CVE ids, CPython issues, distributor bugs), read from the file
 * name and the DEP-3 / git-format-patch headers. Nothing here applies a patch: the tree SOURCE
 * is already patched, these facts only describe how it got that way.
 */

/** One line of a quilt series: the patch file (relative to the series' directory) and its -pN. */
export interface SeriesEntry {
  name: string;
  /** How many leading path components the patch's paths carry (quilt's -p, default 1). */
  strip: number;
  /** 1-based line in the series file, for messages. */
  line: number;
}

/**
 * A quilt series: one patch per line, `#` starts a comment (whole line or after the name),
 * options such as `-p1` may follow the name.
 */
export function parseSeries(text: string): SeriesEntry[] {
  const entries: SeriesEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    const [name, ...options] = line.split(/\s+/) as [string, ...string[]];
    let strip = 1;
    for (const option of options) {
      const match = /^-p(\d+)$/.exec(option);
      if (match) strip = Number(match[1]);
    }
    entries.push({ name, strip, line: index + 1 });
  });
  return entries;
}

/** Diffs larger than this are recorded by hash and path only, not embedded in the SBOM. */
export const MAX_EMBEDDED_DIFF = 64 * 1024;

export interface AnalyzePatchOptions {
  /** Tree path of the patch file (recorded as Patch.path). */
  path: string;
  order: number;
  strip: number;
  /** Whether a path exists in the tree, to pick the right prefix when the series' -p is off. */
  inTree?: (path: string) => boolean;
}

export function analyzePatch(bytes: Buffer, options: AnalyzePatchOptions): Patch {
  const text = bytes.toString('utf8');
  const headers = readHeaders(text);
  const resolves = resolvedIssues(baseName(options.path), headers);
  const upstreamOrigin = headers.some((h) => h.name === 'origin' && /^\s*(upstream|backport)\b/i.test(h.value));
  const upstreamRef = resolves.some((issue) => issue.type === 'security' || /^(gh|bpo)-/.test(issue.id));
  const description = headers.find((h) => h.name === 'subject' || h.name === 'description')?.value;
  const patch: Patch = {
    path: options.path,
    order: options.order,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    type: upstreamRef || upstreamOrigin ? 'backport' : 'unofficial',
    touches: touchedFiles(text, options.strip, options.inTree),
    resolves,
  };
  if (description)
    patch.description =
      description
        .replace(/^\[PATCH[^\]]*\]\s*/, '')
        .split('\n')[0]
        ?.trim() ?? '';
  if (bytes.length <= MAX_EMBEDDED_DIFF) patch.diff = text;
  return patch;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

interface Header {
  /** Lower-cased field name. */
  name: string;
  /** Value with folded continuation lines joined by newlines. */
  value: string;
}

/** Header fields that say what a patch is and what it fixes (DEP-3 and git format-patch). */
const DESCRIBING_FIELDS = new Set(['subject', 'description', 'bug', 'bug-debian', 'bug-upstream', 'origin']);

/**
 * The describing header fields anywhere outside the diff hunks: a DEP-3 header at the top, and
 * every mail header of a file that concatenates several `git format-patch` mails. A field line
 * starts in column 0, which no hunk line does; its continuation lines are indented.
 */
function readHeaders(text: string): Header[] {
  const headers: Header[] = [];
  let current: Header | undefined;
  for (const line of text.split(/\r?\n/)) {
    const field = /^([A-Za-z][A-Za-z-]*):\s?(.*)$/.exec(line);
    if (field && DESCRIBING_FIELDS.has((field[1] as string).toLowerCase())) {
      current = { name: (field[1] as string).toLowerCase(), value: field[2] as string };
      headers.push(current);
    } else if (current && /^[ \t]\S/.test(line)) {
      current.value += `\n${line.trim()}`;
    } else {
      current = undefined;
    }
  }
  return headers;
}

type Issue = Patch['resolves'][number];

const CVE = /\bCVE[-_ ](\d{4})[-_ ](\d{4,})/gi;
/** Lower-case `gh-N` names a CPython issue; upper-case `GH-N` in backport subjects is a pull request. */
const GH_ISSUE = /\bgh-(\d+)\b/g;
const BPO = /\bbpo-(\d+)\b/gi;
const GH_ISSUE_URL = /https?:\/\/github\.com\/python\/cpython\/issues\/(\d+)/g;
const DEBIAN_BUG_URL = /https?:\/\/bugs\.debian\.org\/(?:cgi-bin\/bugreport\.cgi\?bug=)?(\d+)/g;

export function cveUrl(id: string): string {
  return `https://www.cve.org/CVERecord?id=${id}`;
}

export function cpythonIssueUrl(number: string): string {
  return `https://github.com/python/cpython/issues/${number}`;
}

/**
 * CVE ids from the file name and the describing headers, then CPython issues (`gh-N`, `bpo-N`,
 * issue links) and Debian bugs from the headers. Each id once, CVEs first, in order of appearance.
 */
export function resolvedIssues(fileName: string, headers: Header[]): Issue[] {
  const issues = new Map<string, Issue>();
  const add = (issue: Issue): void => {
    if (!issues.has(issue.id)) issues.set(issue.id, issue);
  };
  const texts = [fileName, ...headers.map((header) => header.value)];
  for (const text of texts) {
    for (const match of text.matchAll(CVE)) {
      const id = `CVE-${match[1]}-${match[2]}`;
      add({ id, type: 'security', url: cveUrl(id) });
    }
  }
  for (const header of headers) {
    for (const match of header.value.matchAll(GH_ISSUE)) add({ id: `gh-${match[1]}`, type: 'defect', url: cpythonIssueUrl(match[1] as string) });
    for (const match of header.value.matchAll(GH_ISSUE_URL)) add({ id: `gh-${match[1]}`, type: 'defect', url: cpythonIssueUrl(match[1] as string) });
    // bugs.python.org redirects each old issue to the GitHub issue it was migrated to.
    for (const match of header.value.matchAll(BPO)) add({ id: `bpo-${match[1]}`, type: 'defect', url: `https://bugs.python.org/issue${match[1]}` });
    for (const match of header.value.matchAll(DEBIAN_BUG_URL)) add({ id: `Debian#${match[1]}`, type: 'defect', url: `https://bugs.debian.org/${match[1]}` });
  }
  return [...issues.values()];
}

/**
 * Tree paths a unified diff touches, from its `---`/`+++` (and `Index:`) headers, skipping hunk
 * bodies so a removed line that starts with `-- ` is not taken for a header. `strip` leading
 * components are removed as `patch -pN` would; when that path is not in the tree but another
 * strip level gives one that is, that one is taken (series options are often left out).
 */
export function touchedFiles(text: string, strip: number, inTree: (path: string) => boolean = () => false): string[] {
  const touched = new Set<string>();
  const lines = text.split(/\r?\n/);
  let oldLeft = 0;
  let newLeft = 0;
  let minus: string | undefined;
  // A file named by `Index:` or `diff --git` whose ---/+++ pair never comes (binary, rename, mode).
  let pending: string | undefined;
  const flushPending = (): void => {
    if (pending !== undefined) touched.add(treePath(pending, strip, inTree));
    pending = undefined;
  };
  for (const line of lines) {
    if (oldLeft > 0 || newLeft > 0) {
      if (line.startsWith('-')) oldLeft--;
      else if (line.startsWith('+')) newLeft--;
      else if (line.startsWith(' ') || line === '') {
        oldLeft--;
        newLeft--;
      }
      continue;
    }
    const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    if (hunk) {
      oldLeft = hunk[1] === undefined ? 1 : Number(hunk[1]);
      newLeft = hunk[2] === undefined ? 1 : Number(hunk[2]);
      continue;
    }
    if (line.startsWith('--- ')) {
      minus = headerPath(line.slice(4));
    } else if (line.startsWith('+++ ') && minus !== undefined) {
      const plus = headerPath(line.slice(4));
      // A created file has /dev/null as its old side, a deleted one as its new side.
      const raw = plus === '/dev/null' ? minus : plus;
      if (raw !== '/dev/null') touched.add(treePath(raw, strip, inTree));
      minus = undefined;
      pending = undefined;
    } else if (line.startsWith('Index: ')) {
      flushPending();
      pending = headerPath(line.slice(7));
    } else if (line.startsWith('diff --git ')) {
      flushPending();
      const sides = /^diff --git (?:"?a\/)?(.+?)"? "?b\/(.+?)"?$/.exec(line);
      // git paths carry a/ and b/ prefixes: one component, like -p1.
      if (sides) pending = `b/${sides[2]}`;
    }
  }
  flushPending();
  return [...touched].sort();
}

function headerPath(rest: string): string {
  let path = rest.split('\t')[0] as string;
  if (path.startsWith('"') && path.endsWith('"')) path = path.slice(1, -1).replace(/\\(.)/g, '$1');
  return path.trimEnd();
}

function treePath(raw: string, strip: number, inTree: (path: string) => boolean): string {
  const parts = raw.replace(/^\.\//, '').split('/');
  const stripped = (n: number) => parts.slice(Math.min(n, parts.length - 1)).join('/');
  const preferred = stripped(strip);
  if (inTree(preferred)) return preferred;
  for (let n = 0; n < parts.length; n++) {
    if (n !== strip && inTree(stripped(n))) return stripped(n);
  }
  return preferred;
}
