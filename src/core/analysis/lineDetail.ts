/**
 * Why a line scored as it did: its rank, its template, the nearest normal lines, and the saliency
 * of each of its words. Every figure reads the fit's own encoder and fitted forest, so a line is
 * explained by the model that scored it.
 */
import { MASK_TOKEN, occlusionSaliency, occlusionVariants, splitWords, surpriseOnWords } from '../explain/occlusion';
import { scoreWithForest } from '../detect/textForest';
import { isFlagged, rankOf } from '../detect/threshold';
import { WILDCARD } from '../templates/masks';
import type { AnalysisFit } from './fit';
import type { RowQueries } from './queries';
import { readRecords } from './recordText';
import { lineThresholdOf, type Scoring } from './scoring';
import type { LineDetail } from './types';

const NEIGHBOURS = 5;

export class DetailError extends Error {}

export async function lineDetail(fit: AnalysisFit, scoring: Scoring, queries: RowQueries, record: number, threshold: number): Promise<LineDetail> {
  const { records } = fit;
  if (!Number.isInteger(record) || record < 0 || record >= records.target.count) throw new DetailError(`There is no line ${record + 1}.`);
  const started = performance.now();
  const [row] = await queries.rowsOf([record]);
  const textIndex = records.target.textIndex[record];
  const line = scoring.scores.line;
  return {
    row,
    rank: rankOf(line, line[record]),
    template: records.templates.find((t) => t.id === records.target.templateId[record])?.text ?? '',
    neighbours: await nearestNormal(fit, scoring, textIndex, lineThresholdOf(scoring, threshold)),
    saliency: await saliency(fit, scoring, textIndex),
    saliencyMs: performance.now() - started,
  };
}

/** The most similar texts (cosine on vectors) that are not flagged, as examples of normal. */
async function nearestNormal(fit: AnalysisFit, scoring: Scoring, textIndex: number, lineThreshold: number): Promise<LineDetail['neighbours']> {
  const { evidence, records } = fit;
  const textScores = scoring.scores.text;
  const dims = evidence.dims;
  const texts = records.targetTexts;
  const v = evidence.vectors.subarray(textIndex * dims, (textIndex + 1) * dims);
  const best: Array<{ text: number; similarity: number }> = [];
  for (let t = 0; t < texts.texts.length; t++) {
    if (t === textIndex || isFlagged(textScores[t], lineThreshold)) continue;
    let dot = 0;
    const base = t * dims;
    for (let d = 0; d < dims; d++) dot += v[d] * evidence.vectors[base + d];
    if (best.length < NEIGHBOURS || dot > best[best.length - 1].similarity) {
      best.push({ text: t, similarity: dot });
      best.sort((a, b) => b.similarity - a.similarity);
      if (best.length > NEIGHBOURS) best.pop();
    }
  }
  const firstRecordOf = new Map<number, number>(best.map((b) => [b.text, -1]));
  const target = records.target;
  let missing = firstRecordOf.size;
  for (let i = 0; i < target.count && missing > 0; i++) {
    const t = target.textIndex[i];
    if (firstRecordOf.get(t) === -1) {
      firstRecordOf.set(t, i);
      missing--;
    }
  }
  const firsts = best.map((b) => firstRecordOf.get(b.text) ?? -1);
  const found = await readRecords(target, firsts.filter((r) => r >= 0));
  let next = 0;
  return best.map((b, k) => {
    const record = firsts[k];
    const message = record >= 0 ? found[next++].message : texts.texts[b.text];
    return { record, message, similarity: b.similarity, score: textScores[b.text] };
  });
}

/**
 * Saliency over the words the detectors see: the line's masked text (variables are `<*>`, so
 * their values never move a score and are not offered as explanations).
 */
async function saliency(fit: AnalysisFit, scoring: Scoring, textIndex: number): Promise<LineDetail['saliency']> {
  const { records, evidence, encoder } = fit;
  const texts = records.targetTexts;
  const text = texts.texts[textIndex];
  const words = splitWords(text);
  if (words.length === 0) return [];
  const { masked, deleted } = occlusionVariants(text, words);
  const variants = [text, ...masked, ...deleted];
  const vectors = encoder ? await encoder.embed(variants) : evidence.tfidf!.transform(variants);
  const rows = variants.length;
  // A line is not its own neighbour, nor are its variants (without a reference the line's text
  // is one of the known texts).
  const selfIndex = new Int32Array(rows).fill(records.reference ? -1 : textIndex);
  // A variant joins the template it would match with the hidden word as a wildcard (hiding the
  // one odd word of a rare template can make it a common one), else keeps the line's template.
  // Variants keep the line's surprise and level: the surprise view shows the model's side.
  const own = texts.templateOf[textIndex];
  const templateOf = Int32Array.from(variants, (v, r) => {
    if (r === 0) return own;
    const matched = records.matchTemplate(v.replace(MASK_TOKEN, WILDCARD));
    return matched >= 0 ? matched : own;
  });
  const surpriseOfLine = evidence.surprise ? evidence.surprise[textIndex] : 0;
  const extras = {
    templateOf, levelOf: new Uint8Array(rows).fill(texts.levelOf[textIndex]), selfIndex, surprise: new Float32Array(rows).fill(surpriseOfLine),
  };
  const forestScores = scoreWithForest(scoring.scores.forest, vectors, rows, extras);
  const original = forestScores[0];
  const maskedSaliency = occlusionSaliency(original, forestScores.subarray(1, 1 + words.length));
  const deletedSaliency = occlusionSaliency(original, forestScores.subarray(1 + words.length));
  let surprise: Float32Array = new Float32Array(words.length).fill(Number.NaN);
  if (encoder?.hasMlmHead) {
    // Exact pseudo-log-likelihood (one token masked per pass): one line is cheap, and the words are ranked by it.
    const [result] = await encoder.surprise([text], { maskStride: 1 });
    surprise = surpriseOnWords(words, result.words);
  }
  return words.map((w, k) => ({
    word: w.word, start: w.start, end: w.end, masked: maskedSaliency[k], deleted: deletedSaliency[k], surprise: surprise[k],
  }));
}
