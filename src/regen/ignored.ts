import { spawn } from 'node:child_process';
import { InputError } from '../errors.js';

export interface KeptPaths {
  /** Which judge was used: git itself, or the tree's .gitignore files read without git. */
  how: 'git' | 'gitignore-rules';
  /** Why git was not asked, when it was not. */
  why?: string;
  kept: Set<string>;
}

/**
 * The paths git does not ignore. In a git work tree we ask `git check-ignore` itself, as
 * generate_sbom.py does: it consults the index (a tracked file is never ignored), every
 * .gitignore, .git/info/exclude and the user's excludes file, and it works from a subdirectory
 * of a larger repository too. One process for all paths (`--stdin -z`: no quoting, no
 * argument-length limit).
 * Outside a work tree (an unpacked tarball) the script does nothing at all; we apply the tree's
 * .gitignore rules instead (src/source/gitignore.ts), which cannot know which files are tracked.
 * The same when the tree lies in an ignored directory of some enclosing repository (a tarball
 * unpacked into a project's cache): git would call every path ignored, which says nothing
 * about this tree.
 */
export async function keepNotIgnored(root: string, paths: string[]): Promise<KeptPaths> {
  const answer = await checkIgnore(root, paths);
  if (answer.kept) return { how: 'git', kept: new Set(answer.kept) };
  // Loaded only for trees git has no answer for: it pulls in the `ignore` package.
  const { ignoredByRules } = await import('../source/gitignore.js');
  const rules = ignoredByRules(root);
  const kept = paths.filter((path) => {
    const isDirectory = path.endsWith('/');
    return !rules.ignores(isDirectory ? path.slice(0, -1) : path, isDirectory);
  });
  return { how: 'gitignore-rules', why: answer.why, kept: new Set(kept) };
}

/** Paths git does not ignore; `why` instead when git has no answer for this tree. */
function checkIgnore(root: string, paths: string[]): Promise<{ kept?: string[]; why?: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['check-ignore', '--stdin', '-z', '--verbose', '--non-matching'], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', () => resolve({ why: 'git is not available' }));
    child.on('close', (code) => {
      const message = Buffer.concat(err).toString('utf8').trim();
      if (code !== 0 && code !== 1) {
        // 128 with "not a git repository" is the unpacked-tarball case; anything else is git
        // refusing a path (e.g. beyond a symbolic link) and must not silently change the answer.
        if (/not a git repository/i.test(message)) return resolve({ why: 'not a git work tree' });
        return reject(new InputError(`${root}: git check-ignore failed: ${message.split('\n')[0] ?? `exit ${code}`}`));
      }
      // Records of four NUL-terminated fields: source, line, pattern, path; source is empty
      // for a path no rule ignores. The first record is the tree's root itself ('.').
      const fields = Buffer.concat(out).toString('utf8').split('\0');
      if (fields[0] !== '') {
        return resolve({ why: `the tree lies in a directory its enclosing git work tree ignores (${fields[0]}:${fields[1]}: ${fields[2]})` });
      }
      const kept: string[] = [];
      for (let i = 4; i + 3 < fields.length; i += 4) {
        if (fields[i] === '') kept.push(fields[i + 3] as string);
      }
      resolve({ kept });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(['.', ...paths].map((path) => `${path}\0`).join(''));
  });
}
