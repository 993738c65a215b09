import { readFile } from 'node:fs/promises';
import { InputError, describeSystemError } from '../errors.js';
import type { ReadDocument } from '../model/types.js';
import { readSpdx } from './spdx/read.js';

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
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(start) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof json.spdxVersion === 'string') {
    return { family: 'spdx', encoding: 'json', version: json.spdxVersion.replace(/^SPDX-/, '') };
  }
  if (json.bomFormat === 'CycloneDX') {
    return { family: 'cyclonedx', encoding: 'json', version: typeof json.specVersion === 'string' ? json.specVersion : '' };
  }
  return undefined;
}

export async function readSbomText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new InputError(describeSystemError(error, path));
  }
}

/** Reads any supported SBOM (SPDX 2.x JSON, CycloneDX JSON or XML) into the model. */
export async function readSbomFile(path: string): Promise<ReadDocument> {
  return parseSbomText(await readSbomText(path), path);
}

export async function parseSbomText(text: string, file: string): Promise<ReadDocument> {
  const format = detectSbomFormat(text);
  if (!format) {
    const looksJson = /^\s*[{[]/.test(text);
    const looksXml = /^\s*</.test(text);
    throw new InputError(
      looksJson || looksXml
        ? `${file}: neither an SPDX nor a CycloneDX document`
        : `${file}: not JSON or XML (not an SBOM)`,
    );
  }
  if (format.family === 'spdx') return { file, ...readSpdx(text, file) };
  const { readCycloneDx } = await import('./cyclonedx/index.js');
  return { file, ...readCycloneDx(text, file) };
}
