import { type InflateBudget, WHEEL_LIMITS, readZip, type ZipMember } from '../util/zip.js';

/** Bounds for reading members of a wheel: wheels come from the tree and may be hostile. */
export const MAX_ENTRIES = WHEEL_LIMITS.maxEntries;

/**
 * Reads the named members of a wheel (a zip) held in memory, through the one bounded zip reader
 * (src/util/zip.ts). Returns the members found; absent ones are simply missing.
 */
export async function readWheelMembers(bytes: Buffer, wheelPath: string, wanted: readonly string[]): Promise<Map<string, Buffer>> {
  const names = new Set(wanted);
  const members = await readZip({ bytes }, wheelPath, { select: (name) => names.has(name), keep: () => true });
  return new Map(members.map((member) => [member.name, member.bytes as Buffer]));
}

/** `pip-26.2.1-py3-none-any.whl` -> { project: 'pip', version: '26.2.1' } (PEP 427 file names). */
export function parseWheelFileName(fileName: string): { project: string; version: string } | undefined {
  const match = /^([A-Za-z0-9_.]+)-([^-]+)(-\d[^-]*)?-[^-]+-[^-]+-[^-]+\.whl$/.exec(fileName);
  if (!match) return undefined;
  return { project: match[1] as string, version: match[2] as string };
}

export type WheelMember = ZipMember;

/**
 * Every regular member of a wheel, hashed (SHA-1, SHA-256), in the zip's order; the bytes are kept
 * only for members `keep` selects. The one bounded zip reader (src/util/zip.ts) with a wheel's bounds.
 */
export async function readAllWheelMembers(
  bytes: Buffer,
  wheelPath: string,
  keep: (name: string) => boolean,
  options: { budget?: InflateBudget; sha512?: boolean } = {},
): Promise<WheelMember[]> {
  return readZip({ bytes }, wheelPath, { keep, sha512: options.sha512 === true, ...(options.budget ? { budget: options.budget } : {}) });
}

export interface RecordEntry {
  path: string;
  /** Hex SHA-256, when RECORD gives one (RECORD itself has none). */
  sha256?: string;
  size?: number;
}

/**
 * A wheel's `*.dist-info/RECORD` (PEP 376/427): CSV rows `path,sha256=<urlsafe base64, no
 * padding>,size`. Quoted fields (paths with commas) are honoured. Other algorithms are ignored.
 */
export function parseRecord(text: string): RecordEntry[] {
  const entries: RecordEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const char = line[i] as string;
      if (quoted) {
        if (char === '"' && line[i + 1] === '"') {
          field += '"';
          i++;
        } else if (char === '"') quoted = false;
        else field += char;
      } else if (char === '"') quoted = true;
      else if (char === ',') {
        fields.push(field);
        field = '';
      } else field += char;
    }
    fields.push(field);
    const [path, hash, size] = fields;
    if (!path) continue;
    const entry: RecordEntry = { path };
    const match = /^sha256=([A-Za-z0-9_-]+)$/.exec(hash ?? '');
    if (match) entry.sha256 = Buffer.from(match[1] as string, 'base64url').toString('hex');
    if (size && /^\d+$/.test(size)) entry.size = Number(size);
    entries.push(entry);
  }
  return entries;
}
