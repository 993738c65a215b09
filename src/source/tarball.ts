import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { extract as tarExtract, type ExtractEvents } from 'tar-stream';
import { InputError, describeSystemError } from '../errors.js';
import { createDecompressor, readFileHead, sniffCompression } from './decompress.js';
import { checkRelativePath } from './paths.js';
import { DEFAULT_LIMITS, type ScanOptions, type ScanResult, type ScannedFile, type SkippedEntry } from './types.js';

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

  const artifactHash = createHash('sha256');
  const decompressor = createDecompressor(compression);
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  let readBytes = 0;
  raw.on('data', (chunk) => {
    artifactHash.update(chunk as Buffer);
    readBytes += (chunk as Buffer).length;
    options.onProgress?.(readBytes, size);
  });
  raw.on('error', () => decompressor.abort());
  raw.pipe(decompressor.input as NodeJS.WritableStream);

  const files: ScannedFile[] = [];
  const contents = new Map<string, Buffer>();
  const skipped: SkippedEntry[] = [];
  let rootName: string | undefined;
  let entries = 0;
  let totalBytes = 0;

  const extractor = tarExtract();
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
      const name = header.name;
      const slash = name.indexOf('/');
      const top = slash === -1 ? name : name.slice(0, slash);
      const rest = slash === -1 ? '' : name.slice(slash + 1).replace(/\/+$/, '');
      if (rootName === undefined) rootName = top;
      if (top !== rootName || top === '' || top === '.' || top === '..') {
        fail(`member '${name}' is outside the top directory '${rootName}/'`);
      }
      const problem = rest === '' ? undefined : checkRelativePath(rest);
      if (problem) fail(`member '${name}' ${problem}`);
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        if (header.type !== 'directory' && rest !== '') {
          skipped.push({ path: rest, reason: describeType(header.type ?? 'unknown', header.linkname) });
        }
        entry.on('end', () => next()).resume();
        return;
      }
      const keep = rest !== '' && wantContent(rest);
      if (keep && (header.size ?? 0) > limits.maxContentBytes) {
        fail(`member '${name}' is ${header.size} bytes, more than the ${limits.maxContentBytes} this tool reads`);
      }
      const sha1 = createHash('sha1');
      const sha256 = createHash('sha256');
      const chunks: Buffer[] = [];
      let fileSize = 0;
      entry.on('data', (data) => {
        const chunk = data as Buffer;
        sha1.update(chunk);
        sha256.update(chunk);
        fileSize += chunk.length;
        totalBytes += chunk.length;
        if (totalBytes > limits.maxTotalBytes) {
          extractor.destroy(new InputError(`${path}: decompresses to more than ${limits.maxTotalBytes} bytes; refusing to go on (archive bomb?)`));
          return;
        }
        if (keep) chunks.push(chunk);
      });
      entry.on('end', () => {
        if (rest !== '') {
          files.push({ path: rest, size: fileSize, sha1: sha1.digest('hex'), sha256: sha256.digest('hex') });
          if (keep) contents.set(rest, Buffer.concat(chunks));
        }
        next();
      });
    } catch (error) {
      next(error as Error);
    }
  };

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
    ]);
  } catch (error) {
    decompressor.abort();
    raw.destroy();
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
    artifact: { fileName: basename(path), sha256: artifactHash.digest('hex'), size },
    files,
    contents,
    skipped,
  };
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
