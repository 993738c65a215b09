import { type RegenResult, regen } from '../api/regen.js';
import { EXIT_OK, FindingError } from '../errors.js';
import type { CommandIO } from './io.js';

/**
 * `regen CHECKOUT [--check] [--strict] [--online] [--pypi-url URL]`: the library's `regen`, then
 * its verdict printed. The first line says which case it is: `fails the script's checks`,
 * `fails a strict check` or `stale`, naming manifest, package and field; every finding follows.
 */
export async function runRegen(checkout: string, options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const check = options.check === true;
  const strict = options.strict === true;
  const result = await regen(checkout, {
    check,
    strict,
    online: options.online === true,
    ...(typeof options.pypiUrl === 'string' ? { pypiUrl: options.pypiUrl } : {}),
    cwd: io.cwd,
    env: io.env,
  });
  const stale = result.outputs.filter((output) => output.changes.length > 0);
  // Warnings and notes; under --quiet they are left out, the finding itself is still said.
  const trailer = io.quiet ? [] : [...result.warnings.map((warning) => `warning: ${warning}`), ...result.notes.map((note) => `note: ${note}`)];

  switch (result.verdict) {
    case 'fails-script-checks':
      throw verdict("fails the script's checks", result.scriptFailures, [
        ...(strict ? result.strictFailures.map((message) => `strict: ${message}`) : []),
        ...staleLines(result),
        ...trailer,
        'nothing written',
      ]);
    case 'fails-strict-check':
      throw verdict('fails a strict check', result.strictFailures, [...staleLines(result), ...trailer, 'nothing written']);
    case 'stale': {
      if (result.offline.length > 0) {
        throw verdict('stale', result.offline, [...stale.flatMap((output) => output.changes), ...trailer, 'nothing written']);
      }
      const flags = [options.online === true ? '--online' : '', strict ? '--strict' : ''].filter(Boolean);
      throw verdict(
        'stale',
        stale.map((output) => output.headline),
        [...stale.flatMap((output) => output.changes), ...trailer, `run \`cpython-sbom regen ${[checkout, ...flags].join(' ')}\` to update; nothing written`],
      );
    }
    case 'current':
    case 'updated':
      break;
  }
  if (check) {
    io.stdout(`${result.outputs.map((output) => output.path).join(' and ')}: up to date\n`);
  } else {
    for (const output of result.outputs) {
      if (output.changes.length === 0) io.stdout(`${output.path}: up to date\n`);
      else io.stdout(`updated ${output.changes.join('\n')}\n`);
    }
  }
  for (const line of trailer) io.stderr(`${line}\n`);
  return EXIT_OK;
}

/** The first line names the case and the first finding (manifest, package, field); the rest follow. */
function verdict(kind: string, findings: string[], after: string[]): FindingError {
  const [first, ...rest] = findings;
  const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
  return new FindingError(`${kind}: ${first ?? ''}${more}`, [...rest, ...after]);
}

function staleLines(result: RegenResult): string[] {
  const lines = result.outputs.filter((output) => output.changes.length > 0).map((output) => `also stale: ${output.headline}`);
  return [...lines, ...result.offline.map((message) => `also stale: ${message}`)];
}
