import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AnySchemaObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { schemaFindings } from '../formats/schema/errors.js';
import type { ValidationIssue } from '../formats/schema/issues.js';

/**
 * OpenVEX documents against the project's published JSON schema (v0.2.0, JSON Schema 2020-12),
 * bundled as `schemas/openvex-0.2.0.schema.json` (source and license beside it). Formats as the
 * schema names them: `date-time` and `uri` from ajv-formats; `iri` checked here (see IRI). The
 * schema is small: it is compiled on first use (a few milliseconds), not at build time.
 */

/**
 * An absolute IRI (RFC 3987): a scheme, a colon, then no whitespace and none of the characters an
 * IRI never holds unescaped; a fragment is allowed. ajv-formats-draft2019's `iri` is not used: it
 * accepts only IANA-registered schemes and no fragment, so it refuses purls (`pkg:…`), the
 * product identifiers OpenVEX's own examples use.
 */
const IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/u;

export function isIri(value: string): boolean {
  return IRI.test(value);
}

export const OPENVEX_SCHEMA_PATH = new URL('../../schemas/openvex-0.2.0.schema.json', import.meta.url);

const require = createRequire(import.meta.url);
const addFormats = (require('ajv-formats') as { default: (ajv: Ajv2020, formats: string[]) => void }).default;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(OPENVEX_SCHEMA_PATH, 'utf8')) as AnySchemaObject;
  const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true });
  addFormats(ajv, ['date-time', 'uri']);
  ajv.addFormat('iri', { type: 'string', validate: isIri });
  compiled = ajv.compile(schema);
  return compiled;
}

/** Schema findings for a parsed OpenVEX document; empty when it is valid. */
export function validateOpenVex(json: unknown): ValidationIssue[] {
  const validate = validator();
  return validate(json) ? [] : schemaFindings(validate.errors);
}
