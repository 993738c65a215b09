import { checkoutIgnoreRules } from '../source/gitignore.js';

export interface KeptPaths {
  /** How ignored paths were judged: with the checkout's index, or by the ignore patterns alone. */
  how: 'index-and-rules' | 'gitignore-rules';
  /** Why the index was not used, when it was not. */
  why?: string;
  /** Files the rules could not read (a `.gitignore` that is a link, …). */
  warnings: string[];
  kept: Set<string>;
}

/**
 * The paths git would not ignore, as `git check-ignore` judges them for generate_sbom.py: a tracked
 * file never is; otherwise every `.gitignore` and `.git/info/exclude` decide. git itself is never
 * run: a checkout's configuration could make it run commands (src/source/gitignore.ts reads the
 * index and the patterns instead). Outside a checkout (an unpacked tarball) the script does nothing
 * at all; we apply the tree's `.gitignore` patterns, which cannot know which files are tracked.
 * Paths ending in `/` are directories.
 */
export async function keepNotIgnored(root: string, paths: string[]): Promise<KeptPaths> {
  const rules = checkoutIgnoreRules(root);
  const kept = paths.filter((path) => {
    const isDirectory = path.endsWith('/');
    return !rules.ignores(isDirectory ? path.slice(0, -1) : path, isDirectory);
  });
  if (rules.tracked) return { how: 'index-and-rules', warnings: rules.warnings, kept: new Set(kept) };
  return { how: 'gitignore-rules', why: rules.describe().split(';')[0] ?? 'no index', warnings: rules.warnings, kept: new Set(kept) };
}
