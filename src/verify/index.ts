import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { globMatcher } from '../util/exclude-glob.js';
import { InputError } from '../errors.js';
import { findPackage } from '../model/document.js';
import type { ReadDocument } from '../model/types.js';
import { scanSource, type ScanResult } from '../source/index.js';
import { checkoutIgnoreRules, isGitCheckout } from '../source/gitignore.js';
import { addArchiveMembers, listedArchives } from '../detect/listed-archives.js';

/**
 * Holds a tree (tarball or directory) against an SBOM that lists its files with hashes: every
 * listed file present with the recorded digest, nothing unlisted, and — for a tarball — the
 * artifact's own SHA-256 when the SBOM records one for the package it describes.
 */

export interface ChangedFile {
  path: string;
  algorithm: 'SHA256' | 'SHA1';
  expected: string;
  actual: string;
}

export interface ArtifactCheck {
  fileName: string;
  algorithm: 'SHA256';
  expected: string;
  actual: string;
  matches: boolean;
}

export interface VerifyReport {
  sbom: { file: string; format: string };
  source: { location: string; kind: 'directory' | 'tarball' };
  /** Set when the source is a tarball and the SBOM records the artifact's SHA-256. */
  artifact: ArtifactCheck | null;
  ok: boolean;
  counts: { listed: number; matched: number; changed: number; missing: number; unexpected: number; ignored: number };
  changed: ChangedFile[];
  missing: string[];
  unexpected: string[];
  /**
   * Directory sources that are git checkouts: files the SBOM does not list that the checkout's
   * ignore rules leave out (build outputs, local files). Every file of the tree is hashed and
   * compared, ignored or not; these are listed, not failed, so a checkout's ignore rules can never
   * hide a file from verification without it being named.
   */
  ignored: string[];
  /**
   * Directory sources only: files whose bytes differ but match once CRLF line endings become LF,
   * the normalisation CPython's generate_sbom.py applies to non-binary files (a checkout with
   * core.autocrlf). Accepted, and listed so nobody is surprised.
   */
  normalised: string[];
  /** Listed files with neither SHA-256 nor SHA-1 recorded: only their presence was checked. */
  unhashed: string[];
  /**
   * Entries of the source that are not regular files (symlinks, devices) and so cannot match an
   * SBOM file entry; release tarballs have none. Each is also counted in `unexpected`.
   */
  special: { path: string; reason: string }[];
}

// Spelled out rather than picked from ScanOptions, so the library's declarations need no Node types.
export interface VerifyOptions {
  /** Called as the scan advances (files or bytes done, out of total). */
  onProgress?: (done: number, total: number) => void;
  /** Globs of tree paths the SBOM deliberately leaves out (an overlay's `exclude`): never unexpected. */
  exclude?: string[];
}

export async function verifySource(sbom: ReadDocument, source: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  // Without a file list every file would be "unexpected": say what is wrong instead.
  if (sbom.document.files.length === 0) throw new InputError(`${sbom.file}: the SBOM lists no files, so there is nothing to verify against`);
  // Archives whose members the SBOM lists (`<archive path>/<member path>`: the bundled wheels, and
  // every archive of the tree in the complete profile) are opened and their members checked too.
  const archives = listedArchives(sbom.document.files.map((file) => file.path));
  // Every file is read, ignored or not: ignore rules decide only how an unlisted file is reported.
  const scan = await scanSource(source, {
    respectGitignore: false,
    // python.org's Android and iOS packages have no top directory: their members are named whole.
    ...(/-linux-android(?:eabi)?\.tar\.gz$|-iOS-XCframework\.tar\.gz$/.test(source) ? { wholeNames: true } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(archives.top.size > 0 ? { wantContent: (path: string) => archives.top.has(path) } : {}),
  });
  const ignoreRules = scan.kind === 'directory' && isGitCheckout(scan.location) ? checkoutIgnoreRules(scan.location) : undefined;
  await addArchiveMembers(scan, archives);
  const excluded = globMatcher(options.exclude ?? []);
  scan.files = scan.files.filter((file) => !excluded(file.path));
  scan.skipped = scan.skipped.filter((entry) => !excluded(entry.path));
  const actual = new Map(scan.files.map((file) => [file.path, file]));
  const listed = new Map<string, (typeof sbom.document.files)[number]>();
  for (const file of sbom.document.files) if (!listed.has(file.path)) listed.set(file.path, file);

  const report: VerifyReport = {
    sbom: { file: sbom.file, format: sbom.format },
    source: { location: scan.location, kind: scan.kind },
    artifact: artifactCheck(sbom, scan),
    ok: false,
    counts: { listed: listed.size, matched: 0, changed: 0, missing: 0, unexpected: 0, ignored: 0 },
    changed: [],
    missing: [],
    unexpected: [],
    ignored: [],
    normalised: [],
    unhashed: [],
    special: [],
  };

  for (const [path, entry] of listed) {
    const found = actual.get(path);
    if (!found) {
      report.missing.push(path);
      continue;
    }
    const sha256 = entry.checksums.SHA256?.toLowerCase();
    const sha1 = entry.checksums.SHA1?.toLowerCase();
    const [algorithm, expected, got] = sha256 ? (['SHA256', sha256, found.sha256] as const) : sha1 ? (['SHA1', sha1, found.sha1] as const) : [];
    if (!algorithm) {
      report.unhashed.push(path);
      report.counts.matched++;
    } else if (expected === got) {
      report.counts.matched++;
    } else if (scan.kind === 'directory' && (await matchesNormalised(join(scan.location, path), algorithm, expected))) {
      report.normalised.push(path);
      report.counts.matched++;
    } else {
      report.changed.push({ path, algorithm, expected, actual: got });
    }
  }
  for (const file of scan.files) {
    if (listed.has(file.path)) continue;
    if (ignoreRules?.ignores(file.path, false)) report.ignored.push(file.path);
    else report.unexpected.push(file.path);
  }
  for (const entry of scan.skipped) {
    report.special.push({ path: entry.path, reason: entry.reason });
    if (!listed.has(entry.path)) report.unexpected.push(entry.path);
  }
  report.unexpected.sort();

  report.counts.changed = report.changed.length;
  report.counts.missing = report.missing.length;
  report.counts.unexpected = report.unexpected.length;
  report.counts.ignored = report.ignored.length;
  report.ok = report.changed.length + report.missing.length + report.unexpected.length === 0 && report.artifact?.matches !== false;
  return report;
}

/** The artifact's hash is the SHA-256 of the package the SBOM describes first (CPython). */
function artifactCheck(sbom: ReadDocument, scan: ScanResult): ArtifactCheck | null {
  if (scan.kind !== 'tarball' || !scan.artifact) return null;
  const primaryRef = sbom.document.describes[0];
  const primary = primaryRef === undefined ? undefined : findPackage(sbom.document, primaryRef);
  const expected = primary?.checksums.SHA256?.toLowerCase();
  if (!expected) return null;
  return { fileName: scan.artifact.fileName, algorithm: 'SHA256', expected, actual: scan.artifact.sha256, matches: expected === scan.artifact.sha256 };
}

/**
 * Whether a text file (no NUL byte) hashes to `expected` once CRLF becomes LF. Streamed: the file
 * is hashed as it is read, 1 MiB at a time, never held whole (a changed file may be of any size);
 * only a regular file is opened, without following a link.
 */
async function matchesNormalised(absolute: string, algorithm: 'SHA256' | 'SHA1', expected: string): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return false;
  }
  try {
    if (!(await handle.stat()).isFile()) return false;
    const hash = createHash(algorithm === 'SHA256' ? 'sha256' : 'sha1');
    const buffer = Buffer.allocUnsafe(1 << 20);
    let changed = false;
    // A CR at the end of one chunk may start a CRLF with the next: held back until it is known.
    let heldCr = false;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      if (chunk.includes(0)) return false; // binary: hashed as it is, which did not match
      let from = 0;
      if (heldCr) {
        if (chunk[0] !== 0x0a) hash.update('\r');
        else changed = true;
        heldCr = false;
      }
      let end = chunk.length;
      if (chunk[end - 1] === 0x0d) {
        heldCr = true;
        end--;
      }
      for (let at = chunk.indexOf('\r\n', from); at !== -1 && at < end; at = chunk.indexOf('\r\n', from)) {
        hash.update(chunk.subarray(from, at));
        from = at + 1; // keep the \n
        changed = true;
      }
      hash.update(chunk.subarray(from, end));
    }
    if (heldCr) hash.update('\r');
    return changed && hash.digest('hex') === expected;
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}
