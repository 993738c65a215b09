import { fileHasher } from '../util/hasher.js';
import { Readable } from 'node:stream';
import { extract as tarExtract, type ExtractEvents } from 'tar-stream';
import { InflateBudget, WHEEL_LIMITS, budgetExceeded, chargeRun, readZip } from '../util/zip.js';
import { InputError } from '../errors.js';
import { createDecompressor, sniffCompression } from '../source/decompress.js';
import { decodeUtf8Name, escapeNameBytes } from '../source/names.js';
import { checkRelativePath, normalizeMemberName } from '../source/paths.js';

/**
 * The members of an archive found inside the tree (a wheel, egg, zip or tarball), hashed the way
 * the tree's own files are: every regular member with its SHA-1 and SHA-256, its bytes kept for
 * the members the caller asks for. Zips go through the project's one bounded zip reader
 * (util/zip.ts, with a wheel's bounds: sizes, entry count, CRC-32, duplicate names, encryption,
 * inflated bytes);
 * tarballs through tar-stream over the project's decompressors, with the same bounds. An archive
 * is read whole or not at all: a member that cannot be read or named (corrupt data, a format
 * tar-stream does not know, a name that is not UTF-8 or leaves the archive) makes the whole
 * archive unreadable, with the reason, and nothing half-listed.
 */

export type ArchiveKind = 'zip' | 'tar';

/** A wheel's bounds hold for every archive of a tree: entries, a member's size, all members' size. */
const MAX_ENTRIES = WHEEL_LIMITS.maxEntries;
const MAX_MEMBER_BYTES = WHEEL_LIMITS.maxMemberBytes;
const MAX_WHEEL_INFLATED_BYTES = WHEEL_LIMITS.maxTotalBytes;
/** What all archives of one run may inflate to together, unless the caller says otherwise. */
export const DEFAULT_ARCHIVES_BUDGET = 1024 * 1024 * 1024;

/** Zip-format names (wheels, eggs and jars are zips) and tarball names, by suffix. */
const ZIP_NAME = /\.(?:zip|whl|egg|jar)$/i;
const TAR_NAME = /\.(?:tar|tgz|txz|tar\.gz|tar\.xz)$/i;

/** Whether a path names an archive this module reads, and which kind; judged by the name. */
export function archiveKindOf(path: string): ArchiveKind | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (ZIP_NAME.test(base)) return 'zip';
  if (TAR_NAME.test(base)) return 'tar';
  return undefined;
}

export interface ArchiveMember {
  /** Path inside the archive (`pip/_vendor/six.py`), `./` prefixes dropped. */
  name: string;
  size: number;
  sha1: string;
  sha256: string;
  /** Only when asked for (`sha512`). */
  sha512?: string;
  /** The bytes, for members the caller asked to keep. */
  bytes?: Buffer;
}

export interface ArchiveListing {
  kind: ArchiveKind;
  members: ArchiveMember[];
  /** Entries that are not regular files (links, devices, FIFOs): named, with what they are. */
  special: { name: string; what: string }[];
}

export interface ReadArchiveOptions {
  /** Members whose bytes the caller needs. */
  keep?: (name: string) => boolean;
  /** The run's budget for all archives together. */
  budget?: InflateBudget;
  /** Also hash each member with SHA-512 (`generate --hash sha512`). */
  sha512?: boolean;
}

/** Every regular member of the archive at `path` (its bytes in memory); throws InputError naming why it cannot be read. */
export async function readArchiveMembers(bytes: Buffer, path: string, options: ReadArchiveOptions = {}): Promise<ArchiveListing> {
  const kind = archiveKindOf(path);
  const keep = options.keep ?? (() => false);
  if (kind === 'zip') {
    const members = await readZip({ bytes }, path, { keep, sha512: options.sha512 === true, ...(options.budget ? { budget: options.budget } : {}) });
    return { kind, members, special: [] };
  }
  if (kind === 'tar') return readTarMembers(bytes, path, keep, options.budget, options.sha512 === true);
  throw new InputError(`${path}: not an archive this tool reads (zip, wheel, egg, tar, tar.gz, tar.xz)`);
}

async function readTarMembers(
  bytes: Buffer,
  path: string,
  keep: (name: string) => boolean,
  budget: InflateBudget | undefined,
  sha512: boolean,
): Promise<ArchiveListing> {
  const fail = (why: string) => new InputError(`${path}: unreadable tar archive (${why})`);
  // Compression from the bytes; a plain tar without the ustar magic (v7) is recognised by its name.
  const compression = sniffCompression(bytes.subarray(0, 512)) ?? (/\.tar$/i.test(path) ? 'none' : undefined);
  if (!compression) throw fail('neither gzip, xz nor tar data');
  const decompressor = createDecompressor(compression);
  const members: ArchiveMember[] = [];
  const special: ArchiveListing['special'] = [];
  const seen = new Set<string>();
  let entries = 0;
  let total = 0;
  const extractor = tarExtract({ filenameEncoding: 'latin1' } as Parameters<typeof tarExtract>[0]);

  const onEntry = (...[header, stream, next]: ExtractEvents['entry']): void => {
    stream.on('error', () => undefined);
    try {
      if (++entries > MAX_ENTRIES) throw fail(`more than ${MAX_ENTRIES} entries`);
      const name = memberName(header);
      const problem = checkRelativePath(name);
      if (problem) throw fail(`member '${escapeNameBytes(Buffer.from(name))}' ${problem}`);
      // tar-stream gives a directory no data and never ends its stream, whatever its size field
      // says (Python's own test archive has a directory with a size): nothing to read there.
      if (header.type === 'directory') {
        next();
        return;
      }
      if (seen.has(name)) throw fail(`member ${name} appears more than once`);
      seen.add(name);
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        special.push({ name, what: describeType(header) });
        stream.on('end', () => next()).resume();
        return;
      }
      const size = header.size ?? 0;
      if (size > MAX_MEMBER_BYTES) throw fail(`${name} is ${size} bytes, more than ${MAX_MEMBER_BYTES}`);
      total += size;
      if (total > MAX_WHEEL_INFLATED_BYTES) throw fail(`its members come to more than ${MAX_WHEEL_INFLATED_BYTES} bytes`);
      if (budget && !budget.take(size)) throw budgetExceeded(path, budget);
      chargeRun(size, path);
      const hasher = fileHasher(sha512);
      const chunks: Buffer[] = [];
      const kept = keep(name);
      let got = 0;
      stream.on('data', (data) => {
        const chunk = data as Buffer;
        got += chunk.length;
        hasher.update(chunk);
        if (kept) chunks.push(chunk);
      });
      stream.on('end', () => {
        members.push({ name, size: got, ...hasher.digest(), ...(kept ? { bytes: Buffer.concat(chunks) } : {}) });
        next();
      });
    } catch (error) {
      next(error as Error);
    }
  };

  // What comes out of the decompressor is counted too: a small .tar.xz that inflates to gigabytes
  // of padding stops at the bound even if its headers claim little.
  let inflated = 0;
  decompressor.output.on('data', (chunk: Buffer) => {
    inflated += chunk.length;
    if (inflated > MAX_WHEEL_INFLATED_BYTES + MAX_MEMBER_BYTES) extractor.destroy(fail(`it decompresses past ${MAX_WHEEL_INFLATED_BYTES} bytes`));
  });
  try {
    await Promise.all([
      new Promise<void>((resolve, reject) => {
        decompressor.output.on('error', reject);
        extractor.on('error', reject);
        extractor.on('entry', onEntry);
        extractor.on('finish', resolve);
        decompressor.output.pipe(extractor);
      }),
      decompressor.done,
      new Promise<void>((resolve, reject) => {
        const input = decompressor.input;
        input.on('error', reject);
        Readable.from([bytes])
          .pipe(input as NodeJS.WritableStream)
          .on('finish', resolve);
      }),
    ]);
  } catch (error) {
    decompressor.abort();
    extractor.destroy();
    if (error instanceof InputError) throw error;
    throw fail((error as Error)?.message ?? String(error));
  }
  if (entries === 0) throw fail('no entries');
  return { kind: 'tar', members, special };
}

/** A member's name as UTF-8 (pax names arrive decoded already), without `./` prefixes; refused when it is not UTF-8. */
function memberName(header: ExtractEvents['entry'][0]): string {
  const pax = (header as { pax?: Record<string, string> }).pax;
  let name: string | undefined;
  if (pax?.path !== undefined && pax.path === header.name) {
    if (header.name.includes('\uFFFD')) throw new Error(`member name '${header.name.replace(/\uFFFD/g, '\\ufffd')}' is not UTF-8`);
    name = header.name;
  } else {
    const raw = Buffer.from(header.name, 'latin1');
    name = decodeUtf8Name(raw);
    if (name === undefined) throw new Error(`member name '${escapeNameBytes(raw)}' is not UTF-8`);
  }
  // An absolute name stays absolute, for the check that refuses it; otherwise `a/./b`, `a//b` and
  // `./a` are the one name `a/b`, so a path given twice under two spellings is seen twice.
  return name.startsWith('/') ? name : normalizeMemberName(name);
}

function describeType(header: ExtractEvents['entry'][0]): string {
  const target = header.linkname
    ? ` to ${decodeUtf8Name(Buffer.from(header.linkname, 'latin1')) ?? escapeNameBytes(Buffer.from(header.linkname, 'latin1'))}`
    : '';
  switch (header.type) {
    case 'symlink':
      return `symbolic link${target}`;
    case 'link':
      return `hard link${target}`;
    default:
      return header.type ?? 'unknown entry type';
  }
}

export { InflateBudget };
