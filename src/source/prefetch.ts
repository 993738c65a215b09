import { type Compression, readFileHead, sniffCompression } from './decompress.js';
import { type DecompressedStream, decompressionPlace, openDecompressed } from './decompressed-stream.js';

/**
 * A tarball's decompression started before the tool has loaded. `generate`'s command line calls
 * prefetchTarball first thing, and the decompression thread runs while the main thread loads the
 * catalog, the detectors and the writers (about 0.15 s); the scan then takes the stream already
 * flowing (takePrefetched). Only a regular file whose first bytes say gzip, xz or tar is started,
 * and only where decompression has a thread of its own; anything else (a directory, an artifact
 * zip, an unreadable path) is left to the scan, which reports its own errors. A stream no scan
 * takes is stopped by dropPrefetched. Resolves to the compression of the stream it started, once
 * that stream's decompressor is running.
 */
interface Started {
  compression: Compression;
  sha512: boolean;
  stream: DecompressedStream;
}

const started = new Map<string, Started>();

export async function prefetchTarball(path: string, options: { sha512?: boolean } = {}): Promise<Compression | undefined> {
  if (started.has(path) || decompressionPlace() !== 'thread') return undefined;
  // Non-blocking and only a regular file, as the scan itself reads (readFileHead): a FIFO would block here.
  const head = await readFileHead(path).catch(() => undefined);
  const compression = head && sniffCompression(head);
  if (!compression || started.has(path)) return undefined;
  const sha512 = options.sha512 === true;
  const stream = openDecompressed(path, compression, { sha512 });
  started.set(path, { compression, sha512, stream });
  // The thread boots and starts the decompressor before the rest of the tool loads: booting
  // beside the loading took it 0.1 s longer, and the decompressor is the run's critical path.
  await stream.started;
  return compression;
}

/** The stream started for `path`, when it was started as the scan would start it; taken once. */
export function takePrefetched(path: string, compression: Compression, sha512: boolean): DecompressedStream | undefined {
  const entry = started.get(path);
  if (!entry) return undefined;
  started.delete(path);
  if (entry.compression === compression && entry.sha512 === sha512) return entry.stream;
  entry.stream.abort();
  return undefined;
}

/** Stops every stream no scan took (the run failed before its scan, or scanned something else). */
export function dropPrefetched(): void {
  for (const entry of started.values()) entry.stream.abort();
  started.clear();
}
