import type { Findings } from '../formats/schema/issues.js';
import { INDIVIDUAL_IRIS, SPDX3_DIGEST_HEX_LENGTH } from '../formats/spdx3/vocabulary.js';
import { checkLicenseExpression } from './licenses.js';

/**
 * What the SPDX 3 JSON schema cannot say: every element id unique, every reference to an element
 * resolves (to one in the document, an individual of the model such as NoAssertionLicense, a
 * listed license's IRI, or an element the document imports), one SpdxDocument, hashes of the
 * length their algorithm gives, license expressions that parse with ids from the SPDX license
 * list, ranges that do not run backwards. Like the SPDX 2 checks it works on the raw JSON, so each
 * finding carries a JSON pointer, and skips what the schema already refused.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const HEX = /^[0-9a-fA-F]+$/;
const INDIVIDUALS = new Set([...INDIVIDUAL_IRIS.keys(), ...INDIVIDUAL_IRIS.values()]);
const LISTED_LICENSE = /^https:\/\/spdx\.org\/licenses\/[A-Za-z0-9.+-]+$/;

/** Element-valued properties, and whether each holds one reference or a list. */
const REFERENCES: [property: string, many: boolean][] = [
  ['creationInfo', false],
  ['from', false],
  ['to', true],
  ['subject', false],
  ['software_snippetFromFile', false],
  ['element', true],
  ['rootElement', true],
  ['suppliedBy', false],
  ['originatedBy', true],
  ['createdBy', true],
  ['createdUsing', true],
  ['dataLicense', false],
];

export function checkSpdx3Semantics(root: Json, findings: Findings): void {
  const items: [string, unknown][] = Array.isArray(root['@graph'])
    ? root['@graph'].map((item, index): [string, unknown] => [`/@graph/${index}`, item])
    : [['', root]];
  const ids = new Map<string, string>();
  const types = new Map<string, string>();
  const imported = new Set<string>();
  let documents = 0;
  for (const [path, item] of items) {
    if (!isObject(item)) continue;
    for (const key of ['spdxId', '@id'] as const) {
      const id = str(item[key]);
      if (id === undefined) continue;
      const first = ids.get(id);
      if (first !== undefined) findings.error(`${path}/${key}`, `duplicate element id ${JSON.stringify(id)}: already used at ${first}`);
      else {
        ids.set(id, `${path}/${key}`);
        types.set(id, str(item.type) ?? '');
      }
    }
    if (item.type === 'SpdxDocument') {
      documents++;
      if (Array.isArray(item.import)) {
        for (const entry of item.import) if (isObject(entry) && typeof entry.externalSpdxId === 'string') imported.add(entry.externalSpdxId);
      }
    }
  }
  if (documents === 0) findings.error(Array.isArray(root['@graph']) ? '/@graph' : '', 'no SpdxDocument element: an SPDX 3 document must have exactly one');
  else if (documents > 1) findings.error('/@graph', `${documents} SpdxDocument elements: a serialization holds exactly one`);

  const resolves = (reference: string, property: string): boolean => {
    if (ids.has(reference) || imported.has(reference)) return true;
    if (INDIVIDUALS.has(reference)) return true;
    return (property === 'to' || property === 'dataLicense') && LISTED_LICENSE.test(reference);
  };
  for (const [path, item] of items) {
    if (!isObject(item)) continue;
    for (const [property, many] of REFERENCES) {
      const value = item[property];
      const entries: [string, unknown][] = many
        ? Array.isArray(value)
          ? value.map((entry, index): [string, unknown] => [`${path}/${property}/${index}`, entry])
          : []
        : [[`${path}/${property}`, value]];
      for (const [at, entry] of entries) {
        const reference = str(entry);
        if (reference === undefined) continue; // absent, or an inline object the schema checks
        if (!resolves(reference, property)) {
          findings.error(at, `${JSON.stringify(reference)} does not resolve: no element in this document (or imported by it) has that id`);
        } else if (property === 'creationInfo' && ids.has(reference) && types.get(reference) !== 'CreationInfo') {
          findings.error(at, `${JSON.stringify(reference)} is a ${types.get(reference) || 'node'}, not a CreationInfo`);
        }
      }
    }
    if (Array.isArray(item.to) && item.to.length > 1 && item.to.some((to) => to === 'NoneElement' || INDIVIDUAL_IRIS.get(String(to)) === 'NoneElement')) {
      findings.error(`${path}/to`, 'NoneElement says there is no such element, so it must stand alone in `to`');
    }
    if (Array.isArray(item.verifiedUsing)) {
      item.verifiedUsing.forEach((method, index) => checkHash(method, `${path}/verifiedUsing/${index}`, findings));
    }
    const expression = str(item.simplelicensing_licenseExpression);
    if (expression !== undefined) checkLicenseExpression(expression, `${path}/simplelicensing_licenseExpression`, findings);
    for (const key of ['software_byteRange', 'software_lineRange']) {
      const range = item[key];
      if (!isObject(range) || typeof range.beginIntegerRange !== 'number' || typeof range.endIntegerRange !== 'number') continue;
      if (range.beginIntegerRange > range.endIntegerRange) {
        findings.error(`${path}/${key}`, `the range begins after it ends (${range.beginIntegerRange} > ${range.endIntegerRange})`);
      }
    }
  }
}

function checkHash(method: unknown, path: string, findings: Findings): void {
  if (!isObject(method) || (method.type !== 'Hash' && method.type !== 'PackageVerificationCode')) return;
  const algorithm = str(method.algorithm);
  const value = str(method.hashValue);
  if (algorithm === undefined || value === undefined) return;
  const length = SPDX3_DIGEST_HEX_LENGTH.get(algorithm);
  if (length === undefined) return;
  if (value.length !== length || !HEX.test(value)) {
    findings.error(
      `${path}/hashValue`,
      `expected ${length} hex digits for ${algorithm}; found ${JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value)}`,
    );
  }
}
