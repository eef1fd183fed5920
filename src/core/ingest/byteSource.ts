import { IngestError, describeCause } from './errors';

/** What readLines accepts: a File/Blob, a web stream, or any async iterable of byte chunks. */
export type ByteSource = Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** Iterates the raw bytes of a source; read failures become IngestError('unreadable'). */
export async function* sourceChunks(source: ByteSource, fileName: string): AsyncGenerator<Uint8Array> {
  const stream = source instanceof Blob ? (source.stream() as ReadableStream<Uint8Array>) : source;
  try {
    if (stream instanceof ReadableStream) {
      yield* readStream(stream);
    } else {
      for await (const chunk of stream) yield chunk;
    }
  } catch (error) {
    if (error instanceof IngestError) throw error;
    throw new IngestError('unreadable', `${fileName} could not be read: ${describeCause(error)}`, { cause: error });
  }
}

/** Reads a web stream chunk by chunk, cancelling it when the consumer stops early. */
export async function* readStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const result = await reader.read();
      if (result.done) {
        done = true;
        return;
      }
      yield result.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/**
 * Gunzips a chunk sequence with the platform's DecompressionStream. Errors raised by the
 * decompressor (not by the source) mean the gzip data is damaged.
 *
 * The next compressed chunk is written only once the previous one is consumed and the text it
 * gave has been taken: a plain pipe lets some platforms (Node) read the whole file ahead and queue
 * its text in memory, however slowly the lines are parsed.
 */
export async function* gunzipChunks(chunks: AsyncIterable<Uint8Array>, fileName: string): AsyncGenerator<Uint8Array> {
  const gunzip = new DecompressionStream('gzip') as unknown as ReadableWritablePair<Uint8Array, Uint8Array>;
  const writer = gunzip.writable.getWriter();
  const reader = gunzip.readable.getReader();
  const damaged = (error: unknown): never => {
    if (error instanceof IngestError) throw error;
    throw new IngestError('corrupt-gzip', `${fileName} is a damaged gzip file (${describeCause(error)})`, { cause: error });
  };
  let reading = reader.read();
  // A failed write also fails the read; both are awaited below, never left unhandled.
  reading.catch(() => undefined);
  let finished = false;
  try {
    for await (const chunk of chunks) {
      const written = writer.write(chunk).then(() => 'written' as const);
      written.catch(() => undefined);
      for (;;) {
        // Text already given comes first (race settles in order when both are ready).
        const next = await Promise.race([reading, written]).catch(damaged);
        if (next === 'written') break;
        if (next.done) throw new IngestError('corrupt-gzip', `${fileName} is a damaged gzip file (data after its end)`);
        yield next.value;
        reading = reader.read();
        reading.catch(() => undefined);
      }
    }
    const closed = writer.close();
    closed.catch(() => undefined);
    for (;;) {
      const next = await reading.catch(damaged);
      if (next.done) break;
      yield next.value;
      reading = reader.read();
      reading.catch(() => undefined);
    }
    await closed.catch(damaged);
    finished = true;
  } finally {
    if (!finished) {
      await reader.cancel().catch(() => undefined);
      await writer.abort().catch(() => undefined);
    }
  }
}

/** Yields `first` chunks before the rest of `iterator`: lets us sniff bytes without losing them. */
export async function* prepend(first: Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  let finished = false;
  try {
    for (const chunk of first) yield chunk;
    for (;;) {
      const next = await rest.next();
      if (next.done) {
        finished = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!finished) await rest.return?.();
  }
}
