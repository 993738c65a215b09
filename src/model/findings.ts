/**
 * A fact of the input that fails a check: the run exits 1 and, for `generate`, writes nothing.
 * One shape for every command; each names its own kinds (`version-drift`, `stale`, …).
 * Problems inside a document being validated are `ValidationIssue`s (formats/schema/issues.ts):
 * a place in a document and a message, not a fact of a tree.
 */
export interface Finding<Kind extends string = string> {
  kind: Kind;
  message: string;
  /** The component the finding is about, when there is one. */
  component?: string;
  /** The file the finding is about, when there is one. */
  path?: string;
}
