/**
 * A first look at each dropped log before it goes to the worker: a binary file (an image, an
 * archive) or an empty one is set aside with a message of its own, so one bad file in a drop of
 * several does not sink the good ones. The worker reads the rest in full (and still rejects what
 * only a full read reveals).
 */
import { SNIFF_BYTES, binaryReason, detectEncoding, isGzip } from '../core/ingest/sniff';

export interface RejectedFile {
  name: string;
  reason: string;
}

/** Why a log file cannot be read as text, from its first bytes; undefined when it looks fine. */
async function rejectReason(file: Blob & { name: string }, ownTask: boolean): Promise<string | undefined> {
  if (file.size === 0) return 'it is empty';
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  // With several files, a task of its own per file: the heads of a 16-file drop arrive together,
  // and scanning them all in one go was a 147 ms main-thread task under load (bench:e2e real-mid).
  if (ownTask) await new Promise((resolve) => setTimeout(resolve, 0));
  // Compressed logs are judged after decompression, by the worker.
  if (isGzip(head)) return undefined;
  const { encoding, bomBytes } = detectEncoding(head);
  if (encoding !== 'utf-8') return undefined;
  const reason = binaryReason(head.subarray(bomBytes));
  return reason ? `it looks like a binary file (${reason}), not a text log` : undefined;
}

export async function screenLogs<F extends Blob & { name: string }>(files: readonly F[]): Promise<{ good: F[]; rejected: RejectedFile[] }> {
  const reasons = await Promise.all(
    files.map((f) =>
      rejectReason(f, files.length > 1).catch((e: unknown) => `it could not be read (${e instanceof Error ? e.message : String(e)})`),
    ),
  );
  const good: F[] = [];
  const rejected: RejectedFile[] = [];
  files.forEach((f, i) => {
    const reason = reasons[i];
    if (reason) rejected.push({ name: f.name, reason });
    else good.push(f);
  });
  return { good, rejected };
}

/** One message for the files set aside: "photo.png: it looks like a binary file (…). x.log: it is empty." */
export function rejectedMessage(rejected: RejectedFile[], kept: number): string {
  const each = rejected.map((r) => `${r.name}: ${r.reason}.`).join(' ');
  return kept > 0 ? `Skipped ${rejected.length} of ${rejected.length + kept} files. ${each}` : `Nothing to analyse. ${each}`;
}
