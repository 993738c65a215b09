import { pythonJsonDumpsCompact, type JsonValue } from '../util/python-json.js';
import { isObject, packageName, type JsonObject } from './manifest.js';
import { pushAll } from '../util/arrays.js';

/**
 * A short human account of why a manifest is stale: per package, the files added, removed and
 * re-hashed (each named), and the package fields that change. Lines are indented for nesting.
 */
export function describeChanges(file: string, before: unknown, after: JsonObject): string[] {
  const lines: string[] = [];
  const old = isObject(before) ? before : {};
  const oldFiles = filesByPackage(old);
  const newFiles = filesByPackage(after);
  const oldPackages = packagesByName(old);
  const newPackages = packagesByName(after);

  const names = [...new Set([...oldFiles.keys(), ...newFiles.keys(), ...oldPackages.keys(), ...newPackages.keys()])].sort();
  for (const name of names) {
    const parts: string[] = [];
    const details: string[] = [];
    const fields = changedFields(oldPackages.get(name), newPackages.get(name));
    if (fields.length > 0) parts.push(fields.join(', '));

    const was = oldFiles.get(name) ?? new Map<string, string>();
    const now = newFiles.get(name) ?? new Map<string, string>();
    const added = [...now.keys()].filter((path) => !was.has(path));
    const removed = [...was.keys()].filter((path) => !now.has(path));
    const rehashed = [...now.keys()].filter((path) => was.has(path) && was.get(path) !== now.get(path));
    if (added.length + removed.length + rehashed.length > 0) {
      parts.push(`files: ${added.length} added, ${removed.length} removed, ${rehashed.length} re-hashed`);
      for (const path of added) details.push(`    added      ${path}`);
      for (const path of removed) details.push(`    removed    ${path}`);
      for (const path of rehashed) details.push(`    re-hashed  ${path}`);
    }
    if (parts.length > 0) {
      lines.push(`  ${name}: ${parts.join('; ')}`);
      pushAll(lines, details);
    }
  }
  if (lines.length === 0) lines.push(`  order or formatting differs (it is rewritten as json.dumps(indent=2, sort_keys=True))`);
  return [`${file}:`, ...lines];
}

/**
 * The first change as one line naming manifest, package and field, for the first line of
 * `regen --check`'s report: `Misc/sbom.spdx.json: package 'expat': field 'files' (1 added, ...)`.
 */
export function firstChange(file: string, before: unknown, after: JsonObject): string {
  const lines = describeChanges(file, before, after)
    .slice(1)
    .filter((line) => /^ {2}\S/.test(line));
  const [first] = lines;
  const more = lines.length > 1 ? ` (and ${lines.length - 1} more package${lines.length > 2 ? 's' : ''})` : '';
  const match = first === undefined ? undefined : /^ {2}(.*?): (.*)$/.exec(first);
  if (!match) return `${file}: ${first?.trim() ?? 'changes'}`;
  const [, name, what] = match as unknown as [string, string, string];
  const parts = (what as string).split('; ');
  const describe = (part: string): string => {
    const files = /^files: (.*)$/.exec(part);
    if (files) return `field 'files' (${files[1]})`;
    if (part === 'package added' || part === 'package removed') return part;
    const field = /^(\S+) (.*)$/.exec(part);
    return field ? `field '${field[1]}' ${field[2]}` : part;
  };
  return `${file}: package '${name}': ${parts.map(describe).join('; ')}${more}`;
}

/** Package name -> (file name -> checksums as text), through the CONTAINS relationships. */
function filesByPackage(doc: JsonObject): Map<string, Map<string, string>> {
  const packageById = new Map<string, string>();
  for (const pkg of list(doc.packages)) {
    if (isObject(pkg) && typeof pkg.SPDXID === 'string') packageById.set(pkg.SPDXID, packageName(pkg));
  }
  const ownerOfFile = new Map<string, string>();
  for (const rel of list(doc.relationships)) {
    if (!isObject(rel) || rel.relationshipType !== 'CONTAINS') continue;
    const owner = packageById.get(String(rel.spdxElementId));
    if (owner !== undefined) ownerOfFile.set(String(rel.relatedSpdxElement), owner);
  }
  const result = new Map<string, Map<string, string>>();
  for (const file of list(doc.files)) {
    if (!isObject(file)) continue;
    const owner = ownerOfFile.get(String(file.SPDXID)) ?? '(no package)';
    if (!result.has(owner)) result.set(owner, new Map());
    (result.get(owner) as Map<string, string>).set(String(file.fileName), pythonJsonDumpsCompact(file.checksums ?? null));
  }
  return result;
}

function packagesByName(doc: JsonObject): Map<string, JsonObject> {
  const result = new Map<string, JsonObject>();
  for (const pkg of list(doc.packages)) if (isObject(pkg)) result.set(packageName(pkg), pkg);
  return result;
}

function changedFields(before: JsonObject | undefined, after: JsonObject | undefined): string[] {
  if (!before && after) return ['package added'];
  if (before && !after) return ['package removed'];
  if (!before || !after) return [];
  const fields: string[] = [];
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const was = before[key];
    const now = after[key];
    if (text(was) === text(now)) continue;
    if (typeof was === 'string' && typeof now === 'string') fields.push(`${key} ${was} -> ${now}`);
    else fields.push(`${key} changed`);
  }
  return fields;
}

function text(value: JsonValue | undefined): string {
  return value === undefined ? '' : pythonJsonDumpsCompact(value);
}

function list(value: JsonValue | undefined): JsonValue[] {
  return Array.isArray(value) ? value : [];
}
