import { createRequire } from 'node:module';
import parseExpression from 'spdx-expression-parse';
import type { Findings } from '../formats/schema/issues.js';

// spdx-license-ids and spdx-exceptions are plain JSON packages; require() keeps them out of the
// ESM import-attribute business. spdx-expression-parse consults the same lists.
const require = createRequire(import.meta.url);
const LICENSE_IDS: string[] = [...(require('spdx-license-ids') as string[]), ...(require('spdx-license-ids/deprecated.json') as string[])];
const EXCEPTION_IDS: string[] = [...(require('spdx-exceptions') as string[]), ...(require('spdx-exceptions/deprecated.json') as string[])];
const DEPRECATED_IDS = new Set<string>(require('spdx-license-ids/deprecated.json') as string[]);

const KNOWN_LICENSES = new Set(LICENSE_IDS);
const KNOWN_EXCEPTIONS = new Set(EXCEPTION_IDS);
/** Lower-case id -> canonical spelling: SPDX license ids match case-insensitively. */
const CANONICAL = new Map([...LICENSE_IDS, ...EXCEPTION_IDS].map((id) => [id.toLowerCase(), id]));

export function isKnownLicenseId(id: string): boolean {
  return KNOWN_LICENSES.has(id);
}

export interface LicenseContext {
  /** `LicenseRef-…` ids the document declares (SPDX hasExtractedLicensingInfos); undefined = any. */
  declaredRefs?: ReadonlySet<string>;
  /** `DocumentRef-…` ids the document declares (SPDX externalDocumentRefs). */
  declaredDocuments?: ReadonlySet<string>;
}

/**
 * Checks one SPDX license expression: every id is on the SPDX license list (or a declared
 * LicenseRef), and the whole parses. NOASSERTION and NONE stand alone. Reports at `path`.
 */
export function checkLicenseExpression(expression: string, path: string, findings: Findings, context: LicenseContext = {}): void {
  const trimmed = expression.trim();
  if (trimmed === 'NOASSERTION' || trimmed === 'NONE') return;
  if (trimmed === '') {
    findings.error(path, 'expected a license expression, NOASSERTION or NONE; found an empty string');
    return;
  }
  let problems = 0;
  let canonical = trimmed;
  const words = trimmed.split(/[\s()]+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (/^(AND|OR|WITH)$/i.test(word)) continue;
    const afterWith = i > 0 && /^WITH$/i.test(words[i - 1] as string);
    const id = word.endsWith('+') ? word.slice(0, -1) : word;
    const ref = /^(?:(DocumentRef-[A-Za-z0-9.-]+):)?(LicenseRef-[A-Za-z0-9.-]+)$/.exec(id);
    if (ref) {
      const [, documentRef, licenseRef] = ref as unknown as [string, string | undefined, string];
      if (documentRef) {
        if (context.declaredDocuments && !context.declaredDocuments.has(documentRef)) {
          findings.error(path, `'${id}' names ${documentRef}, which externalDocumentRefs does not declare`);
          problems++;
        }
      } else if (context.declaredRefs && !context.declaredRefs.has(licenseRef)) {
        findings.error(path, `${licenseRef} is not declared in hasExtractedLicensingInfos`);
        problems++;
      }
      continue;
    }
    const known = afterWith ? KNOWN_EXCEPTIONS.has(id) : KNOWN_LICENSES.has(id);
    if (known) {
      if (!afterWith && DEPRECATED_IDS.has(id)) findings.warn(path, `'${id}' is a deprecated SPDX license id`);
      continue;
    }
    const spelled = CANONICAL.get(id.toLowerCase());
    if (spelled) {
      findings.warn(path, `license id '${id}' should be spelled '${spelled}'`);
      canonical = canonical.replace(id, spelled);
      continue;
    }
    findings.error(
      path,
      afterWith
        ? `unknown license exception '${id}' (not on the SPDX exceptions list)`
        : `unknown license id '${id}' (not on the SPDX license list, not a LicenseRef-)`,
    );
    problems++;
  }
  if (problems > 0) return;
  try {
    parseExpression(canonical);
  } catch (error) {
    const reason = (error as Error).message || 'syntax error';
    findings.error(path, `'${expression}' is not a valid SPDX license expression (${reason})`);
  }
}
