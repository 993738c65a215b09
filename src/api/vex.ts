import { basename, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { creationTime } from '../generate/build.js';
import { describe } from '../generate/pipeline.js';
import type { VulnerabilityStatement } from '../model/types.js';
import { looksLikeWindowsArtifact } from '../windows/artifact-name.js';
import { loadAdvisories } from '../vex/advisory-dir.js';
import { VEX_FORMATS, VEX_SUFFIX, type VexFormat, renderCycloneDxVex, renderOpenVex, validateVex } from '../vex/render.js';
import type { VexSummary } from '../vex/statements.js';
import { vexStep } from '../vex/step.js';
import { checkOptions, checkPathArgument } from './options.js';

export { VEX_FORMATS, type VexFormat } from '../vex/render.js';
export type { VexSummary } from '../vex/statements.js';

/**
 * `vex` as a function: which known vulnerabilities a CPython tree or tarball has fixed, on the
 * tree's own evidence. The tree is scanned once, as `generate` scans it (so the statements name
 * CPython and its components by the same bom-refs and purls as the SBOM), its changelog joined
 * with the OSV advisories in `advisories`, and the VEX document rendered and validated. Nothing
 * is written or printed.
 */
export interface VexOptions {
  /** A checkout of github.com/psf/advisory-database, a folder of OSV JSON files, or one such file. */
  advisories: string;
  /** `cyclonedx-json` (default) or `openvex`. */
  format?: VexFormat;
  /** CycloneDX spec version. Default `1.6`. */
  cyclonedxVersion?: '1.6' | '1.7';
  /** Creation time (`YYYY-MM-DDThh:mm:ssZ`). Default: `SOURCE_DATE_EPOCH` of `env`, else now. */
  created?: string;
  /** Directory relative paths resolve against. Default: `process.cwd()`. */
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Called as the scan advances (files or bytes done, out of total). */
  onProgress?: (done: number, total: number) => void;
}

export interface VexResult {
  /** The VEX document, validated. */
  document: string;
  format: VexFormat;
  /** Named after the artifact as SBOMs are: `Python-3.13.15.tar.xz.vex.cdx.json`, `….openvex.json`. */
  fileName: string;
  /** One per advisory that concerns the tree, sorted by id. */
  statements: VulnerabilityStatement[];
  summary: VexSummary;
  /** Advisory files skipped and why, advisories that disagree, checks the tree failed. */
  warnings: string[];
  cpythonVersion: string;
  source: { path: string; kind: 'directory' | 'tarball' };
  advisories: { location: string; files: number; skipped: number; withdrawn: number; duplicates: number };
}

export async function vex(source: string, options: VexOptions): Promise<VexResult> {
  checkPathArgument('vex', 'SOURCE', source);
  if (options === undefined || options === null) throw new InputError('vex: options with advisories (a directory) are required');
  checkOptions('vex', options, {
    advisories: 'string',
    format: 'string',
    cyclonedxVersion: ['1.6', '1.7'],
    created: 'time',
    cwd: 'string',
    env: 'env',
    onProgress: 'function',
  });
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const format = options.format ?? 'cyclonedx-json';
  if (!VEX_FORMATS.includes(format)) throw new InputError(`--format ${String(format)}: expected one of ${VEX_FORMATS.join(', ')}`);
  if (typeof options.advisories !== 'string' || options.advisories === '')
    throw new InputError('--advisories DIR is required (a checkout of github.com/psf/advisory-database)');
  const sourcePath = resolve(cwd, source);
  if (looksLikeWindowsArtifact(basename(sourcePath))) {
    throw new InputError(`${source}: vex reads a source tree or release tarball (its Misc/NEWS), not a Windows artifact; give the release's source tarball`);
  }
  const created = options.created ?? creationTime(env);

  // The advisories first: a wrong DIR fails at once, not after the scan.
  const advisories = await loadAdvisories(resolve(cwd, options.advisories));
  if (advisories.advisories.length === 0) {
    throw new InputError(
      `--advisories ${options.advisories}: no usable OSV advisory among ${advisories.counts.files} JSON file${advisories.counts.files === 1 ? '' : 's'}` +
        (advisories.warnings[0] ? ` (${advisories.warnings[0]})` : ''),
    );
  }

  const step = vexStep(advisories);
  let before = 0;
  // generate's pipeline, complete profile, with the statements step last: the statements name
  // CPython and its components by the same refs and purls as the complete SBOM.
  const built = await describe(sourcePath, {
    profile: 'complete',
    created,
    cwd,
    flags: {},
    pypiUrl: 'https://pypi.org/pypi',
    extraSteps: [
      // Only what the statements step says is vex's business: note where its warnings begin.
      {
        name: 'vex-mark',
        subjects: ['source'],
        wants: () => false,
        apply: (context) => {
          before = context.warnings.length;
        },
      },
      { ...step, subjects: ['source'] },
    ],
    ...(options.onProgress
      ? { onProgress: (progress) => (progress.phase === 'scan' && progress.total ? options.onProgress?.(progress.done ?? 0, progress.total) : undefined) }
      : {}),
  });
  const scan = built.detect.scan;
  const warnings: string[] = built.warnings.slice(before);
  if (built.findings.length > 0) {
    warnings.push(`the tree fails ${built.findings.length} of generate's checks (first: ${built.findings[0]?.message}); the statements do not depend on them`);
  }
  const outcome = step.outcome;
  if (!outcome) throw new Error('vex: the step produced no outcome');
  if (outcome.statements.length === 0) {
    throw new InputError(
      `--advisories ${options.advisories}: none of its ${advisories.advisories.length} advisories concerns CPython or a component of this tree (by purl); nothing to state`,
    );
  }

  const document =
    format === 'openvex'
      ? renderOpenVex(built.document, outcome.statements)
      : renderCycloneDxVex(built.document, outcome.statements, options.cyclonedxVersion ?? '1.6');
  const problems = await validateVex(document, format);
  if (problems.length > 0) {
    // Our own output failing its schema is a bug, not the user's input.
    throw new Error(`vex: the ${format} document fails validation: ${problems[0]?.path} ${problems[0]?.message}`);
  }
  const { counts } = advisories;
  return {
    document,
    format,
    fileName: (scan.artifact?.fileName ?? scan.rootName) + VEX_SUFFIX[format],
    statements: outcome.statements,
    summary: outcome.summary,
    warnings,
    cpythonVersion: built.cpythonVersion,
    source: { path: sourcePath, kind: scan.kind },
    advisories: { location: advisories.location, files: counts.files, skipped: counts.skipped, withdrawn: counts.withdrawn, duplicates: counts.duplicates },
  };
}
