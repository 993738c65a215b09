import { createHash } from 'node:crypto';
import type { SbomDocument } from './types.js';
import { canonicalJson } from '../util/canonical-json.js';
import { TOOL_NAME } from '../version.js';

/**
 * A namespace for a document that has no published home (a directory, a distributor's build):
 * derived from what it describes, so the same tree always gets the same namespace and a changed
 * file a new one. `files` must come sorted by path; `salt` (an identity line) comes first.
 */
export function contentNamespace(label: string, files: Iterable<{ path: string; sha256: string }>, salt = ''): string {
  const digest = createHash('sha256').update(salt);
  for (const file of files) digest.update(`${file.path}\0${file.sha256}\n`);
  return `https://spdx.org/spdxdocs/${TOOL_NAME}/${label}-${digest.digest('hex').slice(0, 16)}`;
}

/**
 * The digest of everything a document says except when it was made and what it is called: two
 * documents with the same content (whatever the format they are written in) get the same digest,
 * and any change of content (a file, a version, a license, a creator, a profile's extra facts)
 * another. The model is hashed as RFC 8785 canonical JSON, one list item at a time, so a
 * 100,000-file document is never held as one string.
 */
export function documentContentDigest(document: SbomDocument): string {
  const digest = createHash('sha256');
  // Items are handed to the hash some 64 KiB at a time: one call per item costs more than the item.
  let pending = '';
  const add = (text: string): void => {
    pending += text;
    if (pending.length >= 65_536) {
      digest.update(pending);
      pending = '';
    }
  };
  const { namespace: _namespace, created: _created, ...content } = document;
  for (const key of Object.keys(content).sort()) {
    const value = (content as Record<string, unknown>)[key];
    if (value === undefined) continue;
    add(`${JSON.stringify(key)}:`);
    if (Array.isArray(value)) {
      add(`[${value.length}]`);
      for (const item of value) add(`${canonicalJson(item)}\n`);
    } else {
      add(`${canonicalJson(value)}\n`);
    }
  }
  digest.update(pending);
  return digest.digest('hex');
}

export interface IdentityOptions {
  /** The profile the document was made with; `python.org` keeps python.org's identity exactly. */
  profile: 'complete' | 'python.org';
  /** What the document is of: the artifact's or tree's name (`Python-3.14.4.tar.xz`). */
  label: string;
  /** A namespace someone chose (an overlay's `namespace:`): kept as it is. */
  explicit?: boolean;
}

/**
 * The namespace a document should carry: python.org's own (what the release tooling writes, or
 * for a tree the content namespace as before) under `--profile python.org` and wherever one was
 * chosen explicitly; otherwise one that follows the document's content and profile,
 * `https://spdx.org/spdxdocs/cpython-sbom/<label>-<profile>-<32 hex digits>`, so that an SBOM
 * store keyed on it never puts two different documents of the same release under one key. The
 * CycloneDX serial number is derived from it (serialNumberFor), so it follows too.
 */
export function documentIdentity(document: SbomDocument, options: IdentityOptions): string {
  if (options.profile === 'python.org' || options.explicit) return document.namespace;
  const label = options.label.replace(/[^A-Za-z0-9._-]+/g, '-');
  return `https://spdx.org/spdxdocs/${TOOL_NAME}/${label}-${options.profile}-${documentContentDigest(document).slice(0, 32)}`;
}

/** Sets `document.namespace` to documentIdentity(); call it last, when the content is final. */
export function assignDocumentIdentity(document: SbomDocument, options: IdentityOptions): void {
  document.namespace = documentIdentity(document, options);
}
