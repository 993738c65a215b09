import { readSbomText, parseSbomText } from '../formats/read-any.js';
import { readSpdx3IfSpdx3 } from '../formats/spdx3/index.js';
import type { ReadDocument } from '../model/types.js';

/**
 * Reads an SBOM for `diff` through the shared format readers: bounded in size and inflation,
 * gzip-compressed documents recognized by their magic bytes (see readSbomText).
 */
export async function readForDiff(path: string): Promise<ReadDocument> {
  const text = await readSbomText(path);
  return readSpdx3IfSpdx3(text, path) ?? parseSbomText(text, path);
}
