import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { CommandIO } from '../commands/io.js';
import { FindingError, InputError, describeSystemError } from '../errors.js';
import { creationTime } from '../generate/build.js';
import { type CycloneDxVersion, OUTPUT_SUFFIX, type OutputFormat, parseFormats } from '../generate/output.js';
import { parseProfile } from '../generate/profile.js';
import { renderValidated } from '../generate/render.js';
import { type PendingOutput, writeFilesAtomic } from '../util/atomic-write.js';
import { buildWindowsSbom } from './index.js';

interface WindowsGenerateOptions {
  format?: string;
  output?: string;
  outDir?: string;
  cyclonedxVersion?: string;
  profile?: string;
  source?: string;
  overlay?: string;
  pypi?: boolean;
  pypiUrl?: string;
}

/**
 * `generate ARTIFACT --source TREE` for a python.org Windows artifact: outputs named after the
 * artifact (`python-3.13.15-amd64.exe.spdx.json`), beside it unless told otherwise, every format
 * validated before anything is written, nothing written when the tree's facts have findings.
 */
export async function runGenerateWindows(artifact: string, raw: Record<string, unknown>, io: CommandIO): Promise<number> {
  const options = raw as WindowsGenerateOptions;
  const formats = parseFormats(options.format ?? 'spdx-json');
  if (options.output !== undefined && options.outDir !== undefined) throw new InputError('--output and --out-dir cannot be used together');
  if (options.output !== undefined && formats.length !== 1) {
    throw new InputError(`--output takes exactly one format, got ${formats.length} (use --out-dir for several)`);
  }
  if (options.overlay !== undefined) throw new InputError('--overlay does not apply to a Windows artifact');
  const artifactPath = resolve(io.cwd, artifact);
  const result = await buildWindowsSbom(artifactPath, {
    source: options.source === undefined ? undefined : resolve(io.cwd, options.source),
    profile: parseProfile(options.profile),
    created: creationTime(io.env),
  });
  if (options.pypi) {
    // As python.org's tooling does: PyPI's URLs and digests for pip's wheel and what pip vendors.
    const { applyPypiMetadata } = await import('../generate/pypi.js');
    result.findings.push(...(await applyPypiMetadata(result.document, options.pypiUrl ?? 'https://pypi.org/pypi')));
  }
  for (const warning of result.warnings) io.stderr(`cpython-sbom: warning: ${warning}\n`);
  if (result.findings.length > 0) {
    const count = result.findings.length;
    throw new FindingError(`${options.source}: ${count} finding${count === 1 ? '' : 's'}; no SBOM written`, result.findings.map((f) => f.message));
  }
  const baseName = result.artifact.fileName;
  const rendered = await renderValidated({
    document: result.document,
    formats,
    cycloneDxVersion: (options.cyclonedxVersion ?? '1.6') as CycloneDxVersion,
    baseName,
  });
  if (options.output === '-') {
    io.stdout(rendered.get(formats[0] as OutputFormat) as string);
    return 0;
  }
  let outputs: PendingOutput[];
  if (options.output !== undefined) {
    outputs = [{ path: resolve(io.cwd, options.output), data: rendered.get(formats[0] as OutputFormat) as string }];
  } else {
    const dir = options.outDir !== undefined ? resolve(io.cwd, options.outDir) : dirname(artifactPath);
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
