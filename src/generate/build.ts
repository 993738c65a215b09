import { InputError } from '../errors.js';
import type { Finding } from '../detect/types.js';
import type { SbomDocument } from '../model/types.js';
import type { ScanLimits, ScanResult } from '../source/types.js';
import type { LicenseSource } from '../steps/types.js';
import { describe } from './pipeline.js';
import { DEFAULT_PROFILE, type Profile } from './profile.js';

/**
 * The model `generate` would render for a source tree or tarball, without rendering it: the
 * pipeline's subject facts and steps (generate/pipeline.ts). For tests and tools that look at the
 * model itself.
 */
export interface BuildOptions {
  /** ISO 8601 creation time (`SOURCE_DATE_EPOCH` or now). */
  created: string;
  /** What the document keeps (default: complete). */
  profile?: Profile;
  /** SPDX creators besides the tool. */
  creators?: string[];
  /** Version drift (manifest vs vendored sources) is a finding, not a warning. */
  strict?: boolean;
  /** Also list the Windows build externals of PCbuild/get_externals.bat. */
  externals?: boolean;
  limits?: Partial<ScanLimits>;
}

export interface BuildResult {
  document: SbomDocument;
  scan: ScanResult;
  cpythonVersion: string;
  /** Problems with the tree's facts; the caller refuses to write when there are any. */
  findings: Finding[];
  warnings: string[];
  /** Whether Misc/sbom.spdx.json was there. */
  hasManifest: boolean;
  /** Complete profile: the texts that may state each component's license, by package or snippet ref. */
  licenseSources: Map<string, LicenseSource[]>;
}

export async function buildSbom(source: string, options: BuildOptions): Promise<BuildResult> {
  const described = await describe(source, {
    profile: options.profile ?? DEFAULT_PROFILE,
    created: options.created,
    cwd: process.cwd(),
    flags: { externals: options.externals, creator: options.creators, strict: options.strict },
    pypiUrl: 'https://pypi.org/pypi',
    ...(options.limits ? { limits: options.limits } : {}),
  });
  const { document, detect, cpythonVersion, findings, warnings, hasManifest, licenseSources } = described;
  return { document, scan: detect.scan, cpythonVersion, findings, warnings, hasManifest, licenseSources };
}

/** `SOURCE_DATE_EPOCH` as the creation time, so runs are reproducible; otherwise now. */
export function creationTime(env: NodeJS.ProcessEnv, now: Date = new Date()): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  let date = now;
  if (epoch !== undefined && epoch !== '') {
    if (!/^\d+$/.test(epoch)) throw new InputError(`SOURCE_DATE_EPOCH: not a whole number of seconds: ${epoch}`);
    date = new Date(Number(epoch) * 1000);
    if (Number.isNaN(date.getTime())) throw new InputError(`SOURCE_DATE_EPOCH: out of range: ${epoch}`);
  }
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
