import { InputError } from '../errors.js';
import type { Finding } from '../detect/types.js';
import type { SbomDocument } from '../model/types.js';
import type { StepAction } from './types.js';
import { pushAll } from '../util/arrays.js';
import { parseJsonBounded } from '../util/bounded-json.js';
import { acceptableDownloadUrl, readBodyBounded } from '../util/http-body.js';
import { oneLine } from '../util/one-line.js';

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

/** A PyPI JSON answer is a few kB per release file; 16 MiB is far past any real one. */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

async function releaseFiles(baseUrl: string, project: string, version: string): Promise<ReleaseFile[]> {
  const url = `${baseUrl.replace(/\/+$/, '')}/${encodeURIComponent(project)}/${encodeURIComponent(version)}/json`;
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: 'application/json' } });
  } catch (error) {
    throw new InputError(`--pypi: cannot reach ${url} (${oneLine((error as Error).message, 200)})`);
  }
  if (!response.ok) throw new InputError(`--pypi: ${url} answered HTTP ${response.status}`);
  let body: unknown;
  try {
    body = parseJsonBounded((await readBodyBounded(response, MAX_RESPONSE_BYTES, `--pypi: ${url}`)).toString('utf8'), url);
  } catch (error) {
    if (error instanceof InputError && error.message.startsWith('--pypi:')) throw error;
    throw new InputError(`--pypi: ${url} did not answer with JSON`);
  }
  const urls = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as { urls?: unknown }).urls : undefined;
  if (!Array.isArray(urls)) throw new InputError(`--pypi: ${url} lists no release files`);
  // Every field is checked before it is used or recorded: the answer is input like any other.
  const files: ReleaseFile[] = [];
  for (const entry of urls) {
    if (entry === null || typeof entry !== 'object') continue;
    const { filename, packagetype, url: location, digests } = entry as Record<string, unknown>;
    const sha256 = digests !== null && typeof digests === 'object' ? (digests as Record<string, unknown>).sha256 : undefined;
    if (typeof filename !== 'string' || typeof packagetype !== 'string') continue;
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) {
      throw new InputError(`--pypi: ${url}: ${oneLine(filename, 120)} has no SHA-256 digest (64 lowercase hex digits)`);
    }
    if (!acceptableDownloadUrl(location)) {
      throw new InputError(
        `--pypi: ${url}: ${oneLine(filename, 120)} has download URL ${oneLine(String(location), 200)}, not https (or http on this machine); refused`,
      );
    }
    files.push({ filename, packagetype, url: location, digests: { sha256 } });
  }
  return files;
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
      pushAll(context.findings, await applyPypiMetadata(context.document, baseUrl));
    },
  };
}
