// Node-only helpers for the CLI, benchmarks and tests; the browser passes File objects instead.
import { closeSync, createReadStream, mkdtempSync, openAsBlob, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { TextSpool, TextSpoolFactory } from './textSpool';

/** Opens a file on disk as a web ReadableStream of bytes, for readLines. */
export function openFileStream(path: string): ReadableStream<Uint8Array> {
  // 1 MiB reads: fewer, larger chunks are cheaper to split than Node's 64 KiB default.
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
  return Readable.toWeb(stream) as unknown as ReadableStream<Uint8Array>;
}

/**
 * Spools decompressed text to temporary files and reads it back through file-backed Blobs, so
 * that a gzip expanding to gigabytes costs disk, not memory (a Node Blob built from bytes stays in
 * memory). The files are removed when discarded and when the process exits or is interrupted (a
 * file-backed Blob reads its file by path, so they must outlive the analysis).
 */
export function createFileTextSpool(directory?: string): TextSpoolFactory {
  let folder: string | undefined;
  const live = new Set<string>();
  const remove = (path: string): void => {
    live.delete(path);
    rmSync(path, { force: true });
  };
  const cleanUp = (): void => {
    for (const path of live) rmSync(path, { force: true });
    live.clear();
    if (folder && !directory) rmSync(folder, { recursive: true, force: true });
  };
  process.once('exit', cleanUp);
  // Ctrl-C skips 'exit' handlers: clean up, then end as the signal would have.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      cleanUp();
      process.kill(process.pid, signal);
    });
  }
  let serial = 0;
  return (fileName): TextSpool => {
    folder ??= directory ?? mkdtempSync(join(tmpdir(), 'loupe-text-'));
    const path = join(folder, `${serial++}-${fileName.replace(/[^\w.-]/g, '_')}.txt`);
    let fd: number | undefined = openSync(path, 'w');
    live.add(path);
    const close = (): void => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    };
    return {
      write(bytes) {
        if (fd === undefined) throw new Error(`The text spool of ${fileName} is closed`);
        for (let at = 0; at < bytes.length;) at += writeSync(fd, bytes, at, bytes.length - at);
      },
      finish() {
        close();
        return openAsBlob(path);
      },
      discard() {
        close();
        remove(path);
      },
    };
  };
}
