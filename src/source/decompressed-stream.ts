import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { type Compression, createDecompressor, feedDecompressor } from './decompress.js';
import type { DecompressThreadData, FromDecompressThread, ToDecompressThread } from './decompress-worker.js';

/**
 * A compressed file's decompressed bytes as a stream, and the SHA-256 (and SHA-512) of the file
 * as stored. With two cores or more the reading, hashing and decompressing run on a thread of
 * their own (decompress-worker.ts), so that a busy main thread never stalls the decompressor;
 * otherwise, or when the thread's compiled module is missing (the sources run by a test runner
 * before a build), they run on the main thread. Either way the bytes and the errors are the same.
 */
export interface DecompressedStream {
  output: Readable;
  /** Called with the compressed bytes read so far, from now on (a stream opened early gets its reader late). */
  onRead(listener: (bytes: number) => void): void;
  /** Resolves when the whole file is read and decompressed cleanly; rejects with a readable reason. */
  done: Promise<{ sha256: string; sha512?: string }>;
  /** Stops reading and decompressing (on an error elsewhere). */
  abort(): void;
  /**
   * Resolves once the decompression is under way (the thread has read the file's first bytes and
   * handed them to the decompressor) or has failed; never rejects. On the main thread, at once.
   */
  started: Promise<void>;
}

export interface DecompressOptions {
  sha512?: boolean;
}

/** The decompression thread's young generation, in MiB. */
const YOUNG_GENERATION_MB = 2;

/**
 * The thread's module, compiled. Resolved from the package root (this module sits two levels
 * below it as `src/source/*.ts` and as `dist/source/*.js`), so a test running the sources uses
 * the built thread as the CLI does.
 */
const THREAD_MODULE = fileURLToPath(new URL('../../dist/source/decompress-worker.js', import.meta.url));

/** Where the decompression runs: `thread` unless one core or no built thread module (`CPYTHON_SBOM_DECOMPRESS=main` forces the main thread). */
export function decompressionPlace(): 'thread' | 'main' {
  if (process.env.CPYTHON_SBOM_DECOMPRESS === 'main') return 'main';
  return availableParallelism() >= 2 && existsSync(THREAD_MODULE) ? 'thread' : 'main';
}

export function openDecompressed(path: string, compression: Compression, options: DecompressOptions = {}): DecompressedStream {
  return decompressionPlace() === 'thread' ? onThread(path, compression, options) : onMainThread(path, compression, options);
}

function onThread(path: string, compression: Compression, options: DecompressOptions): DecompressedStream {
  const data: DecompressThreadData = { path, compression, sha512: options.sha512 === true };
  let onRead: ((bytes: number) => void) | undefined;
  // A small young generation: the thread's own objects are few and short-lived (its bytes live
  // outside the heap), and a default-sized one measured about 10 MiB more peak memory.
  const worker = new Worker(THREAD_MODULE, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  worker.unref();
  const queue: Buffer[] = [];
  let wanted = false;
  let finished = false;
  const send = (message: ToDecompressThread): void => worker.postMessage(message);
  const deliver = (): void => {
    while (wanted && queue.length > 0) {
      const chunk = queue.shift() as Buffer;
      send({ kind: 'ack', bytes: chunk.length });
      wanted = output.push(chunk);
    }
    if (wanted && queue.length === 0 && finished) {
      output.push(null);
      wanted = false;
    }
  };
  const output = new Readable({
    read() {
      wanted = true;
      deliver();
    },
    destroy(error, callback) {
      stop();
      callback(error);
    },
  });
  reportThroughDone(output);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    send({ kind: 'abort' });
  };
  let markStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  const done = new Promise<{ sha256: string; sha512?: string }>((resolve, reject) => {
    worker.on('message', (message: FromDecompressThread) => {
      markStarted();
      switch (message.kind) {
        case 'data':
          queue.push(Buffer.from(message.bytes));
          deliver();
          return;
        case 'read':
          onRead?.(message.bytes);
          return;
        case 'end':
          finished = true;
          stopped = true;
          void worker.terminate();
          deliver();
          resolve({ sha256: message.sha256, ...(message.sha512 ? { sha512: message.sha512 } : {}) });
          return;
        case 'error': {
          const error = Object.assign(new Error(message.message), message.code ? { code: message.code } : {});
          stop();
          output.destroy(error);
          reject(error);
          return;
        }
      }
    });
    worker.on('error', (error) => {
      markStarted();
      output.destroy(error);
      reject(error);
    });
    worker.on('exit', () => markStarted());
  });
  done.catch(() => undefined);
  return {
    output,
    done,
    started,
    onRead: (listener) => {
      onRead = listener;
    },
    abort: () => output.destroy(),
  };
}

function onMainThread(path: string, compression: Compression, options: DecompressOptions): DecompressedStream {
  const decompressor = createDecompressor(compression);
  let onRead: ((bytes: number) => void) | undefined;
  const feed = feedDecompressor(path, decompressor, { sha512: options.sha512 === true, onRead: (bytes) => onRead?.(bytes) });
  // The output ends only once the decompressor has said it finished cleanly, as on the thread: a
  // truncated archive fails with the decompressor's reason, not with the tar reader's.
  const output = new PassThrough();
  reportThroughDone(output);
  decompressor.output.on('error', (error) => output.destroy(error));
  decompressor.output.pipe(output, { end: false });
  const drained = new Promise<void>((resolve) => decompressor.output.on('end', resolve));
  const done = Promise.all([feed.read, drained, decompressor.done]).then(() => feed.digests());
  done.then(
    () => output.end(),
    (error: Error) => output.destroy(error),
  );
  return {
    output,
    done,
    started: Promise.resolve(),
    onRead: (listener) => {
      onRead = listener;
    },
    abort: () => {
      decompressor.abort();
      feed.stop();
    },
  };
}

/**
 * A stream started early (prefetch.ts) can fail before any reader listens: a truncated archive
 * fails while the rest of the tool is still loading. Its output must not then throw for want of
 * a listener (an uncaught exception, a stack trace instead of the one-line error): every failure
 * is reported by `done`, which the scan awaits, and a reader that listens still hears it.
 */
function reportThroughDone(output: Readable): void {
  output.on('error', () => undefined);
}
