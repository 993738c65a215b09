import { join } from 'node:path';
import { type MessagePort, parentPort } from 'node:worker_threads';
import { InputError } from '../errors.js';
import type { FileDigests } from '../util/hasher.js';
import { readRegularFileSync } from './regular-file.js';

/**
 * The reading thread of a source directory's scan (see tree-read-thread.ts): every listed file,
 * in the listing's order, opened and read as the main thread would read it (regular-file.ts),
 * hashed, and handed over in batches, with the bytes the scan wants moved, not copied. It stays
 * at most the job's `window` of bytes (and one file) ahead of what the main thread has taken, so
 * memory stays flat.
 */

/** The job, posted once the tree is listed (the thread starts before, while the listing runs). */
export interface TreeReadJob {
  root: string;
  paths: string[];
  /** Per file: 1 when its bytes are kept, 2 when a content reader is shown them. */
  wants: Uint8Array;
  maxContentBytes: number;
  sha512: boolean;
  /** One Int32: the bytes handed over and not yet taken by the main thread. */
  inFlight: SharedArrayBuffer;
  window: number;
}

export interface ReadFile {
  index: number;
  size: number;
  digests: FileDigests;
  /** The file's bytes (its first `size`), when the scan wants them. */
  bytes?: ArrayBuffer;
}

export type FromTreeReadThread = { kind: 'files'; files: ReadFile[] } | { kind: 'failed'; index: number; message: string; input: boolean } | { kind: 'end' };

const port = parentPort;
if (!port) throw new Error('tree-read-worker.js runs as a worker thread');
port.once('message', (job: TreeReadJob) => readAll(port, job));

/** A batch is handed over at this many files or bytes, whichever comes first. */
const BATCH_FILES = 64;
const BATCH_BYTES = 1024 * 1024;

function readAll(port: MessagePort, job: TreeReadJob): void {
  const inFlight = new Int32Array(job.inFlight);
  const scratch = Buffer.allocUnsafe(1024 * 1024);
  let batch: ReadFile[] = [];
  let transfer: ArrayBuffer[] = [];
  let batchBytes = 0;
  const flush = (): void => {
    if (batch.length === 0) return;
    const message: FromTreeReadThread = { kind: 'files', files: batch };
    port.postMessage(message, transfer);
    batch = [];
    transfer = [];
    batchBytes = 0;
  };

  let failed = false;
  for (let index = 0; index < job.paths.length && !failed; index++) {
    // Ahead by a window's worth: what is read waits for the main thread to take some.
    for (let ahead = Atomics.load(inFlight, 0); ahead >= job.window; ahead = Atomics.load(inFlight, 0)) {
      flush();
      Atomics.wait(inFlight, 0, ahead, 100);
    }
    const wanted = job.wants[index] ?? 0;
    let read: ReturnType<typeof readRegularFileSync>;
    try {
      read = readRegularFileSync(
        join(job.root, job.paths[index] as string),
        { keep: (wanted & 1) !== 0, show: (wanted & 2) !== 0 },
        job.maxContentBytes,
        job.sha512,
        scratch,
      );
    } catch (error) {
      flush();
      const message: FromTreeReadThread = { kind: 'failed', index, message: (error as Error).message, input: error instanceof InputError };
      port.postMessage(message);
      failed = true;
      continue;
    }
    const file: ReadFile = { index, size: read.size, digests: read.digests };
    if (read.bytes) {
      // A buffer of the file's own (Buffer.allocUnsafeSlow), so it moves whole.
      file.bytes = read.bytes.buffer as ArrayBuffer;
      transfer.push(file.bytes);
      Atomics.add(inFlight, 0, read.size);
      batchBytes += read.size;
    }
    batch.push(file);
    if (batch.length >= BATCH_FILES || batchBytes >= BATCH_BYTES) flush();
  }
  if (!failed) {
    flush();
    const end: FromTreeReadThread = { kind: 'end' };
    port.postMessage(end);
  }
}
