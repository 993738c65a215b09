import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError } from '../errors.js';
import type { FileRead, FileWants } from './regular-file.js';
import type { FromTreeReadThread, TreeReadJob } from './tree-read-worker.js';

/**
 * A source directory's files read and hashed on a thread of their own (tree-read-worker.ts),
 * while the main thread does its own work on each (the complete profile's license scan of its
 * text): a directory's scan otherwise keeps the main thread busy and the second core idle. The
 * thread reads in the listing's order, at most READ_AHEAD bytes (and one file) ahead of the main
 * thread, and the main thread takes every file in that order, so the documents are those of a scan
 * on the main thread alone, byte for byte, and a file that cannot be read fails the scan with the
 * same message. Unpacked 3.13.15, complete profile, SPDX + CycloneDX JSON, against 2f78e8a: 1.55
 * against 1.72 s and 2.23 against 2.38 s (medians of 9 and 11 alternating rounds, 19 of 20
 * faster), peak 223 against 205 MiB. Reading ahead by 2 MiB instead of 8 gained about 2% for 8 MiB
 * more; by 8 MiB, about 6% for 19 MiB more (11 rounds, side by side).
 */

/** Bytes the thread may have read and handed over before the main thread has taken them. */
const READ_AHEAD = 8 * 1024 * 1024;

/** Its young generation, in MiB: its own objects are few (the bytes live outside its heap). */
const YOUNG_GENERATION_MB = 2;

/**
 * The thread's module, compiled. Resolved from the package root (this module sits two levels
 * below it as `src/source/*.ts` and as `dist/source/*.js`), so a test running the sources uses
 * the built thread as the CLI does.
 */
const THREAD_MODULE = fileURLToPath(new URL('../../dist/source/tree-read-worker.js', import.meta.url));

export type TakeFile = (index: number, read: FileRead) => void;

export interface ReadingThread {
  /** Reads every file of `paths` below `root`, handing each to `take` in order; rejects on the first that cannot be read. */
  read(
    root: string,
    paths: readonly string[],
    wants: readonly FileWants[],
    options: { maxContentBytes: number; sha512: boolean },
    take: TakeFile,
  ): Promise<void>;
  /** Ends the thread (after read, or instead of it). */
  close(): void;
}

/**
 * A reading thread, started now so that it boots while the tree is listed; undefined with one
 * core, without the built module, or with `CPYTHON_SBOM_READ=main`.
 */
export function startReadingThread(): ReadingThread | undefined {
  if (process.env.CPYTHON_SBOM_READ === 'main' || availableParallelism() < 2 || !existsSync(THREAD_MODULE)) return undefined;
  const worker = new Worker(THREAD_MODULE, { resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  // An idle thread never keeps the process alive (a listing that fails, say).
  worker.unref();
  // A thread that fails before it has a job is reported when the job is given, not as an
  // unhandled error event while the tree is listed.
  let lost: Error | undefined;
  worker.once('error', (error) => {
    lost ??= error;
  });
  worker.once('exit', (code) => {
    lost ??= new Error(`tree reading thread stopped (exit code ${code}) before it was given the files`);
  });
  return {
    read: (root, paths, wants, options, take) => (lost ? Promise.reject(lost) : readOnThread(worker, root, paths, wants, options, take)),
    close: () => void worker.terminate(),
  };
}

function readOnThread(
  worker: Worker,
  root: string,
  paths: readonly string[],
  wants: readonly FileWants[],
  options: { maxContentBytes: number; sha512: boolean },
  take: TakeFile,
): Promise<void> {
  const inFlight = new SharedArrayBuffer(4);
  const taken = new Int32Array(inFlight);
  const job: TreeReadJob = {
    root,
    paths: [...paths],
    wants: Uint8Array.from(wants, (wanted) => (wanted.keep ? 1 : 0) | (wanted.show ? 2 : 0)),
    maxContentBytes: options.maxContentBytes,
    sha512: options.sha512,
    inFlight,
    window: READ_AHEAD,
  };
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      if (error) reject(error);
      else resolve();
    };
    let next = 0;
    worker.on('message', (message: FromTreeReadThread) => {
      if (settled) return;
      try {
        if (message.kind === 'files') {
          for (const file of message.files) {
            // The thread reads in order; anything else is a bug, not a document.
            if (file.index !== next) throw new Error(`tree reading thread: file ${file.index} came where ${next} was due`);
            next++;
            const bytes = file.bytes ? Buffer.from(file.bytes, 0, file.size) : undefined;
            take(file.index, { size: file.size, digests: file.digests, ...(bytes ? { bytes } : {}) });
            if (bytes) {
              Atomics.sub(taken, 0, file.size);
              Atomics.notify(taken, 0);
            }
          }
        } else if (message.kind === 'failed') {
          settle(message.input ? new InputError(message.message) : new Error(message.message));
        } else {
          settle(next === paths.length ? undefined : new Error(`tree reading thread ended after ${next} of ${paths.length} files`));
        }
      } catch (error) {
        settle(error as Error);
      }
    });
    worker.once('error', (error) => settle(error));
    worker.once('exit', (code) => settle(new Error(`tree reading thread stopped (exit code ${code}) after ${next} of ${paths.length} files`)));
    worker.ref();
    worker.postMessage(job);
  });
}
