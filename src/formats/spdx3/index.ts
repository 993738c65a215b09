/**
 * SPDX 3.0.1 JSON-LD (`--format spdx3-json`, `<artifact>.spdx3.json`) as one entry of the format
 * registry: how to recognise it, read it into the model, write the model as it, and check it.
 */
import { InputError } from '../../errors.js';
import type { ReadDocument, SbomDocument } from '../../model/types.js';
import { parseJsonBounded } from '../../util/bounded-json.js';
import { Findings, type ValidationResult } from '../../validate/types.js';
import { spdx3ToModel } from './read.js';
import { spdx3SchemaFindings } from './schema.js';
import { checkSpdx3Semantics } from './semantics.js';
import { mayBeSpdx3Text, spdx3ContextVersion } from './sniff.js';
import { SPDX3_CONTEXT, SPDX3_VERSION } from './vocabulary.js';
import { type WriteSpdx3Options, writeSpdx3 } from './write.js';

export { spdx3JsonObject, writeSpdx3, type SbomType, type WriteSpdx3Options } from './write.js';
export { readSpdx3, spdx3ToModel } from './read.js';
export { isSpdx3Json, mayBeSpdx3Text, spdx3ContextVersion } from './sniff.js';

/** What `generate` calls to render a document as SPDX 3.0.1 JSON-LD. */
export function renderSpdx3(document: SbomDocument, options: WriteSpdx3Options = {}): string {
  return writeSpdx3(document, options);
}

/**
 * Checks a parsed SPDX 3 document: the official SPDX 3.0.1 JSON schema, then what the schema
 * cannot say (semantics.ts). `format` is `spdx-3.0.1-json` (or the version its context names).
 */
export async function checkSpdx3(root: Record<string, unknown>, file: string): Promise<ValidationResult> {
  const findings = new Findings();
  const version = spdx3ContextVersion(root) ?? '';
  if (version !== SPDX3_VERSION) {
    findings.error('/@context', `expected ${JSON.stringify(SPDX3_CONTEXT)} (SPDX ${SPDX3_VERSION}, the version whose schema is bundled); found ${JSON.stringify(root['@context'])}`);
  }
  for (const finding of await spdx3SchemaFindings(root)) findings.error(finding.path, finding.message);
  checkSpdx3Semantics(root, findings);
  return { file, format: `spdx-${version || SPDX3_VERSION}-json`, valid: findings.errors.length === 0, errors: findings.errors, warnings: findings.warnings };
}

/** Reads SPDX 3 text already known to be JSON (see mayBeSpdx3Text), or undefined when it is not SPDX 3. */
export function readSpdx3IfSpdx3(text: string, file: string): ReadDocument | undefined {
  if (!mayBeSpdx3Text(text)) return undefined;
  const json = parseJsonBounded(text, file);
  const version = spdx3ContextVersion(json);
  return version === undefined ? undefined : { file, format: `spdx-${version}`, document: spdx3ToModel(json, file) };
}

/** The format registry's view of SPDX 3.0.1 JSON-LD. */
export const spdx3Format = {
  id: 'spdx3-json',
  suffix: '.spdx3.json',
  /** True for text that is SPDX 3 JSON-LD (the JSON is parsed only when the text may be). */
  sniff(text: string): boolean {
    if (!mayBeSpdx3Text(text)) return false;
    try {
      return spdx3ContextVersion(parseJsonBounded(text, 'document')) !== undefined;
    } catch {
      return false;
    }
  },
  read(text: string, file: string): ReadDocument {
    const read = readSpdx3IfSpdx3(text, file);
    if (!read) throw new InputError(`${file}: not an SPDX 3 document (no SPDX 3 JSON-LD @context)`);
    return read;
  },
  write: renderSpdx3,
  check: checkSpdx3,
} as const;
