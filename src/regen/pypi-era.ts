import { createHash } from 'node:crypto';
import { parseJsonBounded } from '../util/bounded-json.js';
import { readFile, readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, describeSystemError } from '../errors.js';
import { readBodyBounded } from '../util/http-body.js';
import { MAX_CHECKOUT_FILE_BYTES, readFileResolvedInTree } from '../util/tree-file.js';
import { encodeSpdxId } from '../formats/spdx/ids.js';
import { downloadUrl } from './download.js';
import { isObject, type JsonObject } from './manifest.js';
import type { PackageFilesSource } from './package-files.js';
import { evaluateAt, type PyValue } from './pyliteral.js';
import type { PypiRules } from './script-rules.js';

export const DEFAULT_PYPI_URL = 'https://pypi.org/pypi';
const BUNDLED = 'Lib/ensurepip/_bundled';
const VENDOR_TXT = 'pip/_vendor/vendor.txt';
/** A PyPI JSON document for one release is a few kB to a few hundred kB. */
const MAX_JSON_BYTES = 16 * 1024 * 1024;

export interface PipDiscovery {
  /** The script's own checks that fail here (it would exit 1). */
  failures: string[];
  /** `pip DEPENDS_ON project` relationships, which these scripts write before the CONTAINS ones. */
  relationships: JsonObject[];
}

/**
 * What `discover_pip_sbom_package()` of the December 2023 – February 2024 scripts does, with the
 * same lookups against a PyPI-compatible JSON API (only under --online): pip's entry is rebuilt
 * from the bundled wheel (version from its file name, SHA-256 of its bytes, download URL from
 * PyPI's file of that name, whose digest must agree) and, from January 2024, every project pinned
 * in the wheel's pip/_vendor/vendor.txt has its entry updated from PyPI's first wheel of that
 * release. The entries are the script's own dict literals, read from the script. `doc` and
 * `mapping` are updated in place.
 */
export async function discoverPip(
  root: string,
  doc: JsonObject & { packages: JsonObject[] },
  mapping: PackageFilesSource,
  rules: PypiRules,
  options: { pypiUrl?: string | undefined; env: NodeJS.ProcessEnv; file: string },
): Promise<PipDiscovery> {
  const failures: string[] = [];
  const fail = (message: string): PipDiscovery => {
    failures.push(`${options.file}: ${message}`);
    return { failures, relationships: [] };
  };
  const script = readFileResolvedInTree(root, options.file, MAX_CHECKOUT_FILE_BYTES)?.toString('utf8');
  if (script === undefined) throw new InputError(`${options.file}: no such file`);
  const base = (options.pypiUrl ?? DEFAULT_PYPI_URL).replace(/\/+$/, '');

  let names: string[];
  try {
    names = (await readdir(join(root, BUNDLED))).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !rules.wheelOptional) {
      return fail(`discover_pip_sbom_package: cannot list ${describeSystemError(error, BUNDLED)}`);
    }
    names = [];
  }
  const wheels = names.filter((name) => name.startsWith('pip-'));
  if (rules.wheelOptional) {
    const other = names.find((name) => !name.startsWith('pip-'));
    if (other !== undefined) return fail(`discover_pip_sbom_package: unexpected wheel in ensurepip: '${other}'`);
  }
  if (wheels.length > 1 || (wheels.length === 0 && !rules.wheelOptional)) {
    return fail(`discover_pip_sbom_package: ${wheels.length} pip wheels in '${BUNDLED}', expected exactly one`);
  }
  const wheel = wheels[0];
  if (wheel === undefined) {
    removePipAndDependencies(doc);
    return { failures, relationships: [] };
  }

  const wheelPath = `${BUNDLED}/${wheel}`;
  // The wheel is read whole: never through a link that leads out of the tree.
  const [top, real] = await Promise.all([realpath(root), realpath(join(root, wheelPath)).catch(() => '')]);
  if (real && !real.startsWith(`${top}/`)) {
    throw new InputError(`${wheelPath}: resolves to ${real}, outside the tree; refused (regen never reads outside the tree)`);
  }
  mapping.packages.set('pip', { include: [wheelPath], exclude: [] });
  const pipVersion = wheel.split('-')[1] ?? '';
  const bytes = await readFile(join(root, wheelPath)).catch((error: unknown) => {
    throw new InputError(`cannot read ${describeSystemError(error, wheelPath)}`);
  });
  const pipSha256 = createHash('sha256').update(bytes).digest('hex');
  const release = await pypiRelease(base, 'pip', pipVersion, options.env);
  const pipFile = release.urls.find((url) => url.filename === wheel);
  if (!pipFile) return fail(`pip ${pipVersion}: no file named '${wheel}' on ${base}`);
  if (pipFile.sha256 !== pipSha256) return fail(`pip ${pipVersion}: ${wheelPath} has SHA-256 ${pipSha256}, ${base} says ${pipFile.sha256}`);

  const dependencies = new Set<string>();
  if (rules.vendored) {
    const { readWheelMembers } = await import('../detect/wheel.js');
    const vendor = (await readWheelMembers(bytes, wheelPath, [VENDOR_TXT])).get(VENDOR_TXT);
    if (!vendor) return fail(`${wheelPath} has no ${VENDOR_TXT}`);
    for (const raw of vendor.toString('utf8').split(/\r\n|\r|\n/)) {
      const line = (raw.split('#')[0] as string).trim();
      if (!line) continue;
      const pin = /^([a-zA-Z0-9_.-]+)==([0-9.]*[0-9])$/.exec(line);
      if (!pin) return fail(`couldn't parse line from pip vendor.txt: '${line}'`);
      const project = (pin[1] as string).toLowerCase();
      const version = pin[2] as string;
      const projectRelease = await pypiRelease(base, project, version, options.env);
      const first = projectRelease.urls.find((url) => url.packagetype === 'bdist_wheel');
      if (!first) return fail(`${project} ${version}: no wheel on ${base}`);
      const spdxId = encodeSpdxId(`SPDXRef-PACKAGE-${project}`);
      dependencies.add(spdxId);
      const target = doc.packages.find((pkg) => pkg.SPDXID === spdxId);
      if (target && rules.projectTemplateAt !== undefined) {
        const names = {
          sbom_project_spdx_id: spdxId,
          project_name: project,
          project_version: version,
          project_download_url: first.url,
          project_checksum_sha256: first.sha256,
        };
        Object.assign(target, template(script, rules.projectTemplateAt, options.file, names));
      }
      mapping.packages.set(project, { include: [], exclude: [] });
    }
  }

  const pipId = encodeSpdxId('SPDXRef-PACKAGE-pip');
  doc.packages = doc.packages.filter((pkg) => pkg.name !== 'pip');
  doc.packages.push(
    template(script, rules.pipTemplateAt, options.file, {
      sbom_pip_spdx_id: pipId,
      pip_version: pipVersion,
      pip_download_url: pipFile.url,
      pip_checksum_sha256: pipSha256,
    }),
  );
  const relationships = rules.dependsOn
    ? [...dependencies].sort().map((id) => ({ spdxElementId: pipId, relatedSpdxElement: id, relationshipType: 'DEPENDS_ON' }))
    : [];
  return { failures, relationships };
}

function template(script: string, at: number, file: string, names: Record<string, string>): JsonObject {
  const value = evaluateAt(script, at, file, { names, calls: { spdx_id: (id: PyValue) => encodeSpdxId(String(id)) } });
  if (!isObject(value)) throw new InputError(`${file}: the package entry it writes is not a dict literal`);
  return value as JsonObject;
}

/** When the wheel is gone (a distributor's tree), pip and what pip DEPENDS_ON leave the manifest. */
function removePipAndDependencies(doc: JsonObject & { packages: JsonObject[] }): void {
  const pipId = encodeSpdxId('SPDXRef-PACKAGE-pip');
  const remove = new Set([pipId]);
  const relationships = Array.isArray(doc.relationships) ? doc.relationships.filter(isObject) : [];
  for (const rel of relationships) {
    if (rel.relationshipType === 'DEPENDS_ON' && rel.spdxElementId === pipId && typeof rel.relatedSpdxElement === 'string') {
      remove.add(rel.relatedSpdxElement);
    }
  }
  doc.packages = doc.packages.filter((pkg) => !remove.has(String(pkg.SPDXID)));
}

interface ReleaseFile {
  filename: string;
  packagetype: string;
  url: string;
  sha256: string;
}

/** `GET {base}/{project}/{version}/json`, as the script asks pypi.org (through a mirror if set). */
async function pypiRelease(base: string, project: string, version: string, env: NodeJS.ProcessEnv): Promise<{ urls: ReleaseFile[] }> {
  const url = downloadUrl(`${base}/${project}/${version}/json`, env);
  let text: string;
  try {
    const response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(60_000) });
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    // Bounded while it is read, not after: a server can send without end.
    text = (await readBodyBounded(response, MAX_JSON_BYTES, url)).toString('utf8');
  } catch (error) {
    if (error instanceof InputError) throw error;
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    throw new InputError(`cannot read ${url}: ${cause}`);
  }
  const parsed = parseJsonBounded(text, url, 'not JSON');
  const urls = isObject(parsed) && Array.isArray(parsed.urls) ? parsed.urls : undefined;
  if (!urls) throw new InputError(`${url}: no 'urls' list (not a PyPI JSON API response)`);
  return {
    urls: urls.filter(isObject).map((entry) => ({
      filename: String(entry.filename),
      packagetype: String(entry.packagetype),
      url: String(entry.url),
      sha256: isObject(entry.digests) ? String(entry.digests.sha256) : '',
    })),
  };
}
