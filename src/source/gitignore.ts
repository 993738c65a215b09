import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import { compileGitSegment } from '../util/fnmatch.js';
import { readFileInTree } from '../util/tree-file.js';
import { type TrackedPaths, parseGitIndex } from './git-index.js';

/**
 * What a checkout's ignore rules leave out, decided without running git (a repository's own
 * configuration may name commands git runs: `core.fsmonitor`, filters). We read what git would
 * read ourselves, and nothing outside the tree:
 *
 * - `.git/index` for the tracked paths: a tracked file is never ignored (src/source/git-index.ts);
 * - every `.gitignore` from the tree's root down to the path's directory, and `.git/info/exclude`,
 *   with git's precedence: a deeper file decides before a shallower one, and within a file the
 *   last matching pattern decides; a directory that is ignored hides everything in it that is not
 *   tracked (a pattern cannot re-include a file whose directory is excluded).
 *
 * Not read: the user's `core.excludesFile` and anything else named by a git configuration, a
 * `.git` that is a file or link (`gitdir:` of a worktree or submodule: its index lies elsewhere),
 * and `.gitignore` files that are symbolic links (git does not follow those either).
 *
 * Patterns are matched segment by segment with a linear matcher: `**` chains and `*a*a*…` cost
 * at most pattern × path steps (a backtracking regular expression would take exponential time).
 */

/** Answers whether a path (relative to the tree root, POSIX) is left out. */
export interface IgnoreMatcher {
  ignores(path: string, isDirectory: boolean): boolean;
}

export interface CheckoutIgnore extends IgnoreMatcher {
  /** The tracked paths, when the index could be read. */
  tracked?: TrackedPaths;
  /** What was read and what was not, for a note (`the index and 3 .gitignore files`). */
  describe(): string;
  /** Files that were not read, and why (a `.gitignore` that is a link, an unreadable index). */
  warnings: string[];
}

/** Largest `.gitignore` or `info/exclude` read. */
export const MAX_IGNORE_FILE_BYTES = 1024 * 1024;
/** Most patterns kept from one file. */
export const MAX_PATTERNS_PER_FILE = 10_000;
/** Longest pattern kept (git's own limit is PATH_MAX). */
export const MAX_PATTERN_CHARS = 4096;
/** Largest index read. */
export const MAX_INDEX_BYTES = 256 * 1024 * 1024;

/** `.git` is there (a directory, or the `gitdir:` file of a worktree or submodule). */
export function isGitCheckout(root: string): boolean {
  try {
    lstatSync(join(root, '.git'));
    return true;
  } catch {
    return false;
  }
}

type SegmentMatcher = ((name: string) => boolean) | 'globstar';

interface Pattern {
  negate: boolean;
  directoryOnly: boolean;
  segments: SegmentMatcher[];
}

/** The patterns of one `.gitignore` text, as git reads them. */
export function parseIgnorePatterns(text: string): Pattern[] {
  const patterns: Pattern[] = [];
  for (let line of text.split('\n')) {
    if (patterns.length >= MAX_PATTERNS_PER_FILE) break;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '' || line.startsWith('#')) continue;
    line = trimUnescapedTrailingSpaces(line);
    if (line === '' || line.length > MAX_PATTERN_CHARS) continue;
    let negate = false;
    if (line.startsWith('!')) {
      negate = true;
      line = line.slice(1);
    } else if (line.startsWith('\\!') || line.startsWith('\\#')) {
      line = line.slice(1);
    }
    let directoryOnly = false;
    if (line.endsWith('/') && !line.endsWith('\\/')) {
      directoryOnly = true;
      line = line.replace(/\/+$/, '');
    }
    if (line === '') continue;
    const anchored = line.includes('/');
    const parts = line
      .replace(/^\/+/, '')
      .split('/')
      .filter((part) => part !== '');
    const segments: SegmentMatcher[] = anchored ? [] : ['globstar'];
    for (const part of parts) {
      if (part === '**') {
        if (segments[segments.length - 1] !== 'globstar') segments.push('globstar');
      } else {
        segments.push(compileGitSegment(part));
      }
    }
    if (segments.length === 0) continue;
    patterns.push({ negate, directoryOnly, segments });
  }
  return patterns;
}

function trimUnescapedTrailingSpaces(line: string): string {
  let end = line.length;
  while (end > 0 && line[end - 1] === ' ') {
    let backslashes = 0;
    for (let k = end - 2; k >= 0 && line[k] === '\\'; k--) backslashes++;
    if (backslashes % 2 === 1) break;
    end--;
  }
  return line.slice(0, end);
}

/**
 * Whether path segments match pattern segments, `globstar` standing for any number of whole
 * segments (at least one when it ends the pattern: `dir/**` is what is inside `dir`).
 * Dynamic programming over (pattern, path) positions: at most pattern × path segment matches.
 */
function segmentsMatch(pattern: SegmentMatcher[], path: string[]): boolean {
  let reach = new Uint8Array(path.length + 1);
  reach[0] = 1;
  for (let i = 0; i < pattern.length; i++) {
    const segment = pattern[i] as SegmentMatcher;
    const next = new Uint8Array(path.length + 1);
    if (segment === 'globstar') {
      const atLeastOne = i === pattern.length - 1;
      let seen = false;
      for (let j = 0; j <= path.length; j++) {
        if (atLeastOne) {
          if (seen) next[j] = 1;
          if (reach[j]) seen = true;
        } else {
          if (reach[j]) seen = true;
          if (seen) next[j] = 1;
        }
      }
    } else {
      let any = false;
      for (let j = 0; j < path.length; j++) {
        if (reach[j] && segment(path[j] as string)) {
          next[j + 1] = 1;
          any = true;
        }
      }
      if (!any) return false;
    }
    reach = next;
  }
  return reach[path.length] === 1;
}

/** The verdict of one file's patterns on a path relative to that file's directory: the last match decides. */
function verdictOf(patterns: Pattern[], relative: string[], isDirectory: boolean): boolean | undefined {
  for (let k = patterns.length - 1; k >= 0; k--) {
    const pattern = patterns[k] as Pattern;
    if (pattern.directoryOnly && !isDirectory) continue;
    if (segmentsMatch(pattern.segments, relative)) return !pattern.negate;
  }
  return undefined;
}

/**
 * The ignore rules of the tree at `root`. With `useIndex`, and a `.git` directory whose index can
 * be read, tracked paths are never ignored; otherwise the patterns alone decide.
 */
export function checkoutIgnoreRules(root: string, options: { useIndex?: boolean } = {}): CheckoutIgnore {
  const warnings: string[] = [];
  const readTreeText = (relative: string): string | undefined => {
    try {
      return readFileInTree(root, relative, MAX_IGNORE_FILE_BYTES)?.toString('utf8');
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      warnings.push(`${relative} not read: ${error.message}`);
      return undefined;
    }
  };

  const gitIsDirectory = (() => {
    try {
      return lstatSync(join(root, '.git')).isDirectory();
    } catch {
      return false;
    }
  })();
  let tracked: TrackedPaths | undefined;
  let indexState = 'no index read';
  if (options.useIndex !== false) {
    if (!gitIsDirectory) {
      indexState = isGitCheckout(root) ? 'the index is not read (.git is not a directory inside the tree)' : 'not a git checkout (no .git)';
    } else {
      let bytes: Buffer | undefined;
      try {
        bytes = readFileInTree(root, '.git/index', MAX_INDEX_BYTES);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        indexState = `the index is not read: ${error.message}`;
      }
      if (bytes) {
        const reading = parseGitIndex(bytes);
        if (reading.ok) {
          tracked = reading.tracked;
          indexState = `the index (${reading.tracked.files.size} tracked paths)`;
        } else {
          indexState = `the index is not used: ${reading.why}`;
        }
      } else if (indexState === 'no index read') {
        indexState = 'no index (nothing tracked yet)';
      }
    }
    if (indexState.startsWith('the index is not'))
      warnings.push(`.git/index: ${indexState.replace(/^the index /, '')}; tracked files that match an ignore pattern are left out too`);
  }

  const perDirectory = new Map<string, Pattern[] | null>();
  let filesRead = 0;
  const patternsOf = (dir: string): Pattern[] | null => {
    let patterns = perDirectory.get(dir);
    if (patterns !== undefined) return patterns;
    const text = readTreeText(dir === '' ? '.gitignore' : `${dir}/.gitignore`);
    patterns = text === undefined ? null : parseIgnorePatterns(text);
    if (patterns) filesRead++;
    perDirectory.set(dir, patterns);
    return patterns;
  };
  const excludeText = gitIsDirectory ? readTreeText('.git/info/exclude') : undefined;
  const excludePatterns = excludeText === undefined ? null : parseIgnorePatterns(excludeText);

  // By pattern alone, with parents: a directory's exclusion covers everything below it.
  const excludedCache = new Map<string, boolean>();
  const excluded = (path: string, isDirectory: boolean): boolean => {
    const key = isDirectory ? `${path}/` : path;
    const known = excludedCache.get(key);
    if (known !== undefined) return known;
    const segments = path.split('/');
    let result = segments.length > 1 && excluded(segments.slice(0, -1).join('/'), true);
    if (!result) {
      let verdict: boolean | undefined;
      for (let depth = segments.length - 1; depth >= 0 && verdict === undefined; depth--) {
        const patterns = patternsOf(segments.slice(0, depth).join('/'));
        if (patterns) verdict = verdictOf(patterns, segments.slice(depth), isDirectory);
      }
      if (verdict === undefined && excludePatterns) verdict = verdictOf(excludePatterns, segments, isDirectory);
      result = verdict === true;
    }
    excludedCache.set(key, result);
    return result;
  };

  return {
    ...(tracked ? { tracked } : {}),
    warnings,
    ignores(path, isDirectory) {
      if (tracked && (isDirectory ? tracked.directories.has(path) || tracked.files.has(path) : tracked.files.has(path))) return false;
      return excluded(path, isDirectory);
    },
    describe() {
      const files = `${filesRead} .gitignore file${filesRead === 1 ? '' : 's'}${excludePatterns ? ' and .git/info/exclude' : ''}`;
      return `${indexState}; ${files}`;
    },
  };
}
