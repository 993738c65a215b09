/** The outcome of checking an SBOM's signature (kept free of Node types: it is part of the library's declarations). */
export interface SignatureCheck {
  ok: boolean;
  /** `jsf` (embedded in CycloneDX JSON) or `detached` (FILE.sig). */
  kind: 'jsf' | 'detached';
  algorithm?: string;
  /** The detached signature file that was read. */
  file?: string;
  /** Why it does not verify (or that there is no signature). */
  reason?: string;
}
