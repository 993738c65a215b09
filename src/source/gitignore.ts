import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Answers whether git would leave a path (relative to the tree root, POSIX) out. */
export interface IgnoreMatcher {
  ignores(path: string, isDirectory: boolean): boolean;
}

export function isGitCheckout(root: string): boolean {
  return existsSync(join(root, '.git'));
}

/**
 * Asks git itself which untracked paths are ignored (tracked files never are, just as
 * `git check-ignore` sees it). Undefined when the tree is no checkout or git cannot answer.
 */
export async function ignoredByGit(root: string): Promise<IgnoreMatcher | undefined> {
  if (!isGitCheckout(root)) return undefined;
  const output = await new Promise<string | undefined>((resolve) => {
    execFile(
      'git',
      ['-C', root, 'ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory'],
      { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout) => resolve(error ? undefined : stdout),
    );
  });
  if (output === undefined) return undefined;
  const ignored = new Set(output.split('\0').filter(Boolean));
  return {
    ignores(path, isDirectory) {
      if (ignored.has(isDirectory ? `${path}/` : path)) return true;
      for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
        if (ignored.has(path.slice(0, slash + 1))) return true;
      }
      return false;
    },
  };
}

/**
 * The same `.gitignore` rules without git: every `.gitignore` from the root down to the path's
 * directory, plus `.git/info/exclude`, deeper files overriding shallower ones, negations included.
 * It cannot know which files are tracked, so a tracked file that matches a pattern is left out.
 */
export function ignoredByRules(root: string): IgnoreMatcher {
  const perDirectory = new Map<string, Ignore | null>();
  const rulesFor = (dir: string): Ignore | null => {
    let rules = perDirectory.get(dir);
    if (rules !== undefined) return rules;
    rules = null;
    const sources = [join(root, dir, '.gitignore')];
    if (dir === '') sources.unshift(join(root, '.git', 'info', 'exclude'));
    for (const source of sources) {
      try {
        const text = readFileSync(source, 'utf8');
        rules = (rules ?? ignore()).add(text);
      } catch {
        // no such file
      }
    }
    perDirectory.set(dir, rules);
    return rules;
  };
  const cache = new Map<string, boolean>();
  const matcher: IgnoreMatcher = {
    ignores(path, isDirectory) {
      const key = isDirectory ? `${path}/` : path;
      const known = cache.get(key);
      if (known !== undefined) return known;
      // Git never looks inside an ignored directory.
      const parentEnd = path.lastIndexOf('/');
      let result = parentEnd !== -1 && matcher.ignores(path.slice(0, parentEnd), true);
      if (!result) {
        const segments = path.split('/');
        for (let depth = 0; depth < segments.length; depth++) {
          const dir = segments.slice(0, depth).join('/');
          const rules = rulesFor(dir);
          if (!rules) continue;
          const relative = segments.slice(depth).join('/') + (isDirectory ? '/' : '');
          const verdict = rules.test(relative);
          if (verdict.ignored) result = true;
          else if (verdict.unignored) result = false;
        }
      }
      cache.set(key, result);
      return result;
    },
  };
  return matcher;
}
