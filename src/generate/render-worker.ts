import { parentPort, workerData } from 'node:worker_threads';
import { FindingError } from '../errors.js';
import type { CycloneDxVersion, FileListing, OutputFormat } from '../formats/registry.js';
import type { SbomDocument } from '../model/types.js';
import { collectGarbage } from '../util/collect-garbage.js';
import { renderOne, warmUp } from './render.js';

/**
 * A render thread (see render-threads.ts). Started while the source is scanned, it loads what its
 * formats need and runs each once on a document of one package, so the modules, the schema
 * validators and the compiled code are ready when the real document arrives; then it renders
 * and checks that one, format by format, and hands back the texts.
 */

export interface RenderThreadData {
  formats: OutputFormat[];
  cycloneDxVersion: CycloneDxVersion;
  files: FileListing;
}

export type ToRenderThread = { document: SbomDocument; baseName: string };

export type FromRenderThread =
  | { kind: 'step'; step: 'render' | 'validate'; format: OutputFormat }
  | { kind: 'done'; format: OutputFormat; text: string }
  | { kind: 'failed'; finding: boolean; message: string; details: string[]; stack?: string };

const data = workerData as RenderThreadData;
const port = parentPort;
if (!port) throw new Error('render-worker.js runs as a worker thread');
const post = (message: FromRenderThread) => port.postMessage(message);

const options = { cycloneDxVersion: data.cycloneDxVersion, files: data.files, collect: 'always' as const };
const warm = warmUp(data.formats, data.cycloneDxVersion, data.files);

port.once('message', (message: ToRenderThread) => {
  void warm.then(async () => {
    // The warm-up's leftovers go before the document's render allocates.
    collectGarbage();
    const request = {
      ...options,
      document: message.document,
      baseName: message.baseName,
      onStep: (step: 'render' | 'validate', format: OutputFormat) => post({ kind: 'step', step, format }),
    };
    try {
      for (const format of data.formats) post({ kind: 'done', format, text: await renderOne(request, format) });
    } catch (error) {
      const finding = error instanceof FindingError;
      post({
        kind: 'failed',
        finding,
        message: error instanceof Error ? error.message : String(error),
        details: finding ? error.details : [],
        ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
      });
    }
  });
});
