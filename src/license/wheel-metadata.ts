import { createRequire } from 'node:module';
import parseExpression from 'spdx-expression-parse';

/**
 * The license a wheel's METADATA declares (core metadata 2.4, PEP 639): `License-Expression`
 * when there is one; else a `License:` field that is itself a valid SPDX expression; else the
 * `License ::` trove classifiers whose name is a license's name on the SPDX list ("MIT License").
 * Classifiers that name a family, not a license ("BSD License", "Apache Software License"), say
 * too little and are not used.
 */
export interface WheelLicense {
  expression: string;
  /** Which field said so. */
  field: 'License-Expression' | 'License' | 'Classifier';
}

const require = createRequire(import.meta.url);

export function isValidExpression(expression: string): boolean {
  try {
    parseExpression(expression);
    return true;
  } catch {
    return false;
  }
}

let namesToIds: Map<string, string[]> | undefined;

function licenseIdsByName(): Map<string, string[]> {
  if (namesToIds) return namesToIds;
  const list = require('spdx-license-list') as Record<string, { name: string }>;
  namesToIds = new Map();
  for (const [id, { name }] of Object.entries(list)) {
    const key = name.toLowerCase();
    namesToIds.set(key, [...(namesToIds.get(key) ?? []), id]);
  }
  return namesToIds;
}

export function wheelMetadataLicense(metadata: string): WheelLicense | undefined {
  // Only the header: the body (after the first blank line) is the long description.
  const header = metadata.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const field = (name: string): string[] => headerField(header, name);
  const expression = field('License-Expression')[0];
  if (expression && isValidExpression(expression)) return { expression, field: 'License-Expression' };
  const license = field('License')[0];
  if (license && isValidExpression(license)) return { expression: license, field: 'License' };
  const ids = new Set<string>();
  for (const classifier of field('Classifier')) {
    const match = /^License :: (?:OSI Approved :: )?(.+)$/.exec(classifier);
    if (!match) continue;
    const name = (match[1] as string).replace(/\s*\([^)]*\)\s*$/, '').toLowerCase();
    const found = licenseIdsByName().get(name);
    if (found?.length === 1) ids.add(found[0] as string);
  }
  if (ids.size > 0) return { expression: [...ids].join(' OR '), field: 'Classifier' };
  return undefined;
}

/**
 * The values of a metadata header field (`License: MIT`), in order, without surrounding blanks;
 * names compare case-insensitively. Read line by line in code: a regular expression trimming both
 * ends (`[ \t]*(.*?)\s*$`) takes quadratic time on a long line of blanks.
 */
function headerField(header: string, name: string): string[] {
  const prefix = `${name.toLowerCase()}:`;
  const values: string[] = [];
  for (const line of header.split(/[\n\r\u2028\u2029]/)) {
    if (line.slice(0, prefix.length).toLowerCase() !== prefix) continue;
    let start = prefix.length;
    while (line[start] === ' ' || line[start] === '\t') start++;
    const value = line.slice(start).trimEnd();
    if (value !== '') values.push(value);
  }
  return values;
}
