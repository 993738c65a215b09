import { InputError } from '../errors.js';
import { type ParsedDocument, type SbomFormat, detectFormat, formatById, readSbomText } from '../formats/registry.js';
import { JSON_CYCLONEDX_VERSIONS, versionRange } from '../formats/cyclonedx/versions.js';
import { parseXml, XmlDepthError, XmlSyntaxError, type XmlElement } from '../formats/cyclonedx/xml.js';
import { checkCycloneDxView, cycloneDxJsonView, cycloneDxXmlView } from './cyclonedx-semantics.js';
import { checkSpdxSemantics } from './spdx-semantics.js';
import { Findings, type ValidationResult } from '../formats/schema/issues.js';
import { parseJsonBounded } from '../util/bounded-json.js';
import { oneLine } from '../util/one-line.js';
import { COLLECT_ABOVE, collectGarbage } from '../util/collect-garbage.js';

export type { ValidationIssue, ValidationResult } from '../formats/schema/issues.js';

/** A result plus whether the input could be read at all (unreadable inputs make the exit code 2). */
export interface FileValidation extends ValidationResult {
  unreadable: boolean;
}

const CYCLONEDX_VERSIONS = new Set(JSON_CYCLONEDX_VERSIONS);
const VERSIONS_READ = versionRange(JSON_CYCLONEDX_VERSIONS);

function unreadable(file: string, message: string): FileValidation {
  // One line, bounded: parser messages may quote input.
  return { file, format: 'unknown', valid: false, errors: [{ path: '', message: oneLine(message, 1000) }], warnings: [], unreadable: true };
}

function result(file: string, format: string, findings: Findings): FileValidation {
  return { file, format, valid: findings.errors.length === 0, errors: findings.errors, warnings: findings.warnings, unreadable: false };
}

export async function validateFile(path: string): Promise<FileValidation> {
  let text: string;
  try {
    text = await readSbomText(path);
  } catch (error) {
    if (error instanceof InputError) return unreadable(path, error.message);
    throw error;
  }
  return validateText(text, path);
}

/** Validates one document; the format and version come from its content, never its name. */
export async function validateText(text: string, file: string): Promise<FileValidation> {
  const body = text.replace(/^\uFEFF/, '');
  const start = body.trimStart();
  if (start.startsWith('<')) return validateXml(body, file);
  if (!start.startsWith('{') && !start.startsWith('[')) return unreadable(file, `${file}: not JSON or XML`);
  let json: unknown;
  try {
    json = parseJsonBounded(body, file);
  } catch (error) {
    if (error instanceof InputError) return unreadable(file, error.message);
    throw error;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return unreadable(file, `${file}: neither an SPDX nor a CycloneDX document (the JSON is not an object)`);
  }
  const root = json as Record<string, unknown>;
  const parsed: ParsedDocument = { encoding: 'json', json: root };
  const detected = detectFormat(parsed);
  // Lenient fallback so that a document missing spdxVersion is reported as invalid, not unreadable.
  const family = detected?.family ?? (['SPDXID', 'creationInfo', 'spdxVersion'].some((k) => k in root) ? 'spdx' : 'specVersion' in root ? 'cyclonedx' : undefined);
  if (family === 'spdx') return validateSpdx(parsed, detected?.version ?? '', file);
  if (family === 'cyclonedx') return validateCycloneDxJson(parsed, detected?.version ?? String(root.specVersion ?? ''), file);
  return unreadable(file, `${file}: neither an SPDX nor a CycloneDX document`);
}

async function validateSpdx(parsed: ParsedDocument & { encoding: 'json' }, version: string, file: string): Promise<FileValidation> {
  const root = parsed.json;
  const findings = new Findings();
  let schemaVersion = version;
  if (version === '2.0' || version === '2.1') {
    findings.warn('/spdxVersion', `SPDX-${version} is checked against the SPDX 2.2 schema, the oldest bundled`);
    schemaVersion = '2.2';
  } else if (version !== '2.2' && version !== '2.3') {
    if (version !== '' || typeof root.spdxVersion === 'string') {
      findings.error('/spdxVersion', `expected "SPDX-2.3" or "SPDX-2.2"; found ${JSON.stringify(root.spdxVersion)}`);
    }
    schemaVersion = '2.3';
  }
  await formatById('spdx-json').schemaCheck(parsed, schemaVersion, findings);
  checkSpdxSemantics(root, findings);
  return result(file, `spdx-${version || '2.3'}-json`, findings);
}

async function validateCycloneDxJson(parsed: ParsedDocument & { encoding: 'json' }, version: string, file: string): Promise<FileValidation> {
  const root = parsed.json;
  const findings = new Findings();
  if (!CYCLONEDX_VERSIONS.has(version)) {
    findings.error('/specVersion', `expected a CycloneDX version from ${VERSIONS_READ}; found ${JSON.stringify(root.specVersion)}`);
    return result(file, `cyclonedx-${version || 'unknown'}-json`, findings);
  }
  await formatById('cyclonedx-json').schemaCheck(parsed, version, findings);
  checkCycloneDxView(cycloneDxJsonView(root), findings);
  return result(file, `cyclonedx-${version}-json`, findings);
}

async function validateXml(text: string, file: string): Promise<FileValidation> {
  // Well-formedness first, with the project's strict CycloneDX XML reader: malformed XML (and any
  // DOCTYPE, which CycloneDX never needs) is unreadable input, exit 2, not an invalid document.
  let bom: XmlElement;
  try {
    bom = parseXml(text);
  } catch (error) {
    if (error instanceof XmlDepthError) return unreadable(file, `${file}: XML ${error.message}; refusing to read it`);
    if (error instanceof XmlSyntaxError) return unreadable(file, `${file}: not well-formed XML (${error.message})`);
    throw error;
  }
  const parsed: ParsedDocument = { encoding: 'xml', text };
  const detected = detectFormat(parsed);
  if (detected?.family !== 'cyclonedx' || bom.name !== 'bom') {
    return unreadable(file, `${file}: XML, but not a CycloneDX document (no CycloneDX bom namespace)`);
  }
  const findings = new Findings();
  const version = detected.version;
  if (!CYCLONEDX_VERSIONS.has(version)) {
    findings.error('/bom/@xmlns', `expected a CycloneDX version from ${VERSIONS_READ}; found ${JSON.stringify(version)}`);
    return result(file, `cyclonedx-${version || 'unknown'}-xml`, findings);
  }
  // The semantic checks run first so that the element tree can go before the schema check reads
  // the text again (two copies of a 100,000-file document at once is what a large run peaked on);
  // their findings still come after the schema's.
  const semantic = new Findings();
  checkCycloneDxView(cycloneDxXmlView(bom), semantic);
  bom = undefined as unknown as XmlElement;
  if (text.length > COLLECT_ABOVE) collectGarbage();
  await (detected.format as SbomFormat).schemaCheck(parsed, version, findings);
  for (const f of semantic.errors) findings.errors.push(f);
  for (const f of semantic.warnings) findings.warnings.push(f);
  return result(file, `cyclonedx-${version}-xml`, findings);
}
