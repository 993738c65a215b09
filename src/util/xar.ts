import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import sax from 'sax';
import { InputError } from '../errors.js';

/**
 * A bounded reader of xar archives (a macOS installer `.pkg` is one): the 28-byte header, the
 * zlib-compressed XML table of contents, and the heap its `<data>` entries point into. Like the zip
 * reader (util/zip.ts), the input may be hostile, so every size is checked before it is used:
 * - the header's magic, size and version; the table of contents at most `maxTocBytes` compressed
 *   and inflated, its XML at most `maxDepth` deep and `maxEntries` files, checked against the
 *   checksum the header names (SHA-1 or MD5) at the heap offset the table records;
 * - every member's offset and length inside the file, at most `maxMemberBytes`, all together at
 *   most `maxTotalBytes`; a path that leaves the archive (`..`, absolute) or appears twice refused;
 * - members stored (`application/octet-stream`) or zlib-compressed (`application/x-gzip`, inflated
 *   to at most their recorded size); any other encoding refused; the archived checksum the table
 *   records must match.
 * Members are hashed (SHA-1, SHA-256) as extracted. Nothing is written to disk.
 */

export interface XarLimits {
  maxTocBytes: number;
  maxEntries: number;
  maxDepth: number;
  maxMemberBytes: number;
  maxTotalBytes: number;
}

export const XAR_LIMITS: XarLimits = {
  maxTocBytes: 16 * 1024 * 1024,
  maxEntries: 100_000,
  maxDepth: 64,
  maxMemberBytes: 1024 * 1024 * 1024,
  maxTotalBytes: 4 * 1024 * 1024 * 1024,
};

export interface XarMember {
  /** Path inside the archive (`PythonFramework-3.14.pkg/Payload`). */
  path: string;
  size: number;
  sha1: string;
  sha256: string;
}

const MAGIC = 0x78617221; // 'xar!'
const HEADER_SIZE = 28;

interface TocData {
  offset?: number;
  length?: number;
  size?: number;
  encoding?: string;
  archived?: { style: string; value: string };
}

interface TocFile {
  name?: string;
  type?: string;
  data?: TocData;
  parent?: TocFile;
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const read = readSync(fd, buffer, done, length - done, position + done);
    if (read === 0) break;
    done += read;
  }
  return done === length ? buffer : buffer.subarray(0, done);
}

const HASH_OF_STYLE: Record<string, string> = { sha1: 'sha1', md5: 'md5', sha256: 'sha256', sha512: 'sha512' };

export function readXar(path: string, limits: XarLimits = XAR_LIMITS): XarMember[] {
  const fail = (why: string): never => {
    throw new InputError(`${path}: ${why}`);
  };
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new InputError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const fileSize = fstatSync(fd).size;
    const header = readAt(fd, 0, HEADER_SIZE);
    if (header.length < HEADER_SIZE || header.readUInt32BE(0) !== MAGIC) fail('not a xar archive (no xar! header); not a macOS installer package');
    const headerSize = header.readUInt16BE(4);
    const version = header.readUInt16BE(6);
    if (version !== 1) fail(`xar version ${version}, not 1`);
    if (headerSize < HEADER_SIZE || headerSize > 4096) fail(`xar header size ${headerSize} is not plausible`);
    const tocCompressed = Number(header.readBigUInt64BE(8));
    const tocInflated = Number(header.readBigUInt64BE(16));
    const checksumAlgorithm = header.readUInt32BE(24);
    if (tocCompressed <= 0 || tocCompressed > limits.maxTocBytes || tocInflated <= 0 || tocInflated > limits.maxTocBytes) {
      fail(`table of contents of ${tocCompressed} bytes (${tocInflated} inflated), more than the ${limits.maxTocBytes} this tool reads`);
    }
    if (headerSize + tocCompressed > fileSize) fail('the table of contents runs past the end of the file (truncated?)');
    const compressedToc = readAt(fd, headerSize, tocCompressed);
    let tocBytes: Buffer;
    try {
      tocBytes = inflateSync(compressedToc, { maxOutputLength: tocInflated });
    } catch {
      return fail('the table of contents does not inflate (corrupt, or larger than the header says)');
    }
    if (tocBytes.length !== tocInflated) fail(`the table of contents inflates to ${tocBytes.length} bytes, not the ${tocInflated} the header says`);
    const heapStart = headerSize + tocCompressed;

    const { files, tocChecksum } = parseToc(tocBytes.toString('utf8'), limits, fail);

    // The table's own checksum, where the header says which and the table says where.
    const algorithm =
      checksumAlgorithm === 1
        ? 'sha1'
        : checksumAlgorithm === 2
          ? 'md5'
          : checksumAlgorithm === 0
            ? undefined
            : fail(`table-of-contents checksum algorithm ${checksumAlgorithm} is not one this reader checks`);
    if (algorithm) {
      if (!tocChecksum || tocChecksum.offset === undefined || tocChecksum.size === undefined) fail('the table of contents records no place for its checksum');
      const place = tocChecksum as { offset: number; size: number };
      const stored = readRange(fd, heapStart, place.offset, place.size, fileSize, fail, 'the table-of-contents checksum');
      const actual = createHash(algorithm).update(compressedToc).digest();
      if (!actual.equals(stored)) fail('the table of contents does not match its checksum (corrupt or altered)');
    }

    const members: XarMember[] = [];
    const seen = new Set<string>();
    let total = 0;
    for (const file of files) {
      const memberPath = pathOf(file, fail);
      if (seen.has(memberPath)) fail(`member '${memberPath}' appears more than once`);
      seen.add(memberPath);
      if ((file.type ?? 'file') !== 'file') continue;
      const data = file.data;
      if (!data) {
        members.push({ path: memberPath, size: 0, sha1: createHash('sha1').digest('hex'), sha256: createHash('sha256').digest('hex') });
        continue;
      }
      if (data.offset === undefined || data.length === undefined || data.size === undefined) fail(`member '${memberPath}' has no offset, length or size`);
      const length = data.length as number;
      const size = data.size as number;
      if (length > limits.maxMemberBytes || size > limits.maxMemberBytes)
        fail(`member '${memberPath}' is more than ${limits.maxMemberBytes} bytes; refusing to read it`);
      total += size;
      if (total > limits.maxTotalBytes) fail(`members extract to more than ${limits.maxTotalBytes} bytes; refusing to go on (archive bomb?)`);
      const stored = readRange(fd, heapStart, data.offset as number, length, fileSize, fail, `member '${memberPath}'`);
      if (data.archived) {
        const hash = HASH_OF_STYLE[data.archived.style.toLowerCase()];
        if (!hash) fail(`member '${memberPath}': archived checksum style '${data.archived.style}' is not one this reader checks`);
        if (
          createHash(hash as string)
            .update(stored)
            .digest('hex') !== data.archived.value.trim().toLowerCase()
        ) {
          fail(`member '${memberPath}' does not match its archived checksum (corrupt or altered)`);
        }
      }
      let extracted: Buffer;
      const encoding = data.encoding ?? 'application/octet-stream';
      if (encoding === 'application/octet-stream') {
        extracted = stored;
      } else if (encoding === 'application/x-gzip') {
        try {
          extracted = inflateSync(stored, { maxOutputLength: Math.max(size, 1) });
        } catch {
          return fail(`member '${memberPath}' does not inflate to its recorded ${size} bytes`);
        }
      } else {
        return fail(`member '${memberPath}' is encoded as ${encoding}, which this reader does not extract`);
      }
      if (extracted.length !== size) fail(`member '${memberPath}' extracts to ${extracted.length} bytes, not the ${size} recorded`);
      members.push({
        path: memberPath,
        size,
        sha1: createHash('sha1').update(extracted).digest('hex'),
        sha256: createHash('sha256').update(extracted).digest('hex'),
      });
    }
    return members.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  } finally {
    closeSync(fd);
  }
}

function readRange(fd: number, heapStart: number, offset: number, length: number, fileSize: number, fail: (why: string) => never, what: string): Buffer {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || heapStart + offset + length > fileSize) {
    fail(`${what} lies outside the file (offset ${offset}, length ${length})`);
  }
  return readAt(fd, heapStart + offset, length);
}

function pathOf(file: TocFile, fail: (why: string) => never): string {
  const parts: string[] = [];
  for (let node: TocFile | undefined = file; node; node = node.parent) {
    const name = node.name;
    if (name === undefined || name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
      fail(`a member name ${JSON.stringify(name ?? '')} leaves the archive or is empty`);
    }
    parts.unshift(name as string);
  }
  return parts.join('/');
}

/** The table of contents: every `<file>` (nested ones with their parent) and the table's checksum place. */
function parseToc(
  xml: string,
  limits: XarLimits,
  fail: (why: string) => never,
): { files: TocFile[]; tocChecksum: { offset?: number; size?: number } | undefined } {
  const parser = sax.parser(true, { trim: false });
  const files: TocFile[] = [];
  const stack: string[] = [];
  const fileStack: TocFile[] = [];
  let tocChecksum: { offset?: number; size?: number } | undefined;
  let text = '';
  let archivedStyle = '';
  const number = (value: string, what: string): number => {
    if (!/^\d{1,16}$/.test(value.trim())) fail(`table of contents: ${what} ${JSON.stringify(value.slice(0, 40))} is not a number`);
    return Number(value.trim());
  };
  parser.onerror = (error) => fail(`table of contents is not well-formed XML (${error.message.split('\n')[0]})`);
  parser.ondoctype = () => fail('table of contents declares a DOCTYPE; refused');
  parser.onopentag = (tag) => {
    stack.push(tag.name);
    if (stack.length > limits.maxDepth) fail(`table of contents nested deeper than ${limits.maxDepth}`);
    text = '';
    if (tag.name === 'file') {
      if (files.length >= limits.maxEntries) fail(`more than ${limits.maxEntries} members; refusing to go on`);
      const parent = fileStack[fileStack.length - 1];
      const file: TocFile = parent ? { parent } : {};
      files.push(file);
      fileStack.push(file);
    }
    if (tag.name === 'checksum' && stack[stack.length - 2] === 'toc') tocChecksum = {};
    if (tag.name === 'archived-checksum') archivedStyle = String(tag.attributes.style ?? '');
    if (tag.name === 'encoding') {
      const file = fileStack[fileStack.length - 1];
      if (file && stack[stack.length - 2] === 'data') {
        file.data ??= {};
        file.data.encoding = String(tag.attributes.style ?? '');
      }
    }
  };
  parser.ontext = (value) => {
    text += value;
    if (text.length > 1024 * 1024) fail('table of contents holds a text longer than 1 MiB');
  };
  parser.onclosetag = (name) => {
    const parentTag = stack[stack.length - 2];
    const file = fileStack[fileStack.length - 1];
    if (parentTag === 'checksum' && stack[stack.length - 3] === 'toc' && tocChecksum) {
      if (name === 'offset') tocChecksum.offset = number(text, 'checksum offset');
      if (name === 'size') tocChecksum.size = number(text, 'checksum size');
    } else if (file && parentTag === 'file') {
      if (name === 'name') file.name = text;
      if (name === 'type') file.type = text.trim();
    } else if (file && parentTag === 'data') {
      file.data ??= {};
      const data = file.data;
      if (name === 'offset') data.offset = number(text, 'offset');
      if (name === 'length') data.length = number(text, 'length');
      if (name === 'size') data.size = number(text, 'size');
      if (name === 'archived-checksum') data.archived = { style: archivedStyle, value: text };
    }
    if (name === 'file') fileStack.pop();
    stack.pop();
    text = '';
  };
  parser.write(xml).close();
  if (!xml.includes('<toc')) fail('table of contents has no <toc>');
  return { files, tocChecksum };
}
