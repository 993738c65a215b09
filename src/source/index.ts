import { stat } from 'node:fs/promises';
import { InputError, describeSystemError } from '../errors.js';
import { scanDirectory } from './directory.js';
import { scanTarball } from './tarball.js';
import type { ScanOptions, ScanResult } from './types.js';

export type { ScanOptions, ScanResult, ScannedFile, SkippedEntry, ArtifactInfo, ScanLimits } from './types.js';

/** Scans a source directory or a release tarball; the one way the rest of the tool reads trees. */
export async function scanSource(path: string, options: ScanOptions = {}): Promise<ScanResult> {
  let info;
  try {
    info = await stat(path);
  } catch (error) {
    throw new InputError(describeSystemError(error, path));
  }
  if (info.isDirectory()) return scanDirectory(path, options);
  if (info.isFile()) return scanTarball(path, options);
  throw new InputError(`${path}: neither a directory nor a tarball`);
}
