import { createHash } from 'node:crypto';
import { DIGEST_HEX_LENGTH } from '../model/document.js';
import { cpe22Problem, cpe23Problem, purlProblem } from './identifiers.js';
import { checkLicenseExpression, type LicenseContext } from './licenses.js';
import type { Findings } from '../formats/schema/issues.js';
import { isJsonObject, objectItems, stringItems } from './json-items.js';

/**
 * What the SPDX 2.x schema cannot say: identifiers well formed and unique, every reference
 * resolves, the document describes something, licenses known, checksums the right length,
 * verification codes agree with the files, dates in the one format SPDX allows, purls and CPEs
 * well formed.
 * Works on the raw JSON so each finding carries the JSON pointer of the offending value; it
 * tolerates anything the schema already refused (wrong types are skipped, not re-reported).
 */

type Json = Record<string, unknown>;

const ID_RE = /^SPDXRef-[A-Za-z0-9.-]+$/;
const DOCUMENT_REF_RE = /^DocumentRef-[A-Za-z0-9.-]+$/;
const EXTERNAL_ELEMENT_RE = /^(DocumentRef-[A-Za-z0-9.-]+):SPDXRef-[A-Za-z0-9.-]+$/;
/** The verification code of a package without files: SHA-1 of nothing. */
const EMPTY_SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

const isObject = isJsonObject;
const objects = objectItems;
const strings = stringItems;
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

type ElementKind = 'document' | 'package' | 'file' | 'snippet';
interface Element {
  kind: ElementKind;
  path: string;
  json: Json;
}

export function checkSpdxSemantics(root: Json, findings: Findings): void {
  const elements = new Map<string, Element>();
  const declaredDocuments = new Set<string>();
  const declaredRefs = new Set<string>();

  // Identifiers: syntax and uniqueness across document, packages, files and snippets.
  const claim = (kind: ElementKind, path: string, json: Json): void => {
    const id = str(json.SPDXID);
    if (id === undefined) return; // the schema reports a missing SPDXID
    const at = `${path}/SPDXID`;
    if (kind === 'document' && id !== 'SPDXRef-DOCUMENT') {
      findings.error(at, `expected the document's SPDXID to be "SPDXRef-DOCUMENT"; found ${JSON.stringify(id)}`);
    } else if (!ID_RE.test(id)) {
      findings.error(at, `malformed SPDX ID ${JSON.stringify(id)}: expected "SPDXRef-" followed by letters, digits, '.' or '-'`);
    }
    const first = elements.get(id);
    if (first) {
      findings.error(at, `duplicate SPDX ID ${JSON.stringify(id)}: already used at ${first.path}/SPDXID`);
      return;
    }
    elements.set(id, { kind, path, json });
  };
  claim('document', '', root);
  for (const [i, pkg] of objects(root.packages)) claim('package', `/packages/${i}`, pkg);
  for (const [i, file] of objects(root.files)) claim('file', `/files/${i}`, file);
  for (const [i, snippet] of objects(root.snippets)) claim('snippet', `/snippets/${i}`, snippet);

  for (const [i, ref] of objects(root.externalDocumentRefs)) {
    const id = str(ref.externalDocumentId);
    if (id === undefined) continue;
    const at = `/externalDocumentRefs/${i}/externalDocumentId`;
    if (!DOCUMENT_REF_RE.test(id)) {
      findings.error(at, `malformed external document id ${JSON.stringify(id)}: expected "DocumentRef-" followed by letters, digits, '.' or '-'`);
    }
    if (declaredDocuments.has(id)) findings.error(at, `duplicate external document id ${JSON.stringify(id)}`);
    declaredDocuments.add(id);
    checkChecksum(ref.checksum, `/externalDocumentRefs/${i}/checksum`, findings);
  }
  for (const [i, info] of objects(root.hasExtractedLicensingInfos)) {
    const id = str(info.licenseId);
    if (id === undefined) continue;
    const at = `/hasExtractedLicensingInfos/${i}/licenseId`;
    if (!/^LicenseRef-[A-Za-z0-9.-]+$/.test(id)) {
      findings.error(at, `malformed license reference ${JSON.stringify(id)}: expected "LicenseRef-" followed by letters, digits, '.' or '-'`);
    }
    if (declaredRefs.has(id)) findings.error(at, `duplicate license reference ${JSON.stringify(id)}`);
    declaredRefs.add(id);
  }

  /** Every reference must name an element of this document or one of a declared external document. */
  const resolve = (ref: string, at: string, options: { allowNone?: boolean; kind?: ElementKind } = {}): Element | undefined => {
    if (options.allowNone && (ref === 'NONE' || ref === 'NOASSERTION')) return undefined;
    const element = elements.get(ref);
    if (element) {
      if (options.kind && element.kind !== options.kind) {
        findings.error(at, `expected the SPDX ID of a ${options.kind}; ${JSON.stringify(ref)} is a ${element.kind} (${element.path})`);
      }
      return element;
    }
    const external = EXTERNAL_ELEMENT_RE.exec(ref);
    if (external) {
      if (!declaredDocuments.has(external[1] as string)) {
        findings.error(at, `${JSON.stringify(ref)} names ${external[1]}, which externalDocumentRefs does not declare`);
      }
      return undefined;
    }
    if (!ID_RE.test(ref) && !ref.startsWith('DocumentRef-')) {
      findings.error(at, `malformed SPDX ID ${JSON.stringify(ref)}: expected "SPDXRef-…" or "DocumentRef-…:SPDXRef-…"`);
    } else {
      findings.error(at, `${JSON.stringify(ref)} does not resolve: no element in this document has that SPDX ID`);
    }
    return undefined;
  };

  // Relationships; CONTAINS edges from packages to files feed the verification-code check below.
  const containedFiles = new Map<string, { fileId: string; at: string }[]>();
  const addContained = (packageId: string, fileId: string, at: string): void => {
    const list = containedFiles.get(packageId) ?? [];
    list.push({ fileId, at });
    containedFiles.set(packageId, list);
  };
  let describes = false;
  for (const [i, rel] of objects(root.relationships)) {
    const from = str(rel.spdxElementId);
    const to = str(rel.relatedSpdxElement);
    const type = str(rel.relationshipType);
    const fromElement = from === undefined ? undefined : resolve(from, `/relationships/${i}/spdxElementId`);
    const toElement = to === undefined ? undefined : resolve(to, `/relationships/${i}/relatedSpdxElement`, { allowNone: true });
    if (type === 'DESCRIBES' && fromElement?.kind === 'document' && toElement) describes = true;
    if (type === 'DESCRIBED_BY' && toElement?.kind === 'document' && fromElement) describes = true;
    if (type === 'CONTAINS' && fromElement?.kind === 'package' && toElement?.kind === 'file') {
      addContained(from as string, to as string, `/relationships/${i}`);
    }
    if (type === 'CONTAINED_BY' && toElement?.kind === 'package' && fromElement?.kind === 'file') {
      addContained(to as string, from as string, `/relationships/${i}`);
    }
  }
  for (const [i, id] of strings(root.documentDescribes)) {
    if (resolve(id, `/documentDescribes/${i}`)) describes = true;
    else if (EXTERNAL_ELEMENT_RE.test(id)) describes = true;
  }
  if (!describes) {
    findings.error(
      '/relationships',
      'the document DESCRIBES nothing: expected a relationship "SPDXRef-DOCUMENT DESCRIBES <element>" (or documentDescribes) naming an element of the document',
    );
  }

  const licenses: LicenseContext = { declaredRefs, declaredDocuments };
  const checkLicense = (value: unknown, at: string): void => {
    if (typeof value === 'string') checkLicenseExpression(value, at, findings, licenses);
  };
  const checkLicenseList = (value: unknown, at: string): void => {
    for (const [i, expression] of strings(value)) checkLicense(expression, `${at}/${i}`);
  };

  checkDate(objectAt(root.creationInfo)?.created, '/creationInfo/created', findings);
  checkAnnotations(root.annotations, '/annotations', findings);
  checkLicense(root.dataLicense, '/dataLicense');

  const fileSha1 = new Map<string, string | undefined>();
  for (const [i, file] of objects(root.files)) {
    const at = `/files/${i}`;
    let sha1: string | undefined;
    for (const [j, checksum] of objects(file.checksums)) {
      const value = checkChecksum(checksum, `${at}/checksums/${j}`, findings);
      if (checksum.algorithm === 'SHA1' && value) sha1 = value;
    }
    if (Array.isArray(file.checksums) && !objects(file.checksums).some(([, c]) => c.algorithm === 'SHA1')) {
      findings.error(`${at}/checksums`, 'expected a SHA1 checksum (SPDX 2.x requires one for every file); found none');
    }
    const id = str(file.SPDXID);
    if (id !== undefined && elements.get(id)?.json === file) fileSha1.set(id, sha1);
    checkLicense(file.licenseConcluded, `${at}/licenseConcluded`);
    checkLicenseList(file.licenseInfoInFiles, `${at}/licenseInfoInFiles`);
    checkAnnotations(file.annotations, `${at}/annotations`, findings);
  }
  const fileNames = new Map<string, string>();
  for (const [, file] of objects(root.files)) {
    const id = str(file.SPDXID);
    const name = str(file.fileName);
    if (id && name) fileNames.set(id, name.replace(/^\.\//, ''));
  }

  for (const [i, snippet] of objects(root.snippets)) {
    const at = `/snippets/${i}`;
    const from = str(snippet.snippetFromFile);
    if (from !== undefined) resolve(from, `${at}/snippetFromFile`, { kind: 'file' });
    for (const [j, range] of objects(snippet.ranges)) {
      for (const end of ['startPointer', 'endPointer'] as const) {
        const reference = str(objectAt(range[end])?.reference);
        if (reference !== undefined) resolve(reference, `${at}/ranges/${j}/${end}/reference`, { kind: 'file' });
        if (reference !== undefined && from !== undefined && reference !== from) {
          findings.error(
            `${at}/ranges/${j}/${end}/reference`,
            `a snippet's range must point into its own file ${JSON.stringify(from)}; found ${JSON.stringify(reference)}`,
          );
        }
      }
      // Pointers count from 1 and the range includes both ends, so a range never runs backwards.
      for (const key of ['offset', 'lineNumber'] as const) {
        const start = objectAt(range.startPointer)?.[key];
        const stop = objectAt(range.endPointer)?.[key];
        if (typeof start === 'number' && typeof stop === 'number' && (start < 1 || stop < start)) {
          findings.error(`${at}/ranges/${j}`, `${key} range ${start}-${stop} is empty or starts before 1`);
        }
      }
    }
    checkLicense(snippet.licenseConcluded, `${at}/licenseConcluded`);
    checkLicenseList(snippet.licenseInfoInSnippets, `${at}/licenseInfoInSnippets`);
  }

  for (const [i, pkg] of objects(root.packages)) {
    const at = `/packages/${i}`;
    const id = str(pkg.SPDXID);
    for (const [j, checksum] of objects(pkg.checksums)) checkChecksum(checksum, `${at}/checksums/${j}`, findings);
    checkLicense(pkg.licenseConcluded, `${at}/licenseConcluded`);
    checkLicense(pkg.licenseDeclared, `${at}/licenseDeclared`);
    checkLicenseList(pkg.licenseInfoFromFiles, `${at}/licenseInfoFromFiles`);
    for (const field of ['builtDate', 'releaseDate', 'validUntilDate'] as const) {
      if (pkg[field] !== undefined) checkDate(pkg[field], `${at}/${field}`, findings);
    }
    checkAnnotations(pkg.annotations, `${at}/annotations`, findings);
    checkExternalRefs(pkg.externalRefs, `${at}/externalRefs`, findings);

    // Files the package holds: CONTAINS relationships, and the deprecated hasFiles.
    const contained = id !== undefined && elements.get(id)?.json === pkg ? (containedFiles.get(id) ?? []) : [];
    const hasFiles = strings(pkg.hasFiles).map(([j, fileId]) => ({ fileId, at: `${at}/hasFiles/${j}` }));
    for (const { fileId, at: where } of hasFiles) resolve(fileId, where, { kind: 'file' });
    const members = [...contained, ...hasFiles].filter(({ fileId }) => fileSha1.has(fileId));

    const code = objectAt(pkg.packageVerificationCode);
    if (pkg.filesAnalyzed === false) {
      for (const { at: where } of [...contained, ...hasFiles]) {
        findings.error(where, `package ${id ?? at} has filesAnalyzed: false, so it must contain no files; found a file here`);
      }
      if (code) findings.error(`${at}/packageVerificationCode`, 'expected no packageVerificationCode when filesAnalyzed is false; found one');
      continue;
    }
    const recorded = str(code?.packageVerificationCodeValue);
    if (recorded === undefined) continue;
    const codeAt = `${at}/packageVerificationCode/packageVerificationCodeValue`;
    if (!/^[0-9a-fA-F]{40}$/.test(recorded)) {
      findings.error(codeAt, `expected 40 hex digits (a SHA-1); found ${JSON.stringify(recorded)}`);
      continue;
    }
    const excluded = new Set(strings(code?.packageVerificationCodeExcludedFiles).map(([, name]) => name.replace(/^\.\//, '')));
    const unique = new Set(members.map((m) => m.fileId));
    const sha1s: string[] = [];
    let complete = true;
    for (const fileId of unique) {
      if (excluded.has(fileNames.get(fileId) ?? '')) continue;
      const sha1 = fileSha1.get(fileId);
      if (sha1 === undefined)
        complete = false; // reported on the file already
      else sha1s.push(sha1.toLowerCase());
    }
    if (!complete) continue;
    if (unique.size === 0 && recorded.toLowerCase() !== EMPTY_SHA1) {
      findings.warn(codeAt, "cannot check the verification code: the document lists none of the package's files");
      continue;
    }
    const computed = createHash('sha1').update(sha1s.sort().join('')).digest('hex');
    if (computed === recorded.toLowerCase()) continue;
    const message =
      `verification code does not match the package's files: expected ${computed} ` +
      `(SHA-1 of the sorted SHA-1s of the ${sha1s.length} file(s) it contains); found ${recorded}`;
    // SBOM generators (python.org's release tools, CPython's generate_sbom.py, ours, syft) attach
    // every file of a package with CONTAINS relationships, so there a mismatch is a real fault.
    // hasFiles (deprecated in 2.3) is how the SPDX specification's own examples attach a sample of
    // a package's files, with a placeholder code: where it is used, a mismatch is only a warning.
    if (hasFiles.length === 0) findings.error(codeAt, message);
    else findings.warn(codeAt, `${message}; the package lists files with hasFiles, which may name only some of them`);
  }
}

/**
 * Identifiers scanners match on: a `purl` must parse as a package URL, a `cpe23Type` as a CPE 2.3
 * formatted string and a `cpe22Type` as a CPE 2.2 URI. Other reference types are free text.
 */
function checkExternalRefs(value: unknown, at: string, findings: Findings): void {
  for (const [j, ref] of objects(value)) {
    const locator = str(ref.referenceLocator);
    if (locator === undefined) continue;
    const type = str(ref.referenceType);
    const problem =
      type === 'purl' ? purlProblem(locator) : type === 'cpe23Type' ? cpe23Problem(locator) : type === 'cpe22Type' ? cpe22Problem(locator) : undefined;
    if (problem) findings.error(`${at}/${j}/referenceLocator`, problem);
  }
}

function objectAt(value: unknown): Json | undefined {
  return isObject(value) ? value : undefined;
}

/** Checks algorithm/value; returns the lower-case value when it is well formed. */
function checkChecksum(value: unknown, at: string, findings: Findings): string | undefined {
  if (!isObject(value)) return undefined;
  const algorithm = str(value.algorithm);
  const digest = str(value.checksumValue);
  if (algorithm === undefined || digest === undefined) return undefined;
  if (!/^[0-9a-fA-F]+$/.test(digest)) {
    findings.error(`${at}/checksumValue`, `expected a hexadecimal ${algorithm} digest; found ${JSON.stringify(digest)}`);
    return undefined;
  }
  const expected = DIGEST_HEX_LENGTH[algorithm];
  if (expected !== undefined && digest.length !== expected) {
    findings.error(`${at}/checksumValue`, `expected ${expected} hex digits for ${algorithm}; found ${digest.length}`);
    return undefined;
  }
  return digest.toLowerCase();
}

function checkAnnotations(value: unknown, at: string, findings: Findings): void {
  for (const [i, annotation] of objects(value)) {
    if (annotation.annotationDate !== undefined) checkDate(annotation.annotationDate, `${at}/${i}/annotationDate`, findings);
  }
}

/** SPDX dates are ISO 8601 in UTC to the second, exactly `YYYY-MM-DDThh:mm:ssZ`. */
function checkDate(value: unknown, at: string, findings: Findings): void {
  if (typeof value !== 'string') return; // missing or mistyped: the schema says so
  const match = DATE_RE.exec(value);
  const expected = 'expected an ISO 8601 UTC time "YYYY-MM-DDThh:mm:ssZ"';
  if (!match) {
    findings.error(at, `${expected}; found ${JSON.stringify(value)}`);
    return;
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    findings.error(at, `${expected} naming a real moment; found ${JSON.stringify(value)}`);
  }
}
