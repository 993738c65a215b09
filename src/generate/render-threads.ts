import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FindingError } from '../errors.js';
import type { CycloneDxVersion, FileListing, OutputFormat } from '../formats/registry.js';
import type { SbomDocument } from '../model/types.js';
import { collectGarbage } from '../util/collect-garbage.js';
import { renderOne, renderOrder, warmUp } from './render.js';
import type { FromRenderThread, RenderThreadData, ToRenderThread } from './render-worker.js';

/**
 * Rendering on every core. The threads start before the source is scanned: the scan keeps one
 * core decompressing and the main thread mostly waiting, so loading the writers, the CycloneDX
 * library and the schema validators happens then, not after. When the document is described each
 * thread gets a copy (a structured clone: ~7 ms for a release's 1.6 MB model) and renders and
 * checks its share of the formats, side by side with the others. The texts are those the main
 * thread would render: the same functions (render.ts `renderOne`) on the same data.
 */

/** Relative cost of rendering and checking each format, for sharing them out among the threads. */
const COST: Record<OutputFormat, number> = { 'cyclonedx-xml': 3, 'spdx3-json': 1.5, 'spdx-json': 1.3, 'cyclonedx-json': 1.2 };

/** A render thread's young generation: small, for resident memory (its scavenges are cheap). */
const YOUNG_GENERATION_MB = 8;

const WORKER = fileURLToPath(new URL('./render-worker.js', import.meta.url));

/** The formats of each thread: the costliest first, each to the least loaded of `threads`. */
export function shareFormats(formats: readonly OutputFormat[], threads: number): OutputFormat[][] {
  const shares: { formats: OutputFormat[]; cost: number }[] = Array.from({ length: Math.max(1, Math.min(threads, formats.length)) }, () => ({
    formats: [],
    cost: 0,
  }));
  for (const format of [...formats].sort((a, b) => COST[b] - COST[a])) {
    const share = shares.reduce((least, next) => (next.cost < least.cost ? next : least));
    share.formats.push(format);
    share.cost += COST[format];
  }
  return shares.map((share) => renderOrder(share.formats));
}

export interface RenderThreads {
  /** Renders and checks every format; throws FindingError for an invalid document. */
  render(document: SbomDocument, baseName: string, onStep?: (step: 'render' | 'validate', format: OutputFormat) => void): Promise<Map<OutputFormat, string>>;
  /** Starts loading the main thread's formats (called once the scan is under way). */
  warmUp(): void;
  /** Ends the threads (after render, or instead of it). */
  close(): Promise<void>;
}

/**
 * Threads for `formats`, or undefined where they would not help: one core, or code running from
 * its TypeScript sources (tests), which a worker thread cannot load.
 */
export function startRenderThreads(formats: readonly OutputFormat[], cycloneDxVersion: CycloneDxVersion, files: FileListing): RenderThreads | undefined {
  const cores = availableParallelism();
  if (cores < 2 || formats.length === 0 || !import.meta.url.endsWith('.js') || !existsSync(WORKER)) return undefined;
  // The first share is the main thread's (it waits otherwise); each other share has a thread.
  const [own = [], ...others] = shareFormats(formats, cores);
  const workers = others.map((share) => {
    const data: RenderThreadData = { formats: share, cycloneDxVersion, files };
    const worker = new Worker(WORKER, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    // An idle thread never keeps the process alive (an error before rendering, say).
    worker.unref();
    return { worker, formats: share };
  });
  // The main thread's own formats load what they need during the scan too, once it has started
  // (before, the main thread is busy setting the scan up).
  let warm: Promise<void> | undefined;
  const warmMain = () => {
    warm ??= warmUp(own, cycloneDxVersion, files);
    return warm;
  };
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  };
  return {
    close,
    warmUp: () => void warmMain(),
    async render(document, baseName, onStep) {
      const texts = new Map<OutputFormat, string>();
      try {
        const threads = workers.map(
          ({ worker, formats: share }) =>
            new Promise<void>((resolve, reject) => {
              worker.ref();
              worker.on('message', (message: FromRenderThread) => {
                if (message.kind === 'step') onStep?.(message.step, message.format);
                else if (message.kind === 'done') {
                  texts.set(message.format, message.text);
                  // Its heap goes as soon as its last text is here, not when the others are done.
                  if (share.every((format) => texts.has(format))) void worker.terminate().then(() => resolve(), reject);
                } else if (message.kind === 'failed') {
                  const error = message.finding ? new FindingError(message.message, message.details) : new Error(message.message);
                  if (!message.finding && message.stack) error.stack = message.stack;
                  reject(error);
                }
              });
              worker.once('error', reject);
              worker.once('exit', (code) => {
                if (!share.every((format) => texts.has(format)))
                  reject(new Error(`render thread stopped (exit code ${code}) before rendering ${share.join(', ')}`));
              });
              const request: ToRenderThread = { document, baseName };
              worker.postMessage(request);
            }),
        );
        const main = (async () => {
          await warmMain();
          // What the scan left behind goes before this thread renders beside the others.
          if (own.length > 0) collectGarbage();
          const request = { document, baseName, cycloneDxVersion, files, collect: 'always' as const, ...(onStep ? { onStep } : {}) };
          for (const format of own) texts.set(format, await renderOne(request, format));
        })();
        await Promise.all([main, ...threads]);
      } finally {
        await close();
      }
      return new Map(formats.map((format) => [format, texts.get(format) as string]));
    },
  };
}
