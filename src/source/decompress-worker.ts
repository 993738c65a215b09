import { parentPort, workerData } from 'node:worker_threads';
import { type CompressedFeed, type Compression, type Decompressor, createDecompressor, feedDecompressor } from './decompress.js';

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
    feed?.stop();
  };
  let decompressor: Decompressor | undefined;
  let feed: CompressedFeed | undefined;
  try {
    decompressor = createDecompressor(data.compression);
  } catch (error) {
    fail(error);
    return;
  }
  const file = feedDecompressor(data.path, decompressor, { sha512: data.sha512, onRead: (bytes) => post({ kind: 'read', bytes }) });
  feed = file;

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
  // The file's digests are read once all of it has gone by, not merely once the decompressor is done.
  Promise.all([file.read, ended, decompressor.done]).then(() => {
    flush();
    // The main thread ends the thread once it has this message.
    post({ kind: 'end', ...file.digests() });
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
    feed?.stop();
    port.close();
  }
}

if (parentPort) run(workerData as DecompressThreadData, parentPort);
