import type { ErrorObject } from 'ajv';
import type { ValidationIssue } from './issues.js';

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function list(values: unknown[]): string {
  if (values.length > 8) return `one of ${values.length} allowed values (see the schema)`;
  return `one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
}

/**
 * Turns Ajv's errors (compiled with `verbose: true`, so each carries the offending data) into
 * findings that say where, what was expected and what was found. Ajv's combinator noise
 * (`anyOf`/`oneOf`/`if` summaries) is dropped when a more specific error at the same place exists.
 */
export function schemaFindings(errors: ErrorObject[] | null | undefined): ValidationIssue[] {
  if (!errors) return [];
  const findings: ValidationIssue[] = [];
  const seen = new Set<string>();
  const specific = new Set(errors.filter((e) => !['anyOf', 'oneOf', 'if'].includes(e.keyword)).map((e) => e.instancePath));
  for (const error of errors) {
    if (['anyOf', 'oneOf', 'if'].includes(error.keyword) && specific.has(error.instancePath)) continue;
    const finding = toFinding(error);
    const key = `${finding.path}\u0000${finding.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(finding);
  }
  return findings;
}

function toFinding(error: ErrorObject): ValidationIssue {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path: `${at}/${pointerSegment(String(params.missingProperty))}`, message: `required property '${String(params.missingProperty)}' is missing` };
    case 'additionalProperties':
      return {
        path: `${at}/${pointerSegment(String(params.additionalProperty))}`,
        message: `property '${String(params.additionalProperty)}' is not allowed here by the schema`,
      };
    case 'enum':
      return { path: at, message: `expected ${list(params.allowedValues as unknown[])}; found ${describe(error.data)}` };
    case 'const':
      return { path: at, message: `expected ${JSON.stringify(params.allowedValue)}; found ${describe(error.data)}` };
    case 'type':
      return { path: at, message: `expected ${String(params.type)}; found ${describe(error.data)}` };
    case 'minItems':
      return { path: at, message: `expected at least ${String(params.limit)} item(s); found ${describe(error.data)}` };
    case 'pattern':
      return { path: at, message: `expected a value matching ${String(params.pattern)}; found ${describe(error.data)}` };
    default:
      return { path: at, message: `${error.message ?? error.keyword}; found ${describe(error.data)}` };
  }
}
