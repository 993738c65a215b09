import { join, resolve } from 'node:path';
import { type RegenOutput as InternalOutput, regenerate } from '../regen/index.js';
import { writeFilesAtomic } from '../util/atomic-write.js';
import { resolveInTree } from '../util/tree-file.js';
import { pushAll } from '../util/arrays.js';
import { checkOptions, checkPathArgument } from './options.js';

/** One manifest of the checkout, as it is and as it should be. */
export interface RegenOutput {
  /** Relative to the checkout (`Misc/sbom.spdx.json`). */
  path: string;
  before: string;
  after: string;
  /** Why it is stale, one line each (empty when current). */
  changes: string[];
  /** One line naming manifest, package and field of the first change (empty when current). */
  headline: string;
}

/** Options of `regen`; the names are those of the command's flags. */
export interface RegenOptions {
  /** Write nothing; report whether either manifest would change. */
  check?: boolean;
  /** Checks stricter than the checkout's script (vendored headers' versions, …) fail instead of warning. */
  strict?: boolean;
  /** Download what the checkout's script would download (changed archives, PyPI metadata). */
  online?: boolean;
  /** PyPI JSON API base for scripts that look pip up at run time. Default `https://pypi.org/pypi`. */
  pypiUrl?: string;
  /** Accepted for compatibility; does nothing (stricter checks are warnings unless `strict`). */
  allowDrift?: boolean;
  /** Directory a relative CHECKOUT resolves against. Default: `process.cwd()`. */
  cwd?: string;
  /** Environment (`CPYTHON_SBOM_DOWNLOAD_MIRROR`). Default: `process.env`. */
  env?: Record<string, string | undefined>;
}

/**
 * How the run ended, as the checkout's own script would see it (`fails-strict-check` only with
 * `strict`): `current` and `updated` are success, the others exit 1 in the CLI.
 */
export type RegenVerdict = 'current' | 'updated' | 'stale' | 'fails-script-checks' | 'fails-strict-check';

export interface RegenResult {
  /** True for `current` and `updated`. */
  ok: boolean;
  verdict: RegenVerdict;
  /** Checks the checkout's own script makes and that fail (it would write nothing and exit 1). */
  scriptFailures: string[];
  /** Checks stricter than the script's that fail: findings with `strict`, else also in `warnings`. */
  strictFailures: string[];
  /** Changes that cannot be computed offline (an archive to download); `online` computes them. */
  offline: string[];
  /** Both manifests as they are and as they should be. */
  outputs: RegenOutput[];
  /** Paths (relative to the checkout) that are not current: written, or with `check` what would be. */
  stale: string[];
  /** Absolute paths written (never with `check`, never when a check fails). */
  written: string[];
  warnings: string[];
  notes: string[];
}

/**
 * Regenerates `Misc/sbom.spdx.json` and `Misc/externals.spdx.json` of a CPython checkout as its own
 * `Tools/build/generate_sbom.py` would, following that generation of the script. Without `check`
 * the stale files are replaced together, atomically, and only when every check that counts
 * passes. A checkout that cannot be read, is not CPython, or whose script cannot be followed
 * offline throws an InputError.
 */
export async function regen(checkout: string, options: RegenOptions = {}): Promise<RegenResult> {
  checkPathArgument('regen', 'CHECKOUT', checkout);
  checkOptions('regen', options, {
    check: 'boolean',
    strict: 'boolean',
    online: 'boolean',
    pypiUrl: 'string',
    allowDrift: 'boolean',
    cwd: 'string',
    env: 'env',
  });
  const root = resolve(options.cwd ?? process.cwd(), checkout);
  const strict = options.strict === true;
  const result = await regenerate(root, {
    online: options.online === true,
    ...(options.pypiUrl !== undefined ? { pypiUrl: options.pypiUrl } : {}),
    env: options.env ?? process.env,
  });
  const stale = result.outputs.filter((output) => output.changes.length > 0);
  const verdict: RegenVerdict =
    result.scriptFailures.length > 0
      ? 'fails-script-checks'
      : strict && result.strict.length > 0
        ? 'fails-strict-check'
        : result.offline.length > 0 || (options.check === true && stale.length > 0)
          ? 'stale'
          : stale.length > 0
            ? 'updated'
            : 'current';
  const written: string[] = [];
  if (verdict === 'updated') {
    // Written where the checkout really keeps them: a Misc/ or a manifest that is a link out of the
    // checkout is refused before anything is written.
    for (const output of stale) resolveInTree(root, output.path, true);
    const files = stale.map((output) => ({ path: join(root, output.path), data: output.after }));
    await writeFilesAtomic(files);
    pushAll(
      written,
      files.map((file) => file.path),
    );
  }
  return {
    ok: verdict === 'current' || verdict === 'updated',
    verdict,
    scriptFailures: result.scriptFailures,
    strictFailures: result.strict,
    offline: result.offline,
    outputs: result.outputs.map(copyOutput),
    stale: stale.map((output) => output.path),
    written,
    warnings: strict ? [] : result.strict.map((message) => `${message} (a finding under --strict)`),
    notes: result.notes,
  };
}

/** A copy in the library's own type, whose declarations need no Node type definitions. */
function copyOutput(output: InternalOutput): RegenOutput {
  return { path: output.path, before: output.before, after: output.after, changes: output.changes, headline: output.headline };
}
