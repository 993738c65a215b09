import { stat } from 'node:fs/promises';
import { InputError, describeSystemError } from '../errors.js';
import type { ScanOptions, ScanResult } from './types.js';

export type { ScanOptions, ScanResult, ScannedFile, SkippedEntry, ArtifactInfo, ScanLimits } from './types.js';

/**
 * Scans a source directory or a release tarball; the one way the rest of the tool reads trees.
 * Each kind's reader is loaded only when needed (fast-glob alone takes ~35 ms to load).
 */
export async function scanSource(path: string, options: ScanOptions = {}): Promise<ScanResult> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new InputError(describeSystemError(error, path));
  }
  if (info.isDirectory()) return (await import('./directory.js')).scanDirectory(path, options);
  if (info.isFile()) return (await import('./tarball.js')).scanTarball(path, options);
  throw new InputError(`${path}: neither a directory nor a tarball`);
}
