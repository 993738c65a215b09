import { parseVendorTxt } from '../detect/pip.js';
import { parseRecord, parseWheelFileName } from '../detect/wheel.js';
import type { ArchiveMember } from '../detect/archive.js';
import { normalizePackageName } from '../model/document.js';
import { isLicenseFile } from './wheel-members.js';
import { pushAll } from '../util/arrays.js';

/**
 * What a Python project archive says about itself: its core metadata (a wheel's
 * `*.dist-info/METADATA`, an egg's `EGG-INFO/PKG-INFO`, an sdist's `PKG-INFO`) and the projects
 * it vendors (pip's and setuptools' `_vendor/` directories, wheel's `vendored/`), read from the
 * pin lists (`vendor.txt`, `vendored.txt`) and the vendored projects' own `.dist-info`
 * directories, whose RECORD says which members each one installed.
 */

export interface ProjectMetadata {
  name: string;
  version: string;
  /** The member the name and version were read from. */
  metadataMember: string;
  /** Where the version came from, when not from the metadata (the file name). */
  versionFrom: 'metadata' | 'file name';
  format: 'wheel' | 'egg' | 'sdist';
}

/** Members whose bytes this module reads: metadata, RECORDs, pin lists, license files, the first module of each vendored project. */
export function isProjectMetadataMember(name: string): boolean {
  if (/(?:^|\/)(?:[^/]+\.dist-info\/(?:METADATA|RECORD|top_level\.txt)|EGG-INFO\/PKG-INFO|[^/]+\.egg-info\/PKG-INFO|PKG-INFO)$/.test(name)) return true;
  if (/(?:^|\/)(?:_vendor|vendored)\/(?:vendor|vendored)\.txt$/.test(name)) return true;
  if (/(?:^|\/)(?:_vendor|vendored)\/(?:[^/]+\.py|[^/]+\/__init__\.py)$/.test(name)) return true;
  return isLicenseFile(name);
}

/** The header fields of core metadata (RFC 822 style); the body after the first blank line is the description. */
export function metadataField(text: string, field: string): string | undefined {
  const header = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  for (const line of header.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === field.toLowerCase()) {
      const value = line.slice(colon + 1).trim();
      if (value && value !== 'UNKNOWN') return value;
    }
  }
  return undefined;
}

const METADATA_MEMBERS: { pattern: RegExp; format: ProjectMetadata['format'] }[] = [
  { pattern: /^[^/]+\.dist-info\/METADATA$/, format: 'wheel' },
  { pattern: /^EGG-INFO\/PKG-INFO$/, format: 'egg' },
  { pattern: /^[^/]+\.egg-info\/PKG-INFO$/, format: 'sdist' },
  { pattern: /^(?:[^/]+\/)?PKG-INFO$/, format: 'sdist' },
];

/** The project an archive holds, with a name and a version; undefined when it is not a Python project archive. */
export function findProject(members: readonly ArchiveMember[], archivePath: string): ProjectMetadata | undefined {
  for (const { pattern, format } of METADATA_MEMBERS) {
    const member = members.find((candidate) => pattern.test(candidate.name) && candidate.bytes !== undefined);
    if (!member?.bytes) continue;
    const text = member.bytes.toString('utf8');
    const name = metadataField(text, 'Name');
    if (!name) continue;
    const stated = metadataField(text, 'Version');
    const fileName = archivePath.slice(archivePath.lastIndexOf('/') + 1);
    const fromName = parseWheelFileName(fileName)?.version ?? /^[A-Za-z0-9_.]+-([0-9][^-]*)-py\d/.exec(fileName)?.[1];
    const version = stated ?? fromName;
    if (!version) continue;
    return { name, version, metadataMember: member.name, versionFrom: stated ? 'metadata' : 'file name', format };
  }
  return undefined;
}

export interface VendoredProject {
  /** Normalised name, unique within its vendor directory. */
  key: string;
  name: string;
  version: string;
  /** The vendor directory (`setuptools/_vendor/`). */
  dir: string;
  /** Its `.dist-info` directory inside `dir`, when it has one. */
  distInfo?: string;
  /** Paths (relative to `dir`) its RECORD lists. */
  record: Set<string>;
  /** Import names it is found under in `dir` (`jaraco/text`, `typing_extensions`). */
  importNames: string[];
  /** Where the project was found: pin lists and `.dist-info` directories. */
  listedIn: string[];
}

/** Every directory a member path lies in that holds vendored projects: `…/_vendor/`, `…/vendored/`. */
function vendorDirsOf(name: string): string[] {
  const dirs: string[] = [];
  for (const match of name.matchAll(/(?:^|\/)(?:_vendor|vendored)\//g)) dirs.push(name.slice(0, (match.index ?? 0) + match[0].length));
  return dirs;
}

/** The vendored projects of an archive, with a warning for each pin list that cannot be read or that its dist-info directories contradict. */
export function findVendored(members: readonly ArchiveMember[], archivePath: string, warnings: string[]): VendoredProject[] {
  const byName = new Map(members.map((member) => [member.name, member]));
  const dirs = new Set<string>();
  for (const member of members) for (const dir of vendorDirsOf(member.name)) dirs.add(dir);
  const projects: VendoredProject[] = [];
  for (const dir of [...dirs].sort()) {
    const found = new Map<string, VendoredProject>();
    for (const list of ['vendor.txt', 'vendored.txt']) {
      const member = byName.get(`${dir}${list}`);
      if (!member?.bytes) continue;
      try {
        for (const pin of parseVendorTxt(member.bytes.toString('utf8'), `${archivePath}/${member.name}`)) {
          const key = normalizePackageName(pin.name);
          const known = found.get(key);
          if (known) known.listedIn.push(member.name);
          else found.set(key, { key, name: pin.name, version: pin.version, dir, record: new Set(), importNames: [], listedIn: [member.name] });
        }
      } catch (error) {
        warnings.push(`${(error as Error).message}; the pins of ${archivePath}/${member.name} are not used`);
      }
    }
    for (const member of members) {
      const match = /^([^/]+)\.dist-info\/METADATA$/.exec(member.name.slice(dir.length));
      if (!member.name.startsWith(dir) || !match || !member.bytes) continue;
      const text = member.bytes.toString('utf8');
      const distInfo = `${match[1]}.dist-info/`;
      const name = metadataField(text, 'Name') ?? /^(.+)-[^-]+$/.exec(match[1] as string)?.[1];
      const version = metadataField(text, 'Version') ?? /-([^-]+)$/.exec(match[1] as string)?.[1];
      if (!name || !version) continue;
      const key = normalizePackageName(name);
      const record = new Set(parseRecord(byName.get(`${dir}${distInfo}RECORD`)?.bytes?.toString('utf8') ?? '').map((entry) => entry.path));
      const pinned = found.get(key);
      if (pinned && pinned.version !== version) {
        warnings.push(
          `${archivePath}: ${pinned.listedIn.join(' and ')} pin${pinned.listedIn.length === 1 ? 's' : ''} ${pinned.name} ${pinned.version} but ${dir}${distInfo} is ${version}; the dist-info directory is what is vendored`,
        );
      }
      found.set(key, { key, name, version, dir, distInfo, record, importNames: [], listedIn: [...(pinned?.listedIn ?? []), `${dir}${distInfo}`] });
    }
    for (const project of found.values()) {
      const names = new Set<string>();
      // What its RECORD says it installed, top level only (`autocommand/…`, `typing_extensions.py`).
      for (const path of project.record) {
        if (path.startsWith('../') || path.startsWith(project.distInfo ?? '\0')) continue;
        const top = path.split('/', 1)[0] as string;
        names.add(path.includes('/') ? top : top.replace(/\.py$/, ''));
      }
      // And the names a project is imported by as a rule (`jaraco.text` -> `jaraco/text`).
      const lower = project.name.toLowerCase();
      for (const name of [
        project.key.replaceAll('-', '_'),
        lower.replaceAll('-', '_').replaceAll('.', '_'),
        lower.replaceAll('.', '/'),
        project.key.replaceAll('-', '/'),
      ])
        names.add(name);
      project.importNames = [...names].filter((name) => name.length > 0);
    }
    pushAll(
      projects,
      [...found.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    );
  }
  return projects;
}

/**
 * Which vendored project a member belongs to: in the deepest vendor directory it lies in, the
 * project whose `.dist-info` directory holds it, whose RECORD lists it, or whose import name
 * starts its path (the longest such name); failing that, the same in the next shallower vendor
 * directory (wheel's own `vendored/__init__.py` is wheel's, not packaging's).
 */
export function vendoredOwner(projects: readonly VendoredProject[], member: string): VendoredProject | undefined {
  for (const [dir, here] of projectsByDir(projects)) {
    if (!member.startsWith(dir)) continue;
    const rest = member.slice(dir.length);
    const exact = here.find((project) => (project.distInfo !== undefined && rest.startsWith(project.distInfo)) || project.record.has(rest));
    if (exact) return exact;
    let best: { project: VendoredProject; length: number } | undefined;
    for (const project of here) {
      for (const name of project.importNames) {
        if ((rest.startsWith(`${name}/`) || rest.startsWith(`${name}.`)) && name.length > (best?.length ?? 0)) best = { project, length: name.length };
      }
    }
    if (best) return best.project;
  }
  return undefined;
}

const byDir = new WeakMap<readonly VendoredProject[], [string, VendoredProject[]][]>();

/** The projects grouped by vendor directory, deepest directory first (worked out once per list: an archive asks for each member). */
function projectsByDir(projects: readonly VendoredProject[]): [string, VendoredProject[]][] {
  let groups = byDir.get(projects);
  if (!groups) {
    const map = new Map<string, VendoredProject[]>();
    for (const project of projects) {
      const group = map.get(project.dir);
      if (group) group.push(project);
      else map.set(project.dir, [project]);
    }
    groups = [...map].sort((a, b) => b[0].length - a[0].length);
    byDir.set(projects, groups);
  }
  return groups;
}
