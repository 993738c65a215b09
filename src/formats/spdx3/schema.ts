import type { ErrorObject, ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { schemaFindings } from '../schema/errors.js';
import type { ValidationIssue } from '../schema/issues.js';
import { schemaFiles } from '../schema/sources.js';
import { schemaValidator } from '../schema/validators.js';
import { pushAll } from '../../util/arrays.js';

/**
 * The official SPDX 3.0.1 JSON schema (schemas/spdx-3.0.1.schema.json, compiled at build time
 * like the others) decides whether a document is valid. Its errors are another matter: every
 * element of `@graph` is matched against every SPDX class (`anyOf`), so one bad hash gives
 * hundreds of errors from the classes the element is not. When the document fails, each element
 * is checked again against the class its `type` names, and each nested typed object (a Hash, a
 * range, an identifier) against its own class, which leaves the errors that say what is wrong.
 */

const SCHEMA_URI = 'https://spdx.org/schema/3.0.1/spdx-json-schema.json';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Schema findings for one SPDX 3.0.1 document: none when the official schema accepts it. */
export async function spdx3SchemaFindings(root: Json): Promise<ValidationIssue[]> {
  const validate = await schemaValidator('spdx-3.0.1');
  if (validate(root)) return [];
  const firstErrors = [...(validate.errors ?? [])];
  const findings = await diagnose(root);
  return findings.length > 0 ? findings : schemaFindings(firstErrors);
}

async function diagnose(root: Json): Promise<ValidationIssue[]> {
  const { Ajv2020 } = await import('ajv/dist/2020.js');
  const schema = JSON.parse(readFileSync(schemaFiles('spdx-3.0.1').main, 'utf8')) as Json & { $defs: Json };
  const ajv = new Ajv2020({ allErrors: true, strict: false, verbose: true, validateSchema: false, code: { optimize: false } });
  ajv.addSchema(schema, SCHEMA_URI);
  const classes = new Map<string, ValidateFunction>();
  const classValidator = (type: unknown): ValidateFunction | undefined => {
    if (typeof type !== 'string' || !Object.hasOwn(schema.$defs, type) || !Object.hasOwn(schema.$defs, `${type}_props`)) return undefined;
    let validate = classes.get(type);
    if (!validate) {
      // What the schema applies to each @graph item, narrowed to the one class the item names.
      validate = ajv.compile({ type: 'object', $ref: `${SCHEMA_URI}#/$defs/${type}`, unevaluatedProperties: false });
      classes.set(type, validate);
    }
    return validate;
  };

  const findings: ValidationIssue[] = [];
  if ('@graph' in root && !Array.isArray(root['@graph'])) {
    return [{ path: '/@graph', message: `expected an array of SPDX 3 elements; found ${JSON.stringify(root['@graph'])?.slice(0, 80) ?? 'nothing'}` }];
  }
  // The document around the graph: @context, and nothing but @graph beside it.
  const shell = ajv.compile(schema);
  const graph = Array.isArray(root['@graph']) ? root['@graph'] : undefined;
  if (!shell(graph ? { ...root, '@graph': [] } : root) && graph) pushAll(findings, schemaFindings(shell.errors));
  const items: [string, unknown][] = graph ? graph.map((item, index): [string, unknown] => [`/@graph/${index}`, item]) : [['', root]];
  for (const [path, item] of items) {
    if (!isObject(item)) {
      findings.push({ path, message: 'expected an SPDX 3 element (an object with a type)' });
      continue;
    }
    pushAll(findings, checkTyped(item, path, classValidator, true));
  }
  return findings;
}

/** Errors of one typed object against its class, its nested typed objects checked the same way. */
function checkTyped(item: Json, path: string, classValidator: (type: unknown) => ValidateFunction | undefined, element: boolean): ValidationIssue[] {
  const validate = classValidator(item.type);
  if (!validate) {
    return [{ path: `${path}/type`, message: `expected the name of an SPDX 3.0.1 ${element ? 'class' : 'type'}; found ${JSON.stringify(item.type)}` }];
  }
  if (validate(item)) return [];
  const errors = validate.errors ?? [];
  const nested = nestedTyped(item, '');
  const inside = (instancePath: string) => nested.some(([at]) => instancePath === at || instancePath.startsWith(`${at}/`));
  const above = (instancePath: string) => nested.some(([at]) => at.startsWith(`${instancePath}/`));
  const own = errors.filter(
    (error: ErrorObject) => !inside(error.instancePath) && !(['anyOf', 'oneOf', 'if'].includes(error.keyword) && above(error.instancePath)),
  );
  const findings = schemaFindings(own).map((finding) => ({ ...finding, path: `${path}${finding.path}` }));
  for (const [at, value] of nested) pushAll(findings, checkTyped(value, `${path}${at}`, classValidator, false));
  return findings;
}

/** Objects with a `type` inside an element (its hashes, ranges, identifiers), by relative pointer. */
function nestedTyped(item: Json, base: string): [string, Json][] {
  const out: [string, Json][] = [];
  for (const [key, value] of Object.entries(item)) {
    const values = Array.isArray(value)
      ? value.map((entry, index): [string, unknown] => [`${base}/${key}/${index}`, entry])
      : [[`${base}/${key}`, value] as [string, unknown]];
    for (const [at, entry] of values) if (isObject(entry) && 'type' in entry) out.push([at, entry]);
  }
  return out;
}
