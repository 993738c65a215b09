import { InputError } from '../errors.js';
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
      else pushAll(context.warnings, context.driftFindings.map((finding) => finding.message));
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
