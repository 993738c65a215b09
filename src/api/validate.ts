import { InputError } from '../errors.js';
import { type ValidationIssue, validateFile, validateText } from '../validate/index.js';

export type { ValidationIssue };

/** A document to validate: a file path, or text already in memory (`name` labels it in results). */
export type ValidateInput = string | { text: string; name?: string };

export interface ValidateResult {
  /** The path, or the `name` given with text. */
  file: string;
  /** `spdx-2.3-json`, `cyclonedx-1.6-json`, `cyclonedx-1.6-xml`, … */
  format: string;
  valid: boolean;
  /** Each finding names its place: a JSON pointer or an XML element path. */
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
}

/**
 * Checks one SPDX 2.2/2.3 JSON or CycloneDX 1.2–1.7 JSON/XML document against its official schema
 * and the semantic checks; the format comes from the content. An invalid document is a result
 * (`valid: false`); an unreadable one (missing, not JSON or XML, neither SPDX nor CycloneDX)
 * throws an InputError.
 */
export async function validate(input: ValidateInput): Promise<ValidateResult> {
  const checked = typeof input === 'string' ? await validateFile(input) : await validateText(input.text, input.name ?? '<text>');
  if (checked.unreadable) throw new InputError(checked.errors[0]?.message ?? `${checked.file}: unreadable`);
  const { file, format, valid, errors, warnings } = checked;
  return { file, format, valid, errors, warnings };
}
