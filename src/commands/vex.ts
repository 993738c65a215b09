import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type VexFormat, vex } from '../api/vex.js';
import { EXIT_OK, InputError, describeSystemError } from '../errors.js';
import { writeFilesAtomic } from '../util/atomic-write.js';
import type { CommandIO } from './io.js';

/** Warnings printed one per line; the rest are counted. */
const WARNING_LIMIT = 20;

export async function runVex(source: string, options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const output = typeof options.output === 'string' ? options.output : '-';
  const target = output === '-' ? undefined : resolve(io.cwd, output);
  if (target !== undefined) {
    // A typo'd output folder fails now, not after the scan.
    const folder = dirname(target);
    const info = await stat(folder).catch((error: unknown) => {
      throw new InputError(`--output ${output}: ${describeSystemError(error, folder)}`);
    });
    if (!info.isDirectory()) throw new InputError(`--output ${output}: ${folder} is not a directory`);
  }
  const showProgress = options.progress !== false && io.stderrIsTTY;
  const result = await vex(source, {
    advisories: options.advisories as string,
    format: (options.format as VexFormat | undefined) ?? 'cyclonedx-json',
    ...(options.cyclonedxVersion ? { cyclonedxVersion: options.cyclonedxVersion as '1.6' | '1.7' } : {}),
    cwd: io.cwd,
    env: io.env,
    ...(showProgress
      ? { onProgress: (done: number, total: number) => io.stderr(`\rscanning ${source}: ${Math.floor((100 * done) / Math.max(total, 1))}%`) }
      : {}),
  }).finally(() => {
    if (showProgress) io.stderr('\r\x1b[K');
  });

  for (const warning of result.warnings.slice(0, WARNING_LIMIT)) io.stderr(`cpython-sbom: warning: ${warning}\n`);
  if (result.warnings.length > WARNING_LIMIT) io.stderr(`cpython-sbom: warning: … and ${result.warnings.length - WARNING_LIMIT} more\n`);
  const { summary, advisories } = result;
  const skipped = advisories.skipped > 0 ? ` (${advisories.skipped} file${advisories.skipped === 1 ? '' : 's'} skipped)` : '';
  io.stderr(
    `cpython-sbom: vex: ${summary.advisories} advisories read from ${advisories.location}${skipped}; ` +
      `${summary.concerning} concern CPython ${result.cpythonVersion} or its components: ${summary.fixed} fixed, ${summary.underInvestigation} under investigation\n`,
  );
  if (target === undefined) {
    io.stdout(result.document);
  } else {
    await writeFilesAtomic([{ path: target, data: result.document }]);
    io.stderr(`wrote ${target}\n`);
  }
  return EXIT_OK;
}
