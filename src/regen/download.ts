import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';

/**
 * Where `--online` fetches archives from. `CPYTHON_SBOM_DOWNLOAD_MIRROR=http://host:port/base`
 * rewrites `https://github.com/a/b` to `http://host:port/base/github.com/a/b`: for mirrors, air-gapped
 * caches and our tests (a local server on 127.0.0.1). The manifest still records the real URL.
 */
export const MIRROR_ENV = 'CPYTHON_SBOM_DOWNLOAD_MIRROR';

export function downloadUrl(location: string, env: NodeJS.ProcessEnv): string {
  const mirror = env[MIRROR_ENV];
  if (!mirror) return location;
  return `${mirror.replace(/\/+$/, '')}/${location.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')}`;
}

/** SHA-256 of the archive at a download location (redirects followed; anything but 200 is an error). */
export async function sha256OfDownload(location: string, env: NodeJS.ProcessEnv): Promise<string> {
  const url = downloadUrl(location, env);
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(300_000) });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    throw new InputError(`cannot download ${url}: ${cause}`);
  }
  if (response.status !== 200) throw new InputError(`cannot download ${url}: HTTP ${response.status}`);
  const hash = createHash('sha256');
  const reader = response.body?.getReader();
  if (reader) {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) hash.update(chunk.value);
  }
  return hash.digest('hex');
}
