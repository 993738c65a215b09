import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { bigramSet, normalizedWords } from './normalize.js';

/**
 * The SPDX license list's texts (npm `spdx-license-list`, `full`), as an inverted index from word
 * bigram to the licenses whose text holds it. Normalising 700 texts and building the index costs
 * ~0.5 s, so `npm run build` writes it once (scripts/build-assets.mjs): the ids and sizes in a
 * JSON file, and the index in a binary file that a run maps straight into typed arrays:
 * each license's bigrams, the sorted distinct bigram hashes, where each one's postings start, and
 * the postings.
 */
export interface SpdxLicenseIndex {
  ids: string[];
  /** How many distinct bigrams each license's text has. */
  sizes: Uint32Array;
  /** Sorted distinct bigram hashes of all texts. */
  keys: Uint32Array;
  /** Postings of keys[i] are postings[starts[i]] up to postings[starts[i + 1]]. */
  starts: Uint32Array;
  /** License indices (into `ids`). */
  postings: Uint16Array;
  /** Each license's sorted bigrams, one after another (sizes[i] of them each), for close calls. */
  members: Uint32Array;
  /** Where each license's bigrams start in `members`. */
  memberStarts: Uint32Array;
}

export const INDEX_JSON = fileURLToPath(new URL('../../dist/license/spdx-index.json', import.meta.url));
export const INDEX_BIN = fileURLToPath(new URL('../../dist/license/spdx-index.bin', import.meta.url));

interface FullLicense {
  licenseText?: string;
  deprecated?: boolean;
}

/** Licenses whose text is too short to tell apart from a sentence that happens to contain it. */
const MIN_BIGRAMS = 12;

/** Builds the index from the license list's texts. */
export function computeLicenseIndex(): SpdxLicenseIndex {
  const full = createRequire(import.meta.url)('spdx-license-list/full') as Record<string, FullLicense>;
  const ids: string[] = [];
  const sizes: number[] = [];
  const byHash = new Map<number, number[]>();
  const sets: Uint32Array[] = [];
  for (const id of Object.keys(full).sort()) {
    const license = full[id] as FullLicense;
    if (license.deprecated || !license.licenseText) continue;
    const set = bigramSet(normalizedWords(license.licenseText));
    if (set.size < MIN_BIGRAMS) continue;
    const index = ids.length;
    ids.push(id);
    sizes.push(set.size);
    sets.push(Uint32Array.from([...set].sort((a, b) => a - b)));
    for (const hash of set) {
      const list = byHash.get(hash);
      if (list) list.push(index);
      else byHash.set(hash, [index]);
    }
  }
  const keys = Uint32Array.from([...byHash.keys()].sort((a, b) => a - b));
  const starts = new Uint32Array(keys.length + 1);
  const total = [...byHash.values()].reduce((sum, list) => sum + list.length, 0);
  const postings = new Uint16Array(total);
  let offset = 0;
  keys.forEach((key, i) => {
    starts[i] = offset;
    for (const license of byHash.get(key) as number[]) postings[offset++] = license;
  });
  starts[keys.length] = offset;
  const members = new Uint32Array(sizes.reduce((sum, size) => sum + size, 0));
  let at = 0;
  for (const set of sets) {
    members.set(set, at);
    at += set.length;
  }
  return withMemberStarts({ ids, sizes: Uint32Array.from(sizes), keys, starts, postings, members });
}

function withMemberStarts(index: Omit<SpdxLicenseIndex, 'memberStarts'>): SpdxLicenseIndex {
  const memberStarts = new Uint32Array(index.sizes.length + 1);
  for (let i = 0; i < index.sizes.length; i++) memberStarts[i + 1] = (memberStarts[i] as number) + (index.sizes[i] as number);
  return { ...index, memberStarts };
}

/** What scripts/build-assets.mjs writes: the JSON header and the binary body (keys, starts, postings). */
export function serializeLicenseIndex(index: SpdxLicenseIndex): { json: string; bin: Buffer } {
  const json = JSON.stringify({
    listVersion: installedListVersion(),
    ids: index.ids,
    sizes: [...index.sizes],
    keys: index.keys.length,
    postings: index.postings.length,
  });
  const bin = Buffer.concat([
    Buffer.from(index.members.buffer, index.members.byteOffset, index.members.byteLength),
    Buffer.from(index.keys.buffer, index.keys.byteOffset, index.keys.byteLength),
    Buffer.from(index.starts.buffer, index.starts.byteOffset, index.starts.byteLength),
    Buffer.from(index.postings.buffer, index.postings.byteOffset, index.postings.byteLength),
  ]);
  return { json, bin };
}

/** The version of the installed `spdx-license-list`, which the index records and is used only with. */
function installedListVersion(): string {
  return (createRequire(import.meta.url)('spdx-license-list/package.json') as { version: string }).version;
}

function readAsset(): SpdxLicenseIndex | undefined {
  if (!existsSync(INDEX_JSON) || !existsSync(INDEX_BIN)) return undefined;
  const header = JSON.parse(readFileSync(INDEX_JSON, 'utf8')) as { listVersion?: string; ids: string[]; sizes: number[]; keys: number; postings: number };
  // A stale asset (the list package was updated after the build) is not used. The version, not
  // modification times: installing or checking out sets those arbitrarily (a packed package's
  // files all carry one fixed time).
  if (header.listVersion !== installedListVersion()) return undefined;
  const file = readFileSync(INDEX_BIN);
  const memberCount = header.sizes.reduce((sum, size) => sum + size, 0);
  const expected = memberCount * 4 + header.keys * 4 + (header.keys + 1) * 4 + header.postings * 2;
  if (file.byteLength !== expected) return undefined;
  // Typed arrays need offsets aligned to their element size: copy only when the read is not.
  const aligned = file.byteOffset % 4 === 0;
  const buffer = aligned ? file.buffer : file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength);
  const at = aligned ? file.byteOffset : 0;
  const members = new Uint32Array(buffer, at, memberCount);
  const base = at + memberCount * 4;
  const keys = new Uint32Array(buffer, base, header.keys);
  const starts = new Uint32Array(buffer, base + header.keys * 4, header.keys + 1);
  const postings = new Uint16Array(buffer, base + header.keys * 8 + 4, header.postings);
  return withMemberStarts({ ids: header.ids, sizes: Uint32Array.from(header.sizes), keys, starts, postings, members });
}

let cached: SpdxLicenseIndex | undefined;

export function loadLicenseIndex(): SpdxLicenseIndex {
  cached ??= readAsset() ?? computeLicenseIndex();
  return cached;
}

/** Position of a bigram hash in the sorted keys, or -1. */
export function findKey(keys: Uint32Array, hash: number): number {
  let low = 0;
  let high = keys.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const value = keys[middle] as number;
    if (value === hash) return middle;
    if (value < hash) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}
