/**
 * What each compliance policy requires, as data: the elements named as the public text names
 * them, whether each applies to the document or to every component, and the check (elements.ts)
 * that decides it. Element ids are stable (`validate --format json` reports them).
 *
 * Sources:
 * - NTIA, "The Minimum Elements For a Software Bill of Materials (SBOM)", 2021: the data fields.
 * - CISA, "2025 Minimum Elements for a Software Bill of Materials (SBOM)" (public comment draft,
 *   August 2025): the data fields, which add component hash, license, tool name and generation
 *   context to NTIA's and rename supplier to software producer.
 * - BSI TR-03183-2 "Cyber Resilience Requirements for Manufacturers and Products, Part 2: SBOM",
 *   version 2.1.0 (2025-08-20): §4 formats, §5.2.1 SBOM fields, §5.2.2 component fields, and that
 *   an SBOM carries no vulnerability information.
 * - OWASP SCVS 1.0, level 1: the controls of V1, V2, V3, V5 and V6 that a BOM itself can show.
 */
import type { ComponentCheckName, DocumentCheckName } from './elements.js';
import type { PolicyId } from './types.js';

export interface PolicyElement {
  id: string;
  /** The element as the standard names it. */
  name: string;
  scope: 'document' | 'component';
  check: DocumentCheckName | ComponentCheckName;
}

export interface PolicyDefinition {
  id: PolicyId;
  standard: string;
  /**
   * Which model entries are components: SPDX packages (the NTIA, CISA and BSI texts and
   * ntia-conformance-checker), or packages and snippets (SCVS's inventory is every component a
   * CycloneDX BOM lists, and our snippets are `library` components there).
   */
  snippets: boolean;
  /** Leave out components the build does not use (`scope: excluded`), as SCVS's inventory does. */
  skipExcluded: boolean;
  elements: PolicyElement[];
}

const doc = (id: string, name: string, check: DocumentCheckName): PolicyElement => ({ id, name, scope: 'document', check });
const each = (id: string, name: string, check: ComponentCheckName): PolicyElement => ({ id, name, scope: 'component', check });

export const POLICIES: ReadonlyMap<PolicyId, PolicyDefinition> = new Map<PolicyId, PolicyDefinition>([
  [
    'ntia',
    {
      id: 'ntia',
      standard: 'NTIA Minimum Elements for a Software Bill of Materials (2021)',
      snippets: false,
      skipExcluded: false,
      elements: [
        each('supplier-name', 'Supplier Name', 'supplier'),
        each('component-name', 'Component Name', 'name'),
        each('component-version', 'Version of the Component', 'version'),
        each('other-unique-identifiers', 'Other Unique Identifiers', 'identifier'),
        doc('dependency-relationship', 'Dependency Relationship', 'describesComponent'),
        each('component-dependency-relationship', 'Dependency Relationship', 'dependency'),
        doc('author', 'Author of SBOM Data', 'author'),
        doc('timestamp', 'Timestamp', 'timestamp'),
      ],
    },
  ],
  [
    'cisa-2025',
    {
      id: 'cisa-2025',
      standard: 'CISA 2025 Minimum Elements for a Software Bill of Materials (August 2025 draft)',
      snippets: false,
      skipExcluded: false,
      elements: [
        doc('sbom-author', 'SBOM Author', 'authorEntity'),
        each('software-producer', 'Software Producer', 'producer'),
        each('component-name', 'Component Name', 'name'),
        each('component-version', 'Component Version', 'version'),
        each('software-identifiers', 'Software Identifiers', 'identifier'),
        each('component-hash', 'Component Hash', 'hash'),
        each('license', 'License', 'license'),
        doc('dependency-relationship', 'Dependency Relationship', 'describesComponent'),
        each('component-dependency-relationship', 'Dependency Relationship', 'dependency'),
        doc('tool-name', 'Tool Name', 'toolName'),
        doc('timestamp', 'Timestamp', 'timestamp'),
        doc('generation-context', 'Generation Context', 'generationContext'),
      ],
    },
  ],
  [
    'bsi-tr-03183-2',
    {
      id: 'bsi-tr-03183-2',
      standard: 'BSI TR-03183-2 v2.1.0 (2025-08-20), required fields',
      snippets: false,
      skipExcluded: false,
      elements: [
        doc('format', 'SBOM format: CycloneDX 1.6+ or SPDX 3.0.1+ (§4)', 'bsiFormat'),
        doc('sbom-creator', 'Creator of the SBOM (§5.2.1)', 'authorContact'),
        doc('timestamp', 'Timestamp (§5.2.1)', 'timestamp'),
        doc('sbom-uri', 'SBOM-URI (§5.2.1)', 'uniqueIdentifier'),
        doc('no-vulnerabilities', 'No vulnerability information (§3.1)', 'noVulnerabilities'),
        each('component-creator', 'Component creator (§5.2.2)', 'creatorContact'),
        each('component-name', 'Component name (§5.2.2)', 'name'),
        each('component-version', 'Component version (§5.2.2)', 'version'),
        each('filename', 'Filename of the component (§5.2.2)', 'filename'),
        each('dependencies', 'Dependencies on other components (§5.2.2)', 'dependency'),
        each('distribution-licences', 'Distribution licences (§5.2.2)', 'concludedLicense'),
        each('hash-sha512', 'Hash value of the deployable component, SHA-512 (§5.2.2)', 'hashSha512'),
        each('executable', 'Executable property (§5.2.2)', 'executable'),
        each('archive', 'Archive property (§5.2.2)', 'archive'),
        each('structured', 'Structured property (§5.2.2)', 'structured'),
        each('source-code-uri', 'Source code URI (§5.2.2)', 'sourceUri'),
        each('deployable-uri', 'URI of the deployable form of the component (§5.2.2)', 'deployableUri'),
        each('other-identifiers', 'Other unique identifiers (§5.2.2)', 'identifier'),
        each('original-licences', 'Original licences (§5.2.2)', 'declaredLicense'),
      ],
    },
  ],
  [
    'scvs-l1',
    {
      id: 'scvs-l1',
      standard: 'OWASP Software Component Verification Standard 1.0, level 1 (BOM controls)',
      snippets: true,
      skipExcluded: true,
      elements: [
        each('SCVS-1.1', 'All components and their versions are known', 'version'),
        doc('SCVS-1.3', 'Machine-readable inventory of third-party components', 'machineReadable'),
        each('SCVS-1.7', 'Components are uniquely identified in a consistent, machine-readable format', 'identifier'),
        doc('SCVS-2.1', 'A structured, machine-readable SBOM format is present', 'machineReadable'),
        doc('SCVS-2.3', 'Each SBOM has a unique identifier', 'uniqueIdentifier'),
        doc('SCVS-2.7', 'SBOM is timestamped', 'timestamp'),
        doc('SCVS-2.9', 'SBOM contains a complete and accurate inventory (a dependency graph)', 'dependencyGraph'),
        each('SCVS-2.12', 'Component identifiers are derived from their native ecosystems', 'validPurl'),
        each('SCVS-2.14', 'Components have license information', 'license'),
        each('SCVS-3.18', 'Checksums of all components are documented', 'hash'),
        doc('SCVS-5.11', 'Component quantity is identified', 'hasComponents'),
        doc('SCVS-5.12', 'Component licenses are identified (at least half the components)', 'licenseCoverage'),
        each('SCVS-6.3', 'Provenance of modified components is known and documented', 'pedigree'),
      ],
    },
  ],
]);
