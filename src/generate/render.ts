import { FindingError } from '../errors.js';
import type { SbomDocument } from '../model/types.js';
import { COLLECT_ABOVE, collectGarbage } from '../util/collect-garbage.js';
import { type CycloneDxVersion, type FileListing, OUTPUT_SUFFIX, type OutputFormat, renderDocument } from '../formats/registry.js';

/**
 * The last step of `generate`: every asked-for format rendered and checked against its official
 * schema and the semantic checks of `validate`. A document that fails is a bug here and is never
 * returned, so it is never written.
 */

export interface RenderRequest {
  document: SbomDocument;
  formats: OutputFormat[];
  cycloneDxVersion: CycloneDxVersion;
  /** `none`: packages only, with their verification codes (`--files none`). Default `all`. */
  files?: FileListing;
  /** Names the document in messages (`Python-3.13.15.tar.xz.cdx.json`). */
  baseName: string;
  /** Called before each format is rendered and before it is validated (progress lines). */
  onStep?: (step: 'render' | 'validate', format: OutputFormat) => void;
}

/** Trees whose formats are rendered one after another in one heap, even with render threads (~8 MB of SPDX text). */
const COLLECT_ABOVE_FILES = 20_000;

const RENDER_ORDER: OutputFormat[] = ['cyclonedx-xml', 'spdx-json', 'spdx3-json', 'cyclonedx-json'];

/** Renders and validates each format; throws FindingError (exit 1) for an invalid document. */
export async function renderValidated(request: RenderRequest): Promise<Map<OutputFormat, string>> {
  const done = new Map<OutputFormat, string>();
  // The costliest format first, while no other document is held: CycloneDX XML's writer peaks
  // highest (the library's models and normalized tree), so the texts already kept are added to
  // the smaller peaks of the others. A 100,000-file tree in three formats peaks ~80 MB lower.
  // What the scan and the steps left behind (file buffers read for hashing, decoded texts) goes
  // before the first writer runs, whatever the size: for a release it costs no time and takes
  // 6 to 12 MiB off the peak (medians of 6 alternating rounds, both profiles).
  collectGarbage();
  const order = renderOrder(request.formats);
  for (const [index, format] of order.entries()) {
    const text = await renderOne(request, format);
    done.set(format, text);
    // What this format's writer and check left behind (the CycloneDX library's models, the parsed
    // copy the check read back) goes before the next format allocates. For a release in three
    // formats the peak was 245 against 298 MiB (medians of 5 alternating rounds), for both JSON
    // formats 6 to 9 MiB lower, at no time measurable over the machine's noise; after the last
    // format nothing more allocates, and a small document leaves too little to matter.
    if (index < order.length - 1 && text.length > COLLECT_BETWEEN_FORMATS_ABOVE) collectGarbage();
  }
  return new Map(request.formats.map((format) => [format, done.get(format) as string]));
}

/** Documents (characters) whose leftovers are collected before the next format is rendered: a release's JSON is 3 to 4 MB. */
const COLLECT_BETWEEN_FORMATS_ABOVE = 1024 * 1024;

/** The formats in the order one thread renders them: the costliest (CycloneDX XML) first. */
export function renderOrder(formats: readonly OutputFormat[]): OutputFormat[] {
  return [...formats].sort((a, b) => RENDER_ORDER.indexOf(a) - RENDER_ORDER.indexOf(b));
}

/** Whether a document is large enough that its formats are rendered one after another, in one heap. */
export function isLargeDocument(document: SbomDocument): boolean {
  return document.files.length > COLLECT_ABOVE_FILES;
}

/**
 * One format rendered and checked (the same on the main thread and in a render thread). `collect:
 * 'always'`: a full collection between the steps whatever the size, for threads rendering side by
 * side, whose heaps peak together (a release's SPDX + CycloneDX JSON peaked ~50 MB higher without).
 */
export async function renderOne(request: Omit<RenderRequest, 'formats'> & { collect?: 'always' }, format: OutputFormat): Promise<string> {
  request.onStep?.('render', format);
  const text = await renderDocument(request.document, format, request.cycloneDxVersion, { files: request.files ?? 'all' });
  // Large documents: the writer's leftovers go before the check allocates (see collectGarbage).
  // The check's own go before the next format: in renderValidated, or here in a render thread.
  if (request.collect === 'always' || text.length > COLLECT_ABOVE) collectGarbage();
  request.onStep?.('validate', format);
  await assertValid(text, format, request.baseName);
  if (request.collect === 'always') collectGarbage();
  return text;
}

async function assertValid(text: string, format: OutputFormat, baseName: string): Promise<void> {
  const { validateText } = await import('../validate/index.js');
  const validation = await validateText(text, baseName + OUTPUT_SUFFIX[format], { ownRendering: true });
  if (!validation.valid) {
    throw new FindingError(
      `the generated ${format} document is invalid; nothing written (please report this)`,
      validation.errors.slice(0, 20).map((error) => `${error.path || '/'}: ${error.message}`),
    );
  }
}

/** A document of one package and one file: every writer and check runs on it. */
const WARM_UP: SbomDocument = {
  name: 'warm-up',
  namespace: 'https://example.invalid/warm-up',
  created: '1970-01-01T00:00:00Z',
  creators: ['Tool: cpython-sbom-warm-up'],
  dataLicense: 'CC0-1.0',
  describes: ['SPDXRef-PACKAGE-warm-up'],
  packages: [
    {
      ref: 'SPDXRef-PACKAGE-warm-up',
      name: 'warm-up',
      version: '1.0',
      downloadLocation: 'NOASSERTION',
      checksums: {},
      files: ['warm-up'],
      dependsOn: [],
    },
  ],
  files: [{ path: 'warm-up', checksums: { SHA1: '0'.repeat(40), SHA256: '0'.repeat(64) } }],
  relationships: [],
  annotations: [],
};

/**
 * Loads what rendering `formats` needs and runs each once on a document of one package, so the
 * modules, the schema validators and the compiled code are ready when the real document comes
 * (started while the source is scanned). Never fails: only what it loaded matters.
 */
export async function warmUp(formats: readonly OutputFormat[], cycloneDxVersion: CycloneDxVersion, files: FileListing): Promise<void> {
  for (const format of formats) {
    try {
      // CycloneDX XML's schema check runs xmllint in a thread of its own, started afresh for each
      // check: checking the warm-up document would only spend a core the scan is using.
      if (format === 'cyclonedx-xml') await renderDocument(WARM_UP, format, cycloneDxVersion, { files });
      else await renderOne({ document: WARM_UP, cycloneDxVersion, files, baseName: 'warm-up' }, format);
    } catch {
      // Only what it loaded matters.
    }
  }
}
