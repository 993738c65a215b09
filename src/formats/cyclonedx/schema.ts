/**
 * Schema validation of CycloneDX text against the schemas bundled in @cyclonedx/cyclonedx-library.
 *
 * JSON: the library's JsonStrictValidator compiles the right schema with Ajv, but Ajv checks
 * `uniqueItems` by comparing every pair of components: 2.3–4.6 s for a 5,000-file CPython SBOM
 * (measured). So JSON goes through `validate/cyclonedx-json-schema.ts`, which compiles the same
 * schema files with the same Ajv options and formats and checks `uniqueItems` linearly (one
 * implementation in the tree, shared with the `validate` command).
 * XML: the library's XmlValidator needs libxmljs2, a native module that downloads binaries at
 * install time, so XML goes through `xmllint-wasm` (libxml2 compiled to WebAssembly, installed
 * from npm alone) with the library's XSDs: `bom-1.x.SNAPSHOT.xsd` plus the `spdx.SNAPSHOT.xsd`
 * it imports.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { validateXML, memoryPages } from 'xmllint-wasm';
import { validateCycloneDxJsonSchema } from './json-schema.js';
import { parseJsonBounded } from '../../util/bounded-json.js';
import { oneLine } from '../../util/one-line.js';
import { JSON_CYCLONEDX_VERSIONS, XML_CYCLONEDX_VERSIONS, cycloneDxRow, versionRange } from './versions.js';

export interface SchemaError {
  /** JSON pointer (`/components/3/hashes/0/content`) or XML element path with line (`/bom/components[1]/component[4] (line 52)`). */
  path: string;
  message: string;
}

const SCHEMA_DIR = join(dirname(createRequire(import.meta.url).resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
const JSON_VERSIONS = new Set(JSON_CYCLONEDX_VERSIONS);
const XML_VERSIONS = new Set(XML_CYCLONEDX_VERSIONS);

/** Validates CycloneDX text of the given kind against the official schema of `specVersion`. */
export async function validateCycloneDxSchema(text: string, kind: 'json' | 'xml', specVersion: string): Promise<SchemaError[]> {
  return kind === 'json' ? validateJson(text, specVersion) : validateXml(text, specVersion);
}

// ---------------------------------------------------------------------------------------------- JSON

async function validateJson(text: string, specVersion: string): Promise<SchemaError[]> {
  if (!JSON_VERSIONS.has(specVersion)) {
    return [{ path: '/specVersion', message: `no CycloneDX JSON schema for version '${specVersion}' (${versionRange(JSON_CYCLONEDX_VERSIONS)} exist)` }];
  }
  let json: unknown;
  try {
    json = parseJsonBounded(text, 'document', 'not JSON');
  } catch (error) {
    return [{ path: '', message: oneLine((error as Error).message.replace(/^document: /, '')) }];
  }
  return validateCycloneDxJsonSchema(json, specVersion);
}

// ----------------------------------------------------------------------------------------------- XML

const xsdCache = new Map<string, Promise<string>>();

/** XML documents larger than this (characters) are validated with xmllint --stream. */
const STREAM_ABOVE = 8 * 1024 * 1024;

function readSchema(name: string): Promise<string> {
  let content = xsdCache.get(name);
  if (!content) {
    content = readFile(join(SCHEMA_DIR, name), 'utf8');
    xsdCache.set(name, content);
  }
  return content;
}

async function validateXml(text: string, specVersion: string): Promise<SchemaError[]> {
  return (await startXmlSchemaCheck(text, specVersion)).errors;
}

/**
 * Starts the XSD check of CycloneDX XML. Resolves once xmllint's thread has been handed its copy
 * of the text, with the promise of the errors: a caller can then run synchronous work of its own
 * (reading the element tree) while xmllint runs. (The result is wrapped so the inner promise is
 * not flattened into the outer one.)
 */
export async function startXmlSchemaCheck(text: string, specVersion: string): Promise<{ errors: Promise<SchemaError[]> }> {
  if (!XML_VERSIONS.has(specVersion)) {
    return {
      errors: Promise.resolve([
        { path: '/bom', message: `no CycloneDX XML schema for version '${specVersion}' (${versionRange(XML_CYCLONEDX_VERSIONS)} exist)` },
      ]),
    };
  }
  const xsd = (cycloneDxRow(specVersion) as { xsd: string }).xsd;
  const [bomXsd, spdxXsd] = await Promise.all([readSchema(xsd), readSchema('spdx.SNAPSHOT.xsd')]);
  // From here on synchronous up to validateXML's postMessage: the thread has the text on return.
  const running = validateXML({
    xml: [{ fileName: 'bom.xml', contents: text }],
    schema: [{ fileName: xsd, contents: bomXsd }],
    preload: [{ fileName: 'spdx.SNAPSHOT.xsd', contents: spdxXsd }],
    // A 5,000-file document is a few MB; the default 32 MiB ceiling is too tight for libxml2's tree.
    maxMemoryPages: memoryPages.GiB,
    // Past a few MB, libxml2's tree of the whole document costs ten times its size (a 33 MB,
    // 100,000-file document took ~450 MB); its streaming reader validates the same schema in
    // constant memory. Small documents keep the tree, whose messages the path mapping below knows.
    ...(text.length > STREAM_ABOVE ? { stream: true } : {}),
  });
  return { errors: xmlErrors(text, running) };
}

async function xmlErrors(text: string, running: ReturnType<typeof validateXML>): Promise<SchemaError[]> {
  let result: Awaited<ReturnType<typeof validateXML>>;
  try {
    result = await running;
  } catch (error) {
    // xmllint gives up on some documents without a located error (a single text or attribute
    // value past libxml2's 10 MB limit, say): the document is refused, as invalid, in one line.
    const said = oneLine(
      String((error as Error).message ?? error)
        .replace(/\\n/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
      200,
    );
    return [{ path: '/bom', message: `the XML parser could not read the document (${said}); a single text or attribute value longer than 10 MB is one cause` }];
  }
  if (result.valid) return [];
  // xmllint follows a parser error with the offending source line and a caret line, which come
  // back as errors without a location: keep only located ones when there are any.
  const located = result.errors.filter((error) => error.loc !== null);
  const errors = (located.length > 0 ? located : result.errors).map((error) => ({
    line: error.loc?.lineNumber,
    element: /Element '(?:\{[^}]*\})?([^']+)'/.exec(error.message)?.[1],
    message: error.message.replace(/^.*?(?:Schemas validity error|parser error)\s*:\s*/, '').trim(),
  }));
  const paths = elementPaths(text, new Set(errors.flatMap((error) => (error.line === undefined ? [] : [error.line]))));
  return errors.map(({ line, element, message }) => {
    if (line === undefined) return { path: '', message };
    const onLine = paths.get(line);
    const path = (element === undefined ? undefined : onLine?.byName.get(element)) ?? onLine?.first;
    return { path: path ? `${path} (line ${line})` : `line ${line}`, message };
  });
}

const TAG =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;

/** The paths of the elements starting on one line: the first, and the first of each name. */
interface LinePaths {
  first: string;
  byName: Map<string, string>;
}

/**
 * Element paths (`/bom/components[1]/component[3]/hashes[1]`) of the elements that start on the
 * given lines, in one scan over the tags, so that xmllint's line numbers say which element is meant.
 */
function elementPaths(text: string, lines: ReadonlySet<number>): Map<number, LinePaths> {
  const found = new Map<number, LinePaths>();
  if (lines.size === 0) return found;
  // A loop, not Math.max(...lines): spreading 100,000+ line numbers overflows the stack.
  let last = 0;
  for (const line of lines) if (line > last) last = line;
  const stack: { segment: string; counts: Map<string, number> }[] = [{ segment: '', counts: new Map() }];
  let line = 1;
  let scanned = 0;
  const tag = new RegExp(TAG.source, 'g');
  for (let match = tag.exec(text); match; match = tag.exec(text)) {
    for (let i = text.indexOf('\n', scanned); i !== -1 && i < match.index; i = text.indexOf('\n', i + 1)) line++;
    scanned = match.index;
    if (line > last) break;
    const qname = match[2];
    if (qname === undefined) continue;
    if (match[1] === '/') {
      if (stack.length > 1) stack.pop();
      continue;
    }
    const name = qname.slice(qname.indexOf(':') + 1);
    const parent = stack[stack.length - 1] as (typeof stack)[number];
    const index = (parent.counts.get(name) ?? 0) + 1;
    parent.counts.set(name, index);
    const segment = stack.length === 1 ? name : `${name}[${index}]`;
    if (lines.has(line)) {
      // Only the first element of each name on a line is ever asked for: a minified document on
      // one line keeps one path per name, not one per element.
      let onLine = found.get(line);
      if (!onLine?.byName.has(name)) {
        const path = `/${[...stack.slice(1).map((entry) => entry.segment), segment].join('/')}`;
        if (!onLine) found.set(line, (onLine = { first: path, byName: new Map() }));
        onLine.byName.set(name, path);
      }
    }
    if (match[4] !== '/') stack.push({ segment, counts: new Map() });
  }
  return found;
}
