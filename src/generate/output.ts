import { InputError } from '../errors.js';
import { writeSpdx } from '../formats/spdx/write.js';
import type { SbomDocument } from '../model/types.js';

export const OUTPUT_FORMATS = ['spdx-json', 'cyclonedx-json', 'cyclonedx-xml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export type CycloneDxVersion = '1.6' | '1.7';

/** File name suffixes after the OpenSSF SBOM naming guide: `<artifact>.spdx.json`, `.cdx.json`, `.cdx.xml`. */
export const OUTPUT_SUFFIX: Record<OutputFormat, string> = {
  'spdx-json': '.spdx.json',
  'cyclonedx-json': '.cdx.json',
  'cyclonedx-xml': '.cdx.xml',
};

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

/** What a rendered document lists besides its packages (`generate --files`). */
export type FileListing = 'all' | 'none';

/**
 * The document's text in one format. `files: 'none'` writes the packages only, each keeping the
 * verification code of its full file list (see the writers' `files` option).
 */
export async function renderDocument(
  document: SbomDocument,
  format: OutputFormat,
  cycloneDxVersion: CycloneDxVersion,
  options: { files?: FileListing } = {},
): Promise<string> {
  const files = options.files ?? 'all';
  if (format === 'spdx-json') return writeSpdx(document, { files });
  const { writeCycloneDx } = await import('../formats/cyclonedx/index.js');
  return writeCycloneDx(document, { format: format === 'cyclonedx-json' ? 'json' : 'xml', specVersion: cycloneDxVersion, files });
}
