import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { type Compression, createDecompressor } from './decompress.js';

/**
 * The decompression thread of a tarball scan (decompressed-stream.ts). It reads the compressed
 * file, hashes it, feeds the decompressor (the system xz, gunzip, or the WebAssembly xz) and
 * hands the decompressed bytes to the main thread in batches, so the decompressor never waits
 * while the main thread is busy with a member: the two work side by side on two cores. The main
 * thread acknowledges what it has consumed; past HIGH_WATER bytes unacknowledged, reading pauses
 * (memory stays bounded however far behind the main thread falls).
 */
export interface DecompressThreadData {
  path: string;
  compression: Compression;
  sha512: boolean;
}

export type ToDecompressThread = { kind: 'ack'; bytes: number } | { kind: 'abort' };

export type FromDecompressThread =
  | { kind: 'data'; bytes: ArrayBuffer }
  | { kind: 'read'; bytes: number }
  | { kind: 'end'; sha256: string; sha512?: string }
  | { kind: 'error'; message: string; code?: string };

/** Bytes gathered before they are posted: few messages, and little delay at the decompressor's rate. */
export const BATCH_BYTES = 512 * 1024;
/** Unacknowledged bytes at which reading pauses, and the level it resumes below. */
export const HIGH_WATER = 16 * 1024 * 1024;
const LOW_WATER = 4 * 1024 * 1024;

function run(data: DecompressThreadData, port: NonNullable<typeof parentPort>): void {
  let closed = false;
  const post = (message: FromDecompressThread, transfer?: ArrayBuffer[]): void => {
    // After an abort nothing is sent: the main thread has stopped listening.
    if (!closed) port.postMessage(message, transfer ?? []);
  };
  let failed = false;
  const fail = (error: unknown): void => {
    if (failed) return;
    failed = true;
    const failure = error as NodeJS.ErrnoException | undefined;
    post({ kind: 'error', message: failure?.message ?? String(error), ...(failure?.code ? { code: failure.code } : {}) });
    decompressor?.abort();
    raw?.destroy();
  };
  const sha256 = createHash('sha256');
  const sha512 = data.sha512 ? createHash('sha512') : undefined;
  let decompressor: ReturnType<typeof createDecompressor> | undefined;
  let raw: ReturnType<typeof createReadStream> | undefined;
  try {
    decompressor = createDecompressor(data.compression);
  } catch (error) {
    fail(error);
    return;
  }
  raw = createReadStream(data.path, { highWaterMark: 1 << 20 });
  let readBytes = 0;
  raw.on('data', (chunk) => {
    sha256.update(chunk as Buffer);
    sha512?.update(chunk as Buffer);
    readBytes += (chunk as Buffer).length;
    post({ kind: 'read', bytes: readBytes });
  });
  raw.on('error', fail);
  // The file's digests are read once all of it has gone by, not merely once the decompressor is done.
  const read = new Promise<void>((resolve) => raw?.on('end', resolve));
  raw.pipe(decompressor.input as NodeJS.WritableStream);

  let batch = new Uint8Array(BATCH_BYTES);
  let filled = 0;
  let outstanding = 0;
  let paused = false;
  const flush = (): void => {
    if (filled === 0) return;
    // The batch is handed over, not copied: a fresh one takes its place.
    const full = filled === batch.length ? batch.buffer : batch.slice(0, filled).buffer;
    outstanding += filled;
    post({ kind: 'data', bytes: full as ArrayBuffer }, [full as ArrayBuffer]);
    batch = new Uint8Array(BATCH_BYTES);
    filled = 0;
    if (outstanding > HIGH_WATER && !paused) {
      paused = true;
      decompressor.output.pause();
    }
  };
  const output = decompressor.output;
  output.on('data', (chunk: Buffer) => {
    let at = 0;
    while (at < chunk.length) {
      const take = Math.min(chunk.length - at, batch.length - filled);
      batch.set(chunk.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (filled === batch.length) flush();
    }
  });
  output.on('error', fail);
  const ended = new Promise<void>((resolve) => output.on('end', resolve));
  Promise.all([read, ended, decompressor.done]).then(() => {
    flush();
    // The main thread ends the thread once it has this message.
    post({ kind: 'end', sha256: sha256.digest('hex'), ...(sha512 ? { sha512: sha512.digest('hex') } : {}) });
  }, fail);

  port.on('message', (message: ToDecompressThread) => {
    if (message.kind === 'abort') {
      stop();
      return;
    }
    outstanding -= message.bytes;
    if (paused && outstanding < LOW_WATER) {
      paused = false;
      output.resume();
    }
  });

  function stop(): void {
    closed = true;
    decompressor?.abort();
    raw?.destroy();
    port.close();
  }
}

if (parentPort) run(workerData as DecompressThreadData, parentPort);
