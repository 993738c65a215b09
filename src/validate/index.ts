import { InputError } from '../errors.js';
import { type ParsedDocument, type SbomFormat, detectFormat, formatById, readSbomText } from '../formats/registry.js';
import { JSON_CYCLONEDX_VERSIONS, versionRange } from '../formats/cyclonedx/versions.js';
import { readCycloneDx, readCycloneDxJson } from '../formats/cyclonedx/read.js';
import { spdxToModel } from '../formats/spdx/read.js';
import { emptyDocument } from '../model/document.js';
import { checkPolicies, type PolicyId, type PolicyReport, type PolicySubject } from './policies/index.js';
import { parseXml, XmlDepthError, XmlSyntaxError, type XmlElement } from '../formats/cyclonedx/xml.js';
import { checkCycloneDxView, cycloneDxJsonView, cycloneDxXmlView } from './cyclonedx-semantics.js';
import { checkSpdxSemantics } from './spdx-semantics.js';
import { checkSpdx3Semantics } from './spdx3-semantics.js';
import { SPDX3_CONTEXT, SPDX3_VERSION } from '../formats/spdx3/vocabulary.js';
import { Findings, type ValidationResult } from '../formats/schema/issues.js';
import { describeJsonSyntaxError, parseJsonBounded } from '../util/bounded-json.js';
import { oneLine } from '../util/one-line.js';
import type { SchemaError } from '../formats/cyclonedx/schema.js';
import { COLLECT_ABOVE, collectGarbage } from '../util/collect-garbage.js';

export type { ValidationIssue, ValidationResult } from '../formats/schema/issues.js';
export type { PolicyFinding, PolicyId, PolicyReport } from './policies/index.js';

/** A result plus whether the input could be read at all (unreadable inputs make the exit code 2). */
export interface FileValidation extends ValidationResult {
  unreadable: boolean;
  /** One report per asked-for compliance policy (`--policy`), in the order asked. */
  policies?: PolicyReport[];
}

export interface ValidateOptions {
  /** Compliance policies to hold the document to, besides its schema and semantics. */
  policies?: readonly PolicyId[];
  /**
   * The text is this tool's own rendering (generate checks what it is about to write): its nesting
   * is the writers' fixed shape, so the depth scan that guards the parser against hostile input
   * is skipped, and xmllint may check CycloneDX XML before the strict reader has read it. Never
   * set for input from outside.
   */
  ownRendering?: boolean;
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

export async function validateFile(path: string, options: ValidateOptions = {}): Promise<FileValidation> {
  let text: string;
  try {
    text = await readSbomText(path);
  } catch (error) {
    if (error instanceof InputError) return unreadable(path, error.message);
    throw error;
  }
  return validateText(text, path, options);
}

/** Validates one document; the format and version come from its content, never its name. */
export async function validateText(text: string, file: string, options: ValidateOptions = {}): Promise<FileValidation> {
  const body = text.replace(/^\uFEFF/, '');
  const start = body.trimStart();
  const policies = options.policies ?? [];
  if (start.startsWith('<')) {
    const checked = await validateXml(body, file, options.ownRendering === true);
    if (checked.unreadable || policies.length === 0) return checked;
    return withPolicies(checked, policies, () => {
      const read = readCycloneDx(body, file);
      return { document: read.document, family: 'cyclonedx', specVersion: read.format.replace(/^cyclonedx-/, ''), ...xmlSerial(body) };
    });
  }
  if (!start.startsWith('{') && !start.startsWith('[')) return unreadable(file, `${file}: not JSON or XML`);
  let json: unknown;
  try {
    json = options.ownRendering ? JSON.parse(body) : parseJsonBounded(body, file);
  } catch (error) {
    if (error instanceof InputError) return unreadable(file, error.message);
    if (error instanceof SyntaxError) return unreadable(file, `${file}: not valid JSON (${describeJsonSyntaxError(error, body)})`);
    throw error;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return unreadable(file, `${file}: neither an SPDX nor a CycloneDX document (the JSON is not an object)`);
  }
  const root = json as Record<string, unknown>;
  const parsed: ParsedDocument = { encoding: 'json', json: root };
  const detected = detectFormat(parsed);
  if (detected?.format.id === 'spdx3-json') {
    const checked = await validateSpdx3(parsed, detected.version, file);
    if (policies.length === 0) return checked;
    const { spdx3ToModel } = await import('../formats/spdx3/read.js');
    return withPolicies(checked, policies, () => ({ document: spdx3ToModel(root, file), family: 'spdx', specVersion: detected.version }));
  }
  // Lenient fallback so that a document missing spdxVersion is reported as invalid, not unreadable.
  const family =
    detected?.family ?? (['SPDXID', 'creationInfo', 'spdxVersion'].some((k) => k in root) ? 'spdx' : 'specVersion' in root ? 'cyclonedx' : undefined);
  if (family === 'spdx') {
    const version = detected?.version ?? '';
    const checked = await validateSpdx(parsed, version, file);
    if (policies.length === 0) return checked;
    return withPolicies(checked, policies, () => ({ document: spdxToModel(root, file), family: 'spdx', specVersion: version }));
  }
  if (family === 'cyclonedx') {
    const version = detected?.version ?? String(root.specVersion ?? '');
    const checked = await validateCycloneDxJson(parsed, version, file);
    if (policies.length === 0) return checked;
    return withPolicies(checked, policies, () => ({
      document: readCycloneDxJson(root, file).document,
      family: 'cyclonedx',
      specVersion: version,
      ...(typeof root.serialNumber === 'string' ? { serialNumber: root.serialNumber } : {}),
      ...(Array.isArray(root.vulnerabilities) ? { vulnerabilityCount: root.vulnerabilities.length } : {}),
    }));
  }
  return unreadable(file, `${file}: neither an SPDX nor a CycloneDX document`);
}

/**
 * Adds the policy reports. The model comes from the same readers `diff` and `verify` use; a
 * document they cannot read (a field of the wrong type) fails every policy with that reason.
 */
function withPolicies(checked: FileValidation, policies: readonly PolicyId[], subject: () => PolicySubject): FileValidation {
  try {
    return { ...checked, policies: checkPolicies(subject(), policies) };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    // Still say which format elements fail (a CycloneDX 1.1 document): the rest has nothing to hold.
    const [family = 'unknown', specVersion = ''] = checked.format.split('-');
    const empty: PolicySubject = { document: emptyDocument(), family: family === 'spdx' ? 'spdx' : 'cyclonedx', specVersion };
    const reason = { element: 'document', name: 'readable document', message: `the document cannot be read for policy checks: ${error.message}` };
    return {
      ...checked,
      policies: checkPolicies(empty, policies).map((report) => ({ ...report, pass: false, findings: [reason, ...report.findings] })),
    };
  }
}

/**
 * xmllint's check, started: resolves once its thread has the text, with the promise of the errors
 * (wrapped, since an async function returning a promise would wait for it).
 */
async function startXmlSchema(text: string, version: string): Promise<{ errors: Promise<SchemaError[]> }> {
  const { startXmlSchemaCheck } = await import('../formats/cyclonedx/schema.js');
  const started = await startXmlSchemaCheck(text, version);
  // Whatever ends the check early, a started schema check never fails unheard.
  started.errors.catch(() => undefined);
  return started;
}

/** The `serialNumber` attribute of a CycloneDX XML `<bom>` (read from the text: the element tree is gone by then). */
function xmlSerial(text: string): { serialNumber?: string } {
  const open = /<(?:[A-Za-z_][\w.-]*:)?bom\b[^>]*>/.exec(text.slice(0, 64 * 1024))?.[0] ?? '';
  const serial = /\sserialNumber\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(open);
  const value = serial?.[1] ?? serial?.[2];
  return value === undefined ? {} : { serialNumber: value };
}

/** SPDX 3.0.1 JSON-LD: the bundled official schema, then what the schema cannot say. */
async function validateSpdx3(parsed: ParsedDocument & { encoding: 'json' }, version: string, file: string): Promise<FileValidation> {
  const findings = new Findings();
  if (version !== SPDX3_VERSION) {
    findings.error(
      '/@context',
      `expected ${JSON.stringify(SPDX3_CONTEXT)} (SPDX ${SPDX3_VERSION}, the version whose schema is bundled); found ${JSON.stringify(parsed.json['@context'])}`,
    );
  }
  await formatById('spdx3-json').schemaCheck(parsed, version, findings);
  checkSpdx3Semantics(parsed.json, findings);
  return result(file, `spdx-${version || SPDX3_VERSION}-json`, findings);
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

async function validateXml(text: string, file: string, ownRendering: boolean): Promise<FileValidation> {
  const parsed: ParsedDocument = { encoding: 'xml', text };
  const detected = detectFormat(parsed);
  // xmllint checks the schema on a thread of its own. For this tool's own rendering of ordinary
  // size it runs while this thread reads the element tree and runs the semantic checks: a
  // release's CycloneDX XML is checked 0.1 to 0.2 s sooner, and a release in three formats took
  // 2.86 against 3.02 s (medians of 9 alternating rounds, 6 faster). Input from outside is read
  // by the strict reader before xmllint sees it (started after the reader, the check measured no
  // faster), and a large document never has the tree and xmllint's copy at once (see below).
  const findings = new Findings();
  const early =
    ownRendering && text.length <= COLLECT_ABOVE && detected?.family === 'cyclonedx' && CYCLONEDX_VERSIONS.has(detected.version)
      ? await startXmlSchema(text, detected.version)
      : undefined;
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
  if (detected?.family !== 'cyclonedx' || bom.name !== 'bom') {
    return unreadable(file, `${file}: XML, but not a CycloneDX document (no CycloneDX bom namespace)`);
  }
  const version = detected.version;
  if (!CYCLONEDX_VERSIONS.has(version)) {
    findings.error('/bom/@xmlns', `expected a CycloneDX version from ${VERSIONS_READ}; found ${JSON.stringify(version)}`);
    return result(file, `cyclonedx-${version || 'unknown'}-xml`, findings);
  }
  // Otherwise the semantic checks run first so that the element tree can go before the schema
  // check reads the text again (two copies of a 100,000-file document at once is what a large run
  // peaked on). Either way their findings come after the schema's.
  const semantic = new Findings();
  checkCycloneDxView(cycloneDxXmlView(bom), semantic);
  bom = undefined as unknown as XmlElement;
  if (early) for (const issue of await early.errors) findings.error(issue.path, issue.message);
  else {
    if (text.length > COLLECT_ABOVE) collectGarbage();
    await (detected.format as SbomFormat).schemaCheck(parsed, version, findings);
  }
  for (const f of semantic.errors) findings.errors.push(f);
  for (const f of semantic.warnings) findings.warnings.push(f);
  return result(file, `cyclonedx-${version}-xml`, findings);
}
