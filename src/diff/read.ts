import { readSbomText, parseSbomText } from '../formats/registry.js';
import type { ReadDocument } from '../model/types.js';

/**
 * Reads an SBOM for `diff` through the shared format readers: bounded in size and inflation,
 * gzip-compressed documents recognized by their magic bytes (see readSbomText).
 */
export async function readForDiff(path: string): Promise<ReadDocument> {
  return parseSbomText(await readSbomText(path), path);
}
