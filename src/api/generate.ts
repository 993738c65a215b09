import { basename, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { looksLikeWindowsArtifact } from '../windows/artifact-name.js';
import { fileURLToPath } from 'node:url';
import { optionalDetectors } from '../detect/registry.js';
import type { Finding } from '../detect/types.js';
import { buildSbom, creationTime } from '../generate/build.js';
import { type CycloneDxVersion, OUTPUT_SUFFIX, type OutputFormat, parseFormats } from '../generate/output.js';
import { renderValidated } from '../generate/render.js';
import { type Profile, parseProfile } from '../generate/profile.js';
import type { SbomDocument } from '../model/types.js';

/**
 * `generate` as a function: scan a CPython tree or tarball, detect its components, render and
 * validate the asked-for formats, and hand everything back. Writing files is the caller's
 * business (the CLI writes them atomically); nothing here prints.
 */

/** The sample tree the CLI describes when no SOURCE is given. */
export const SAMPLE_TREE = fileURLToPath(new URL('../../fixtures/sample-cpython', import.meta.url));

/** The steps of a run, in order, as reported to `onProgress`. `write` belongs to the caller. */
export type GeneratePhase = 'scan' | 'detect' | 'render' | 'validate' | 'write';

export interface GenerateProgress {
  phase: GeneratePhase;
  /** `scan`: files (directory) or bytes (tarball) done so far, out of `total`. */
  done?: number;
  total?: number;
  /** `render` and `validate`: the format being worked on. */
  format?: OutputFormat;
}

/**
 * Options of `generate`; every field is optional. The names are those of the command's flags
 * (`--cyclonedx-version` is `cyclonedxVersion`), so a new flag is a new optional field here.
 */
export interface GenerateOptions {
  /** Formats to render: a list, or the command's comma-separated text. Default: `['spdx-json']`. */
  format?: string | readonly OutputFormat[];
  /** CycloneDX spec version. Default `1.6`. */
  cyclonedxVersion?: CycloneDxVersion;
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
  /** Look up pip's and its vendored projects' artifacts on PyPI (network). */
  pypi?: boolean;
  /** PyPI JSON API base URL for `pypi`. Default `https://pypi.org/pypi`. */
  pypiUrl?: string;
  /** Creation time (`YYYY-MM-DDThh:mm:ssZ`). Default: `SOURCE_DATE_EPOCH` of `env`, else now. */
  created?: string;
  /** Directory relative paths resolve against. Default: `process.cwd()`. */
  cwd?: string;
  /** Environment (`SOURCE_DATE_EPOCH`, `CPYTHON_SBOM_XZ`). Default: `process.env`. */
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
export type GenerateSourceKind = 'directory' | 'tarball' | 'windows-artifact';

export interface GenerateResult {
  /** False when the tree's facts failed a check (`findings`); then no document is rendered. */
  ok: boolean;
  /** The rendered, validated documents by format (empty when `ok` is false). */
  documents: Partial<Record<OutputFormat, string>>;
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
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const formats = parseFormats(typeof options.format === 'string' ? options.format : (options.format ?? ['spdx-json']).join(','));
  const sourcePath = resolve(cwd, source);
  const created = options.created ?? creationTime(env);
  const onProgress = options.onProgress;

  const profile = parseProfile(options.profile);
  const built = looksLikeWindowsArtifact(basename(sourcePath))
    ? await buildWindowsArtifact(sourcePath, options, profile, created, cwd)
    : await buildSourceTree(sourcePath, options, profile, created, cwd);
  if (options.pypi) {
    const { applyPypiMetadata } = await import('../generate/pypi.js');
    built.findings.push(...(await applyPypiMetadata(built.document, options.pypiUrl ?? 'https://pypi.org/pypi')));
  }
  const { baseName, notes } = built;

  const fileNames: Partial<Record<OutputFormat, string>> = {};
  for (const format of formats) fileNames[format] = baseName + OUTPUT_SUFFIX[format];
  const documents: Partial<Record<OutputFormat, string>> = {};
  const ok = built.findings.length === 0;
  if (ok) {
    const rendered = await renderValidated({
      document: built.document,
      formats,
      cycloneDxVersion: options.cyclonedxVersion ?? '1.6',
      baseName,
      ...(onProgress ? { onStep: (phase: 'render' | 'validate', format: OutputFormat) => onProgress({ phase, format }) } : {}),
    });
    for (const [format, text] of rendered) documents[format] = text;
  }
  return {
    ok,
    documents,
    fileNames,
    model: built.document,
    formats,
    source: { path: sourcePath, kind: built.kind },
    cpythonVersion: built.cpythonVersion,
    findings: built.findings.map(({ kind, message, component, path }) => ({
      kind,
      message,
      ...(component !== undefined ? { component } : {}),
      ...(path !== undefined ? { path } : {}),
    })),
    warnings: built.warnings,
    notes,
  };
}

/** `--creator`: an SPDX creator, `Organization: NAME`, `Person: NAME (EMAIL)` or `Tool: NAME`. */
export function parseCreator(value: string): string {
  const match = /^\s*(Organization|Person|Tool)\s*:\s*(\S.*?)\s*$/.exec(value);
  if (!match) throw new InputError(`--creator: expected 'Organization: NAME', 'Person: NAME (EMAIL)' or 'Tool: NAME', got '${value}'`);
  return `${match[1]}: ${match[2]}`;
}

/** What either kind of source gives the common tail of `generate`. */
interface Built {
  document: SbomDocument;
  findings: Finding[];
  warnings: string[];
  notes: string[];
  /** Outputs are named after it: the tarball or artifact (`Python-3.13.15.tar.xz`), or the tree. */
  baseName: string;
  kind: GenerateSourceKind;
  cpythonVersion: string;
}

/** A source directory or release tarball, with the overlay when one is given. */
async function buildSourceTree(sourcePath: string, options: GenerateOptions, profile: Profile, created: string, cwd: string): Promise<Built> {
  if (options.source !== undefined) {
    throw new InputError('--source names the source tree of a Windows artifact (python-X.Y.Z-….exe/.zip); for a tree, give it as SOURCE');
  }
  const onProgress = options.onProgress;
  // The overlay is read and checked before the scan, so a mistake in it is reported at once.
  const overlayModule = options.overlay === undefined ? undefined : await import('../overlay/index.js');
  const overlay = overlayModule && options.overlay !== undefined ? await overlayModule.loadOverlay(options.overlay, sourcePath, cwd) : undefined;

  onProgress?.({ phase: 'scan', done: 0, total: 0 });
  const result = await buildSbom(sourcePath, {
    created,
    ...(onProgress
      ? { onProgress: (done: number, total: number) => onProgress({ phase: 'scan', done, total }), onPhase: () => onProgress({ phase: 'detect' }) }
      : {}),
    ...(options.externals ? { extraDetectors: optionalDetectors({ externals: true }) } : {}),
    ...(options.strict ? { strict: true } : {}),
    ...(options.creator && options.creator.length > 0 ? { creators: options.creator.map(parseCreator) } : {}),
    profile,
  });
  const notes: string[] = [];
  if (overlay && overlayModule) {
    const outcome = overlayModule.applyOverlay(result.document, result.findings, overlay);
    result.findings = outcome.findings;
    result.warnings.push(...outcome.warnings);
    notes.push(...outcome.notes);
  }
  return {
    document: result.document,
    findings: result.findings,
    warnings: result.warnings,
    notes,
    baseName: result.scan.artifact?.fileName ?? result.scan.rootName,
    kind: result.scan.kind,
    cpythonVersion: result.cpythonVersion,
  };
}

/** A python.org Windows artifact (`python-3.13.15-amd64.exe`), described with its release's source tree. */
async function buildWindowsArtifact(artifactPath: string, options: GenerateOptions, profile: Profile, created: string, cwd: string): Promise<Built> {
  if (options.overlay !== undefined) throw new InputError('--overlay does not apply to a Windows artifact');
  const { buildWindowsSbom } = await import('../windows/index.js');
  options.onProgress?.({ phase: 'scan', done: 0, total: 0 });
  const result = await buildWindowsSbom(artifactPath, {
    source: options.source === undefined ? undefined : resolve(cwd, options.source),
    profile,
    created,
  });
  return {
    document: result.document,
    findings: result.findings,
    warnings: result.warnings,
    notes: [],
    baseName: result.artifact.fileName,
    kind: 'windows-artifact',
    cpythonVersion: result.artifact.version,
  };
}
