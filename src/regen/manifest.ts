import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, describeSystemError } from '../errors.js';
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
  let text: string;
  try {
    text = await readFile(join(root, path), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(`cannot read ${describeSystemError(error, path)}`);
  }
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
