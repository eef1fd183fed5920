// The ingest stage: files to lines. `openFileStream` lives in ./node (Node only) and is not re-exported.
export { readLines } from './readLines';
export { collectLines } from './collect';
export { IngestError } from './errors';
export type { ByteSource } from './byteSource';
