import { InputError } from '../errors.js';
import { type PolicyId, type PolicyReport, type ValidationIssue, validateFile, validateText } from '../validate/index.js';
import { parsePolicies } from '../validate/policies/index.js';
import { checkOptions } from './options.js';

export type { ValidationIssue };
export type { PolicyFinding, PolicyId, PolicyReport } from '../validate/index.js';
export { parsePolicies };

/** A document to validate: a file path, or text already in memory (`name` labels it in results). */
export type ValidateInput = string | { text: string; name?: string };

export interface ValidateOptions {
  /**
   * Compliance policies to hold the document to: `ntia`, `cisa-2025`, `bsi-tr-03183-2`,
   * `scvs-l1` (the command's repeatable `--policy`; comma-separated text is accepted too).
   */
  policy?: readonly string[];
}

export interface ValidateResult {
  /** The path, or the `name` given with text. */
  file: string;
  /** `spdx-2.3-json`, `cyclonedx-1.6-json`, `cyclonedx-1.6-xml`, … */
  format: string;
  valid: boolean;
  /** Each finding names its place: a JSON pointer or an XML element path. */
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
  /**
   * With `policy`: one report per policy, whose findings name the element and the component that
   * lacks it. A failed policy is a finding (the command exits 1) even when `valid` is true.
   */
  policies?: PolicyReport[];
}

/**
 * Checks one SPDX 2.2/2.3 JSON or CycloneDX 1.2–1.7 JSON/XML document against its official schema
 * and the semantic checks, and against the asked-for compliance policies; the format comes from
 * the content. An invalid document is a result (`valid: false`); an unreadable one (missing, not
 * JSON or XML, neither SPDX nor CycloneDX) throws an InputError, as does an unknown policy.
 */
export async function validate(input: ValidateInput, options: ValidateOptions = {}): Promise<ValidateResult> {
  if (typeof input !== 'string' || input === '') {
    const text = input !== null && typeof input === 'object' ? (input as { text?: unknown; name?: unknown }) : undefined;
    if (!text || typeof text.text !== 'string' || (text.name !== undefined && typeof text.name !== 'string')) {
      throw new InputError('validate: the input must be a path (a non-empty string) or { text: string, name?: string }');
    }
  }
  checkOptions('validate', options, { policy: 'strings' });
  const policies: PolicyId[] = parsePolicies(options.policy ?? []);
  const checked = typeof input === 'string' ? await validateFile(input, { policies }) : await validateText(input.text, input.name ?? '<text>', { policies });
  if (checked.unreadable) throw new InputError(checked.errors[0]?.message ?? `${checked.file}: unreadable`);
  const { file, format, valid, errors, warnings } = checked;
  return { file, format, valid, errors, warnings, ...(checked.policies ? { policies: checked.policies } : {}) };
}
