/**
 * gzip with the platform's CompressionStream / DecompressionStream (browsers and Node 20 both have
 * them), and a gunzip that stops as soon as the output passes a limit: a small file that expands
 * to gigabytes (a "gzip bomb") is refused after reading only the limit.
 */
import { concatBytes } from '../bytes';

export class GzipError extends Error {}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function collect(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new GzipError(`it expands past ${formatBytes(maxBytes)}`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof GzipError) throw error;
    throw new GzipError(`it is truncated or damaged (${error instanceof Error ? error.message : String(error)})`);
  }
  // One new buffer, 8-byte aligned from its start: typed-array columns are read in place.
  return concatBytes(chunks);
}

export async function gzip(parts: BlobPart[]): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob(parts).stream().pipeThrough(new CompressionStream('gzip'));
  return collect(stream, Number.MAX_SAFE_INTEGER);
}

/** The decompressed bytes, or a GzipError when they pass `maxBytes` or the input is damaged. */
export async function gunzip(data: Blob | Uint8Array, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const blob = data instanceof Blob ? data : new Blob([data as Uint8Array<ArrayBuffer>]);
  return collect(blob.stream().pipeThrough(new DecompressionStream('gzip')), maxBytes);
}

/** The first `bytes` decompressed bytes (fewer when the data is shorter), to recognise content. */
export async function gunzipHead(data: Blob, bytes: number): Promise<Uint8Array> {
  const reader = data.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const out = new Uint8Array(bytes);
  let at = 0;
  try {
    while (at < bytes) {
      const { done, value } = await reader.read();
      if (done) break;
      const take = Math.min(value.byteLength, bytes - at);
      out.set(value.subarray(0, take), at);
      at += take;
    }
  } catch {
    // Damaged data: whatever was read so far decides.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return out.subarray(0, at);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}
