import type { IngestReport } from '../types';
import type { ByteSource } from './byteSource';
import { readLines, type ReadLinesOptions } from './readLines';

export interface CollectedLines {
  lines: string[];
  /** Line numbers (0-based, in the file) of lines cut at the length limit. */
  truncated: number[];
  report: IngestReport;
}

/** Reads a whole file into memory: for small files, tests and tools, not the streaming pipeline. */
export async function collectLines(source: ByteSource, options?: ReadLinesOptions): Promise<CollectedLines> {
  const lines: string[] = [];
  const truncated: number[] = [];
  const reader = readLines(source, options);
  for (;;) {
    const next = await reader.next();
    if (next.done) return { lines, truncated, report: next.value };
    const chunk = next.value;
    for (const index of chunk.truncated) truncated.push(chunk.firstLineNumber + index);
    for (const line of chunk.lines) lines.push(line);
  }
}
