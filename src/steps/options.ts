import { InputError } from '../errors.js';
import { applyLicenseListVersion } from '../license/list-compat.js';
import { assignDocumentIdentity } from '../model/namespace.js';
import type { StepAction } from './types.js';
import { pushAll } from '../util/arrays.js';

/**
 * Steps that flags of `generate` ask for and that work on any subject's document.
 */

/**
 * `--creator`: SPDX creators besides the tool (`Organization: X`, `Person: Y (email)`), in place of
 * any other default creator (the complete profile's PSF).
 */
export function creatorsStep(creators: readonly string[]): StepAction {
  const parsed = creators.map(parseCreator);
  return {
    name: 'creators',
    wants: () => false,
    apply({ document }) {
      document.creators = [...document.creators.filter((creator) => creator.startsWith('Tool:')), ...parsed];
    },
  };
}

/**
 * Version drift between Misc/sbom.spdx.json and the vendored sources: a warning, or with
 * `--strict` a finding (exit 1, nothing written). Runs for every subject and profile.
 */
export function driftStep(strict: boolean): StepAction {
  return {
    name: strict ? 'strict' : 'drift',
    wants: () => false,
    apply(context) {
      if (strict) pushAll(context.findings, context.driftFindings);
      else
        pushAll(
          context.warnings,
          context.driftFindings.map((finding) => finding.message),
        );
      context.driftFindings = [];
    },
  };
}

/** `--creator`: an SPDX creator, `Organization: NAME`, `Person: NAME (EMAIL)` or `Tool: NAME`. */
export function parseCreator(value: string): string {
  // The name trimmed in code: a lazy group between two `\s*` backtracks quadratically.
  const head = /^\s*(Organization|Person|Tool)\s*:/.exec(value);
  const name = head ? value.slice(head[0].length).trim() : '';
  const match = head && name !== '' && !/[\n\r\u2028\u2029]/.test(name) ? [head[0], head[1], name] : undefined;
  if (!match) throw new InputError(`--creator: expected 'Organization: NAME', 'Person: NAME (EMAIL)' or 'Tool: NAME', got '${value}'`);
  return `${match[1]}: ${match[2]}`;
}

/**
 * `--license-list-version X.Y`: ids newer than that SPDX license list become `LicenseRef-` ids
 * carrying their text, so a validator with the older list accepts the document; the document
 * declares X.Y. Runs after every step that writes a license.
 */
export function licenseListStep(version: string): StepAction {
  return {
    name: 'license-list-version',
    wants: () => false,
    apply(context) {
      const replaced = applyLicenseListVersion(context.document, version);
      if (replaced.length > 0) {
        context.notes.push(`--license-list-version ${version}: written as LicenseRef- with their text (newer than list ${version}): ${replaced.join(', ')}`);
      }
    },
  };
}

/**
 * The complete profile's identity: a `documentNamespace` (and the CycloneDX serial number derived
 * from it) that follows the document's content and profile, so two different documents of one
 * release never share a key in an SBOM store. Runs once the content is final, before VEX
 * statements (the `vex` command's documents name the SBOM by it). An overlay's `namespace:` is kept.
 */
export function documentIdentityStep(profile: 'complete' | 'python.org'): StepAction {
  return {
    name: 'document-identity',
    wants: () => false,
    apply(context) {
      const label = context.windows?.fileName ?? context.detect.scan.artifact?.fileName ?? context.detect.scan.rootName;
      assignDocumentIdentity(context.document, { profile, label, explicit: context.namespaceChosen === true });
    },
  };
}
