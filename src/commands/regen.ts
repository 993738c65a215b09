import { join, resolve } from 'node:path';
import { EXIT_OK, FindingError } from '../errors.js';
import { regenerate, type RegenResult } from '../regen/index.js';
import { writeFilesAtomic } from '../util/atomic-write.js';
import type { CommandIO } from './io.js';

/**
 * `regen CHECKOUT [--check] [--strict] [--online] [--pypi-url URL]`: rewrites Misc/sbom.spdx.json
 * and Misc/externals.spdx.json as the checkout's Tools/build/generate_sbom.py would. The verdict is
 * the script's: its own checks failing, or a file it would change, exit 1; checks stricter than
 * the script's are warnings unless --strict. The first line says which case it is: `fails the
 * script's checks`, `fails a strict check` or `stale`. Nothing is written unless every check that
 * counts passes; only changed files are written.
 */
export async function runRegen(checkout: string, options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const root = resolve(io.cwd, checkout);
  const check = options.check === true;
  const strict = options.strict === true;
  const result = await regenerate(root, {
    online: options.online === true,
    ...(typeof options.pypiUrl === 'string' ? { pypiUrl: options.pypiUrl } : {}),
    env: io.env,
  });
  const stale = result.outputs.filter((output) => output.changes.length > 0);
  const trailer = (): string[] => [
    ...(strict ? [] : result.strict.map((message) => `warning: ${message} (a finding under --strict)`)),
    ...result.notes.map((note) => `note: ${note}`),
  ];

  if (result.scriptFailures.length > 0) {
    throw verdict("fails the script's checks", result.scriptFailures, [
      ...(strict ? result.strict.map((message) => `strict: ${message}`) : []),
      ...staleLines(result),
      ...trailer(),
      'nothing written',
    ]);
  }
  if (strict && result.strict.length > 0) {
    throw verdict('fails a strict check', result.strict, [...staleLines(result), ...trailer(), 'nothing written']);
  }
  if (result.offline.length > 0) {
    throw verdict('stale', result.offline, [...stale.flatMap((output) => output.changes), ...trailer(), 'nothing written']);
  }
  if (check && stale.length > 0) {
    const flags = [options.online === true ? '--online' : '', strict ? '--strict' : ''].filter(Boolean);
    throw verdict(
      'stale',
      stale.map((output) => output.headline),
      [
        ...stale.flatMap((output) => output.changes),
        ...trailer(),
        `run \`cpython-sbom regen ${[checkout, ...flags].join(' ')}\` to update; nothing written`,
      ],
    );
  }

  if (check) {
    io.stdout(`${result.outputs.map((output) => output.path).join(' and ')}: up to date\n`);
  } else {
    await writeFilesAtomic(stale.map((output) => ({ path: join(root, output.path), data: output.after })));
    for (const output of result.outputs) {
      if (output.changes.length === 0) io.stdout(`${output.path}: up to date\n`);
      else io.stdout(`updated ${output.changes.join('\n')}\n`);
    }
  }
  for (const line of trailer()) io.stderr(`${line}\n`);
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
