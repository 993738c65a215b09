import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FindingError, InputError, describeSystemError } from '../errors.js';
import { optionalDetectors } from '../detect/registry.js';
import { type BuildResult, buildSbom, creationTime } from '../generate/build.js';
import { type CycloneDxVersion, OUTPUT_SUFFIX, type OutputFormat, parseFormats } from '../generate/output.js';
import { renderValidated } from '../generate/render.js';
import type { Overlay } from '../overlay/index.js';
import { parseProfile } from '../generate/profile.js';
import { type PendingOutput, writeFilesAtomic } from '../util/atomic-write.js';
import type { CommandIO } from './io.js';

/** The sample tree `generate` describes when no SOURCE is given. */
export const SAMPLE_TREE = fileURLToPath(new URL('../../fixtures/sample-cpython', import.meta.url));

interface GenerateOptions {
  format?: string;
  output?: string;
  outDir?: string;
  overlay?: string;
  cyclonedxVersion?: string;
  externals?: boolean;
  allowDrift?: boolean;
  pypi?: boolean;
  pypiUrl?: string;
  progress?: boolean;
  profile?: string;
  creator?: string[];
  strict?: boolean;
}

export async function runGenerate(source: string | undefined, raw: Record<string, unknown>, io: CommandIO): Promise<number> {
  const options = raw as GenerateOptions;
  const formats = parseFormats(options.format ?? 'spdx-json');
  if (options.output !== undefined && options.outDir !== undefined) {
    throw new InputError('--output and --out-dir cannot be used together');
  }
  if (options.output !== undefined && formats.length !== 1) {
    throw new InputError(`--output takes exactly one format, got ${formats.length} (use --out-dir for several)`);
  }
  const sourcePath = resolve(io.cwd, source ?? SAMPLE_TREE);
  const created = creationTime(io.env);

  // The overlay is read and checked before the scan, so a mistake in it is reported at once.
  const overlay = options.overlay === undefined
    ? undefined
    : await (await import('../overlay/index.js')).loadOverlay(options.overlay, sourcePath, io.cwd);

  const cycloneDxVersion = (options.cyclonedxVersion ?? '1.6') as CycloneDxVersion;
  const result = await buildDocument(sourcePath, created, overlay, options, io);
  const rendered = await renderValidated({ document: result.document, formats, cycloneDxVersion, baseName: outputBaseName(result) });

  if (options.output === '-') {
    io.stdout(rendered.get(formats[0] as OutputFormat) as string);
    return 0;
  }
  const baseName = outputBaseName(result);
  let outputs: PendingOutput[];
  if (options.output !== undefined) {
    outputs = [{ path: resolve(io.cwd, options.output), data: rendered.get(formats[0] as OutputFormat) as string }];
  } else {
    const dir = options.outDir !== undefined
      ? resolve(io.cwd, options.outDir)
      : result.scan.kind === 'tarball'
        ? dirname(result.scan.location)
        : io.cwd;
    if (options.outDir !== undefined) {
      await mkdir(dir, { recursive: true }).catch((error: unknown) => {
        throw new InputError(`cannot create ${describeSystemError(error, dir)}`);
      });
    }
    outputs = formats.map((format) => ({ path: join(dir, baseName + OUTPUT_SUFFIX[format]), data: rendered.get(format) as string }));
  }
  await writeFilesAtomic(outputs);
  for (const output of outputs) io.stderr(`wrote ${output.path}\n`);
  return 0;
}

/** Outputs are named after the tarball (`Python-3.13.15.tar.xz.spdx.json`) or the tree. */
function outputBaseName(result: BuildResult): string {
  return result.scan.artifact?.fileName ?? result.scan.rootName;
}

/** Scans and detects, applies --pypi and the overlay, and refuses to go on with findings. */
async function buildDocument(
  sourcePath: string,
  created: string,
  overlay: Overlay | undefined,
  options: GenerateOptions,
  io: CommandIO,
): Promise<BuildResult> {
  const progress = options.progress !== false && io.stderrIsTTY ? progressLine(io) : undefined;
  const result = await buildSbom(sourcePath, {
    created,
    ...(progress ? { onProgress: progress.update } : {}),
    ...(options.externals ? { extraDetectors: optionalDetectors({ externals: true }) } : {}),
    ...(options.strict ? { strict: true } : {}),
    ...(options.creator && options.creator.length > 0 ? { creators: options.creator.map(parseCreator) } : {}),
    profile: parseProfile(options.profile),
  }).finally(() => progress?.clear());

  if (options.pypi) {
    const { applyPypiMetadata } = await import('../generate/pypi.js');
    result.findings.push(...(await applyPypiMetadata(result.document, options.pypiUrl ?? 'https://pypi.org/pypi')));
  }
  if (overlay) {
    const outcome = (await import('../overlay/index.js')).applyOverlay(result.document, result.findings, overlay);
    result.findings = outcome.findings;
    result.warnings.push(...outcome.warnings);
    for (const note of outcome.notes) io.stderr(`cpython-sbom: note: ${note}\n`);
  }
  for (const warning of result.warnings) io.stderr(`cpython-sbom: warning: ${warning}\n`);
  if (result.findings.length > 0) {
    const count = result.findings.length;
    throw new FindingError(
      `${sourcePath}: ${count} finding${count === 1 ? '' : 's'}; no SBOM written`,
      result.findings.map((finding) => finding.message),
    );
  }
  return result;
}

/** `--creator`: an SPDX creator, `Organization: NAME`, `Person: NAME (EMAIL)` or `Tool: NAME`. */
export function parseCreator(value: string): string {
  const match = /^\s*(Organization|Person|Tool)\s*:\s*(\S.*?)\s*$/.exec(value);
  if (!match) throw new InputError(`--creator: expected 'Organization: NAME', 'Person: NAME (EMAIL)' or 'Tool: NAME', got '${value}'`);
  return `${match[1]}: ${match[2]}`;
}

function progressLine(io: CommandIO): { update: (done: number, total: number) => void; clear: () => void } {
  let last = -1;
  return {
    update(done, total) {
      const percent = total > 0 ? Math.floor((done / total) * 100) : 0;
      if (percent === last) return;
      last = percent;
      io.stderr(`\rscanning… ${percent}%`);
    },
    clear() {
      if (last >= 0) io.stderr('\r\x1b[K');
    },
  };
}
