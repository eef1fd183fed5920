/** Sorts what the analyst dropped or picked into log files and an optional labels CSV. */

export interface NamedFile {
  name: string;
}

const LABEL_NAME = /\.(csv|tsv)$/i;

export function splitDroppedFiles<F extends NamedFile>(files: readonly F[]): { logs: F[]; labels?: F } {
  const labels = files.filter((f) => LABEL_NAME.test(f.name));
  const logs = files.filter((f) => !LABEL_NAME.test(f.name));
  // Prefer a CSV whose name says it holds labels when several are dropped.
  const chosen = labels.find((f) => /label/i.test(f.name)) ?? labels[0];
  return { logs, labels: chosen };
}
