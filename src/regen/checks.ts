import { findComponent, readVersion, type Catalog } from '../catalog/catalog.js';
import { isObject, packageName, type JsonObject } from './manifest.js';
import { encodeSpdxId } from '../formats/spdx/ids.js';

/**
 * The checks generate_sbom.py makes of each hand-edited package entry, plus the drift checks it
 * lacks. Every finding names the manifest, the package and the field. `drift` marks a
 * disagreement between the manifest and the tree (refresh scripts, vendored headers), which
 * `--allow-drift` turns into a warning; the rest are always errors.
 */
export interface Finding {
  message: string;
  drift: boolean;
  /** A drift the catalog records as a known mistake of this very release: always a warning. */
  known?: boolean;
}

export interface CheckContext {
  /** The manifest the package is from, for messages. */
  file: string;
  /** Reads a tree file as text; undefined when absent. */
  readText(path: string): Promise<string | undefined>;
  catalog: Catalog;
  /**
   * Whether to hold the package against the vendored sources. Only for Misc/sbom.spdx.json, and
   * only when the component's files are there (an unbundled component is reported once, elsewhere).
   */
  treeChecks: boolean;
  /** CPython version of the checkout (Include/patchlevel.h), to find the catalog's errata. */
  cpythonVersion?: string;
}

const REQUIRED_FIELDS = [
  'SPDXID',
  'name',
  'versionInfo',
  'downloadLocation',
  'checksums',
  'licenseConcluded',
  'externalRefs',
  'primaryPackagePurpose',
] as const;

const HACL_REFRESH = 'Modules/_hacl/refresh.sh';
const EXPAT_REFRESH = 'Modules/expat/refresh.sh';

export async function checkPackage(pkg: JsonObject, ctx: CheckContext): Promise<Finding[]> {
  const findings: Finding[] = [];
  const name = packageName(pkg);
  const at = (field: string) => `${ctx.file}: package '${name}': field '${field}'`;
  const fail = (message: string, drift = false) => findings.push({ message, drift });

  // A missing checksum is reported where downloads are decided (it may be fetched with --online).
  const missing = REQUIRED_FIELDS.filter((field) => field !== 'checksums' && !(field in pkg));
  if (missing.length > 0) fail(`${ctx.file}: package '${name}': missing required field(s) ${missing.map((f) => `'${f}'`).join(', ')}`);

  const expectedId = encodeSpdxId(`SPDXRef-PACKAGE-${name}`);
  if ('SPDXID' in pkg && pkg.SPDXID !== expectedId) {
    fail(`${at('SPDXID')} is ${JSON.stringify(pkg.SPDXID)}, expected '${expectedId}'`);
  }
  if ('licenseConcluded' in pkg && pkg.licenseConcluded !== 'NOASSERTION') {
    fail(`${at('licenseConcluded')} is ${JSON.stringify(pkg.licenseConcluded)}, must be 'NOASSERTION'`);
  }

  const version = pkg.versionInfo;
  if ('versionInfo' in pkg && typeof version !== 'string') fail(`${at('versionInfo')} must be a string`);
  if (typeof version === 'string') {
    if (typeof pkg.downloadLocation === 'string' && !pkg.downloadLocation.includes(version)) {
      fail(`${at('downloadLocation')} (${pkg.downloadLocation}) does not contain versionInfo '${version}'`);
    }
    const refs = pkg.externalRefs;
    if ('externalRefs' in pkg && !Array.isArray(refs)) fail(`${at('externalRefs')} must be a list`);
    if (Array.isArray(refs)) {
      refs.forEach((ref, index) => {
        const locator = isObject(ref) ? ref.referenceLocator : undefined;
        if (typeof locator !== 'string' || !locator.includes(version)) {
          fail(`${at(`externalRefs[${index}].referenceLocator`)} (${String(locator)}) does not contain versionInfo '${version}'`);
        }
      });
    }
    if (ctx.treeChecks) findings.push(...(await checkAgainstTree(pkg, name, version, ctx)));
  }
  return findings;
}

async function checkAgainstTree(pkg: JsonObject, name: string, version: string, ctx: CheckContext): Promise<Finding[]> {
  const findings: Finding[] = [];
  // The same reviewed errata `generate` honours (catalog manifestErrata): that release's drift is
  // reported, not refused, so the release's own manifest can still be regenerated.
  const erratum = findComponent(name, ctx.catalog)?.manifestErrata?.find(
    (known) => known.cpython === ctx.cpythonVersion && known.manifest === version,
  );
  const drift = (message: string) =>
    findings.push(
      erratum
        ? { message: `${message} (known erratum of CPython ${erratum.cpython}: ${erratum.note})`, drift: true, known: true }
        : { message, drift: true },
    );
  const at = (field: string) => `${ctx.file}: package '${name}': field '${field}'`;
  const checkedFiles = new Set<string>();

  const fromRefreshScript = async (path: string, variable: string, regex: RegExp): Promise<string | undefined> => {
    checkedFiles.add(path);
    const text = await ctx.readText(path);
    if (text === undefined) {
      drift(`${ctx.file}: package '${name}': ${path} is missing, so versionInfo cannot be checked`);
      return undefined;
    }
    const value = regex.exec(text)?.[1];
    if (value === undefined) drift(`${ctx.file}: package '${name}': ${path} sets no ${variable}`);
    return value;
  };

  // The refresh scripts pin what the vendored copy was taken from (generate_sbom.py's own checks;
  // 3.13.5's expat check compared against the name 'libexpat' and so never ran).
  if (name === 'hacl-star') {
    const rev = await fromRefreshScript(HACL_REFRESH, 'expected_hacl_star_rev', /expected_hacl_star_rev=([0-9a-f]{40})/);
    if (rev !== undefined && rev !== version) {
      drift(`${at('versionInfo')} is '${version}' but ${HACL_REFRESH} pins expected_hacl_star_rev=${rev}`);
    }
  }
  if (name === 'expat') {
    const text = await ctx.readText(EXPAT_REFRESH);
    const expected = await fromRefreshScript(EXPAT_REFRESH, 'expected_libexpat_version', /expected_libexpat_version="([0-9]+\.[0-9]+\.[0-9]+)"/);
    if (expected !== undefined && expected !== version) {
      drift(`${at('versionInfo')} is '${version}' but ${EXPAT_REFRESH} pins expected_libexpat_version="${expected}"`);
    }
    const sha256 = text === undefined ? undefined : /expected_libexpat_sha256="([a-f0-9]{64})"/.exec(text)?.[1];
    if (text !== undefined && sha256 === undefined) drift(`${ctx.file}: package '${name}': ${EXPAT_REFRESH} sets no expected_libexpat_sha256`);
    const checksums = pkg.checksums;
    const matches =
      Array.isArray(checksums) &&
      checksums.length === 1 &&
      isObject(checksums[0]) &&
      checksums[0].algorithm === 'SHA256' &&
      checksums[0].checksumValue === sha256 &&
      Object.keys(checksums[0]).length === 2;
    if (sha256 !== undefined && checksums !== undefined && !matches) {
      drift(`${at('checksums')} is not exactly [SHA256 ${sha256}] as ${EXPAT_REFRESH} pins (expected_libexpat_sha256)`);
    }
  }

  // Stricter than generate_sbom.py: the vendored sources record their own version too.
  const source = findComponent(name, ctx.catalog)?.version;
  if (source && !checkedFiles.has(source.file)) {
    const text = await ctx.readText(source.file);
    if (text === undefined) {
      drift(`${ctx.file}: package '${name}': ${source.file} is missing, so versionInfo cannot be checked against the vendored sources`);
    } else {
      const found = readVersion(source, text);
      if (found === undefined) drift(`${ctx.file}: package '${name}': no version found in ${source.file}`);
      else if (found !== version) drift(`${at('versionInfo')} is '${version}' but the vendored ${source.file} says '${found}'`);
    }
  }
  return findings;
}
