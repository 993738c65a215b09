import type { DetectContext, Finding } from '../detect/types.js';
import type { LicenseEvidence, SbomDocument } from '../model/types.js';
import { archivesStep } from './archives.js';
import { attributionStep } from './attribution.js';
import { identityStep } from './identity.js';
import { licensesStep } from './licenses.js';
import { wheelMembersStep } from './wheel-members.js';

/** A text that may state a component's license: a license file, a file header, a Doc/license.rst section. */
export interface LicenseSource {
  text: string;
  /** Tree path the text was read from (a wheel member: `<wheel path>/<member path>`). */
  file: string;
  method: LicenseEvidence['method'];
}

/**
 * The complete profile: steps that add to the python.org-shaped model what the tree itself says
 * about its third-party code (attribution from Doc/license.rst and the catalog, licenses and
 * copyrights from evidence, what is inside the bundled wheels, identifiers for scanners).
 * Each step is one module; they run in this order over the same scan, after detection.
 */
export interface CompleteContext {
  document: SbomDocument;
  detect: DetectContext;
  cpythonVersion: string;
  /** Whether Misc/sbom.spdx.json was there. */
  hasManifest: boolean;
  findings: Finding[];
  warnings: string[];
  /**
   * Texts that may state each component's license, keyed by package or snippet ref. Steps that
   * find components add to it; the licenses step resolves them into `licenseDeclared` and evidence.
   */
  licenseSources: Map<string, LicenseSource[]>;
}

export interface CompleteStep {
  name: string;
  /** Files whose bytes the step needs from the scan. */
  wants(path: string): boolean;
  apply(context: CompleteContext): Promise<void> | void;
}

/** The complete profile's steps, in the order they run. */
export function completeSteps(): CompleteStep[] {
  return [
    attributionStep(),
    wheelMembersStep(),
    archivesStep(),
    licensesStep(),
    identityStep(),
  ];
}

export async function applyCompleteProfile(steps: CompleteStep[], context: CompleteContext): Promise<void> {
  for (const step of steps) await step.apply(context);
}
