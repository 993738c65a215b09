import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCatalog, type Catalog } from '../catalog/catalog.js';
import { InputError, describeSystemError } from '../errors.js';
import { comparePaths } from '../source/paths.js';
import { pythonJsonDumpsIndented } from '../util/python-json.js';
import { checkPackage, type CheckContext, type Finding } from './checks.js';
import { sha256OfDownload } from './download.js';
import { parseExternals } from '../detect/externals.js';
import { GET_EXTERNALS, updateExternals } from './externals.js';
import { EXTERNALS_MANIFEST, SOURCE_MANIFEST, packageName, readManifest, type JsonObject, type Manifest } from './manifest.js';
import { SCRIPT_PATH, cpythonVersion as readCPythonVersion, loadPackageFiles } from './package-files.js';
import { buildSourceFiles } from './source-sbom.js';
import { describeChanges } from './staleness.js';

export interface RegenOptions {
  /** Download archives whose checksum is unknown (a changed download location). */
  online?: boolean;
  /** Report manifest/tree version drift as warnings instead of failing. */
  allowDrift?: boolean;
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
}

export interface RegenResult {
  outputs: RegenOutput[];
  /** Findings that did not stop regeneration (drift under allowDrift). */
  warnings: string[];
  /** What was decided along the way (no git, no externals manifest, where the mapping came from). */
  notes: string[];
}

/**
 * Recomputes both manifests of a checkout as its generate_sbom.py would, after every check. Writes
 * nothing: the command decides. Throws a FindingError listing every failed check (the script
 * stops at the first), an InputError for unreadable or malformed input.
 */
export async function regenerate(root: string, options: RegenOptions = {}): Promise<RegenResult> {
  const env = options.env ?? process.env;
  const catalog = options.catalog ?? loadCatalog();
  await requireDirectory(root);
  const source = await readManifest(root, SOURCE_MANIFEST);
  if (!source) throw new InputError(`${root}: not a CPython checkout with an SBOM manifest (${SOURCE_MANIFEST} is missing)`);
  const externals = await readManifest(root, EXTERNALS_MANIFEST);

  const findings: Finding[] = [];
  const notes: string[] = [];
  const fail = (message: string) => findings.push({ message, drift: false });
  const readText = cachedReader(root);

  // --- Misc/sbom.spdx.json: hand-edited packages kept, files and relationships regenerated.
  const mapping = await loadPackageFiles(root, catalog);
  if (mapping.origin !== SCRIPT_PATH) notes.push(`${SCRIPT_PATH} is absent: file lists from ${mapping.origin}`);
  compareNames(source, [...mapping.packages.keys()], mapping.origin, fail);
  const sourceDoc = structuredClone(source.doc);
  const built = await buildSourceFiles(root, mapping.packages);
  if (built.how === 'gitignore-rules') notes.push(`${built.why ?? 'no git'}: ignored paths decided by the .gitignore files`);
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
  sourceDoc.relationships = built.relationships;
  // Errata name releases; a development tree (`3.13.5+`) is judged as the release it follows.
  const cpythonVersion = (await readCPythonVersion(root))?.replace(/\+$/, '');
  const sourceCtx = (name: string): CheckContext => ({
    file: SOURCE_MANIFEST,
    readText,
    catalog,
    ...(cpythonVersion ? { cpythonVersion } : {}),
    treeChecks: mapping.packages.has(name) && !unbundled.has(name),
  });
  await fillChecksums(sourceDoc.packages, SOURCE_MANIFEST, new Set(), options.online === true, env, fail);
  for (const pkg of sourceDoc.packages) findings.push(...(await checkPackage(pkg, sourceCtx(packageName(pkg)))));

  // --- Misc/externals.spdx.json: versions and download locations from get_externals.bat.
  let externalsDoc: JsonObject | undefined;
  if (externals) {
    const bat = await readText(GET_EXTERNALS);
    if (bat === undefined) throw new InputError(`${GET_EXTERNALS}: no such file (needed to regenerate ${EXTERNALS_MANIFEST})`);
    const listed = parseExternals(bat);
    compareNames(externals, [...listed.keys()], GET_EXTERNALS, fail);
    const doc = structuredClone(externals.doc);
    const moved = new Set(updateExternals(doc.packages, listed));
    await fillChecksums(doc.packages, EXTERNALS_MANIFEST, moved, options.online === true, env, fail);
    for (const pkg of doc.packages) {
      findings.push(...(await checkPackage(pkg, { file: EXTERNALS_MANIFEST, readText, catalog, treeChecks: false })));
    }
    externalsDoc = doc;
  } else {
    notes.push(`${EXTERNALS_MANIFEST} is absent: only ${SOURCE_MANIFEST} is regenerated`);
  }

  const tolerated = (finding: Finding) => finding.known === true || (finding.drift && options.allowDrift === true);
  const warnings = findings.filter(tolerated).map((finding) => finding.message);
  const errors = findings.filter((finding) => !tolerated(finding));
  if (errors.length > 0) throw new RegenFindings(errors, warnings);

  const outputs = [render(source, sourceDoc)];
  if (externals && externalsDoc) outputs.push(render(externals, externalsDoc));
  return { outputs, warnings, notes };
}

/** Failed checks; `warnings` are the drift findings --allow-drift let through. */
export class RegenFindings extends Error {
  constructor(
    readonly errors: Finding[],
    readonly warnings: string[],
  ) {
    super(errors.map((finding) => finding.message).join('\n'));
    this.name = 'RegenFindings';
  }
}

function render(manifest: Manifest, doc: JsonObject): RegenOutput {
  const after = pythonJsonDumpsIndented(doc);
  return {
    path: manifest.path,
    before: manifest.text,
    after,
    changes: after === manifest.text ? [] : describeChanges(manifest.path, manifest.doc, doc),
  };
}

function compareNames(manifest: Manifest, expected: string[], origin: string, fail: (message: string) => void): void {
  const actual = new Set<string>();
  manifest.doc.packages.forEach((pkg, index) => {
    if (typeof pkg.name === 'string') actual.add(pkg.name);
    else fail(`${manifest.path}: packages[${index}] has no 'name' field`);
  });
  const wanted = new Set(expected);
  for (const name of [...actual].filter((n) => !wanted.has(n)).sort(comparePaths)) {
    fail(`${manifest.path}: package '${name}' is not in ${origin}`);
  }
  for (const name of [...wanted].filter((n) => !actual.has(n)).sort(comparePaths)) {
    fail(`${manifest.path}: package '${name}' of ${origin} is missing from the manifest`);
  }
}

/**
 * A package without checksums (a new entry, or an external whose archive changed) needs its
 * archive hashed. generate_sbom.py downloads it; we only do so when asked (--online).
 */
async function fillChecksums(
  packages: JsonObject[],
  file: string,
  moved: Set<string>,
  online: boolean,
  env: NodeJS.ProcessEnv,
  fail: (message: string) => void,
): Promise<void> {
  for (const pkg of packages) {
    if ('checksums' in pkg) continue;
    const name = packageName(pkg);
    const location = pkg.downloadLocation;
    if (typeof location !== 'string') {
      fail(`${file}: package '${name}': field 'checksums' is missing and there is no downloadLocation to compute it from`);
    } else if (!online) {
      const why = moved.has(name) ? `downloadLocation changed to ${location}` : `it has none`;
      fail(`${file}: package '${name}': field 'checksums' cannot be known offline: ${why} (run with --online to download and hash the archive)`);
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
      text = readFile(join(root, path), 'utf8').then(
        (value) => value,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
          throw new InputError(`cannot read ${describeSystemError(error, path)}`);
        },
      );
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
