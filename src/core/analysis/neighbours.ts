/** Nearest normal neighbours of a line: examples of what its text usually looks like. */
import { readRecords } from './recordText';
import type { Analysis } from './state';
import type { LineDetail } from './types';

/** The most similar texts (cosine on vectors) that score below the threshold, as examples of normal. */
export async function nearestNormal(analysis: Analysis, textIndex: number, k: number): Promise<LineDetail['neighbours']> {
  const { evidence, scored, records } = analysis;
  const dims = evidence.dims;
  const texts = records.targetTexts;
  const v = evidence.vectors.subarray(textIndex * dims, (textIndex + 1) * dims);
  const textThreshold = analysis.settings.unit === 'line' ? scored.threshold : Infinity;
  const best: Array<{ text: number; similarity: number }> = [];
  for (let t = 0; t < texts.texts.length; t++) {
    if (t === textIndex || scored.scoring.scores[t] >= textThreshold) continue;
    let dot = 0;
    const base = t * dims;
    for (let d = 0; d < dims; d++) dot += v[d] * evidence.vectors[base + d];
    if (best.length < k || dot > best[best.length - 1].similarity) {
      best.push({ text: t, similarity: dot });
      best.sort((a, b) => b.similarity - a.similarity);
      if (best.length > k) best.pop();
    }
  }
  const firstRecordOf = new Map<number, number>(best.map((b) => [b.text, -1]));
  const target = records.target;
  let missing = firstRecordOf.size;
  for (let i = 0; i < target.count && missing > 0; i++) {
    const t = target.textIndex[i];
    if (firstRecordOf.get(t) === -1) { firstRecordOf.set(t, i); missing--; }
  }
  const firsts = best.map((b) => firstRecordOf.get(b.text) ?? -1);
  const found = await readRecords(target, firsts.filter((r) => r >= 0));
  let next = 0;
  return best.map((b, k) => {
    const record = firsts[k];
    const message = record >= 0 ? found[next++].message : texts.texts[b.text];
    return { record, message, similarity: b.similarity, score: scored.scoring.scores[b.text] };
  });
}
