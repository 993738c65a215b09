import { checkPattern } from '../util/regex-shape.js';
import type { Finding as ModelFinding } from '../model/findings.js';
import { findComponent, readVersion, type Catalog } from '../catalog/catalog.js';
import { isObject, packageName, type JsonObject } from './manifest.js';
import { encodeSpdxId } from '../formats/spdx/ids.js';
import { CURRENT_RULES, type RefreshCheck, type ScriptRules } from './script-rules.js';
import { pushAll } from '../util/arrays.js';

/**
 * The checks the checkout's generate_sbom.py makes of each hand-edited package entry, exactly as
 * that generation of the script makes them, plus stricter ones it lacks. Every finding names the
 * manifest, the package and the field.
 * - `script`: the script itself would fail (exit 1, nothing written);
 * - `strict`: drift the script cannot see (vendored headers, refresh scripts it does not read):
 *   a warning, a finding under `--strict`;
 * - `stale`: not a failed check but a change the script would make that we cannot compute offline.
 */
export type FindingKind = 'script' | 'strict' | 'stale';

export type Finding = ModelFinding<FindingKind>;

export interface CheckContext {
  /** The manifest the package is from, for messages. */
  file: string;
  /** Reads a tree file as text; undefined when absent. */
  readText(path: string): Promise<string | undefined>;
  rules: ScriptRules;
  /** The catalog, for the stricter checks against the vendored sources (loaded on demand). */
  catalog(): Promise<Catalog>;
  /**
   * Whether to hold the package against the vendored sources. Only for Misc/sbom.spdx.json, and
   * only when the component's files are there (an unbundled component is reported once, elsewhere).
   */
  treeChecks: boolean;
}

export async function checkPackage(pkg: JsonObject, ctx: CheckContext): Promise<Finding[]> {
  const findings: Finding[] = [];
  const name = packageName(pkg);
  const at = (field: string) => `${ctx.file}: package '${name}': field '${field}'`;
  const fail = (message: string) => findings.push({ message, kind: 'script' });
  const { rules } = ctx;

  // A missing checksum is reported where downloads are decided, when the script downloads it.
  const required = rules.required.fields.filter((field) => !(field === 'checksums' && rules.downloadsMissingChecksums));
  const missing = required.filter((field) => !(field in pkg));
  if (missing.length > 0) fail(`${ctx.file}: package '${name}': missing required field(s) ${missing.map((f) => `'${f}'`).join(', ')}`);
  if (rules.required.exact) {
    const extra = Object.keys(pkg).filter((field) => !rules.required.fields.includes(field));
    if (extra.length > 0) {
      fail(
        `${ctx.file}: package '${name}': field(s) ${extra.map((f) => `'${f}'`).join(', ')} not allowed (this script requires exactly REQUIRED_PROPERTIES_PACKAGE)`,
      );
    }
  }

  const expectedId = encodeSpdxId(`SPDXRef-PACKAGE-${name}`);
  if ('SPDXID' in pkg && pkg.SPDXID !== expectedId) {
    fail(`${at('SPDXID')} is ${JSON.stringify(pkg.SPDXID)}, expected '${expectedId}'`);
  }
  if ('licenseConcluded' in pkg) {
    const license = rules.license;
    if (license.kind === 'noassertion' && pkg.licenseConcluded !== 'NOASSERTION') {
      fail(`${at('licenseConcluded')} is ${JSON.stringify(pkg.licenseConcluded)}, must be 'NOASSERTION'`);
    }
    if (license.kind === 'allowed' && !(typeof pkg.licenseConcluded === 'string' && license.expressions.includes(pkg.licenseConcluded))) {
      fail(`${at('licenseConcluded')} is ${JSON.stringify(pkg.licenseConcluded)}, not in the script's ALLOWED_LICENSE_EXPRESSIONS`);
    }
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
    if (ctx.treeChecks) pushAll(findings, await checkAgainstTree(pkg, name, version, ctx));
  }
  return findings;
}

async function checkAgainstTree(pkg: JsonObject, name: string, version: string, ctx: CheckContext): Promise<Finding[]> {
  const findings: Finding[] = [];
  const checkedFiles = new Set<string>();

  // The refresh scripts the checkout's script reads, as it reads them: a missing file or a
  // mismatch fails the script.
  const own = ctx.rules.refreshChecks.filter((check) => check.packageName === name);
  for (const check of own) {
    checkedFiles.add(check.file);
    pushAll(findings, await refreshCheck(pkg, name, version, check, ctx, 'script'));
  }
  // Stricter: the same checks where this generation of the script does not make them (expat
  // before 3.13.6, whose check looked for a package named 'libexpat'; HACL* before March 2024),
  // when the refresh script is there at all.
  for (const check of CURRENT_RULES.refreshChecks) {
    if (check.packageName !== name || checkedFiles.has(check.file)) continue;
    checkedFiles.add(check.file);
    if ((await ctx.readText(check.file)) === undefined) continue;
    pushAll(findings, await refreshCheck(pkg, name, version, check, ctx, 'strict'));
  }

  // Stricter: the vendored sources record their own version too.
  const source = findComponent(name, await ctx.catalog())?.version;
  if (source && !checkedFiles.has(source.file)) {
    const strict = (message: string) => findings.push({ message, kind: 'strict' });
    const text = await ctx.readText(source.file);
    if (text === undefined) {
      strict(`${ctx.file}: package '${name}': ${source.file} is missing, so versionInfo cannot be checked against the vendored sources`);
    } else {
      const found = readVersion(source, text);
      if (found === undefined) strict(`${ctx.file}: package '${name}': no version found in ${source.file}`);
      else if (found !== version) strict(`${ctx.file}: package '${name}': field 'versionInfo' is '${version}' but the vendored ${source.file} says '${found}'`);
    }
  }
  return findings;
}

async function refreshCheck(pkg: JsonObject, name: string, version: string, check: RefreshCheck, ctx: CheckContext, kind: FindingKind): Promise<Finding[]> {
  const findings: Finding[] = [];
  const report = (message: string) => findings.push({ message, kind });
  const at = (field: string) => `${ctx.file}: package '${name}': field '${field}'`;
  const text = await ctx.readText(check.file);
  if (text === undefined) {
    report(`${ctx.file}: package '${name}': ${check.file} is missing, so versionInfo cannot be checked`);
    return findings;
  }
  for (const pattern of check.patterns) {
    if (!pattern.hasGroup) {
      // The script would take group(1) of a regex without groups and stop with an exception.
      report(`${at(pattern.compares)}: the script's pattern for ${pattern.variable} in ${check.file} has no group, so its check cannot pass`);
      continue;
    }
    // The pattern comes from the checkout's script: one that could backtrack super-linearly over
    // the refresh script (a hostile checkout chooses both) is not run.
    const shape = checkPattern(pattern.regex)[0];
    if (shape !== undefined) {
      report(`${at(pattern.compares)}: the script's pattern for ${pattern.variable} is not run: ${shape}`);
      continue;
    }
    let value: string | undefined;
    try {
      value = new RegExp(pattern.regex).exec(text)?.[1];
    } catch {
      report(`${at(pattern.compares)}: the script's pattern for ${pattern.variable} is not a regular expression regen can read`);
      continue;
    }
    if (pattern.compares === 'versionInfo') {
      if (value === undefined) report(`${at('versionInfo')}: ${check.file} sets no ${pattern.variable}`);
      else if (value !== version) report(`${at('versionInfo')} is '${version}' but ${check.file} pins ${pattern.variable}="${value}"`);
    } else {
      const checksums = pkg.checksums;
      const matches =
        value !== undefined &&
        Array.isArray(checksums) &&
        checksums.length === 1 &&
        isObject(checksums[0]) &&
        checksums[0].algorithm === 'SHA256' &&
        checksums[0].checksumValue === value &&
        Object.keys(checksums[0]).length === 2;
      if (value === undefined) report(`${at('checksums')}: ${check.file} sets no ${pattern.variable}`);
      else if (!matches) report(`${at('checksums')} is not exactly [SHA256 ${value}] as ${check.file} pins (${pattern.variable})`);
    }
  }
  return findings;
}
