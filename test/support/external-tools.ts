import { spawnSync } from 'node:child_process';

/**
 * Tools other than ours, for interoperability tests: Python's `jsonschema` package,
 * libxml2's `xmllint` and Debian's `licensecheck`. `.ci/run` installs them (Debian: python3-jsonschema,
 * libxml2-utils, licensecheck). When
 * one is missing the test is skipped with a loud warning, except under CI (CI=true), where that
 * is a failure.
 */

const warned = new Set<string>();

function missing(tool: string, install: string): undefined {
  if (process.env.CI === 'true' || process.env.CI === '1') {
    throw new Error(`${tool} is missing under CI: install it (${install}); .ci/run does`);
  }
  if (!warned.has(tool)) {
    warned.add(tool);
    process.stderr.write(`\n*** SKIPPING interoperability tests: ${tool} is missing. Install it with: ${install} ***\n\n`);
  }
  return undefined;
}

/** A Python interpreter that can `import jsonschema`, or undefined (loudly) when there is none. */
export function pythonWithJsonschema(): string | undefined {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(candidate, ['-c', 'import jsonschema'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  return missing('Python jsonschema', 'apt-get install python3-jsonschema');
}

/** `xmllint`, or undefined (loudly) when it is not installed. */
export function xmllint(): string | undefined {
  const probe = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? 'xmllint' : missing('xmllint', 'apt-get install libxml2-utils');
}

/** Debian's `licensecheck` (a per-file license and copyright scanner), or undefined (loudly) when it is not installed. */
export function licensecheck(): string | undefined {
  const probe = spawnSync('licensecheck', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? 'licensecheck' : missing('licensecheck', 'apt-get install licensecheck');
}
