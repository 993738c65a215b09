import type { ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type SchemaId, schemaFingerprint } from './sources.js';

/**
 * Where `npm run build` writes the standalone validators. Resolved from the package root (this
 * module sits three levels below it both as `src/formats/schema/*.ts` and as
 * `dist/formats/schema/*.js`), so tests running the TypeScript sources use the same compiled
 * validators as the CLI.
 */
export const COMPILED_VALIDATORS_DIR = fileURLToPath(new URL('../../../dist/formats/schema/compiled/', import.meta.url));

/** Written beside the validators: the schemaFingerprint() each was compiled from. */
export const FINGERPRINTS_FILE = 'fingerprints.json';

const require = createRequire(import.meta.url);
const cache = new Map<SchemaId, Promise<ValidateFunction>>();

export function compiledValidatorPath(id: SchemaId, dir = COMPILED_VALIDATORS_DIR): string {
  return join(dir, `${id}.cjs`);
}

/**
 * The build's validator for `id` from `dir`, or undefined when there is none or it was compiled
 * from other schema files than the ones installed now.
 */
export function loadCompiledValidator(id: SchemaId, dir = COMPILED_VALIDATORS_DIR): ValidateFunction | undefined {
  let fingerprints: Record<string, string>;
  try {
    fingerprints = JSON.parse(readFileSync(join(dir, FINGERPRINTS_FILE), 'utf8')) as Record<string, string>;
  } catch {
    return undefined;
  }
  if (fingerprints[id] === undefined || fingerprints[id] !== schemaFingerprint(id)) return undefined;
  return require(compiledValidatorPath(id, dir)) as ValidateFunction;
}

/**
 * The validator of one bundled schema, once per process: the standalone code the build
 * generated, or, when that is missing or stale (a source checkout never built, a dependency
 * upgraded since), compiled here from the same definition. Only that fallback loads Ajv itself.
 */
export function schemaValidator(id: SchemaId): Promise<ValidateFunction> {
  let validate = cache.get(id);
  if (!validate) {
    const compiled = loadCompiledValidator(id);
    validate = compiled ? Promise.resolve(compiled) : import('./bundled.js').then(({ compileBundledSchema }) => compileBundledSchema(id).validate);
    cache.set(id, validate);
  }
  return validate;
}
