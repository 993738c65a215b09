import { InputError } from '../errors.js';
import type { Finding } from '../detect/types.js';
import type { SbomDocument } from '../model/types.js';
import type { StepAction } from './types.js';
import { pushAll } from '../util/arrays.js';

/**
 * `--pypi`: replace the offline guesses for pip and its vendored projects with what PyPI's JSON
 * API says — the real download URL and SHA-256 of the wheel (of pip's own wheel file; of any
 * wheel of a vendored project's pinned release), as python.org's release tooling records them.
 * The bundled pip wheel must be byte-identical to PyPI's (a finding otherwise).
 */

interface ReleaseFile {
  filename: string;
  packagetype: string;
  url: string;
  digests: { sha256: string };
}

const TIMEOUT_MS = 30_000;

async function releaseFiles(baseUrl: string, project: string, version: string): Promise<ReleaseFile[]> {
  const url = `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(project)}/${encodeURIComponent(version)}/json`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: 'application/json' } });
  } catch (error) {
    throw new InputError(`--pypi: cannot reach ${url} (${(error as Error).message})`);
  }
  if (!response.ok) throw new InputError(`--pypi: ${url} answered HTTP ${response.status}`);
  let body: { urls?: ReleaseFile[] };
  try {
    body = (await response.json()) as { urls?: ReleaseFile[] };
  } catch {
    throw new InputError(`--pypi: ${url} did not answer with JSON`);
  }
  if (!Array.isArray(body.urls)) throw new InputError(`--pypi: ${url} lists no release files`);
  return body.urls;
}

export async function applyPypiMetadata(document: SbomDocument, baseUrl: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  const pip = document.packages.find((pkg) => pkg.ref === 'pip');
  if (!pip) return findings;
  const targets = [pip, ...document.packages.filter((pkg) => pip.dependsOn.includes(pkg.ref))];
  for (const pkg of targets) {
    const files = await releaseFiles(baseUrl, pkg.name, pkg.version);
    const wanted = pkg === pip ? pip.downloadLocation?.split('/').pop() : undefined;
    const match = files.find((file) => (wanted ? file.filename === wanted : file.packagetype === 'bdist_wheel'));
    if (!match) {
      throw new InputError(`--pypi: PyPI has no ${wanted ?? 'wheel'} for ${pkg.name} ${pkg.version}`);
    }
    if (pkg === pip && pip.checksums.SHA256 && pip.checksums.SHA256 !== match.digests.sha256) {
      findings.push({
        kind: 'other',
        component: 'pip',
        message: `pip: the bundled ${match.filename} has SHA-256 ${pip.checksums.SHA256}, PyPI's has ${match.digests.sha256}`,
      });
    }
    pkg.downloadLocation = match.url;
    pkg.checksums = { SHA256: match.digests.sha256 };
  }
  return findings;
}

/** `--pypi`: the step that asks PyPI (network) for pip's and its vendored projects' artifacts. */
export function pypiStep(baseUrl: string): StepAction {
  return {
    name: 'pypi',
    wants: () => false,
    async apply(context) {
      if (!context.document.packages.some((pkg) => pkg.ref === 'pip')) {
        context.warnings.push('--pypi: the document lists no pip (the artifact carries none, or the tree bundles no pip wheel); nothing to look up on PyPI');
        return;
      }
      pushAll(context.findings, (await applyPypiMetadata(context.document, baseUrl)));
    },
  };
}
