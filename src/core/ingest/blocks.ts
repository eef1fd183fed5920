/**
 * Source chunks (of any size: a stream's few KiB, a Blob's whole file) into the blocks the line
 * splitters take: small chunks gathered to at least MIN_BLOCK_BYTES, huge ones cut into pieces of
 * at most MAX_PIECE_BYTES, so that no block (and no string decoded from it) grows without bound.
 */
import { concatBytes } from '../bytes';

/** Small incoming chunks are gathered into blocks of at least this size before splitting. */
const MIN_BLOCK_BYTES = 64 * 1024;
/** Huge incoming chunks are split so that no block (and no decoded string) exceeds this. */
const MAX_PIECE_BYTES = 1024 * 1024;

export class BlockGatherer {
  private gathered: Uint8Array[] = [];
  private bytes = 0;

  /** Takes a chunk; returns the blocks now complete (usually none or one), in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    const blocks: Uint8Array[] = [];
    for (let at = 0; at < chunk.length; at += MAX_PIECE_BYTES) {
      const piece = at === 0 && chunk.length <= MAX_PIECE_BYTES ? chunk : chunk.subarray(at, at + MAX_PIECE_BYTES);
      this.gathered.push(piece);
      this.bytes += piece.length;
      if (this.bytes < MIN_BLOCK_BYTES) continue;
      blocks.push(this.take());
    }
    return blocks;
  }

  /** What is left at the end of the source, as a last block (undefined when nothing is). */
  flush(): Uint8Array | undefined {
    return this.bytes > 0 ? this.take() : undefined;
  }

  private take(): Uint8Array {
    const block = concatBytes(this.gathered, true);
    this.gathered = [];
    this.bytes = 0;
    return block;
  }
}
