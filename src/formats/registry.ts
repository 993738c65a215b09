import { oneLine } from '../util/one-line.js';
import { InputError } from '../errors.js';
import type { ReadDocument, SbomDocument } from '../model/types.js';
import { sniffCompression } from '../source/decompress.js';
import { parseJsonBounded } from '../util/bounded-json.js';
import { decodeDocument, gunzipBounded, readInputBytes } from '../util/read-input.js';
import { type CycloneDxSpecVersion, DEFAULT_CYCLONEDX_VERSION } from './cyclonedx/versions.js';
import type { Findings } from './schema/issues.js';
import { spdx3ContextVersion } from './spdx3/sniff.js';

/**
 * Every SBOM format this tool reads and writes, registered once: its id (`--format`), the file
 * suffix it is written under (the OpenSSF naming guide's), how a document of it is recognised from
 * its content (never its name), and its reader, writer and official-schema check. Adding a format
 * is adding an entry here; `validate`, `diff`, `verify` and `generate` all go through this table.
 */

/** A document parsed once, as JSON or as XML text, before its format is known. */
export type ParsedDocument = { encoding: 'json'; json: Record<string, unknown> } | { encoding: 'xml'; text: string };

/** What a written document lists besides its packages (`generate --files`). */
export type FileListing = 'all' | 'none';

export interface WriteOptions {
  cycloneDxVersion: CycloneDxSpecVersion;
  /**
   * `none`: the packages only, each keeping the verification code of its full file list (see the
   * writers' `files` option). Default `all`.
   */
  files?: FileListing;
}

export interface SbomFormat {
  /** `--format` value. */
  id: string;
  family: 'spdx' | 'cyclonedx';
  encoding: 'json' | 'xml';
  /** `.spdx.json`, `.cdx.json`, `.cdx.xml`. */
  suffix: string;
  /** The version a document of this format declares (`''` when it says none), or undefined when it is not one. */
  sniff(document: ParsedDocument): string | undefined;
  read(document: ParsedDocument, file: string): Promise<ReadDocument>;
  write(document: SbomDocument, options: WriteOptions): Promise<string>;
  /** Holds the document to the official schema of `version`, adding what it refuses to `findings`. */
  schemaCheck(document: ParsedDocument, version: string, findings: Findings): Promise<void>;
}

const CYCLONEDX_NAMESPACE = /xmlns(?::\w+)?\s*=\s*["']http:\/\/cyclonedx\.org\/schema\/bom\/(\d+\.\d+)["']/;

export const FORMATS = [
  {
    id: 'spdx-json',
    family: 'spdx',
    encoding: 'json',
    suffix: '.spdx.json',
    sniff: (doc) => (doc.encoding === 'json' && typeof doc.json.spdxVersion === 'string' ? doc.json.spdxVersion.replace(/^SPDX-/, '') : undefined),
    async read(doc, file) {
      const { spdxToModel } = await import('./spdx/read.js');
      const json = (doc as { json: Record<string, unknown> }).json;
      return { file, format: `spdx-${String(json.spdxVersion).replace(/^SPDX-/, '')}`, document: spdxToModel(json, file) };
    },
    async write(document, options) {
      const { writeSpdx } = await import('./spdx/write.js');
      return writeSpdx(document, { files: options.files ?? 'all' });
    },
    async schemaCheck(doc, version, findings) {
      const { checkSpdxSchema } = await import('./spdx/schema.js');
      await checkSpdxSchema((doc as { json: unknown }).json, version, findings);
    },
  },
  {
    id: 'spdx3-json',
    family: 'spdx',
    encoding: 'json',
    suffix: '.spdx3.json',
    sniff(doc) {
      if (doc.encoding !== 'json' || !('@context' in doc.json)) return undefined;
      return spdx3ContextVersion(doc.json);
    },
    async read(doc, file) {
      const { readSpdx3Json } = await import('./spdx3/index.js');
      return readSpdx3Json((doc as { json: Record<string, unknown> }).json, file);
    },
    async write(document, options) {
      const { writeSpdx3 } = await import('./spdx3/index.js');
      return writeSpdx3(document, { files: options.files ?? 'all' });
    },
    async schemaCheck(doc, _version, findings) {
      const { spdx3SchemaFindings } = await import('./spdx3/index.js');
      for (const issue of await spdx3SchemaFindings((doc as { json: Record<string, unknown> }).json)) findings.error(issue.path, issue.message);
    },
  },
  {
    id: 'cyclonedx-json',
    family: 'cyclonedx',
    encoding: 'json',
    suffix: '.cdx.json',
    sniff: (doc) =>
      doc.encoding === 'json' && doc.json.bomFormat === 'CycloneDX' ? (typeof doc.json.specVersion === 'string' ? doc.json.specVersion : '') : undefined,
    async read(doc, file) {
      const { readCycloneDxJson } = await import('./cyclonedx/read.js');
      return { file, ...readCycloneDxJson((doc as { json: unknown }).json, file) };
    },
    async write(document, options) {
      const { writeCycloneDx } = await import('./cyclonedx/write.js');
      return writeCycloneDx(document, { format: 'json', specVersion: options.cycloneDxVersion, files: options.files ?? 'all' });
    },
    async schemaCheck(doc, version, findings) {
      const { validateCycloneDxJsonSchema } = await import('./cyclonedx/json-schema.js');
      for (const issue of await validateCycloneDxJsonSchema((doc as { json: unknown }).json, version)) findings.error(issue.path, issue.message);
    },
  },
  {
    id: 'cyclonedx-xml',
    family: 'cyclonedx',
    encoding: 'xml',
    suffix: '.cdx.xml',
    sniff(doc) {
      if (doc.encoding !== 'xml') return undefined;
      const namespace = CYCLONEDX_NAMESPACE.exec(doc.text);
      if (namespace) return namespace[1] as string;
      return /<(\w+:)?bom[\s>]/.test(doc.text) ? '' : undefined;
    },
    async read(doc, file) {
      const { readCycloneDx } = await import('./cyclonedx/read.js');
      return { file, ...readCycloneDx((doc as { text: string }).text, file) };
    },
    async write(document, options) {
      const { writeCycloneDx } = await import('./cyclonedx/write.js');
      return writeCycloneDx(document, { format: 'xml', specVersion: options.cycloneDxVersion, files: options.files ?? 'all' });
    },
    async schemaCheck(doc, version, findings) {
      const { validateCycloneDxSchema } = await import('./cyclonedx/schema.js');
      for (const issue of await validateCycloneDxSchema((doc as { text: string }).text, 'xml', version)) findings.error(issue.path, issue.message);
    },
  },
] as const satisfies readonly SbomFormat[];

/** The formats `generate` writes, by `--format` id. */
export type OutputFormat = (typeof FORMATS)[number]['id'];
export const OUTPUT_FORMATS: readonly OutputFormat[] = FORMATS.map((format) => format.id);
/** File name suffixes after the OpenSSF SBOM naming guide: `<artifact>.spdx.json`, `.spdx3.json`, `.cdx.json`, `.cdx.xml`. */
export const OUTPUT_SUFFIX = Object.fromEntries(FORMATS.map((format) => [format.id, format.suffix])) as Record<OutputFormat, string>;
export { DEFAULT_CYCLONEDX_VERSION };
/** The CycloneDX versions `generate` writes (`--cyclonedx-version`). */
export type CycloneDxVersion = CycloneDxSpecVersion;

export function formatById(id: OutputFormat): SbomFormat {
  return FORMATS.find((format) => format.id === id) as SbomFormat;
}

/** `--format spdx-json,cyclonedx-json` -> the formats, in order, each once. */
export function parseFormats(list: string): OutputFormat[] {
  const formats: OutputFormat[] = [];
  for (const raw of list.split(',')) {
    const name = raw.trim();
    if (!name) continue;
    if (!(OUTPUT_FORMATS as readonly string[]).includes(name)) {
      throw new InputError(`--format: unknown format '${name}' (choose from ${OUTPUT_FORMATS.join(', ')})`);
    }
    if (!formats.includes(name as OutputFormat)) formats.push(name as OutputFormat);
  }
  if (formats.length === 0) throw new InputError('--format: no format given');
  return formats;
}

/** The document's text in one format; `files: 'none'` writes the packages only. */
export async function renderDocument(
  document: SbomDocument,
  format: OutputFormat,
  cycloneDxVersion: CycloneDxSpecVersion = DEFAULT_CYCLONEDX_VERSION,
  options: { files?: FileListing } = {},
): Promise<string> {
  return formatById(format).write(document, { cycloneDxVersion, ...(options.files ? { files: options.files } : {}) });
}

/**
 * Parses a document's text once, as JSON or as XML: `undefined` when it is neither (the caller
 * says so in its own words). JSON is parsed with the depth and size bounds of every reader.
 */
export function parseDocument(text: string, file: string): ParsedDocument | undefined {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('<')) return { encoding: 'xml', text: start };
  if (!start.startsWith('{')) return undefined;
  const json = parseJsonBounded(start, file);
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  return { encoding: 'json', json: json as Record<string, unknown> };
}

export interface DetectedFormat {
  format: SbomFormat;
  family: 'spdx' | 'cyclonedx';
  encoding: 'json' | 'xml';
  /** `2.3`, `1.6`, … (`''` when the document does not say). */
  version: string;
}

/** Which registered format a parsed document is, from its content. */
export function detectFormat(document: ParsedDocument): DetectedFormat | undefined {
  for (const format of FORMATS as readonly SbomFormat[]) {
    const version = format.sniff(document);
    if (version !== undefined) return { format, family: format.family, encoding: format.encoding, version };
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

/** Reads any registered SBOM format into the model. */
export async function readSbomFile(path: string): Promise<ReadDocument> {
  return parseSbomText(await readSbomText(path), path);
}

export async function parseSbomText(text: string, file: string): Promise<ReadDocument> {
  const parsed = parseDocument(text, file);
  const detected = parsed && detectFormat(parsed);
  if (!parsed || !detected) {
    const start = text.replace(/^\uFEFF/, '').trimStart();
    throw new InputError(/^[[{<]/.test(start) ? `${file}: neither an SPDX nor a CycloneDX document` : `${file}: not JSON or XML (not an SBOM)`);
  }
  try {
    return await detected.format.read(parsed, file);
  } catch (error) {
    // The readers take what the schema allows and skip what they do not know; a value of the wrong
    // type where the schema wants another (a hash without `alg`, a component without `name`) may
    // still reach one. It is the document's fault: one line naming it, never "internal error".
    if (error instanceof TypeError || error instanceof RangeError) {
      throw new InputError(
        `${file}: a malformed ${detected.family === 'spdx' ? 'SPDX' : 'CycloneDX'} document (${oneLine(error.message, 160)}); run validate on it`,
      );
    }
    throw error;
  }
}
