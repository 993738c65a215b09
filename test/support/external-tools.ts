import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

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

/**
 * cdxgen's command-line tools (`cdx-validate`, `cdx-verify`, `cdx-sign`), installed outside the
 * project's dependencies: `.ci/run` installs the pinned `@cyclonedx/cdxgen` into `.cache/cdxgen`
 * (`CPYTHON_SBOM_CDXGEN` names another install prefix). Missing: a loud skip, a failure under CI.
 */
export const CDXGEN_VERSION = '12.8.4';

export function cdxgenTool(name: 'cdx-validate' | 'cdx-verify' | 'cdx-sign'): string | undefined {
  const prefix = process.env.CPYTHON_SBOM_CDXGEN ?? join(import.meta.dirname, '..', '..', '.cache', 'cdxgen');
  const bin = join(prefix, 'node_modules', '.bin', name);
  if (existsSync(bin)) return bin;
  return missing(`cdxgen's ${name}`, `npm install --prefix .cache/cdxgen @cyclonedx/cdxgen@${CDXGEN_VERSION} (.ci/run does)`);
}

/**
 * A Python that imports spdx/tools-python (`spdx_tools`) and spdx/ntia-conformance-checker from
 * sources on `CPYTHON_SBOM_SPDX_PYTHONPATH` (Debian's python3 packages for their dependencies).
 * Neither is in Debian or on npm, so CI cannot install them: absent, the tests that use them are
 * skipped loudly, under CI too.
 */
export function spdxPythonTools(): { python: string; env: NodeJS.ProcessEnv } | undefined {
  const path = process.env.CPYTHON_SBOM_SPDX_PYTHONPATH;
  if (path) {
    const env = { ...process.env, PYTHONPATH: path };
    const probe = spawnSync('/usr/bin/python3', ['-c', 'import spdx_tools, ntia_conformance_checker'], { encoding: 'utf8', env });
    if (probe.status === 0) return { python: '/usr/bin/python3', env };
  }
  if (!warned.has('spdx-python')) {
    warned.add('spdx-python');
    process.stderr.write(
      '\n*** SKIPPING checks with spdx/tools-python and ntia-conformance-checker: set CPYTHON_SBOM_SPDX_PYTHONPATH to their sources ' +
        '(README: Development) — they are not installable from npm or Debian, so CI skips them too ***\n\n',
    );
  }
  return undefined;
}

/** Debian's `licensecheck` (a per-file license and copyright scanner), or undefined (loudly) when it is not installed. */
export function licensecheck(): string | undefined {
  const probe = spawnSync('licensecheck', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? 'licensecheck' : missing('licensecheck', 'apt-get install licensecheck');
}
