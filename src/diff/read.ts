import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { InputError, describeSystemError } from '../errors.js';
import { parseSbomText } from '../formats/read-any.js';
import type { ReadDocument } from '../model/types.js';
import { sniffCompression } from '../source/decompress.js';

/**
 * Reads an SBOM for `diff` through the shared format readers. Gzip-compressed documents
 * (`.spdx.json.gz`, as some archives ship them) are recognized by their magic bytes.
 */
export async function readForDiff(path: string): Promise<ReadDocument> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new InputError(describeSystemError(error, path));
  }
  if (sniffCompression(bytes) === 'gzip') {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new InputError(`${path}: damaged gzip data (${(error as Error).message})`);
    }
  }
  return parseSbomText(bytes.toString('utf8'), path);
}
