import { regen } from '../api/regen.js';
import { EXIT_OK, FindingError } from '../errors.js';
import type { CommandIO } from './io.js';

/**
 * `regen CHECKOUT [--check] [--online] [--allow-drift]`: rewrites Misc/sbom.spdx.json and
 * Misc/externals.spdx.json as the checkout's Tools/build/generate_sbom.py would, after its checks
 * and stricter ones. Nothing is written unless every check passes; only changed files are written.
 */
export async function runRegen(checkout: string, options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const check = options.check === true;
  const result = await regen(checkout, {
    check,
    online: options.online === true,
    allowDrift: options.allowDrift === true,
    cwd: io.cwd,
    env: io.env,
  });
  if (result.findings.length > 0) {
    for (const warning of result.warnings) io.stderr(`warning: ${warning}\n`);
    const count = result.findings.length;
    const hint = result.driftFindings ? ' (--allow-drift reports version drift as warnings)' : '';
    throw new FindingError(`${checkout}: ${count} check${count === 1 ? '' : 's'} failed, nothing written${hint}`, result.findings);
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
  for (const output of result.outputs) {
    if (output.changes.length === 0) io.stdout(`${output.path}: up to date\n`);
    else io.stdout(`updated ${output.changes.join('\n')}\n`);
  }
  return EXIT_OK;
}
