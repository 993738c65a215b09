import { InputError } from '../errors.js';
import type { ReadDocument } from '../model/types.js';
import { sniffCompression } from '../source/decompress.js';
import { parseJsonBounded } from '../util/bounded-json.js';
import { decodeDocument, gunzipBounded, readInputBytes } from '../util/read-input.js';
import { spdxToModel } from './spdx/read.js';

export interface DetectedFormat {
  family: 'spdx' | 'cyclonedx';
  encoding: 'json' | 'xml';
  /** `2.3`, `1.6`, … ('' when the document does not say). */
  version: string;
}

/** Tells SPDX JSON from CycloneDX JSON or XML by content, never by file name. */
export function detectSbomFormat(text: string): DetectedFormat | undefined {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('<')) {
    const namespace = /xmlns(?::\w+)?\s*=\s*["']http:\/\/cyclonedx\.org\/schema\/bom\/(\d+\.\d+)["']/.exec(start);
    if (namespace) return { family: 'cyclonedx', encoding: 'xml', version: namespace[1] as string };
    return /<(\w+:)?bom[\s>]/.test(start) ? { family: 'cyclonedx', encoding: 'xml', version: '' } : undefined;
  }
  if (!start.startsWith('{')) return undefined;
  try {
    return detectJsonSbomFormat(parseJsonBounded(start, 'document'));
  } catch {
    return undefined;
  }
}

/** The same, for a JSON document that is already parsed (so it is parsed once, not twice). */
export function detectJsonSbomFormat(json: unknown): DetectedFormat | undefined {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const root = json as Record<string, unknown>;
  if (typeof root.spdxVersion === 'string') {
    return { family: 'spdx', encoding: 'json', version: root.spdxVersion.replace(/^SPDX-/, '') };
  }
  if (root.bomFormat === 'CycloneDX') {
    return { family: 'cyclonedx', encoding: 'json', version: typeof root.specVersion === 'string' ? root.specVersion : '' };
  }
  return undefined;
}

/**
 * The text of an SBOM the user named: a regular file or `-` (standard input), bounded in size
 * (see util/limits.ts); gzip-compressed documents (`.spdx.json.gz`, as some archives ship them)
 * are recognized by their magic bytes and inflated with a bound. A byte-order mark is dropped.
 */
export async function readSbomText(path: string): Promise<string> {
  let bytes = await readInputBytes(path);
  if (sniffCompression(bytes) === 'gzip') bytes = gunzipBounded(bytes, path);
  return decodeDocument(bytes);
}

/** Reads any supported SBOM (SPDX 2.x JSON, CycloneDX JSON or XML) into the model. */
export async function readSbomFile(path: string): Promise<ReadDocument> {
  return parseSbomText(await readSbomText(path), path);
}

export async function parseSbomText(text: string, file: string): Promise<ReadDocument> {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{')) {
    const json = parseJsonBounded(start, file);
    const format = detectJsonSbomFormat(json);
    if (format?.family === 'spdx') return { file, format: `spdx-${format.version}`, document: spdxToModel(json, file) };
    if (format?.family === 'cyclonedx') {
      const { readCycloneDxJson } = await import('./cyclonedx/index.js');
      return { file, ...readCycloneDxJson(json, file) };
    }
    throw new InputError(`${file}: neither an SPDX nor a CycloneDX document`);
  }
  if (start.startsWith('<')) {
    if (!detectSbomFormat(start)) throw new InputError(`${file}: neither an SPDX nor a CycloneDX document`);
    const { readCycloneDx } = await import('./cyclonedx/index.js');
    return { file, ...readCycloneDx(start, file) };
  }
  throw new InputError(
    /^\s*\[/.test(text) ? `${file}: neither an SPDX nor a CycloneDX document` : `${file}: not JSON or XML (not an SBOM)`,
  );
}
