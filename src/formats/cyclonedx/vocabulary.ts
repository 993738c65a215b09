/**
 * The small translation tables between the model (which speaks SPDX) and CycloneDX: hash
 * algorithm names, supplier/creator actors, package purposes, and the names of the properties that
 * carry facts CycloneDX has no field for (so a document we write reads back without loss).
 */
import type { HashAlgorithm, PackagePurpose } from '../../model/types.js';

/** SPDX algorithm name -> CycloneDX `alg`. SPDX-only algorithms (SHA224, MD2/4/6, ADLER32) have no CycloneDX name. */
export const CDX_HASH_NAME: Partial<Record<HashAlgorithm, string>> = {
  MD5: 'MD5',
  SHA1: 'SHA-1',
  SHA256: 'SHA-256',
  SHA384: 'SHA-384',
  SHA512: 'SHA-512',
  'SHA3-256': 'SHA3-256',
  'SHA3-384': 'SHA3-384',
  'SHA3-512': 'SHA3-512',
  'BLAKE2b-256': 'BLAKE2b-256',
  'BLAKE2b-384': 'BLAKE2b-384',
  'BLAKE2b-512': 'BLAKE2b-512',
  BLAKE3: 'BLAKE3',
};

/** Fixed order for writing hashes, so output does not depend on how the model was built. */
export const HASH_ORDER = Object.keys(CDX_HASH_NAME) as HashAlgorithm[];

const SPDX_HASH_NAME = new Map<string, HashAlgorithm>(Object.entries(CDX_HASH_NAME).map(([spdx, cdx]) => [cdx.toUpperCase(), spdx as HashAlgorithm]));

/** CycloneDX `alg` -> SPDX name; case-insensitive, also tolerates `SHA256`-style spellings. */
export function spdxHashName(alg: string): HashAlgorithm | undefined {
  const upper = alg.trim().toUpperCase();
  return SPDX_HASH_NAME.get(upper) ?? SPDX_HASH_NAME.get(upper.replace(/^SHA(\d)/, 'SHA-$1'));
}

/** An SPDX actor (`Organization: X`, `Person: N (e@x)`, `Tool: T`) split into its parts. */
export interface Actor {
  kind: 'Organization' | 'Person' | 'Tool';
  name: string;
  email?: string;
}

export function parseActor(text: string): Actor | undefined {
  // `Person: NAME (EMAIL)`, split in code: trimming both ends of a lazy group with `\s*` takes
  // quadratic time on a long run of blanks.
  const head = /^\s*(Organization|Person|Tool)\s*:/.exec(text);
  if (!head) return undefined;
  let name = text.slice(head[0].length).trim();
  let email: string | undefined;
  if (name.endsWith(')')) {
    const open = name.lastIndexOf('(');
    const inner = open === -1 ? undefined : name.slice(open + 1, -1);
    if (inner !== undefined && !inner.includes(')')) {
      email = inner.trim();
      name = name.slice(0, open).trimEnd();
    }
  }
  if (/[\n\r\u2028\u2029]/.test(name)) return undefined;
  return { kind: head[1] as Actor['kind'], name, ...(email ? { email } : {}) };
}

export function formatActor(actor: Actor): string {
  return `${actor.kind}: ${actor.name}${actor.email ? ` (${actor.email})` : ''}`;
}

/** Package purpose -> component type. Purposes CycloneDX has no type for fall back to the caller's default. */
export const COMPONENT_TYPE_OF_PURPOSE: Partial<Record<PackagePurpose, string>> = {
  APPLICATION: 'application',
  FRAMEWORK: 'framework',
  LIBRARY: 'library',
  CONTAINER: 'container',
  'OPERATING-SYSTEM': 'operating-system',
  DEVICE: 'device',
  FIRMWARE: 'firmware',
};

export const PURPOSE_OF_COMPONENT_TYPE = new Map<string, PackagePurpose>(
  Object.entries(COMPONENT_TYPE_OF_PURPOSE).map(([purpose, type]) => [type, purpose as PackagePurpose]),
);

/**
 * Our property names (CycloneDX property taxonomy style: a namespace we own, then the field).
 * They only carry SPDX facts without a CycloneDX home; everything else uses real CycloneDX fields.
 */
export const PROP = {
  documentName: 'cpython-sbom:document:name',
  documentNamespace: 'cpython-sbom:document:namespace',
  documentComment: 'cpython-sbom:document:comment',
  licenseListVersion: 'cpython-sbom:document:licenseListVersion',
  /** Extra `describes` refs beyond the metadata component. */
  describes: 'cpython-sbom:document:describes',
  /** `Organization:` creators (CycloneDX authors are contacts, tools are tools). */
  creator: 'cpython-sbom:document:creator',
  /** A relationship other than CONTAINS / DEPENDS_ON, as a JSON array `[from, type, to]` (XML would fold tabs). */
  relationship: 'cpython-sbom:document:relationship',
  purpose: 'cpython-sbom:purpose',
  originator: 'cpython-sbom:originator',
  /** A supplier that is NOASSERTION (CycloneDX suppliers are entities). */
  supplier: 'cpython-sbom:supplier',
  /** Download location that is not a URL (NOASSERTION, NONE). */
  downloadLocation: 'cpython-sbom:downloadLocation',
  packageFileName: 'cpython-sbom:packageFileName',
  /** A license CycloneDX cannot hold: NOASSERTION, NONE, or a second compound expression (1.6 allows one). */
  licenseConcluded: 'cpython-sbom:licenseConcluded',
  licenseDeclared: 'cpython-sbom:licenseDeclared',
  comment: 'cpython-sbom:comment',
  spdxId: 'cpython-sbom:spdxId',
  filesAnalyzed: 'cpython-sbom:filesAnalyzed',
  /** SPDX package verification code of the package's full file list, written when files are left out (`--files none`). */
  verificationCode: 'cpython-sbom:packageVerificationCode',
  /** An SPDX external reference beyond the first purl and CPE, as a JSON array `[category, type, locator]`. */
  externalRef: 'cpython-sbom:externalRef',
  /** Patch facts CycloneDX patches have no field for, as JSON: path, order, sha256, touches, description. */
  patch: 'cpython-sbom:patch',
  /** SPDX `licenseComments` and `sourceInfo` (how licenses were established, where the package was found). */
  licenseComments: 'cpython-sbom:licenseComments',
  sourceInfo: 'cpython-sbom:sourceInfo',
  /** One piece of license evidence as JSON `{expression, file, method, confidence}` (evidence.licenses has no place for file or method). */
  licenseEvidence: 'cpython-sbom:licenseEvidence',
  /** One copyright statement as JSON `{text, file}`. */
  copyrightEvidence: 'cpython-sbom:copyrightEvidence',
  /** Marks a component that is an SPDX snippet: JSON `{file, bytes: [from, to], lines: [from, to]}`. */
  snippet: 'cpython-sbom:snippet',
  /** A snippet's attribution text (SPDX `attributionTexts`). */
  attributionText: 'cpython-sbom:attributionText',
  /**
   * The exact list of licenses a file states (SPDX `licenseInfoInFiles`) or a package's files state
   * (`licenseInfoFromFiles`), as a JSON array, where evidence.licenses cannot hold it as a list (a
   * compound expression among others is joined into one expression there).
   */
  licenseInfoInFiles: 'cpython-sbom:licenseInfoInFiles',
  licenseInfoFromFiles: 'cpython-sbom:licenseInfoFromFiles',
  /** A `LicenseRef-` the document names, as JSON `{id, name, text, comment}` (SPDX hasExtractedLicensingInfos). */
  extractedLicense: 'cpython-sbom:document:extractedLicense',
  /** On a top-level file component: no package contains it (top-level files otherwise belong to the metadata component). */
  unowned: 'cpython-sbom:unowned',
} as const;

/**
 * BSI TR-03183-2 (v2.1) names these CycloneDX properties for what its SBOMs must say of each
 * component's artifact: whether it is executable, an archive, and structured (its contents'
 * metadata kept, as in a tar or zip), with these values.
 */
export const BSI_PROP = {
  filename: 'bsi:component:filename',
  executable: 'bsi:component:executable',
  archive: 'bsi:component:archive',
  structured: 'bsi:component:structured',
} as const;

/** Prefix of file bom-refs; package bom-refs are the model refs themselves. */
export const FILE_REF_PREFIX = 'file:';
