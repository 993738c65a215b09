import { join, resolve } from 'node:path';
import { RegenFindings, regenerate } from '../regen/index.js';
import { writeFilesAtomic } from '../util/atomic-write.js';

/** One manifest of the checkout, as it is and as it should be. */
export interface RegenOutput {
  /** Relative to the checkout (`Misc/sbom.spdx.json`). */
  path: string;
  before: string;
  after: string;
  /** Why it is stale, one line each (empty when current). */
  changes: string[];
}

/** Options of `regen`; the names are those of the command's flags. */
export interface RegenOptions {
  /** Write nothing; report whether either manifest would change. */
  check?: boolean;
  /** Download externals whose download location changed, to hash them (network). */
  online?: boolean;
  /** Report version drift between the manifest and the vendored sources as warnings. */
  allowDrift?: boolean;
  /** Directory a relative CHECKOUT resolves against. Default: `process.cwd()`. */
  cwd?: string;
  /** Environment (`CPYTHON_SBOM_DOWNLOAD_MIRROR`). Default: `process.env`. */
  env?: Record<string, string | undefined>;
}

export interface RegenResult {
  /**
   * False when a check failed (`findings`; nothing written), or with `check` when either
   * manifest is stale. The command exits 1 then.
   */
  ok: boolean;
  /** Failed checks, one message each; empty when every check passed. */
  findings: string[];
  /** Whether any failed check is version drift (which `allowDrift` would let through). */
  driftFindings: boolean;
  /** Both manifests as they are and as they should be (empty when a check failed). */
  outputs: RegenOutput[];
  /** Paths (relative to the checkout) that are not current: written, or with `check` what would be. */
  stale: string[];
  /** Absolute paths written (never with `check`). */
  written: string[];
  warnings: string[];
  notes: string[];
}

/**
 * Regenerates `Misc/sbom.spdx.json` and `Misc/externals.spdx.json` of a CPython checkout as its own
 * `Tools/build/generate_sbom.py` would, after its checks and stricter ones. Without `check` the
 * stale files are replaced together, atomically; nothing is written when any check fails.
 * A checkout that cannot be read or is not CPython throws an InputError.
 */
export async function regen(checkout: string, options: RegenOptions = {}): Promise<RegenResult> {
  const root = resolve(options.cwd ?? process.cwd(), checkout);
  let result;
  try {
    result = await regenerate(root, { online: options.online === true, allowDrift: options.allowDrift === true, env: options.env ?? process.env });
  } catch (error) {
    if (!(error instanceof RegenFindings)) throw error;
    return {
      ok: false,
      findings: error.errors.map((finding) => finding.message),
      driftFindings: error.errors.some((finding) => finding.drift),
      outputs: [],
      stale: [],
      written: [],
      warnings: error.warnings,
      notes: [],
    };
  }
  const stale = result.outputs.filter((output) => output.changes.length > 0);
  const written: string[] = [];
  if (options.check !== true && stale.length > 0) {
    const files = stale.map((output) => ({ path: join(root, output.path), data: output.after }));
    await writeFilesAtomic(files);
    written.push(...files.map((file) => file.path));
  }
  return {
    ok: options.check !== true || stale.length === 0,
    findings: [],
    driftFindings: false,
    outputs: result.outputs,
    stale: stale.map((output) => output.path),
    written,
    warnings: result.warnings,
    notes: result.notes,
  };
}
