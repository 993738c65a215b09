import { recordSourcesVersion } from '../detect/drift.js';
import type { CompleteStep } from './index.js';

/**
 * The complete profile describes the tree as it is: a component whose vendored sources declare
 * another version than Misc/sbom.spdx.json takes the sources' version, identifiers and download
 * location (python.org's profile keeps the manifest's word). Drift is still reported.
 */
export function sourcesVersionStep(): CompleteStep {
  return {
    name: 'sources-version',
    wants: () => false,
    apply(context) {
      for (const entry of context.drift) recordSourcesVersion(entry);
    },
  };
}
