/**
 * The values behind each record's wildcards, scored against its template's profile
 * (detect/values.ts), once per analysis. Profiles are fitted on at most PROFILE_SAMPLE records
 * spread evenly over the log and the records are scored block by block, so a log whose lines stay
 * in the files is read once more and never held whole.
 */
import { fitValueProfiles, valueEvidence, type ValueEvidence, type ValueProfiles } from '../detect/values';
import type { RecordsResult } from './records';
import { readRecords, scanRecords, textIsLazy } from './recordText';

/** Records a value profile is fitted on at most: enough for quantiles and category shares. */
const PROFILE_SAMPLE = 200_000;
/** Records scored per block when their text is read back from the files. */
const BLOCK = 16_384;

export interface RecordValues {
  evidence: ValueEvidence;
  profiles: ValueProfiles;
}

export async function recordValues(records: RecordsResult, signal?: AbortSignal): Promise<RecordValues> {
  const target = records.target;
  const texts = new Map(records.templates.map((t) => [t.id, t.text]));
  const templateText = (id: number) => texts.get(id);
  if (!textIsLazy(target) && target.count <= PROFILE_SAMPLE) {
    const input = { templateId: target.templateId, message: target.message };
    const profiles = fitValueProfiles(input, templateText);
    return { profiles, evidence: valueEvidence(profiles, input, templateText) };
  }
  const step = Math.max(1, Math.ceil(target.count / PROFILE_SAMPLE));
  const sample = Uint32Array.from({ length: Math.ceil(target.count / step) }, (_, k) => k * step);
  const sampled = await readRecords(target, sample);
  signal?.throwIfAborted();
  const profiles = fitValueProfiles(
    { templateId: Int32Array.from(sample, (i) => target.templateId[i]), message: sampled.map((t) => t.message) },
    templateText,
  );
  const score = new Float32Array(target.count);
  const position = new Int16Array(target.count).fill(-1);
  let first = 0;
  let messages: string[] = [];
  const flush = () => {
    const block = valueEvidence(
      profiles,
      { templateId: target.templateId.subarray(first, first + messages.length), message: messages },
      templateText,
    );
    score.set(block.score, first);
    position.set(block.position, first);
    first += messages.length;
    messages = [];
  };
  await scanRecords(
    target,
    (_, text) => {
      messages.push(text.message);
      if (messages.length === BLOCK) flush();
    },
    signal,
  );
  flush();
  return { profiles, evidence: { score, position } };
}
