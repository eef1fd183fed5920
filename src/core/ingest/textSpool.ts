/**
 * Where the decompressed text of a file goes when its lines are not kept as strings: somewhere
 * re-readable by byte offset, outside the JS heap. Plain files need none (the file itself is
 * re-readable); gzip files and streams do.
 */
export interface TextSpool {
  /** Appends the next bytes of the file's text (the caller may reuse `bytes` afterwards). */
  write(bytes: Uint8Array): void;
  /** Everything written, as a Blob readable by byte offset. Call once, after the last write. */
  finish(): Promise<Blob>;
  /** Releases what was written (the text was kept as strings after all). Safe after finish. */
  discard(): void;
}

/** Makes one spool per file. */
export type TextSpoolFactory = (fileName: string) => TextSpool;

/** Parts gathered before they are folded into the Blob: few, so that each Blob part stays large. */
const PARTS_PER_BLOB = 64;

/**
 * The browser's spool: a Blob grown from byte copies (never one string). Browsers keep large Blobs
 * on disk, not in the page's memory. In Node a Blob stays in native memory: the CLI uses
 * `createFileTextSpool` (ingest/node.ts) instead.
 */
export const blobTextSpool: TextSpoolFactory = () => {
  let blob: Blob | undefined;
  let parts: BlobPart[] = [];
  return {
    write(bytes) {
      parts.push(bytes.slice());
      if (parts.length >= PARTS_PER_BLOB) {
        blob = new Blob(blob ? [blob, ...parts] : parts);
        parts = [];
      }
    },
    finish() {
      const whole = new Blob(blob ? [blob, ...parts] : parts);
      blob = undefined;
      parts = [];
      return Promise.resolve(whole);
    },
    discard() {
      blob = undefined;
      parts = [];
    },
  };
};

let defaultSpool: TextSpoolFactory = blobTextSpool;

/**
 * The spool used when a caller names none: a runtime choice of the host, made once at start-up
 * (the CLI sets a temporary-file spool), like the encoder's device.
 */
export function setDefaultTextSpool(factory: TextSpoolFactory): void {
  defaultSpool = factory;
}

export function defaultTextSpool(): TextSpoolFactory {
  return defaultSpool;
}
