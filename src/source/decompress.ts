import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { PassThrough, Readable, type Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { InputError } from '../errors.js';
import { oneLine } from '../util/one-line.js';

export type Compression = 'gzip' | 'xz' | 'none';

/** The first `length` bytes of a file (fewer if it is shorter), for sniffing what it is. */
export async function readFileHead(path: string, length = 512): Promise<Buffer> {
  // Non-blocking, and only a regular file: a FIFO would block the run, a device never end.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) throw new InputError(`${path}: not a regular file; refusing to read it`);
    const head = Buffer.alloc(length);
    const { bytesRead } = await handle.read(head, 0, length, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Detects compression from the first bytes, never from the file name. */
export function sniffCompression(head: Uint8Array): Compression | undefined {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 6 && Buffer.from(head.subarray(0, 6)).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) {
    return 'xz';
  }
  // ustar magic at offset 257: an uncompressed tar.
  if (head.length >= 262 && Buffer.from(head.subarray(257, 262)).toString('latin1') === 'ustar') return 'none';
  return undefined;
}

let cachedXzBinary: string | null | undefined;

/**
 * The system `xz`, when there is one. It decompresses on another core while this process parses
 * and hashes, which keeps `generate` near the `xz -dc | sha256sum` floor; the WebAssembly decoder
 * is the portable fallback. `CPYTHON_SBOM_XZ=wasm` forces the fallback, `=system` requires xz.
 */
export function findXzBinary(): string | undefined {
  const wanted = process.env.CPYTHON_SBOM_XZ;
  if (wanted === 'wasm') return undefined;
  if (cachedXzBinary === undefined) {
    cachedXzBinary = null;
    const names = process.platform === 'win32' ? ['xz.exe'] : ['xz'];
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
      if (!dir) continue;
      for (const name of names) {
        try {
          accessSync(join(dir, name), constants.X_OK);
          cachedXzBinary = join(dir, name);
          break;
        } catch {
          // not here
        }
      }
      if (cachedXzBinary) break;
    }
  }
  return cachedXzBinary ?? undefined;
}

export interface Decompressor {
  /** Write compressed bytes here. */
  input: NodeJS.WritableStream;
  /** Read decompressed bytes here. */
  output: Readable;
  /** Resolves when the decompressor has finished cleanly; rejects with a readable reason. */
  done: Promise<void>;
  /** Stops the decompressor early (on an error elsewhere). */
  abort(): void;
}

export function createDecompressor(compression: Compression): Decompressor {
  switch (compression) {
    case 'none': {
      const pass = new PassThrough();
      return { input: pass, output: pass, done: Promise.resolve(), abort: () => pass.destroy() };
    }
    case 'gzip': {
      const gunzip: Transform = createGunzip();
      const done = new Promise<void>((resolve, reject) => {
        gunzip.on('end', resolve);
        gunzip.on('error', (error: Error) => reject(new Error(`gzip: ${error.message}`)));
      });
      done.catch(() => undefined);
      return { input: gunzip, output: gunzip, done, abort: () => gunzip.destroy() };
    }
    case 'xz': {
      const binary = findXzBinary();
      if (binary) return systemXz(binary);
      if (process.env.CPYTHON_SBOM_XZ === 'system') throw new Error('xz: CPYTHON_SBOM_XZ=system but no xz on PATH');
      return wasmXz();
    }
  }
}

function systemXz(binary: string): Decompressor {
  const child = spawn(binary, ['-dc', '-q'], { stdio: ['pipe', 'pipe', 'pipe'], argv0: 'xz' });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < 4096) stderr += chunk;
  });
  // A consumer that stops early closes our end of the pipe; that is not an error.
  child.stdin.on('error', () => undefined);
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (error) => reject(new Error(`xz: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else if (signal) reject(new Error(`xz: stopped by ${signal}`));
      else reject(new Error(`xz: ${cleanXzMessage(stderr) || `exit status ${code}`}`));
    });
  });
  done.catch(() => undefined);
  return {
    input: child.stdin,
    output: child.stdout,
    done,
    abort: () => {
      child.stdout.destroy();
      child.kill();
    },
  };
}

export function cleanXzMessage(stderr: string): string {
  const line = stderr.trim().split('\n')[0] ?? '';
  // "xz: (stdin): Unexpected end of input" -> "unexpected end of input"; xz names itself as it was
  // run ("/usr/bin/xz: ..."), which says nothing about the input: that prefix goes too.
  const colon = line.indexOf(': ');
  const program = colon === -1 ? '' : line.slice(0, colon);
  const rest = program === 'xz' || program.endsWith('/xz') ? line.slice(colon + 2) : line;
  const message = oneLine(rest.replace(/^\(stdin\):\s*/, ''), 300);
  return message ? message.charAt(0).toLowerCase() + message.slice(1) : '';
}

function wasmXz(): Decompressor {
  const input = new PassThrough();
  let stream: Readable | undefined;
  const ready = import('xz-decompress').then((module) => {
    // A CommonJS module: its exports arrive as `default` under ESM.
    type XzModule = { XzReadableStream: new (compressed: unknown) => WebReadableStream };
    const exports = ((module as unknown as { default?: XzModule }).default ?? module) as XzModule;
    const XzReadableStream = exports.XzReadableStream;
    return Readable.fromWeb(new XzReadableStream(Readable.toWeb(input)) as WebReadableStream<Uint8Array>);
  });
  const output = new PassThrough();
  const done = ready.then(
    (readable) =>
      new Promise<void>((resolve, reject) => {
        stream = readable;
        readable.on('error', (error: Error) => {
          const failure = new Error(`xz: ${error.message || 'corrupt data'}`);
          output.destroy(failure);
          reject(failure);
        });
        readable.on('end', resolve);
        readable.pipe(output);
      }),
  );
  done.catch(() => undefined);
  return {
    input,
    output,
    done,
    abort: () => {
      stream?.destroy();
      input.destroy();
      output.destroy();
    },
  };
}

/** A compressed file on its way into a decompressor (feedDecompressor). */
export interface CompressedFeed {
  /** Resolves once the whole file has been read; rejects (and aborts the decompressor) when it cannot be. */
  read: Promise<void>;
  /** SHA-256 (and SHA-512) of the file as stored; call once `read` has resolved. */
  digests(): { sha256: string; sha512?: string };
  /** Stops reading. */
  stop(): void;
}

/**
 * Reads the compressed file at `path` into the decompressor, hashing it on the way (the
 * artifact's own digests), and reports the bytes read so far. The one reader of a tarball's
 * compressed bytes, on the decompression thread and on the main thread alike.
 */
export function feedDecompressor(path: string, decompressor: Decompressor, options: { sha512: boolean; onRead?: (bytes: number) => void }): CompressedFeed {
  const sha256 = createHash('sha256');
  const sha512 = options.sha512 ? createHash('sha512') : undefined;
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  let readBytes = 0;
  raw.on('data', (chunk) => {
    sha256.update(chunk as Buffer);
    sha512?.update(chunk as Buffer);
    readBytes += (chunk as Buffer).length;
    options.onRead?.(readBytes);
  });
  const read = new Promise<void>((resolve, reject) => {
    raw.on('end', resolve);
    raw.on('error', (error) => {
      decompressor.abort();
      reject(error);
    });
  });
  read.catch(() => undefined);
  raw.pipe(decompressor.input as NodeJS.WritableStream);
  return {
    read,
    digests: () => ({ sha256: sha256.digest('hex'), ...(sha512 ? { sha512: sha512.digest('hex') } : {}) }),
    stop: () => raw.destroy(),
  };
}
