import type { LineChunk } from '../types';

/** Accumulates decoded lines until a LineChunk's worth is ready. */
export class LineBatch {
  lines: string[] = [];
  byteOffsets: number[] = [];
  truncated: number[] = [];
  /** Line number (within the file) of lines[0]. */
  firstLineNumber = 0;

  constructor(private readonly fileIndex: number) {}

  get size(): number {
    return this.lines.length;
  }

  add(line: string, byteOffset: number, truncated: boolean): void {
    if (truncated) this.truncated.push(this.lines.length);
    this.lines.push(line);
    this.byteOffsets.push(byteOffset);
  }

  /** Removes and returns the first `count` lines (all when count >= size) as a chunk. */
  take(count: number): LineChunk {
    let chunk: LineChunk;
    if (count >= this.lines.length) {
      chunk = {
        fileIndex: this.fileIndex,
        lines: this.lines,
        byteOffsets: this.byteOffsets,
        firstLineNumber: this.firstLineNumber,
        truncated: this.truncated,
      };
      this.lines = [];
      this.byteOffsets = [];
      this.truncated = [];
    } else {
      const taken = this.truncated.filter((i) => i < count);
      chunk = {
        fileIndex: this.fileIndex,
        lines: this.lines.slice(0, count),
        byteOffsets: this.byteOffsets.slice(0, count),
        firstLineNumber: this.firstLineNumber,
        truncated: taken,
      };
      this.lines = this.lines.slice(count);
      this.byteOffsets = this.byteOffsets.slice(count);
      this.truncated = this.truncated.slice(taken.length).map((i) => i - count);
    }
    this.firstLineNumber += chunk.lines.length;
    return chunk;
  }
}
