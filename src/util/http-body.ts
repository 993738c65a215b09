import { InputError } from '../errors.js';

/**
 * A response body read with a bound while it arrives: past `maxBytes` the read stops and the
 * connection is dropped (`response.json()` or `arrayBuffer()` would hold the whole body first, and a
 * server can send without end). `what` names the URL in the message.
 */
export async function readBodyBounded(response: Response, maxBytes: number, what: string): Promise<Buffer> {
  const reader = response.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    total += chunk.value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new InputError(`${what}: the response is larger than ${maxBytes} bytes; refusing to read it`);
    }
    chunks.push(Buffer.from(chunk.value));
  }
  return Buffer.concat(chunks, total);
}

/** Hosts a plain-http URL may name: this machine only (a local mirror or test server). */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether `value` may be recorded as a download location taken from a server's answer: an https
 * URL, or http to this machine (a local mirror). Anything else (`javascript:`, `file:`, plain http
 * to another host, which anyone on the way could have rewritten) is refused.
 */
export function acceptableDownloadUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2048) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}
