import type { StepAction, StepContext } from '../steps/types.js';
import { archivesStep } from './archives.js';
import { attributionStep } from './attribution.js';
import { fileEvidenceStep } from './file-evidence.js';
import { identityStep } from './identity.js';
import { licensesStep } from './licenses.js';
import { sourcesVersionStep } from './sources-version.js';
import { wheelMembersStep } from './wheel-members.js';

export type { LicenseSource } from '../steps/types.js';

/**
 * The complete profile: steps that add to the python.org-shaped model what the tree itself says
 * about its third-party code (the sources' versions, attribution from Doc/license.rst and the
 * catalog, what is inside the bundled wheels, licenses and copyrights from evidence, identifiers
 * for scanners). Each step is one module; they run in this order over the same scan, after
 * detection. generate/steps.ts says which subjects each applies to.
 */
export type CompleteContext = StepContext;
export type CompleteStep = StepAction;

/** The complete profile's steps, in the order they run. */
export function completeSteps(): CompleteStep[] {
  return [sourcesVersionStep(), attributionStep(), wheelMembersStep(), archivesStep(), licensesStep(), fileEvidenceStep(), identityStep()];
}
