// Node-only helper for the CLI, benchmarks and tests; the browser passes File objects instead.
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

/** Opens a file on disk as a web ReadableStream of bytes, for readLines. */
export function openFileStream(path: string): ReadableStream<Uint8Array> {
  // 1 MiB reads: fewer, larger chunks are cheaper to split than Node's 64 KiB default.
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
  return Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
}
