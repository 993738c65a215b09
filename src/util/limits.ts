/**
 * The bounds every reader of untrusted documents holds to. They are documented in the README
 * ("Limits"); a document past one is refused with one line naming the file, never half-read.
 */

/** Largest SBOM file read (bytes on disk, or from standard input). */
export const MAX_DOCUMENT_BYTES = 256 * 1024 * 1024;
/** Largest size a gzip-compressed SBOM may inflate to. */
export const MAX_INFLATED_BYTES = 256 * 1024 * 1024;
/** Deepest nesting of JSON arrays/objects, or of XML elements, in any document read. */
export const MAX_NESTING_DEPTH = 100;
