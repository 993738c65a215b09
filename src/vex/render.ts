/**
 * VEX documents of their own (as opposed to statements embedded in an SBOM by
 * `generate --advisories`): CycloneDX through the same writer as SBOMs, OpenVEX as its schema
 * has it. Both are validated before they are handed back.
 */
import { createHash } from 'node:crypto';
import { PackageURL } from 'packageurl-js';
import { writeCycloneDx } from '../formats/cyclonedx/write.js';
import type { Package, SbomDocument, VulnerabilityStatement } from '../model/types.js';
import { vulnerabilityIdSource } from '../model/vulnerability-ids.js';
import { validateText } from '../validate/index.js';
import type { ValidationIssue } from '../formats/schema/issues.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { validateOpenVex } from './openvex-schema.js';

export const VEX_FORMATS = ['cyclonedx-json', 'openvex'] as const;
export type VexFormat = (typeof VEX_FORMATS)[number];

/** File name suffixes, after the artifact's name as for SBOMs (`Python-3.13.15.tar.xz.vex.cdx.json`). */
export const VEX_SUFFIX: Record<VexFormat, string> = { 'cyclonedx-json': '.vex.cdx.json', openvex: '.openvex.json' };

export const OPENVEX_CONTEXT = 'https://openvex.dev/ns/v0.2.0';

/** A digest of the statements: a document with other statements is another document. */
function statementsDigest(statements: readonly VulnerabilityStatement[]): string {
  return createHash('sha256').update(JSON.stringify(statements)).digest('hex').slice(0, 16);
}

/** What identifies a package across tools, without its files, evidence or licenses. */
function identity(pkg: Package, refs: ReadonlySet<string>): Package {
  return {
    ref: pkg.ref,
    name: pkg.name,
    version: pkg.version,
    ...(pkg.purpose ? { purpose: pkg.purpose } : {}),
    ...(pkg.supplier ? { supplier: pkg.supplier } : {}),
    ...(pkg.downloadLocation ? { downloadLocation: pkg.downloadLocation } : {}),
    ...(pkg.packageFileName ? { packageFileName: pkg.packageFileName } : {}),
    checksums: { ...pkg.checksums },
    ...(pkg.purl ? { purl: pkg.purl } : {}),
    ...(pkg.cpe ? { cpe: pkg.cpe } : {}),
    files: [],
    dependsOn: pkg.dependsOn.filter((ref) => refs.has(ref)),
  };
}

/**
 * The document a CycloneDX VEX describes: the SBOM's primary package (CPython) as metadata
 * component and the components statements name, by their SBOM bom-refs and purls; no files.
 */
export function vexDocument(sbom: SbomDocument, statements: readonly VulnerabilityStatement[]): SbomDocument {
  const primary = sbom.describes[0];
  const refs = new Set<string>([...(primary ? [primary] : []), ...statements.flatMap((statement) => statement.affects)]);
  const packages = sbom.packages.filter((pkg) => refs.has(pkg.ref)).map((pkg) => identity(pkg, refs));
  return {
    name: `${sbom.name.replace(/ SBOM$/, '')} VEX`,
    namespace: `${sbom.namespace}#vex-${statementsDigest(statements)}`,
    created: sbom.created,
    creators: sbom.creators.filter((creator) => creator.startsWith('Tool:')),
    dataLicense: sbom.dataLicense || 'CC0-1.0',
    describes: primary ? [primary] : [],
    packages,
    files: [],
    relationships: [],
    annotations: [],
    ...(sbom.manufacturer ? { manufacturer: sbom.manufacturer } : {}),
    vulnerabilities: structuredClone([...statements]),
  };
}

export function renderCycloneDxVex(sbom: SbomDocument, statements: readonly VulnerabilityStatement[], specVersion: '1.6' | '1.7' = '1.6'): string {
  return writeCycloneDx(vexDocument(sbom, statements), { format: 'json', specVersion });
}

/** A purl without qualifiers or subpath: what scanners compare (a VEX purl's qualifiers must all match). */
export function barePurl(purl: string): string {
  try {
    const parsed = PackageURL.fromString(purl);
    return new PackageURL(parsed.type, parsed.namespace, parsed.name, parsed.version, undefined, undefined).toString();
  } catch {
    return purl;
  }
}

interface OpenVexComponent {
  '@id'?: string;
  identifiers?: { purl?: string; cpe23?: string };
}

function openVexComponent(pkg: Package): OpenVexComponent | undefined {
  const purl = pkg.purl ? barePurl(pkg.purl) : undefined;
  const identifiers = { ...(purl ? { purl } : {}), ...(pkg.cpe ? { cpe23: pkg.cpe } : {}) };
  if (!purl && !pkg.cpe) return undefined;
  return { ...(purl ? { '@id': purl } : {}), identifiers };
}

/**
 * OpenVEX 0.2.0: one statement per VEX statement, the product CPython (by its purl without
 * qualifiers, as grype names a scanned SBOM's subject and as Trivy compares purls, and its CPE)
 * and the package the vulnerability is in as subcomponent (CPython itself, or a bundled
 * component), the evidence in `status_notes`.
 */
export function renderOpenVex(sbom: SbomDocument, statements: readonly VulnerabilityStatement[]): string {
  const byRef = new Map(sbom.packages.map((pkg) => [pkg.ref, pkg]));
  const primary = byRef.get(sbom.describes[0] ?? '');
  const product = primary ? openVexComponent(primary) : undefined;
  if (!primary || !product) throw new Error('vex: the described package has neither a purl nor a CPE');
  const document = {
    '@context': OPENVEX_CONTEXT,
    '@id': `${sbom.namespace}#openvex-${statementsDigest(statements)}`,
    author: TOOL_NAME,
    role: "automated: the tree's Misc/NEWS joined with an advisory database",
    timestamp: sbom.created,
    version: 1,
    tooling: `${TOOL_NAME} ${TOOL_VERSION}`,
    statements: statements.map((statement) => {
      const subcomponents = statement.affects
        .map((ref) => byRef.get(ref))
        .filter((pkg): pkg is Package => pkg !== undefined)
        .map(openVexComponent)
        .filter((component): component is OpenVexComponent => component !== undefined);
      const source = vulnerabilityIdSource(statement.id);
      return {
        vulnerability: {
          '@id': statement.source?.url ?? source.url,
          name: statement.id,
          ...(statement.aliases.length > 0 ? { aliases: [...new Set(statement.aliases)] } : {}),
        },
        products: [{ ...product, ...(subcomponents.length > 0 ? { subcomponents } : {}) }],
        status: statement.state,
        ...(statement.detail ? { status_notes: statement.detail } : {}),
        ...(statement.state === 'affected' ? { action_statement: 'Update to a release whose Misc/NEWS names the fix.' } : {}),
        ...(statement.state === 'not_affected' ? { impact_statement: statement.detail ?? 'not affected' } : {}),
      };
    }),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Schema (and, for CycloneDX, semantic) findings for a rendered VEX document; empty when valid. */
export async function validateVex(text: string, format: VexFormat): Promise<ValidationIssue[]> {
  if (format === 'openvex') return validateOpenVex(JSON.parse(text));
  const result = await validateText(text, 'vex.cdx.json');
  return result.errors;
}
