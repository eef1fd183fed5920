/** Why a file could not be turned into lines. */
export type IngestErrorCode = 'binary' | 'corrupt-gzip' | 'unreadable' | 'aborted';

/** A file-level failure the analyst should see as a readable message (not a stack trace). */
export class IngestError extends Error {
  readonly code: IngestErrorCode;

  constructor(code: IngestErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'IngestError';
    this.code = code;
  }
}

export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return String(cause);
}
