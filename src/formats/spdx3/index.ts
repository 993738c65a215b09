/**
 * SPDX 3.0.1 JSON-LD (`--format spdx3-json`, `<artifact>.spdx3.json`): how to recognise it, read it
 * into the model and write the model as it; formats/registry.ts registers it. The official schema
 * check is schema.ts; what the schema cannot say is checked by validate/spdx3-semantics.ts.
 */
import type { ReadDocument, SbomDocument } from '../../model/types.js';
import { spdx3ToModel } from './read.js';
import { spdx3ContextVersion } from './sniff.js';
import { type WriteSpdx3Options, writeSpdx3 } from './write.js';

export { spdx3JsonObject, writeSpdx3, type SbomType, type WriteSpdx3Options } from './write.js';
export { readSpdx3, spdx3ToModel } from './read.js';
export { isSpdx3Json, mayBeSpdx3Text, spdx3ContextVersion } from './sniff.js';
export { spdx3SchemaFindings } from './schema.js';

/** What `generate` calls to render a document as SPDX 3.0.1 JSON-LD. */
export function renderSpdx3(document: SbomDocument, options: WriteSpdx3Options = {}): string {
  return writeSpdx3(document, options);
}

/** A parsed SPDX 3 JSON-LD document into the model. */
export function readSpdx3Json(json: Record<string, unknown>, file: string): ReadDocument {
  const version = spdx3ContextVersion(json) ?? '';
  return { file, format: `spdx-${version}`, document: spdx3ToModel(json, file) };
}
