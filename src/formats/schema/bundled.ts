import { _, Ajv, str, type AnySchemaObject, type KeywordCxt, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { _Code } from 'ajv/dist/compile/codegen/code.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type SchemaId, schemaFiles } from './sources.js';

/**
 * The one way each schema of sources.ts is compiled with Ajv. CycloneDX is compiled the
 * way @cyclonedx/cyclonedx-library's JsonStrictValidator compiles it (same files, same Ajv options
 * and formats), with one difference: Ajv checks `uniqueItems` by comparing every pair of items,
 * ~2 s on the 5,000 components of a CPython SBOM; here it is an equivalent linear check.
 *
 * `npm run build` turns each into standalone code (scripts/build-assets.mjs, loaded by
 * validators.ts), so a run loads a validator in milliseconds instead of compiling it.
 */

const require = createRequire(import.meta.url);

// Both are CommonJS; ajv-formats-draft2019 ships no types.
const addFormats = (require('ajv-formats') as { default: (ajv: Ajv) => void }).default;
const addFormats2019 = require('ajv-formats-draft2019') as (ajv: Ajv, options: { formats: string[] }) => void;

function loadJson(path: string): AnySchemaObject {
  return JSON.parse(readFileSync(path, 'utf8')) as AnySchemaObject;
}

export interface CompileOptions {
  /**
   * Keep the generated source for `ajv/dist/standalone`. Formats are then referenced through
   * `formatsModule`, a CommonJS module exporting every format by name (see formatsModuleSource()).
   */
  source?: { formatsModule: string };
}

export interface CompiledSchema {
  ajv: Ajv;
  validate: ValidateFunction;
}

/** Compiles one bundled schema. */
export function compileBundledSchema(id: SchemaId, options: CompileOptions = {}): CompiledSchema {
  const code = {
    // Ajv's code optimizer halves nothing that matters here and doubles compile time.
    optimize: false,
    ...(options.source ? { source: true, formats: _`require(${options.source.formatsModule})` } : {}),
  };
  const files = schemaFiles(id);
  if (id.startsWith('spdx-')) {
    const schema = loadJson(files.main);
    // strict: false because the SPDX schemas carry annotations (`deprecated`, `$comment`) Ajv's
    // strict mode rejects in draft-07; verbose so errors carry the offending data.
    // validateSchema: false because these are the bundled official schemas: checking them
    // against the meta-schema can only pass.
    // SPDX 3.0.1's validator stops at the first error: matching each of ~10,000 elements against
    // every class for all errors takes four times as long, and its errors are noise anyway
    // (formats/spdx3/schema.ts explains an invalid document element by element instead).
    const ajvOptions = { allErrors: id !== 'spdx-3.0.1', strict: false, verbose: true, validateSchema: false, code };
    // SPDX 3.0.1's schema is draft 2020-12 (unevaluatedProperties), 2.3.1's draft 2019-09.
    const ajv = id === 'spdx-3.0.1' ? new Ajv2020(ajvOptions) : id === 'spdx-2.3.1' ? new Ajv2019(ajvOptions) : new Ajv(ajvOptions);
    return { ajv, validate: ajv.compile(schema) };
  }
  const schemas = Object.fromEntries(Object.entries(files.referenced).map(([uri, path]) => [uri, loadJson(path)]));
  const ajv = new Ajv({
    useDefaults: false,
    strict: false,
    strictSchema: false,
    addUsedSchema: false,
    allErrors: true,
    verbose: true,
    validateSchema: false,
    code,
    schemas,
  });
  addFormats(ajv);
  addFormats2019(ajv, { formats: ['idn-email'] });
  ajv.addFormat('iri-reference', true);
  ajv.removeKeyword('uniqueItems');
  ajv.addKeyword({
    keyword: 'uniqueItems',
    type: 'array',
    schemaType: 'boolean',
    code: linearUniqueItems,
    error: {
      message: ({ params }) => str`must NOT have duplicate items (items ${params.i} and ${params.j} are identical)`,
      params: ({ params }) => _`{i: ${params.i}, j: ${params.j}}`,
    },
  });
  return { ajv, validate: ajv.compile(loadJson(files.main)) };
}

/**
 * The first pair of items equal as JSON values, or undefined. Self-contained (it is written into
 * the standalone validators by its source text). Items are first grouped by a shallow key (an
 * object's sorted keys with its scalar values, the lengths of its lists): equal items always
 * share one, and in an SBOM's lists (components with their own bom-refs, hashes of different
 * algorithms) nearly every item has its own, so only the few that share a group have their whole
 * sorted-key JSON written and compared. Over every list of a release's CycloneDX JSON: 17 against
 * 37 ms (warm, medians of 9 rounds).
 */
export function firstDuplicateItems(items: unknown[]): [number, number] | undefined {
  if (items.length < 2) return undefined;
  // A list by its length, an object by `{` alone, a scalar by its JSON.
  const shape = (value: unknown): string => (Array.isArray(value) ? `[${value.length}` : value && typeof value === 'object' ? '{' : JSON.stringify(value));
  const shallow = (value: unknown): string => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return shape(value);
    const object = value as Record<string, unknown>;
    let key = '{';
    for (const name of Object.keys(object).sort()) key += `${JSON.stringify(name)}:${shape(object[name])},`;
    return key;
  };
  const groups = new Map<string, number[]>();
  let shared = false;
  for (let index = 0; index < items.length; index++) {
    const key = shallow(items[index]);
    const group = groups.get(key);
    if (group) {
      group.push(index);
      shared = true;
    } else groups.set(key, [index]);
  }
  if (!shared) return undefined;
  const canonical = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
    if (value && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      return `{${Object.keys(object)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonical(object[key])}`)
        .join(',')}}`;
    }
    return JSON.stringify(value);
  };
  // Equal items share a group: the pair to report is, over all groups, the one whose second item
  // comes first, with the earliest item equal to it.
  let found: [number, number] | undefined;
  for (const group of groups.values()) {
    if (group.length < 2 || (found && (group[1] as number) >= found[1])) continue;
    const seen = new Map<string, number>();
    for (const index of group) {
      if (found && index >= found[1]) break;
      const key = canonical(items[index]);
      const first = seen.get(key);
      if (first !== undefined) {
        found = [first, index];
        break;
      }
      seen.set(key, index);
    }
  }
  return found;
}

function linearUniqueItems(cxt: KeywordCxt): void {
  if (cxt.schema !== true) return;
  const check = cxt.gen.scopeValue('func', { ref: firstDuplicateItems, code: new _Code(`(${firstDuplicateItems.toString()})`) });
  const duplicate = cxt.gen.const('duplicate', _`${check}(${cxt.data})`);
  cxt.setParams({ i: _`${duplicate}[0]`, j: _`${duplicate}[1]` });
  cxt.fail(_`${duplicate} !== undefined`);
}

/** The CommonJS module standalone validators take their formats from (`code.formats`). */
export function formatsModuleSource(): string {
  return [
    '"use strict";',
    '// Generated by scripts/build-assets.mjs: the formats bundled-schemas.ts gives Ajv.',
    'module.exports = {',
    '  ...require("ajv-formats/dist/formats").fullFormats,',
    '  "idn-email": require("ajv-formats-draft2019/formats")["idn-email"],',
    '  "iri-reference": true,',
    '};',
    '',
  ].join('\n');
}
