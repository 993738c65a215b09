import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { readFileSync } from 'node:fs';
import { schemaFindings } from './schema-errors.js';
import type { Findings } from './types.js';

/**
 * The official SPDX JSON schemas bundled in `schemas/`: 2.3 as released (strict), the 2.3.1
 * errata (draft 2019-09; also accepts `PACKAGE_MANAGER`, `PERSISTENT_ID`, and `$schema`), and
 * 2.2.2 for SPDX-2.2 documents. Each is compiled once per process, on first use.
 */
const SCHEMA_DIR = new URL('../../schemas/', import.meta.url);

type SchemaName = 'spdx-2.3' | 'spdx-2.3.1' | 'spdx-2.2';
const cache = new Map<SchemaName, ValidateFunction>();

function validator(name: SchemaName): ValidateFunction {
  let compiled = cache.get(name);
  if (!compiled) {
    const schema = JSON.parse(readFileSync(new URL(`${name}.schema.json`, SCHEMA_DIR), 'utf8')) as object;
    // strict: false because the SPDX schemas carry annotations (`deprecated`, `$comment`) Ajv's
    // strict mode rejects in draft-07; verbose so errors carry the offending data.
    // validateSchema: false because these are the bundled official schemas: checking them against
    // the meta-schema on every run costs time and can only pass; likewise Ajv's code optimizer.
    const options = { allErrors: true, strict: false, verbose: true, validateSchema: false, code: { optimize: false } };
    compiled = (name === 'spdx-2.3.1' ? new Ajv2019(options) : new Ajv(options)).compile(schema);
    cache.set(name, compiled);
  }
  return compiled;
}

/**
 * Validates against the schema for `version`. A 2.3 document that only the 2.3.1 errata schema
 * accepts is valid: what the strict schema alone refuses becomes warnings.
 */
export function checkSpdxSchema(json: unknown, version: string, findings: Findings): void {
  if (version === '2.2') {
    const validate = validator('spdx-2.2');
    if (!validate(json)) for (const f of schemaFindings(validate.errors)) findings.error(f.path, f.message);
    return;
  }
  const strict = validator('spdx-2.3');
  if (strict(json)) return;
  const strictFindings = schemaFindings(strict.errors);
  const errata = validator('spdx-2.3.1');
  const errataFindings = errata(json) ? [] : schemaFindings(errata.errors);
  const errataPaths = new Set(errataFindings.map((f) => f.path));
  for (const f of errataFindings) findings.error(f.path, f.message);
  for (const f of strictFindings) {
    if (errataPaths.has(f.path)) continue;
    findings.warn(f.path, `${f.message} (the SPDX 2.3 schema refuses this; only the 2.3.1 errata schema accepts it)`);
  }
}
