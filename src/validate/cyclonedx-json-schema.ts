import { Ajv, type SchemaValidateFunction, type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { schemaFindings } from './schema-errors.js';
import type { Finding } from './types.js';

/**
 * CycloneDX JSON against the schemas bundled in @cyclonedx/cyclonedx-library, compiled the way the
 * library's JsonStrictValidator compiles them (same files, same Ajv options and formats) with one
 * difference: Ajv checks `uniqueItems` by comparing every pair of items, which takes ~2 s on the
 * 5,000 components of a CPython SBOM. Here the keyword is replaced by an equivalent linear check
 * (canonical JSON of each item into a set), bringing that document to ~20 ms.
 */
const require = createRequire(import.meta.url);
// Both are CommonJS; ajv-formats-draft2019 ships no types.
const addFormats = (require('ajv-formats') as { default: (ajv: Ajv) => void }).default;
const addFormats2019 = require('ajv-formats-draft2019') as (ajv: Ajv, options: { formats: string[] }) => void;
const SCHEMA_DIR = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
const REFERENCED = {
  'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json': 'spdx.SNAPSHOT.schema.json',
  'http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json': 'cryptography-defs.SNAPSHOT.schema.json',
  'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json': 'jsf-0.82.SNAPSHOT.schema.json',
};

const cache = new Map<string, ValidateFunction>();
const load = (name: string): object => JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8')) as object;

/** Sorted-key JSON, so that items equal as JSON values are equal as strings. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

const uniqueItems = function check(unique: boolean, data: unknown[]): boolean {
  if (!unique) return true;
  const seen = new Map<string, number>();
  for (const [index, item] of data.entries()) {
    const key = canonical(item);
    const first = seen.get(key);
    if (first !== undefined) {
      (check as SchemaValidateFunction).errors = [{ keyword: 'uniqueItems', message: `must NOT have duplicate items (items ${first} and ${index} are identical)`, params: { i: first, j: index } }];
      return false;
    }
    seen.set(key, index);
  }
  return true;
} as SchemaValidateFunction;

function validator(version: string): ValidateFunction {
  let compiled = cache.get(version);
  if (compiled) return compiled;
  // 1.2 and 1.3 have "-strict" variants (no additional properties); later versions are strict already.
  const file = version === '1.2' || version === '1.3' ? `bom-${version}-strict.SNAPSHOT.schema.json` : `bom-${version}.SNAPSHOT.schema.json`;
  const schemas = Object.fromEntries(Object.entries(REFERENCED).map(([uri, name]) => [uri, load(name)]));
  // validateSchema: false — these are the library's own official schemas; checking them against the
  // JSON Schema meta-schema on every run would cost a quarter of a second and can only ever pass.
  // Ajv's code optimizer is off too: compiling takes half the time, checking a CPython-sized
  // document takes as long.
  const ajv = new Ajv({ useDefaults: false, strict: false, strictSchema: false, addUsedSchema: false, allErrors: true, verbose: true, validateSchema: false, code: { optimize: false }, schemas });
  addFormats(ajv);
  addFormats2019(ajv, { formats: ['idn-email'] });
  ajv.addFormat('iri-reference', true);
  ajv.removeKeyword('uniqueItems');
  ajv.addKeyword({
    keyword: 'uniqueItems',
    type: 'array',
    schemaType: 'boolean',
    validate: uniqueItems,
  });
  compiled = ajv.compile(load(file));
  cache.set(version, compiled);
  return compiled;
}

export function validateCycloneDxJsonSchema(json: unknown, version: string): Finding[] {
  const validate = validator(version);
  return validate(json) ? [] : schemaFindings(validate.errors);
}
