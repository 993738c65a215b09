import { InputError } from '../errors.js';
import { readFileResolvedInTree } from '../util/tree-file.js';
import { MAX_DOCUMENT_BYTES } from '../util/limits.js';
import type { JsonValue } from '../util/python-json.js';
import { parseJsonBounded } from '../util/bounded-json.js';

export type JsonObject = { [key: string]: JsonValue };

export { MANIFEST_PATH as SOURCE_MANIFEST, EXTERNALS_MANIFEST } from '../cpython/paths.js';

/** One of the two partial SPDX documents CPython keeps, as read from the checkout. */
export interface Manifest {
  /** Relative to the checkout, POSIX (`Misc/sbom.spdx.json`). */
  path: string;
  text: string;
  doc: JsonObject & { packages: JsonObject[] };
}

/** Reads and parses a manifest; undefined when absent. Malformed input is an InputError (exit 2). */
export async function readManifest(root: string, path: string): Promise<Manifest | undefined> {
  // Never through a link out of the checkout; a FIFO or device is refused.
  const bytes = readFileResolvedInTree(root, path, MAX_DOCUMENT_BYTES);
  if (bytes === undefined) return undefined;
  const text = bytes.toString('utf8');
  const doc = parseJsonBounded(text, path);
  if (!isObject(doc)) throw new InputError(`${path}: expected a JSON object at the top level`);
  const packages = doc.packages;
  if (!Array.isArray(packages) || !packages.every(isObject)) {
    throw new InputError(`${path}: 'packages' must be a list of objects`);
  }
  return { path, text, doc: doc as Manifest['doc'] };
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function packageName(pkg: JsonObject): string {
  return typeof pkg.name === 'string' ? pkg.name : String(pkg.name);
}
