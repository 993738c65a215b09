import { schemaValidator } from '../schema/validators.js';
import { schemaFindings } from '../schema/errors.js';
import type { Findings } from '../schema/issues.js';

/**
 * The official SPDX JSON schemas bundled in `schemas/` (see bundled-schemas.ts): 2.3 as released
 * (strict), the 2.3.1 errata (also accepts `PACKAGE_MANAGER`, `PERSISTENT_ID`, and `$schema`),
 * and 2.2.2 for SPDX-2.2 documents.
 */
const validator = (name: 'spdx-2.3' | 'spdx-2.3.1' | 'spdx-2.2') => schemaValidator(name);

/**
 * Validates against the schema for `version`. A 2.3 document that only the 2.3.1 errata schema
 * accepts is valid: what the strict schema alone refuses becomes warnings.
 */
export async function checkSpdxSchema(json: unknown, version: string, findings: Findings): Promise<void> {
  if (version === '2.2') {
    const validate = await validator('spdx-2.2');
    if (!validate(json)) for (const f of schemaFindings(validate.errors)) findings.error(f.path, f.message);
    return;
  }
  const strict = await validator('spdx-2.3');
  if (strict(json)) return;
  const strictFindings = schemaFindings(strict.errors);
  const errata = await validator('spdx-2.3.1');
  const errataFindings = errata(json) ? [] : schemaFindings(errata.errors);
  const errataPaths = new Set(errataFindings.map((f) => f.path));
  for (const f of errataFindings) findings.error(f.path, f.message);
  for (const f of strictFindings) {
    if (errataPaths.has(f.path)) continue;
    findings.warn(f.path, `${f.message} (the SPDX 2.3 schema refuses this; only the 2.3.1 errata schema accepts it)`);
  }
}
