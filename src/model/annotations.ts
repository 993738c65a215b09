/**
 * How an SPDX annotation marks a package the build does not use (SPDX 2.3 has no scope field):
 * whoever marks a package excluded (an overlay, the Windows build) writes it, and the SPDX reader
 * maps it back to `scope: 'excluded'`.
 */
export const EXCLUDED_ANNOTATION = 'Excluded: ';

export function isExclusionAnnotation(comment: string): boolean {
  return comment.startsWith(EXCLUDED_ANNOTATION);
}
