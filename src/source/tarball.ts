import { fileHasher } from '../util/hasher.js';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { extract as tarExtract, type ExtractEvents } from 'tar-stream';
import { InputError, describeSystemError } from '../errors.js';
import { readFileHead, sniffCompression } from './decompress.js';
import { openDecompressed } from './decompressed-stream.js';
import { takePrefetched } from './prefetch.js';
import { NOT_UTF8, decodeUtf8Name, escapeNameBytes, hasControlCharacter } from './names.js';
import { checkRelativePath, normalizeMemberName } from './paths.js';
import { DEFAULT_LIMITS, MAX_SEEN_BYTES, type ScanOptions, type ScanResult, type ScannedFile, type SkippedEntry } from './types.js';

/**
 * Streams a tarball once: the compressed bytes are hashed (the artifact's SHA-256) on their way
 * into the decompressor, and every member is hashed as it comes out. Nothing is written to disk.
 * Members are named relative to the single top directory (`Python-3.13.15/`).
 */
export async function scanTarball(path: string, options: ScanOptions = {}): Promise<ScanResult> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const wantContent = options.wantContent ?? (() => false);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new InputError(describeSystemError(error, path));
  }
  const compression = sniffCompression(
    await readFileHead(path).catch((error: unknown) => {
      throw new InputError(describeSystemError(error, path));
    }),
  );
  if (!compression) throw new InputError(`${path}: not a tar archive (expected .tgz, .tar.gz or .tar.xz)`);

  // Read, hashed and decompressed on a thread of its own where there are two cores; the command
  // line may have started that already, while the rest of the tool loaded (prefetch.ts).
  const sha512 = options.sha512 === true;
  const source = takePrefetched(path, compression, sha512) ?? openDecompressed(path, compression, { sha512 });
  if (options.onProgress) source.onRead((bytes) => options.onProgress?.(bytes, size));

  const files: ScannedFile[] = [];
  const contents = new Map<string, Buffer>();
  const skipped: SkippedEntry[] = [];
  const seen = new Set<string>();
  let rootName: string | undefined;
  let entries = 0;
  let totalBytes = 0;

  // Names are decoded as latin1 (byte for byte) and then as strict UTF-8 by memberName, so a name
  // that is not UTF-8 is seen as such rather than silently turned into U+FFFD.
  const extractor = tarExtract({ filenameEncoding: 'latin1' } as Parameters<typeof tarExtract>[0]);
  const fail = (message: string): never => {
    throw new InputError(`${path}: ${message}`);
  };

  // Entries are handled with events rather than async iteration: one callback per chunk instead
  // of a promise per chunk, which matters over the ~13,000 chunks of a CPython tarball.
  const onEntry = (...[header, entry, next]: ExtractEvents['entry']): void => {
    // An entry fails only when the whole extraction does, and that error is handled once, below.
    entry.on('error', () => undefined);
    try {
      if (++entries > limits.maxEntries) fail(`more than ${limits.maxEntries} members; refusing to go on`);
      const decoded = memberName(header);
      if ('bad' in decoded) fail(`member name '${decoded.bad}' ${NOT_UTF8}`);
      const name = (decoded as { name: string }).name;
      // `a/./b`, `a//b` and `./a/b` name the file `a/b` names, for tar and for every check below:
      // the name is normalised first, so one path cannot be given twice under two spellings.
      const normalized = normalizeMemberName(name);
      let rest: string;
      if (options.wholeNames) {
        // An archive without a top directory (Android and iOS packages): members by their whole name.
        if (name.startsWith('/')) fail(`member '${name}' is an absolute path`);
        rest = normalized;
        rootName ??= basename(path);
      } else {
        const slash = normalized.indexOf('/');
        const top = slash === -1 ? normalized : normalized.slice(0, slash);
        rest = slash === -1 ? '' : normalized.slice(slash + 1);
        if (rootName === undefined) rootName = top;
        if (top !== rootName || top === '' || top === '..' || name.startsWith('/')) {
          fail(`member '${name}' is outside the top directory '${rootName}/'`);
        }
      }
      const problem = rest === '' ? undefined : checkRelativePath(rest);
      if (problem) fail(`member '${hasControlCharacter(name) ? escapeNameBytes(Buffer.from(name)) : name}' ${problem}`);
      // tar-stream hands out a directory's data stream without ever ending it when the size field
      // is not zero, which would stall the scan; such a header is corrupt anyway.
      if (header.type === 'directory' && (header.size ?? 0) !== 0) {
        fail(`directory member '${name}' has a non-zero size (${header.size}); corrupt tar header`);
      }
      // A name seen twice (two archives concatenated, or a crafted one) would describe one path
      // with two contents; which one a user unpacks depends on the tool, so it is refused.
      if (rest !== '' && header.type !== 'directory') {
        if (seen.has(rest)) fail(`member '${name}' appears more than once`);
        seen.add(rest);
      }
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        if (header.type !== 'directory' && rest !== '') {
          skipped.push({ path: rest, reason: describeType(header.type ?? 'unknown', linkName(header)) });
        }
        entry.on('end', () => next()).resume();
        return;
      }
      const keep = rest !== '' && wantContent(rest);
      if (keep && (header.size ?? 0) > limits.maxContentBytes) {
        fail(`member '${name}' is ${header.size} bytes, more than the ${limits.maxContentBytes} this tool reads`);
      }
      // A reader sees the bytes as they go by; they are not kept unless asked for.
      const show = rest !== '' && (header.size ?? 0) <= MAX_SEEN_BYTES && options.readContent?.wants(rest) === true;
      const hasher = fileHasher(options.sha512 === true);
      const chunks: Buffer[] = [];
      let fileSize = 0;
      entry.on('data', (data) => {
        const chunk = data as Buffer;
        hasher.update(chunk);
        fileSize += chunk.length;
        totalBytes += chunk.length;
        if (totalBytes > limits.maxTotalBytes) {
          extractor.destroy(new InputError(`${path}: decompresses to more than ${limits.maxTotalBytes} bytes; refusing to go on (archive bomb?)`));
          return;
        }
        if (keep || show) chunks.push(chunk);
      });
      entry.on('end', () => {
        try {
          if (rest !== '') {
            files.push({ path: rest, size: fileSize, ...hasher.digest() });
            // What is kept is copied, so that it holds only its own bytes, not the decompressed
            // batch around them; a reader is shown the kept copy, or else the bytes where they
            // lie when the member came in one piece (most do), without a copy (see ContentReader).
            const kept = keep ? Buffer.concat(chunks) : undefined;
            if (kept) contents.set(rest, kept);
            if (show) options.readContent?.see(rest, kept ?? (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
          }
          next();
        } catch (error) {
          next(error as Error);
        }
      });
    } catch (error) {
      next(error as Error);
    }
  };

  let artifactDigests: { sha256: string; sha512?: string };
  try {
    [, artifactDigests] = await Promise.all([
      new Promise<void>((resolve, reject) => {
        source.output.on('error', reject);
        extractor.on('error', reject);
        extractor.on('entry', onEntry);
        extractor.on('finish', resolve);
        source.output.pipe(extractor);
      }),
      source.done,
    ]);
  } catch (error) {
    source.abort();
    extractor.destroy();
    if (error instanceof InputError) throw error;
    throw new InputError(`${path}: ${describeStreamError(error)}`);
  }

  if (rootName === undefined) fail('the archive is empty');
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    kind: 'tarball',
    location: path,
    rootName: rootName as string,
    artifact: { fileName: basename(path), ...artifactDigests, size },
    files,
    contents,
    skipped,
  };
}

/**
 * A member's name as UTF-8, or undefined when it is not UTF-8. Names from ustar and GNU headers
 * arrive latin1-decoded (bytes as they are); a pax `path` record arrives already decoded as UTF-8,
 * where a bad byte has become U+FFFD.
 */
function memberName(header: ExtractEvents['entry'][0]): { name: string } | { bad: string } {
  const pax = (header as { pax?: Record<string, string> }).pax;
  if (pax?.path !== undefined && pax.path === header.name) {
    // The bad bytes are gone already; U+FFFD is shown as `\ufffd` where they were.
    return header.name.includes('\uFFFD') ? { bad: header.name.replace(/\uFFFD/g, '\\ufffd') } : { name: header.name };
  }
  const bytes = Buffer.from(header.name, 'latin1');
  const name = decodeUtf8Name(bytes);
  return name === undefined ? { bad: escapeNameBytes(bytes) } : { name };
}

/** A link target for display: UTF-8 when it is, escaped bytes otherwise. */
function linkName(header: ExtractEvents['entry'][0]): string | null | undefined {
  const raw = header.linkname;
  if (!raw || (header as { pax?: Record<string, string> }).pax?.linkpath === raw) return raw;
  const bytes = Buffer.from(raw, 'latin1');
  return decodeUtf8Name(bytes) ?? escapeNameBytes(bytes);
}

function describeType(type: string, linkname: string | null | undefined): string {
  switch (type) {
    case 'symlink':
      return `symlink to ${linkname ?? '?'}`;
    case 'link':
      return `hard link to ${linkname ?? '?'}`;
    default:
      return type;
  }
}

function describeStreamError(error: unknown): string {
  const message = (error as Error | undefined)?.message ?? String(error);
  if (/unexpected end|truncated|premature close|get_next_output|xz:|gzip:/i.test(message)) {
    return `truncated or corrupt archive (${message})`;
  }
  if (/invalid tar header|unsupported|checksum/i.test(message)) return `corrupt tar data (${message})`;
  return message;
}
