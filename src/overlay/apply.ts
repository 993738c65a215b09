import { PackageURL } from 'packageurl-js';
import { findComponent } from '../catalog/catalog.js';
import type { Finding } from '../detect/types.js';
import { InputError } from '../errors.js';
import { normalizePackageName } from '../model/document.js';
import type { Package, SbomDocument } from '../model/types.js';
import { contentNamespace } from '../model/namespace.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { EXCLUDED_ANNOTATION } from '../model/annotations.js';
import type { Overlay } from './load-overlay.js';

/** What `applyOverlay` changes in a build besides the document. */
export interface OverlayOutcome {
  /** Findings that a patched tree explains, said as notes instead of refusing to write. */
  notes: string[];
  warnings: string[];
  /** Findings that stay findings. */
  findings: Finding[];
  excludedFiles: number;
}

/**
 * Turns the SBOM of a patched tree into the distributor's: the described package takes the
 * overlay's identity and records its pedigree (upstream ancestor, applied patches), unbundled
 * components stay listed but excluded, their system replacements become dependencies, and the
 * overlay's `exclude` globs leave packaging files out. File hashes are those of the tree as it is.
 */
export function applyOverlay(document: SbomDocument, findings: Finding[], overlay: Overlay): OverlayOutcome {
  const { spec } = overlay;
  const warnings: string[] = [];
  const primary = document.packages.find((pkg) => pkg.ref === document.describes[0]);
  if (!primary) throw new Error('the built document describes no package');

  // 1. exclude: out of the file list and out of every package.
  const before = document.files.length;
  document.files = document.files.filter((file) => !overlay.excluded(file.path));
  for (const pkg of document.packages) pkg.files = pkg.files.filter((path) => !overlay.excluded(path));
  const excludedFiles = before - document.files.length;

  // 2. the distributor's identity (the built package's version is the tree's, from patchlevel.h).
  const treeVersion = primary.version;
  if (overlay.upstream && spec.upstream && overlay.upstream.version && treeVersion && overlay.upstream.version !== treeVersion) {
    warnings.push(
      `${spec.file}:${spec.upstream.line}: upstream is CPython ${overlay.upstream.version} but the tree's Include/patchlevel.h says ${treeVersion}`,
    );
  }
  if (spec.package.name) primary.name = spec.package.name;
  if (spec.package.version) primary.version = spec.package.version;
  if (spec.package.purl) primary.purl = spec.package.purl;
  if (spec.supplier) primary.supplier = actor(spec.supplier);
  // The package's id follows its new name; the upstream keeps CPython's usual one.
  delete primary.spdxId;

  // 3. pedigree: the upstream release and the patches applied to it.
  if (overlay.upstream) {
    const upstream = overlay.upstream;
    document.packages.push(upstream);
    document.relationships.push({ from: primary.ref, type: 'DESCENDANT_OF', to: upstream.ref });
    // The CPE names the upstream release; vulnerability scanners should match the distributor's
    // package by its purl (whose advisories know the backports), not as plain CPython X.Y.Z.
    if (!upstream.cpe && primary.cpe) upstream.cpe = primary.cpe;
    delete primary.cpe;
  }
  if (overlay.upstream || overlay.patches.length > 0) {
    primary.pedigree = { ancestors: overlay.upstream ? [overlay.upstream.ref] : [], patches: overlay.patches };
  }
  // The patches themselves live in the pedigree; each format writes them as it can
  // (SPDX: an element per patch with PATCH_APPLIED; CycloneDX: pedigree.patches).
  const touchedBy = new Map<string, string[]>();
  for (const patch of overlay.patches) {
    for (const path of patch.touches) touchedBy.set(path, [...(touchedBy.get(path) ?? []), patch.path]);
  }
  for (const file of document.files) {
    const by = touchedBy.get(file.path);
    if (by) file.comment = `Modified by ${by.join(', ')}`;
  }

  // 4. unbundled components: kept visible, marked unused; replacements become dependencies.
  const created = document.created;
  const annotator = `Tool: ${TOOL_NAME}-${TOOL_VERSION}`;
  for (const entry of spec.unbundled) {
    const matched = componentPackages(document, primary, entry.component);
    if (matched.length === 0) {
      if (isKnownComponent(entry.component)) {
        warnings.push(`${spec.file}:${entry.line}: unbundled ${entry.component} is not in this tree; nothing to mark`);
      } else {
        const names = document.packages.filter((pkg) => pkg !== primary && !pkg.ref.includes('/') && pkg !== overlay.upstream).map((pkg) => pkg.name);
        throw new InputError(`${spec.file}:${entry.line}: unbundled: ${entry.component} is not a component of this tree (it has: ${names.join(', ')})`);
      }
    }
    let replacement: Package | undefined;
    if (entry.replacedBy) {
      replacement = replacementPackage(entry.replacedBy, entry.component, spec.package.purl, primary.supplier);
      const existing = document.packages.find((pkg) => pkg.ref === replacement?.ref);
      if (existing) replacement = existing;
      else document.packages.push(replacement);
      if (!primary.dependsOn.includes(replacement.ref)) primary.dependsOn.push(replacement.ref);
    }
    const refs = new Set(matched.map((pkg) => pkg.ref));
    primary.dependsOn = primary.dependsOn.filter((ref) => !refs.has(ref));
    const main = matched[0]?.ref;
    for (const pkg of matched) {
      pkg.scope = 'excluded';
      const how = pkg.ref === main ? 'unbundled' : `unbundled with ${entry.component}`;
      const by = replacement && pkg.ref === main ? `; replaced by ${replacement.purl}` : '';
      document.annotations.push({
        subject: pkg.ref,
        annotator,
        date: created,
        type: 'OTHER',
        comment: `${EXCLUDED_ANNOTATION}not used by ${primary.name} ${primary.version} (${how})${by}. Its sources remain in the tree.`,
      });
    }
  }
  primary.dependsOn.sort();

  // 5. findings a patched tree explains: manifest hashes of files a patch changed.
  const notes: string[] = [];
  const kept: Finding[] = [];
  for (const finding of findings) {
    const explained =
      (finding.kind === 'manifest-hash' || finding.kind === 'manifest-missing-file') && finding.path !== undefined && touchedBy.has(finding.path);
    if (explained) notes.push(`${finding.message} (expected: patched by ${(touchedBy.get(finding.path as string) ?? []).join(', ')})`);
    else kept.push(finding);
  }

  // 6. the document itself.
  document.name = `${primary.name} ${primary.version}`.trim();
  document.namespace = spec.namespace ?? derivedNamespace(document, primary);
  return { notes, warnings, findings: kept, excludedFiles };
}

/** SPDX actor text; a bare name is taken as an organization. */
function actor(text: string): string {
  return /^(Organization|Person|Tool):\s/.test(text) ? text : `Organization: ${text}`;
}

/** `pip` stands for pip and every project vendored in its wheel (refs `pip/...`). */
function componentPackages(document: SbomDocument, primary: Package, name: string): Package[] {
  const wanted = normalizePackageName(name);
  const direct = document.packages.filter((pkg) => pkg !== primary && (normalizePackageName(pkg.name) === wanted || normalizePackageName(pkg.ref) === wanted));
  const vendored = document.packages.filter((pkg) => direct.some((parent) => pkg.ref.startsWith(`${parent.ref}/`)));
  return [...direct, ...vendored];
}

function isKnownComponent(name: string): boolean {
  return normalizePackageName(name) === 'pip' || findComponent(name) !== undefined;
}

/** The system package an unbundled component is replaced by, from its purl alone. */
function replacementPackage(purl: string, component: string, primaryPurl: string | undefined, supplier: string | undefined): Package {
  const parsed = PackageURL.fromString(purl);
  const pkg: Package = {
    ref: `system:${purl}`,
    name: parsed.name,
    version: parsed.version ?? '',
    purl,
    downloadLocation: 'NOASSERTION',
    checksums: {},
    files: [],
    dependsOn: [],
    filesAnalyzed: false,
    comment: `System package used instead of the bundled ${component}`,
  };
  // A replacement from the same distribution comes from the same supplier.
  if (primaryPurl && supplier) {
    const primaryParsed = PackageURL.fromString(primaryPurl);
    if (primaryParsed.type === parsed.type && primaryParsed.namespace === parsed.namespace) pkg.supplier = supplier;
  }
  return pkg;
}

/** Without a namespace in the overlay: one derived from the distributor's identity and the tree's content. */
function derivedNamespace(document: SbomDocument, primary: Package): string {
  const files = [...document.files].sort((a, b) => (a.path < b.path ? -1 : 1)).map((file) => ({ path: file.path, sha256: file.checksums.SHA256 ?? '' }));
  const safe = `${primary.name}-${primary.version}`.replace(/[^A-Za-z0-9.+_-]/g, '-');
  return contentNamespace(safe, files, `${primary.purl ?? primary.name}\0${primary.version}\n`);
}
