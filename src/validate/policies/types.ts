import type { SbomDocument } from '../../model/types.js';

/** The compliance policies `validate --policy` knows (CONTRACT names). */
export const POLICY_IDS = ['ntia', 'cisa-2025', 'bsi-tr-03183-2', 'scvs-l1'] as const;
export type PolicyId = (typeof POLICY_IDS)[number];

/** What a policy looks at: the format-free document plus the few facts only the format carries. */
export interface PolicySubject {
  document: SbomDocument;
  /** `spdx` or `cyclonedx`, and the spec version the document declares (`2.3`, `1.6`). */
  family: 'spdx' | 'cyclonedx';
  specVersion: string;
  /** CycloneDX `serialNumber` (SPDX documents are identified by their namespace). */
  serialNumber?: string;
  /** How many vulnerability entries the document carries (CycloneDX `vulnerabilities`), read or not. */
  vulnerabilityCount?: number;
}

/** One element a policy requires that the document or a component lacks. */
export interface PolicyFinding {
  /** The element's id in the policy (`component-version`, `SCVS-1.1`). */
  element: string;
  /** The element as the standard names it (`Version of the Component`). */
  name: string;
  /** The component that lacks it; absent for a document-level element. */
  component?: { ref: string; name: string };
  message: string;
}

export interface PolicyReport {
  policy: PolicyId;
  /** The standard and its version (`NTIA Minimum Elements for an SBOM (2021)`). */
  standard: string;
  /** True when no element is missing. */
  pass: boolean;
  /** How many elements were checked, and on how many components. */
  elements: number;
  components: number;
  findings: PolicyFinding[];
}
