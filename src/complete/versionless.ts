import type { FileEntry, Package, SbomDocument } from '../model/types.js';
import { pushAll } from '../util/arrays.js';

/** A package the tree gives no version, now described as files of CPython. */
export interface FoldedPackage {
  ref: string;
  name: string;
  files: number;
  license: string;
}

/**
 * Every package of a complete-profile document has a version the tree supports (NTIA's minimum
 * elements ask for one), or its code is described as files of CPython instead. A package whose
 * version the tree does not state (the WIDE project's getaddrinfo, Google's dynamic annotations,
 * the W3C C14N test files, 3.9's Keccak Code Package and libb2 copy) is removed and its files
 * given to CPython, each keeping what is known of it: a comment naming the code and its license,
 * and, for the files that state them, the license (`licenseInfoInFiles`) and copyright the
 * licenses step found there. What a file already says of itself is never replaced. Runs after
 * the licenses step, which it reads.
 */
export function foldVersionlessPackages(document: SbomDocument, warnings: string[]): FoldedPackage[] {
  const primary = document.describes[0];
  const cpython = document.packages.find((pkg) => pkg.ref === primary);
  if (!cpython) return [];
  const folded = document.packages.filter((pkg) => pkg !== cpython && !pkg.version && pkg.files.length > 0);
  if (folded.length === 0) return [];
  const entries = new Map<string, FileEntry>(document.files.map((file) => [file.path, file]));
  const gone = new Set(folded.map((pkg) => pkg.ref));
  const out: FoldedPackage[] = [];
  for (const pkg of folded) {
    const license = pkg.licenseDeclared && pkg.licenseDeclared !== 'NOASSERTION' ? pkg.licenseDeclared : undefined;
    // Worded as every attribution of third-party code in a CPython file is ("Contains code from …").
    const note = `Contains code from ${describe(pkg)}${license ? `, under ${license}` : ''}: third-party code the tree gives no version, so it is described as files of CPython, not as a versionless package`;
    const statedIn = new Map<string, Set<string>>();
    for (const evidence of pkg.evidence?.licenses ?? []) {
      if (evidence.file && evidence.method !== 'license-rst') statedIn.set(evidence.file, (statedIn.get(evidence.file) ?? new Set()).add(evidence.expression));
    }
    const copyrightsIn = new Map<string, string[]>();
    for (const evidence of pkg.evidence?.copyrights ?? []) {
      if (evidence.file) copyrightsIn.set(evidence.file, [...(copyrightsIn.get(evidence.file) ?? []), evidence.text]);
    }
    for (const path of pkg.files) {
      const entry = entries.get(path);
      if (!entry) continue;
      entry.comment = entry.comment ? `${entry.comment}; ${note}` : note;
      const stated = statedIn.get(path);
      if (stated && (entry.licenseInfoInFiles?.length ?? 0) === 0) entry.licenseInfoInFiles = [...stated];
      const copyrights = copyrightsIn.get(path);
      if (copyrights && !entry.copyrightText) entry.copyrightText = copyrights.join('\n');
    }
    pushAll(cpython.files, pkg.files);
    out.push({ ref: pkg.ref, name: pkg.name, files: pkg.files.length, license: license ?? 'NOASSERTION' });
    // The detector's "listed without a version" no longer holds for the complete profile: say what happened instead.
    const stale = warnings.findIndex((warning) => warning.startsWith(`${pkg.name}: `) && /listed without (?:a version|one)$/.test(warning));
    if (stale >= 0) {
      warnings.splice(
        stale,
        1,
        `${pkg.name}: the tree records no version for it; its ${pkg.files.length} file${pkg.files.length === 1 ? ' is' : 's are'} described as CPython's, each with a comment naming it`,
      );
    }
  }
  cpython.files.sort();
  // CPython's licenseInfoFromFiles is the union of its files' licenses: it now holds these files too.
  const fromFiles = new Set(cpython.licenseInfoFromFiles ?? []);
  for (const pkg of folded) for (const path of pkg.files) for (const license of entries.get(path)?.licenseInfoInFiles ?? []) fromFiles.add(license);
  if (fromFiles.size > 0) cpython.licenseInfoFromFiles = [...fromFiles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  document.packages = document.packages.filter((pkg) => !gone.has(pkg.ref));
  for (const pkg of document.packages) pkg.dependsOn = pkg.dependsOn.filter((ref) => !gone.has(ref));
  document.relationships = document.relationships.filter((relationship) => !gone.has(relationship.from) && !gone.has(relationship.to));
  document.annotations = document.annotations.filter((annotation) => !gone.has(annotation.subject));
  return out;
}

/** "the WIDE Project's IPv6 getaddrinfo() (KAME)" from the package comment the attribution wrote, else its name. */
function describe(pkg: Package): string {
  const origin = /^From ([^;]+)/.exec(pkg.comment ?? '')?.[1];
  return origin ?? pkg.name;
}
