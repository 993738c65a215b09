import { stat } from 'node:fs/promises';
import type { Catalog } from '../catalog/catalog.js';
import { InputError, describeSystemError } from '../errors.js';
import { MAX_CHECKOUT_FILE_BYTES, readFileResolvedInTree } from '../util/tree-file.js';
import { comparePaths } from '../source/paths.js';
import { pythonJsonDumpsIndented } from '../util/python-json.js';
import { checkPackage, type CheckContext, type Finding } from './checks.js';
import { sha256OfDownload } from './download.js';
import { parseExternals } from '../detect/externals.js';
import { GET_EXTERNALS, updateExternals } from './externals.js';
import { EXTERNALS_MANIFEST, SOURCE_MANIFEST, packageName, readManifest, type JsonObject, type Manifest } from './manifest.js';
import { SCRIPT_PATH, loadPackageFiles } from './package-files.js';
import { buildSourceFiles } from './source-sbom.js';
import { describeChanges, firstChange } from './staleness.js';
import { pushAll } from '../util/arrays.js';

export interface RegenOptions {
  /** Download what the checkout's script would download (archives, PyPI metadata). */
  online?: boolean;
  /** PyPI JSON API base for the scripts that look pip up at run time (`https://pypi.org/pypi`). */
  pypiUrl?: string;
  env?: NodeJS.ProcessEnv;
  catalog?: Catalog;
}

export interface RegenOutput {
  /** Relative to the checkout (`Misc/sbom.spdx.json`). */
  path: string;
  before: string;
  after: string;
  /** Why it is stale (empty when current). */
  changes: string[];
  /** One line naming manifest, package and field of the first change (empty when current). */
  headline: string;
}

export interface RegenResult {
  outputs: RegenOutput[];
  /** Checks the checkout's own script makes and that fail: it would exit 1 and write nothing. */
  scriptFailures: string[];
  /** Changes the script would make that cannot be computed offline (a checksum to download). */
  offline: string[];
  /** Checks stricter than the script's that fail: warnings, or findings under --strict. */
  strict: string[];
  /** What was decided along the way (no git, no externals manifest, where the mapping came from). */
  notes: string[];
}

/**
 * Recomputes both manifests of a checkout as its generate_sbom.py would, applying the rules that
 * generation of the script has (read from it, never run), and reports which of its checks fail
 * and which stricter ones do. Writes nothing: the command decides. Throws an InputError for
 * unreadable or malformed input, and for a script regen cannot follow offline.
 */
export async function regenerate(root: string, options: RegenOptions = {}): Promise<RegenResult> {
  const env = options.env ?? process.env;
  const online = options.online === true;
  let catalogPromise: Promise<Catalog> | undefined;
  // The catalog (a YAML file) is only needed for the stricter checks and trees without a script.
  const catalog = () => (catalogPromise ??= options.catalog ? Promise.resolve(options.catalog) : import('../catalog/catalog.js').then((m) => m.loadCatalog()));
  await requireDirectory(root);
  const source = await readManifest(root, SOURCE_MANIFEST);
  if (!source) throw new InputError(`${root}: not a CPython checkout with an SBOM manifest (${SOURCE_MANIFEST} is missing)`);

  const findings: Finding[] = [];
  const notes: string[] = [];
  const fail = (message: string) => findings.push({ message, kind: 'script' });
  const readText = cachedReader(root);

  // --- Misc/sbom.spdx.json: hand-edited packages kept, files and relationships regenerated.
  const mapping = await loadPackageFiles(root, catalog);
  const { rules } = mapping;
  if (mapping.origin !== SCRIPT_PATH) notes.push(`${SCRIPT_PATH} is absent: file lists from ${mapping.origin}, rules of the current script`);
  const sourceDoc = structuredClone(source.doc);
  let leading: JsonObject[] = [];
  if (rules.pypi) {
    if (!online) {
      throw new InputError(
        `${SCRIPT_PATH}: this generation of the script looks pip${rules.pypi.vendored ? ' and the projects pip vendors' : ''} up on PyPI at run time (discover_pip_sbom_package); regen does that only with --online`,
      );
    }
    const { discoverPip } = await import('./pypi-era.js');
    const pip = await discoverPip(root, sourceDoc, mapping, rules.pypi, { pypiUrl: options.pypiUrl, env, file: SCRIPT_PATH });
    pushAll(
      findings,
      pip.failures.map((message) => ({ message, kind: 'script' as const })),
    );
    leading = pip.relationships;
  }
  compareNames(source.path, sourceDoc.packages, [...mapping.packages.keys()], mapping.origin, fail);
  const built = await buildSourceFiles(root, mapping.packages, rules);
  if (built.how === 'gitignore-rules') notes.push(`${built.why ?? 'no index'}: ignored paths decided by the .gitignore patterns alone`);
  for (const warning of built.ignoreWarnings) notes.push(warning);
  const unbundled = new Set<string>();
  for (const { name, include, missingDir } of built.empty) {
    unbundled.add(name);
    fail(
      missingDir
        ? `${SOURCE_MANIFEST}: package '${name}': include '${include}' lists no files because ${missingDir} is missing (a tree with ${name} unbundled cannot regenerate this manifest)`
        : `${SOURCE_MANIFEST}: package '${name}': include '${include}' lists no files`,
    );
  }
  sourceDoc.files = built.files;
  sourceDoc.relationships = [...leading, ...built.relationships];
  const sourceCtx = (name: string): CheckContext => ({
    file: SOURCE_MANIFEST,
    readText,
    rules,
    catalog,
    treeChecks: mapping.packages.has(name) && !unbundled.has(name),
  });
  await fillChecksums(sourceDoc.packages, SOURCE_MANIFEST, new Set(), rules.downloadsMissingChecksums, online, env, findings);
  for (const pkg of sourceDoc.packages) pushAll(findings, await checkPackage(pkg, sourceCtx(packageName(pkg))));

  // --- Misc/externals.spdx.json: versions and download locations from get_externals.bat.
  const externals = rules.externals.writes ? await readManifest(root, EXTERNALS_MANIFEST) : undefined;
  let externalsDoc: JsonObject | undefined;
  if (externals) {
    const bat = await readText(GET_EXTERNALS);
    if (bat === undefined) throw new InputError(`${GET_EXTERNALS}: no such file (needed to regenerate ${EXTERNALS_MANIFEST})`);
    const listed = parseExternals(bat);
    compareNames(externals.path, externals.doc.packages, [...listed.keys()], GET_EXTERNALS, fail);
    const doc = structuredClone(externals.doc);
    const moved = new Set(updateExternals(doc.packages, listed, { cpe: rules.externals.updatesCpe }));
    await fillChecksums(doc.packages, EXTERNALS_MANIFEST, moved, rules.downloadsMissingChecksums, online, env, findings);
    for (const pkg of doc.packages) {
      pushAll(findings, await checkPackage(pkg, { file: EXTERNALS_MANIFEST, readText, rules, catalog, treeChecks: false }));
    }
    externalsDoc = doc;
  } else if (rules.externals.writes) {
    fail(`${EXTERNALS_MANIFEST}: no such file (the checkout's script regenerates it and would stop here)`);
  } else {
    notes.push(`this generation of ${SCRIPT_PATH} does not write ${EXTERNALS_MANIFEST}: only ${SOURCE_MANIFEST} is regenerated`);
  }

  const outputs = [render(source, sourceDoc)];
  if (externals && externalsDoc) outputs.push(render(externals, externalsDoc));
  const of = (kind: Finding['kind']) => findings.filter((finding) => finding.kind === kind).map((finding) => finding.message);
  return { outputs, scriptFailures: of('script'), offline: of('stale'), strict: of('strict'), notes };
}

function render(manifest: Manifest, doc: JsonObject): RegenOutput {
  const after = pythonJsonDumpsIndented(doc);
  const current = after === manifest.text;
  return {
    path: manifest.path,
    before: manifest.text,
    after,
    changes: current ? [] : describeChanges(manifest.path, manifest.doc, doc),
    headline: current ? '' : firstChange(manifest.path, manifest.doc, doc),
  };
}

function compareNames(path: string, packages: JsonObject[], expected: string[], origin: string, fail: (message: string) => void): void {
  const actual = new Set<string>();
  packages.forEach((pkg, index) => {
    if (typeof pkg.name === 'string') actual.add(pkg.name);
    else fail(`${path}: packages[${index}] has no 'name' field`);
  });
  const wanted = new Set(expected);
  for (const name of [...actual].filter((n) => !wanted.has(n)).sort(comparePaths)) {
    fail(`${path}: package '${name}' is not in ${origin}`);
  }
  for (const name of [...wanted].filter((n) => !actual.has(n)).sort(comparePaths)) {
    fail(`${path}: package '${name}' of ${origin} is missing from the manifest`);
  }
}

/**
 * A package without checksums (a new entry, or an external whose archive changed) needs its
 * archive hashed. Scripts from March 2024 on download it; we only do so when asked (--online).
 * Earlier scripts require the field (checked with the others).
 */
async function fillChecksums(
  packages: JsonObject[],
  file: string,
  moved: Set<string>,
  downloads: boolean,
  online: boolean,
  env: NodeJS.ProcessEnv,
  findings: Finding[],
): Promise<void> {
  if (!downloads) return;
  for (const pkg of packages) {
    if ('checksums' in pkg) continue;
    const name = packageName(pkg);
    const location = pkg.downloadLocation;
    if (typeof location !== 'string') {
      findings.push({
        kind: 'script',
        message: `${file}: package '${name}': field 'checksums' is missing and there is no downloadLocation to compute it from`,
      });
    } else if (!online) {
      const why = moved.has(name) ? `downloadLocation changed to ${location}` : `it has none`;
      findings.push({
        kind: 'stale',
        message: `${file}: package '${name}': field 'checksums' cannot be known offline: ${why} (run with --online to download and hash the archive)`,
      });
    } else {
      pkg.checksums = [{ algorithm: 'SHA256', checksumValue: await sha256OfDownload(location, env) }];
    }
  }
}

function cachedReader(root: string): (path: string) => Promise<string | undefined> {
  const cache = new Map<string, Promise<string | undefined>>();
  return (path) => {
    let text = cache.get(path);
    if (!text) {
      // Inside the checkout only, after following links; a FIFO or device is refused.
      text = Promise.resolve().then(() => readFileResolvedInTree(root, path, MAX_CHECKOUT_FILE_BYTES)?.toString('utf8'));
      cache.set(path, text);
    }
    return text;
  };
}

async function requireDirectory(root: string): Promise<void> {
  try {
    if ((await stat(root)).isDirectory()) return;
  } catch (error) {
    throw new InputError(`cannot read ${describeSystemError(error, root)}`);
  }
  throw new InputError(`${root}: not a directory (regen needs a CPython checkout)`);
}
