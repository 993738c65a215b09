import { join, resolve } from 'node:path';
import { EXIT_OK, FindingError } from '../errors.js';
import { RegenFindings, regenerate } from '../regen/index.js';
import { writeFilesAtomic } from '../util/atomic-write.js';
import type { CommandIO } from './io.js';

/**
 * `regen CHECKOUT [--check] [--online] [--allow-drift]`: rewrites Misc/sbom.spdx.json and
 * Misc/externals.spdx.json as the checkout's Tools/build/generate_sbom.py would, after its checks
 * and stricter ones. Nothing is written unless every check passes; only changed files are written.
 */
export async function runRegen(checkout: string, options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const root = resolve(io.cwd, checkout);
  const check = options.check === true;
  let result;
  try {
    result = await regenerate(root, { online: options.online === true, allowDrift: options.allowDrift === true, env: io.env });
  } catch (error) {
    if (!(error instanceof RegenFindings)) throw error;
    for (const warning of error.warnings) io.stderr(`warning: ${warning}\n`);
    const count = error.errors.length;
    const hint = error.errors.some((finding) => finding.drift) ? ' (--allow-drift reports version drift as warnings)' : '';
    throw new FindingError(
      `${checkout}: ${count} check${count === 1 ? '' : 's'} failed, nothing written${hint}`,
      error.errors.map((finding) => finding.message),
    );
  }
  for (const note of result.notes) io.stderr(`note: ${note}\n`);
  for (const warning of result.warnings) io.stderr(`warning: ${warning}\n`);

  const flags = [options.online === true ? '--online' : '', options.allowDrift === true ? '--allow-drift' : ''].filter(Boolean);
  const stale = result.outputs.filter((output) => output.changes.length > 0);
  if (check) {
    if (stale.length > 0) {
      throw new FindingError(
        `stale: ${stale.map((output) => output.path).join(', ')} (run \`cpython-sbom regen ${[checkout, ...flags].join(' ')}\` to update); nothing written`,
        stale.flatMap((output) => output.changes),
      );
    }
    io.stdout(`${result.outputs.map((output) => output.path).join(' and ')}: up to date\n`);
    return EXIT_OK;
  }
  await writeFilesAtomic(stale.map((output) => ({ path: join(root, output.path), data: output.after })));
  for (const output of result.outputs) {
    if (output.changes.length === 0) io.stdout(`${output.path}: up to date\n`);
    else io.stdout(`updated ${output.changes.join('\n')}\n`);
  }
  return EXIT_OK;
}
