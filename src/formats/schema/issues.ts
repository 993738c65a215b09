/** One problem found in a document: where (JSON pointer or XML element path) and what. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** The contract's per-file object for `validate --format json`. */
export interface ValidationResult {
  file: string;
  /** `spdx-2.3`, `cyclonedx-1.6-json`, `cyclonedx-1.6-xml`, or `unknown` when unreadable. */
  format: string;
  valid: boolean;
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
}

/** Collects findings as checks run; checks never throw for a bad document. */
export class Findings {
  readonly errors: ValidationIssue[] = [];
  readonly warnings: ValidationIssue[] = [];
  error(path: string, message: string): void {
    this.errors.push({ path, message });
  }
  warn(path: string, message: string): void {
    this.warnings.push({ path, message });
  }
}
