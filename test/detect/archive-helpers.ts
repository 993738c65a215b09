import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import yazl from 'yazl';

/** One entry of a synthetic tarball: a file (text or bytes), or another kind of entry. */
export type TarEntry = { name: string; content: string | Buffer } | { name: string; type: 'directory' | 'symlink' | 'link'; linkname?: string; size?: number };

/** A tar archive in memory, written by tar-stream (ustar headers). */
export function makeTar(entries: TarEntry[]): Promise<Buffer> {
  const tar = pack();
  for (const entry of entries) {
    if ('content' in entry) tar.entry({ name: entry.name, mtime: new Date(0) }, Buffer.isBuffer(entry.content) ? entry.content : Buffer.from(entry.content));
    else tar.entry({ name: entry.name, type: entry.type, mtime: new Date(0), ...(entry.linkname ? { linkname: entry.linkname } : {}) });
  }
  tar.finalize();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    tar.on('data', (chunk) => chunks.push(chunk as Buffer));
    tar.on('end', () => resolve(Buffer.concat(chunks)));
    tar.on('error', reject);
  });
}

export const gzip = (bytes: Buffer): Buffer => gzipSync(bytes);

/** xz-compressed bytes, through the system xz (Debian's xz-utils, which the project's decompressor uses too). */
export function xz(bytes: Buffer): Buffer {
  return execFileSync('xz', ['-c', '-z', '-T1'], { input: bytes });
}

/** A zip in memory; a member given as Buffer is stored as is. */
export function makeZip(members: Record<string, string | Buffer>, options: { compress?: boolean } = {}): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(members)) {
    zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name, { mtime: new Date(0), compress: options.compress ?? true });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** A wheel's RECORD for its members (urlsafe base64 SHA-256, no padding), itself listed without a hash. */
export function recordFor(members: Record<string, string>, recordPath: string): string {
  const rows = Object.entries(members).map(
    ([name, text]) => `${name},sha256=${createHash('sha256').update(text).digest('base64url')},${Buffer.byteLength(text)}`,
  );
  return `${[...rows, `${recordPath},,`].join('\n')}\n`;
}
