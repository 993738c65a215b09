import type { ValidateFunction } from 'ajv';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { SchemaId } from './bundled-schemas.js';

/**
 * Where `npm run build` writes the standalone validators. Resolved from the package root (this
 * module sits two levels below it both as `src/validate/*.ts` and as `dist/validate/*.js`), so
 * tests running the TypeScript sources use the same compiled validators as the CLI.
 */
export const COMPILED_VALIDATORS_DIR = fileURLToPath(new URL('../../dist/validate/compiled/', import.meta.url));

const require = createRequire(import.meta.url);
const cache = new Map<SchemaId, Promise<ValidateFunction>>();

export function compiledValidatorPath(id: SchemaId): string {
  return `${COMPILED_VALIDATORS_DIR}${id}.cjs`;
}

/**
 * The validator of one bundled schema, once per process: the standalone code the build
 * generated, or, when it is missing (a source checkout that was never built), compiled here from
 * the same definition. Only that fallback loads Ajv itself (~45 ms).
 */
export function schemaValidator(id: SchemaId): Promise<ValidateFunction> {
  let validate = cache.get(id);
  if (!validate) {
    const path = compiledValidatorPath(id);
    validate = existsSync(path)
      ? Promise.resolve(require(path) as ValidateFunction)
      : import('./bundled-schemas.js').then(({ compileBundledSchema }) => compileBundledSchema(id).validate);
    cache.set(id, validate);
  }
  return validate;
}
