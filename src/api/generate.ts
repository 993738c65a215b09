import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Finding } from '../detect/types.js';
import { InputError } from '../errors.js';
import { type CycloneDxVersion, DEFAULT_CYCLONEDX_VERSION, type FileListing, type OutputFormat, parseFormats } from '../formats/registry.js';
import { creationTime } from '../generate/build.js';
import { runPipeline } from '../generate/pipeline.js';
import { FLAG_RULES } from '../generate/steps.js';
import type { GeneratePhase, GenerateProgress } from '../generate/progress.js';
import { type Profile, parseProfile } from '../generate/profile.js';
import type { SbomDocument } from '../model/types.js';
import { withRunBudget } from '../util/zip.js';
import { checkOptions, checkPathArgument } from './options.js';

export type { GeneratePhase, GenerateProgress, CycloneDxVersion, FileListing, OutputFormat, Profile };

/**
 * `generate` as a function: the pipeline of generate/pipeline.ts (a subject's facts, the profile's
 * and the flags' steps, every asked-for format rendered and validated), handed back. Writing files
 * is the caller's business (the CLI writes them atomically); nothing here prints.
 */

/** The small synthetic sample tree shipped with the package, to try the tool on (not a CPython release). */
export const SAMPLE_TREE = fileURLToPath(new URL('../../fixtures/sample-cpython', import.meta.url));

/**
 * Options of `generate`; every field is optional. The names are those of the command's flags
 * (`--cyclonedx-version` is `cyclonedxVersion`), so a new flag is a new optional field here.
 */
export interface GenerateOptions {
  /** Formats to render: a list, or the command's comma-separated text. Default: `['spdx-json']`. */
  format?: string | readonly OutputFormat[];
  /** CycloneDX spec version. Default `1.6`. */
  cyclonedxVersion?: CycloneDxVersion;
  /**
   * `all` (default): every file with its hashes; `none`: the packages only, for stores that want
   * components (Dependency-Track and the like), each keeping the verification code of its files.
   */
  files?: FileListing;
  /** Path of a YAML overlay for distributor builds (relative paths resolve against `cwd`). */
  overlay?: string;
  /** Also list the Windows build externals of `PCbuild/get_externals.bat`. */
  externals?: boolean;
  /** No-op, kept for old callers: version drift is a warning unless `strict`. */
  allowDrift?: boolean;
  /** Version drift between the manifest and the vendored sources is a finding, not a warning. */
  strict?: boolean;
  /**
   * SPDX creators besides the tool (`Organization: NAME`, `Person: NAME (EMAIL)`), replacing the
   * complete profile's default (the PSF).
   */
  creator?: string[];
  /**
   * `complete` (default): all third-party code with licenses, copyrights and evidence;
   * `python.org`: exactly the facts python.org's release tooling writes.
   */
  profile?: Profile;
  /**
   * For a python.org Windows artifact (`python-3.13.15-embed-amd64.zip`): the release's source
   * directory or tarball, which says what the artifact was built from.
   */
  source?: string;
  /**
   * What a platform's build of the tree bundles: `macos`, `android`, `ios` (the libraries the
   * tree's build recipe downloads, read as data), or `windows` (the tree with its externals).
   */
  platform?: 'macos' | 'android' | 'ios' | 'windows';
  /** `platform: 'macos'`: the deployment target the recipe's conditions test (default: python.org's). */
  deploymentTarget?: string;
  /** `platform: 'android' | 'ios'`: the host triple whose libraries are listed (default: python.org's first). */
  host?: string;
  /** Look up pip's and its vendored projects' artifacts on PyPI (network). */
  pypi?: boolean;
  /** PyPI JSON API base URL for `pypi`. Default `https://pypi.org/pypi`. */
  pypiUrl?: string;
  /**
   * A checkout of github.com/psf/advisory-database (or a folder of OSV files): VEX statements of
   * which known vulnerabilities the tree has fixed go into the CycloneDX documents (see `vex`).
   */
  advisories?: string;
  /** Extra digests of every file and package: `sha512` (SHA-1 and SHA-256 are always written). */
  hash?: string | readonly string[];
  /**
   * An SPDX license list version (`3.22`): ids newer than it are written as `LicenseRef-` ids with
   * their text, and the document declares that list version.
   */
  licenseListVersion?: string;
  /**
   * Path of a PEM private key (RSA, EC P-256/384/521, Ed25519): CycloneDX JSON gets a JSON
   * Signature Format signature; every other document a detached signature in `signatures`.
   */
  sign?: string;
  /** Creation time (`YYYY-MM-DDThh:mm:ssZ`). Default: `SOURCE_DATE_EPOCH` of `env`, else now. */
  created?: string;
  /** Directory relative paths resolve against. Default: `process.cwd()`. */
  cwd?: string;
  /**
   * Environment (`SOURCE_DATE_EPOCH`, `CPYTHON_SBOM_THREADS=1`: render the formats side by side on
   * worker threads). Default: `process.env`. Where the source is read is the process's own
   * environment's to say, whatever this holds: `CPYTHON_SBOM_XZ` (`system` or `wasm`),
   * `CPYTHON_SBOM_DECOMPRESS=main` and `CPYTHON_SBOM_READ=main` (no decompression or reading thread).
   */
  env?: Record<string, string | undefined>;
  /** Called as each phase starts, and as the scan advances. */
  onProgress?: (progress: GenerateProgress) => void;
}

/** What a finding is about; spelled out so the library's declarations need no Node types. */
export type GenerateFindingKind = 'manifest-hash' | 'manifest-missing-file' | 'version-drift' | 'pip-bom-mismatch' | 'wheel-record' | 'other';
// Fails to compile when the detectors gain a kind this list lacks.
const kindsAgree: Finding['kind'] extends GenerateFindingKind ? true : never = true;
void kindsAgree;

export interface GenerateFinding {
  kind: GenerateFindingKind;
  message: string;
  component?: string;
  path?: string;
}

/** What SOURCE was: a source tree, a release tarball, or a python.org Windows artifact. */
export type GenerateSourceKind = 'directory' | 'tarball' | 'windows-artifact' | 'platform-artifact';

export interface GenerateResult {
  /** False when the tree's facts failed a check (`findings`); then no document is rendered. */
  ok: boolean;
  /** The rendered, validated documents by format (empty when `ok` is false). */
  documents: Partial<Record<OutputFormat, string>>;
  /** With `sign`: the detached signature (base64 text) of each document without its own, by format; written as FILE.sig. */
  signatures: Partial<Record<OutputFormat, string>>;
  /** File names after the OpenSSF naming guide (`Python-3.13.15.tar.xz.spdx.json`), by format. */
  fileNames: Partial<Record<OutputFormat, string>>;
  /** The format-free model the documents were rendered from. */
  model: SbomDocument;
  /** The formats asked for, in order. */
  formats: OutputFormat[];
  source: { path: string; kind: GenerateSourceKind };
  cpythonVersion: string;
  /** Why `ok` is false: a listed file with another hash, version drift, … (the CLI exits 1). */
  findings: GenerateFinding[];
  warnings: string[];
  /** What was decided along the way (overlay: files a patch changed, …). */
  notes: string[];
}

export async function generate(source: string, options: GenerateOptions = {}): Promise<GenerateResult> {
  checkPathArgument('generate', 'SOURCE', source);
  checkOptions('generate', options, {
    format: 'string-or-strings',
    cyclonedxVersion: 'string',
    files: 'string',
    overlay: 'string',
    externals: 'boolean',
    allowDrift: 'boolean',
    strict: 'boolean',
    creator: 'strings',
    profile: 'string',
    source: 'string',
    pypi: 'boolean',
    pypiUrl: 'string',
    advisories: 'string',
    created: 'time',
    cwd: 'string',
    env: 'env',
    onProgress: 'function',
  });
  // One bound for everything the run inflates, across all its wheels and archives.
  return withRunBudget(() => generateOnce(source, options));
}

async function generateOnce(source: string, options: GenerateOptions): Promise<GenerateResult> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const formats = parseFormats(typeof options.format === 'string' ? options.format : (options.format ?? ['spdx-json']).join(','));
  const sourcePath = resolve(cwd, source);
  if (options.files !== undefined && options.files !== 'all' && options.files !== 'none') {
    throw new InputError(`--files: expected all or none, got ${String(options.files)}`);
  }
  // Every flag of generate/steps.ts's table, by its option name; SOURCE-relative paths resolved here.
  const flags: Record<string, unknown> = {};
  for (const rule of FLAG_RULES) flags[rule.option] = options[rule.option as keyof GenerateOptions];
  if (typeof options.source === 'string') flags.source = resolve(cwd, options.source);
  const result = await runPipeline(sourcePath, {
    formats,
    cycloneDxVersion: options.cyclonedxVersion ?? DEFAULT_CYCLONEDX_VERSION,
    ...(options.files ? { files: options.files } : {}),
    profile: parseProfile(options.profile),
    created: options.created ?? creationTime(env),
    cwd,
    flags,
    pypiUrl: options.pypiUrl ?? 'https://pypi.org/pypi',
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(env.CPYTHON_SBOM_THREADS === '1' ? { threads: true } : {}),
  });
  const { described } = result;
  return {
    ok: result.ok,
    documents: result.documents,
    signatures: result.signatures,
    fileNames: result.fileNames,
    model: described.document,
    formats,
    source: { path: sourcePath, kind: described.sourceKind },
    cpythonVersion: described.cpythonVersion,
    findings: result.findings.map(({ kind, message, component, path }) => ({
      kind,
      message,
      ...(component !== undefined ? { component } : {}),
      ...(path !== undefined ? { path } : {}),
    })),
    warnings: described.warnings,
    notes: described.notes,
  };
}
