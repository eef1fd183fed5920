// The ingest stage: files to lines. `openFileStream` lives in ./node (Node only) and is not re-exported.
export { readLines, DEFAULT_CHUNK_LINES, DEFAULT_MAX_LINE_BYTES, type ReadLinesOptions } from './readLines';
export { collectLines, type CollectedLines } from './collect';
export { IngestError, type IngestErrorCode } from './errors';
export type { ByteSource } from './byteSource';
export { SNIFF_BYTES, type TextEncoding } from './sniff';
