import type { SchemaId } from '../schema/sources.js';
import { schemaValidator } from '../schema/validators.js';
import { schemaFindings } from '../schema/errors.js';
import type { ValidationIssue } from '../schema/issues.js';

/**
 * CycloneDX JSON against the schema of its version, as bundled in @cyclonedx/cyclonedx-library
 * (how it is compiled, and why `uniqueItems` is checked differently: bundled-schemas.ts).
 */
export async function validateCycloneDxJsonSchema(json: unknown, version: string): Promise<ValidationIssue[]> {
  const validate = await schemaValidator(`cyclonedx-${version}` as SchemaId);
  return validate(json) ? [] : schemaFindings(validate.errors);
}
