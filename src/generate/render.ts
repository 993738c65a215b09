import { FindingError } from '../errors.js';
import type { SbomDocument } from '../model/types.js';
import { type CycloneDxVersion, OUTPUT_SUFFIX, type OutputFormat, renderDocument } from './output.js';

/**
 * The last step of `generate`: every asked-for format rendered and checked against its official
 * schema and the semantic checks of `validate`. A document that fails is a bug here and is never
 * returned, so it is never written.
 */

export interface RenderRequest {
  document: SbomDocument;
  formats: OutputFormat[];
  cycloneDxVersion: CycloneDxVersion;
  /** Names the document in messages (`Python-3.13.15.tar.xz.cdx.json`). */
  baseName: string;
  /** Called before each format is rendered and before it is validated (progress lines). */
  onStep?: (step: 'render' | 'validate', format: OutputFormat) => void;
}

/** Renders and validates each format; throws FindingError (exit 1) for an invalid document. */
export async function renderValidated(request: RenderRequest): Promise<Map<OutputFormat, string>> {
  const rendered = new Map<OutputFormat, string>();
  for (const format of request.formats) {
    request.onStep?.('render', format);
    const text = await renderDocument(request.document, format, request.cycloneDxVersion);
    request.onStep?.('validate', format);
    await assertValid(text, format, request.baseName);
    rendered.set(format, text);
  }
  return rendered;
}

async function assertValid(text: string, format: OutputFormat, baseName: string): Promise<void> {
  const { validateText } = await import('../validate/index.js');
  const validation = await validateText(text, baseName + OUTPUT_SUFFIX[format]);
  if (!validation.valid) {
    throw new FindingError(
      `the generated ${format} document is invalid; nothing written (please report this)`,
      validation.errors.slice(0, 20).map((error) => `${error.path || '/'}: ${error.message}`),
    );
  }
}
