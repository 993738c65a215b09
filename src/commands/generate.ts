import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { FindingError, InputError } from '../errors.js';
import { type GenerateProgress, SAMPLE_TREE, generate } from '../api/generate.js';
import type { CycloneDxVersion, OutputFormat, Profile } from '../api/generate.js';
import {
  STDOUT,
  checkOutputsWritable,
  directoryTargets,
  makeDirectory,
  planOutputs,
  type PendingOutput,
  signatureFileName,
  writeFilesAtomic,
} from '../api/outputs.js';
import type { CommandIO } from './io.js';

export { SAMPLE_TREE };

/** The command's flags as commander hands them over. */
interface GenerateFlags {
  format?: string;
  output?: string | string[];
  outDir?: string;
  overlay?: string;
  cyclonedxVersion?: string;
  files?: 'all' | 'none';
  externals?: boolean;
  allowDrift?: boolean;
  pypi?: boolean;
  pypiUrl?: string;
  progress?: boolean;
  profile?: Profile;
  source?: string;
  platform?: 'macos' | 'android' | 'ios' | 'windows';
  deploymentTarget?: string;
  host?: string;
  creator?: string[];
  strict?: boolean;
  quiet?: boolean;
  hash?: string[];
  licenseListVersion?: string;
  sign?: string;
}

/** `generate SOURCE`: the library's `generate`, then the documents written where the flags say. */
export async function runGenerate(source: string, raw: Record<string, unknown>, io: CommandIO): Promise<number> {
  const { output, outDir, progress: showProgress, cyclonedxVersion, quiet: _quiet, ...options } = raw as GenerateFlags;
  const plan = planOutputs({ format: options.format, output, outDir }, io.cwd);
  const sourcePath = resolve(io.cwd, source);
  if (options.sign !== undefined && plan.kind === 'files') {
    const piped = plan.targets.find((target) => target.path === STDOUT && target.format !== 'cyclonedx-json');
    if (piped) {
      throw new InputError(
        `--sign: ${piped.format} goes to stdout, and its detached signature needs a file beside it; write it to a file (-o ${piped.format}=FILE or --out-dir DIR)`,
      );
    }
  }
  await checkOutputsWritable(plan, sourcePath, io.cwd);

  const progress = showProgress !== false && !io.quiet && io.stderrIsTTY ? progressLine(io) : undefined;
  const result = await generate(sourcePath, {
    ...options,
    format: plan.formats,
    ...(cyclonedxVersion !== undefined ? { cyclonedxVersion: cyclonedxVersion as CycloneDxVersion } : {}),
    cwd: io.cwd,
    env: io.env,
    ...(progress ? { onProgress: progress.update } : {}),
  }).finally(() => progress?.clear());

  if (!io.quiet) {
    for (const note of result.notes) io.stderr(`cpython-sbom: note: ${note}\n`);
    for (const warning of result.warnings) io.stderr(`cpython-sbom: warning: ${warning}\n`);
  }
  if (!result.ok) {
    const count = result.findings.length;
    throw new FindingError(
      `${sourcePath}: ${count} finding${count === 1 ? '' : 's'}; no SBOM written`,
      result.findings.map((finding) => finding.message),
    );
  }

  const text = (format: OutputFormat) => result.documents[format] as string;
  const targets = plan.kind === 'files' ? plan.targets : directoryTargets(plan, result.fileNames, result.source, io.cwd);
  const files: PendingOutput[] = targets.filter((target) => target.path !== STDOUT).map((target) => ({ path: target.path, data: text(target.format) }));
  // A signature goes with its document in the same atomic step: neither is written without the other.
  for (const target of targets) {
    const signature = result.signatures[target.format];
    if (signature !== undefined && target.path !== STDOUT) files.push({ path: signatureFileName(target.path), data: signature });
  }
  if (plan.kind === 'directory' && plan.dir !== undefined) await makeDirectory(plan.dir);
  if (files.length > 0) {
    progress?.update({ phase: 'write' });
    await writeFilesAtomic(files).finally(() => progress?.clear());
  }
  for (const target of targets) if (target.path === STDOUT) io.stdout(text(target.format));
  if (!io.quiet) for (const file of files) io.stderr(`wrote ${file.path}\n`);
  // Said with every SBOM of the sample, even under --quiet: it must never pass for one of a release.
  if (isSampleTree(sourcePath)) {
    io.stderr(`cpython-sbom: note: ${sourcePath} is the small synthetic sample tree shipped with cpython-sbom, not a CPython release\n`);
  }
  return 0;
}

/** True when SOURCE is the sample tree this package ships (`fixtures/sample-cpython`). */
function isSampleTree(path: string): boolean {
  try {
    return realpathSync(path) === realpathSync(SAMPLE_TREE);
  } catch {
    return false;
  }
}

/** One status line on a terminal, rewritten as the run moves through its phases. */
function progressLine(io: CommandIO): { update: (progress: GenerateProgress) => void; clear: () => void } {
  let last = '';
  return {
    update(progress) {
      let line: string;
      if (progress.phase === 'scan') {
        const percent = progress.total ? Math.floor(((progress.done ?? 0) / progress.total) * 100) : 0;
        line = `scanning… ${percent}%`;
      } else if (progress.phase === 'detect') line = 'detecting components…';
      else if (progress.phase === 'render') line = `rendering ${progress.format ?? ''}…`;
      else if (progress.phase === 'validate') line = `validating ${progress.format ?? ''}…`;
      else line = 'writing…';
      if (line === last) return;
      last = line;
      io.stderr(`\r${line}\x1b[K`);
    },
    clear() {
      if (last !== '') io.stderr('\r\x1b[K');
      last = '';
    },
  };
}
