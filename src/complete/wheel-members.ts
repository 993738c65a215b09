import { type Catalog, loadCatalog } from '../catalog/catalog.js';
import { BUNDLED_DIR, isBundledWheel, parseVendorTxt } from '../detect/pip.js';
import type { Finding } from '../detect/types.js';
import { type WheelMember, parseRecord, parseWheelFileName, readAllWheelMembers } from '../detect/wheel.js';
import { fileChecksums, normalizePackageName } from '../model/document.js';
import type { FileEntry, Package } from '../model/types.js';
import { type FileEvidence, scanFileEvidence } from '../license/file-scan.js';
import { describeFileEvidence, mayHoldText } from './file-evidence.js';
import type { CompleteContext, CompleteStep, LicenseSource } from './index.js';
import { pushAll } from '../util/arrays.js';

/**
 * Inside the bundled wheels (complete profile). Every member of each wheel in
 * Lib/ensurepip/_bundled/ is hashed (SHA-1, SHA-256) and held against the wheel's RECORD: a member
 * whose SHA-256 disagrees, a member RECORD does not list, or a RECORD entry the wheel lacks is a
 * finding naming it. Each member becomes a file of the document named
 * `<wheel path>/<member path>` (`Lib/ensurepip/_bundled/pip-26.2.1-py3-none-any.whl/pip/__init__.py`),
 * owned by the vendored project it belongs to (`pip/_vendor/urllib3/...` by urllib3) or else by
 * the wheel's own package, which also owns the wheel file. So every vendored project has real
 * files, hashes and a verification code. License texts found on the way (the wheel's METADATA
 * and License-File members, vendored projects' license files or module headers) go to the
 * licenses step.
 */
export function wheelMembersStep(catalog: Catalog = loadCatalog()): CompleteStep {
  // Inflating, hashing and scanning a wheel's members needs nothing but its bytes and the
  // catalog, so it starts as soon as the scan has read the wheel (the main thread mostly waits
  // for the decompressor then); apply() takes the result, or does the work itself.
  const early = new Map<string, { bytes: Buffer; read: Promise<ReadWheel | undefined> }>();
  return {
    name: 'wheelMembers',
    wants: isBundledWheel,
    reads: {
      wants: isBundledWheel,
      see(path, bytes) {
        if (early.has(path)) return;
        const read = readWheel(path, bytes, catalog);
        // A failure is reported when apply() awaits it, not as an unhandled rejection before.
        read.catch(() => undefined);
        early.set(path, { bytes, read });
      },
    },
    async apply(context: CompleteContext): Promise<void> {
      const { document } = context;
      const byRef = new Map(document.packages.map((pkg) => [pkg.ref, pkg]));
      const wheels = [...context.detect.files.keys()].filter(isBundledWheel).sort();
      const touched = new Set<Package>();
      for (const wheelPath of wheels) {
        const parsed = parseWheelFileName(wheelPath.slice(BUNDLED_DIR.length));
        const pkg = parsed ? byRef.get(parsed.project.toLowerCase()) : undefined;
        const bytes = context.detect.content(wheelPath);
        if (!parsed || !pkg || !bytes) continue;
        const spec = catalog.wheels?.[pkg.ref];
        // The early read, when it was of these very bytes.
        const seen = early.get(wheelPath);
        early.delete(wheelPath);
        // The early read hashed with SHA-1 and SHA-256 only: --hash sha512 reads the wheel again.
        const sha512 = context.sha512 === true;
        const read = await (seen?.bytes === bytes && !sha512 ? seen.read : readWheel(wheelPath, bytes, catalog, sha512));
        if (!read) continue;
        const { members, evidenceOf } = read;
        const record = checkRecord(members, wheelPath);
        if (record === undefined) context.warnings.push(`${wheelPath}: the wheel has no *.dist-info/RECORD, so its members cannot be checked against it`);
        else pushAll(context.findings, record);

        // The wheel file itself now belongs to its package (python.org gives it to CPython when there is a manifest).
        for (const other of document.packages) other.files = other.files.filter((path) => path !== wheelPath);
        pkg.files.push(wheelPath);
        touched.add(pkg);

        const owners = vendoredOwners(pkg, byRef, spec?.vendorDirs ?? {}, spec?.importNames ?? {}, members, catalog, parsed.version);
        const sources = new Map<Package, LicenseSource[]>();
        const addSource = (owner: Package, member: WheelMember, method: LicenseSource['method']) => {
          if (!member.bytes) return;
          const list = sources.get(owner) ?? [];
          list.push({ text: member.bytes.toString('utf8'), file: `${wheelPath}/${member.name}`, method });
          sources.set(owner, list);
        };
        const memberByName = new Map(members.map((member) => [member.name, member]));
        for (const member of members) {
          const path = `${wheelPath}/${member.name}`;
          const entry: FileEntry = { path, checksums: fileChecksums(member) };
          const evidence = evidenceOf.get(member.name);
          if (evidence) describeFileEvidence(entry, evidence, document);
          document.files.push(entry);
          const owner: Package = owners(member.name) ?? pkg;
          owner.files.push(path);
          touched.add(owner);
          if (owner !== pkg && isLicenseFile(member.name)) addSource(owner, member, 'license-text');
        }

        // The wheel's own metadata and the license files it names, except vendored projects' (pip 24+ lists those too).
        const metadata = members.find((member) => /^[^/]+\.dist-info\/METADATA$/.test(member.name));
        if (metadata) {
          addSource(pkg, metadata, 'wheel-metadata');
          const distInfo = metadata.name.slice(0, -'METADATA'.length);
          const text = metadata.bytes?.toString('utf8') ?? '';
          // The value trimmed in code: `\s*(.+?)\s*$` backtracks quadratically over a line of spaces.
          for (const match of text.matchAll(/^License-File:(.*)$/gm)) {
            const name = (match[1] as string).trim();
            if (name === '') continue;
            if (/(^|\/)_vendor\//.test(name)) continue;
            const member = memberByName.get(`${distInfo}licenses/${name}`) ?? memberByName.get(`${distInfo}${name}`);
            if (member) addSource(pkg, member, 'license-text');
          }
        }
        // The top of a vendored project's code states its copyright (and, without a license file, its license).
        for (const dependency of pkg.dependsOn) {
          const owner = byRef.get(dependency);
          if (!owner) continue;
          const head = owner.files
            .filter((path) => path.startsWith(`${wheelPath}/`) && /(?:\/__init__\.py|\/[^/]+\.py)$/.test(path))
            .map((path) => memberByName.get(path.slice(wheelPath.length + 1)))
            .find((member) => member?.bytes !== undefined);
          if (head) addSource(owner, head, 'header');
        }
        for (const [owner, list] of sources) {
          context.licenseSources.set(owner.ref, [...(context.licenseSources.get(owner.ref) ?? []), ...list]);
        }
      }
      for (const pkg of touched) pkg.files.sort();
      document.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
  };
}

interface ReadWheel {
  members: WheelMember[];
  /** What each text member states (file-scan.ts), by member name. */
  evidenceOf: Map<string, FileEvidence>;
}

/** A bundled wheel's members, hashed, with what each text member states; only the bytes later steps read are kept. */
async function readWheel(wheelPath: string, bytes: Buffer, catalog: Catalog, sha512 = false): Promise<ReadWheel | undefined> {
  const parsed = parseWheelFileName(wheelPath.slice(BUNDLED_DIR.length));
  if (!parsed) return undefined;
  // The wheel's package is the one whose ref is the project's name (apply() looks it up so).
  const vendorDirs = Object.keys(catalog.wheels?.[parsed.project.toLowerCase()]?.vendorDirs ?? {});
  // Every text member is read for the license and copyright it states: its bytes are kept
  // until it is scanned, and only those of the members later steps read stay.
  const members = await readAllWheelMembers(bytes, wheelPath, (name) => keepMember(name, vendorDirs) || mayHoldText(name), { sha512 });
  const evidenceOf = new Map<string, FileEvidence>();
  for (const member of members) {
    const evidence = member.bytes ? scanFileEvidence(`${wheelPath}/${member.name}`, member.bytes) : undefined;
    if (evidence) evidenceOf.set(member.name, evidence);
    if (!keepMember(member.name, vendorDirs)) delete member.bytes;
  }
  return { members, evidenceOf };
}

const LICENSE_NAME = /^(?:licen[cs]e|copying|notice)(?:[.-][^/]*)?$/i;

/** `LICENSE`, `COPYING.txt`, `LICENSE.APACHE`, and a single-module project's `six.LICENSE`. */
export function isLicenseFile(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return LICENSE_NAME.test(base) || /\.(?:licen[cs]e|copying)(?:\.txt)?$/i.test(base);
}

/** Members whose bytes later steps read: metadata, pin lists, license files, module heads. */
function keepMember(name: string, vendorDirs: string[]): boolean {
  if (/^[^/]+\.dist-info\/(?:METADATA|RECORD)$/.test(name)) return true;
  if (/^[^/]+\.dist-info\//.test(name) && isLicenseFile(name)) return true;
  for (const dir of vendorDirs) {
    if (!name.startsWith(dir)) continue;
    const rest = name.slice(dir.length);
    if (isLicenseFile(rest) || /^vendor(?:ed)?\.txt$/.test(rest)) return true;
    // The first file of each vendored project: a single module, or its package's __init__.py.
    if (/^[^/]+\.py$/.test(rest) || /^[^/]+\/__init__\.py$/.test(rest) || /^[^/]+\/[^/]+\/__init__\.py$/.test(rest)) return true;
  }
  return false;
}

/**
 * RECORD against the members: every member listed with its SHA-256, every entry present.
 * Undefined when the wheel has no RECORD (not a valid wheel, but nothing to hold it against).
 */
export function checkRecord(members: WheelMember[], wheelPath: string): Finding[] | undefined {
  const record = members.find((member) => /^[^/]+\.dist-info\/RECORD$/.test(member.name));
  if (!record?.bytes) return undefined;
  const findings: Finding[] = [];
  const listed = new Map(parseRecord(record.bytes.toString('utf8')).map((entry) => [entry.path, entry]));
  const present = new Set<string>();
  for (const member of members) {
    present.add(member.name);
    const where = `${wheelPath}/${member.name}`;
    // RECORD cannot hold its own hash; signatures of RECORD are not listed either (PEP 427).
    if (member === record || /\.dist-info\/RECORD\.(?:jws|p7s)$/.test(member.name)) continue;
    const entry = listed.get(member.name);
    if (!entry) {
      findings.push({ kind: 'wheel-record', path: where, message: `${where}: not listed in ${record.name}` });
    } else if (entry.sha256 === undefined) {
      findings.push({ kind: 'wheel-record', path: where, message: `${where}: ${record.name} gives no sha256 for it` });
    } else if (entry.sha256 !== member.sha256) {
      findings.push({ kind: 'wheel-record', path: where, message: `${where}: SHA-256 is ${member.sha256} but ${record.name} says ${entry.sha256}` });
    }
  }
  for (const path of listed.keys()) {
    if (!present.has(path))
      findings.push({
        kind: 'wheel-record',
        path: `${wheelPath}/${path}`,
        message: `${wheelPath}: ${record.name} lists ${path}, which the wheel does not hold`,
      });
  }
  return findings;
}

/**
 * Which vendored project a member belongs to: under a vendor directory, the project whose import
 * name (its normalised name, `-` and `.` as `_`, dotted names also as directories, or the
 * catalog's importNames) starts the member's path (`urllib3/`, `six.py`, `six.LICENSE`,
 * `jaraco/text/`), or whose `.dist-info` directory it is in. Where a wheel vendors one project at
 * two versions (setuptools 47–58 vendored packaging twice), the directory's pin list decides.
 */
function vendoredOwners(
  wheelPkg: Package,
  byRef: Map<string, Package>,
  vendorDirs: Record<string, string>,
  importNames: Record<string, string[]>,
  members: WheelMember[],
  catalog: Catalog,
  wheelVersion: string,
): (member: string) => Package | undefined {
  const vendored = wheelPkg.dependsOn.map((ref) => byRef.get(ref)).filter((pkg): pkg is Package => pkg !== undefined);
  const memberByName = new Map(members.map((member) => [member.name, member]));
  const pinsOf = (list: string): Map<string, string> => {
    const text = memberByName.get(list)?.bytes?.toString('utf8') ?? catalog.wheels?.[wheelPkg.ref]?.knownVendored?.[wheelVersion]?.[list]?.join('\n');
    const pins = new Map<string, string>();
    if (text) {
      try {
        for (const project of parseVendorTxt(text, list)) pins.set(normalizePackageName(project.name), project.version);
      } catch {
        // A malformed list was already reported by detection; ownership then goes by name alone.
      }
    }
    return pins;
  };
  const prefixes: { prefix: string; owner: Package }[] = [];
  for (const [dir, list] of Object.entries(vendorDirs)) {
    const pins = pinsOf(list);
    const byName = new Map<string, Package[]>();
    for (const pkg of vendored) {
      const key = normalizePackageName(pkg.name);
      byName.set(key, [...(byName.get(key) ?? []), pkg]);
    }
    for (const [key, candidates] of byName) {
      const pin = pins.get(key);
      const owner = candidates.length === 1 ? candidates[0] : candidates.find((pkg) => pkg.version === pin);
      if (!owner || (pins.size > 0 && pin === undefined)) continue;
      const names = new Set([key.replaceAll('-', '_'), key.replaceAll('-', '/'), ...(importNames[owner.name] ?? importNames[key] ?? [])]);
      const original = owner.name.toLowerCase();
      names.add(original.replaceAll('-', '_').replaceAll('.', '_'));
      names.add(original.replaceAll('.', '/'));
      for (const name of names) {
        prefixes.push({ prefix: `${dir}${name}/`, owner });
        prefixes.push({ prefix: `${dir}${name}.`, owner });
      }
    }
  }
  // Longest prefix first: `jaraco/text/` before anything shorter.
  prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
  return (member) => {
    for (const { prefix, owner } of prefixes) if (member.startsWith(prefix)) return owner;
    for (const dir of Object.keys(vendorDirs)) {
      if (!member.startsWith(dir)) continue;
      const distInfo = /^([^/]+)-[^/-]+\.dist-info\//.exec(member.slice(dir.length));
      if (!distInfo) continue;
      const key = normalizePackageName(distInfo[1] as string);
      const owner = vendored.find((pkg) => normalizePackageName(pkg.name) === key);
      if (owner) return owner;
    }
    return undefined;
  };
}
