/**
 * Why a line scored as it did: its rank, its template, which evidence moved its score, the
 * nearest normal lines, and (on demand, cancelable) the effect of each of its words. Every figure
 * reads the fit's own encoder and fitted forest and is put on the scale of the score the analyst
 * sees (the chosen detector, fused by default), so a line is explained by the model that scored it.
 */
import { profileSummary } from '../detect/values';
import { throwIfAborted } from '../embed/encoder';
import { noiseFloor } from '../explain/noise';
import { explainEvidence, shownScores, type EvidenceContext, type EvidenceRow } from '../explain/evidence';
import { lineEvidence } from '../explain/lineEvidence';
import { MASK_TOKEN, maskWords, occlusionGroups, splitWords, surpriseOnWords, type WordSpan } from '../explain/occlusion';
import { SURPRISE_MASK_STRIDE } from '../embed/maskPlan';
import { scoreWithForest } from '../detect/textForest';
import { isFlagged, rankOf } from '../detect/threshold';
import { WILDCARD } from '../templates/masks';
import type { AnalysisFit } from './fit';
import type { RowQueries } from './queries';
import { readRecords } from './recordText';
import { lineThresholdOf, type Scoring } from './scoring';
import type { LineDetail, SaliencyProgress, WordSaliency, WordsExplanation } from './types';

const NEIGHBOURS = 5;
/**
 * Encoder passes for the words of one line: each masks a word, or on longer lines a group of
 * neighbouring words. Bounds the cost of a line whatever its length (24 passes of at most the
 * model's 128 tokens).
 */
const MAX_OCCLUSIONS = 24;
/** Lines of at most this many words get exact per-word surprise (one encoder pass per token). */
const EXACT_SURPRISE_WORDS = 8;
/**
 * Tokens the masked variants of one line may cost in all: a 40-token line gets MAX_OCCLUSIONS
 * passes, a line the model reads to its 128-token end about a third of them (~1 s in WASM).
 */
const VARIANT_TOKEN_BUDGET = 960;
const MIN_OCCLUSIONS = 6;
/** Characters per token kept before cutting a long line (no word piece is longer). */
const CHARS_PER_TOKEN = 24;
/** Words shown when vectors are TF-IDF (no encoder window). */
const TFIDF_WORDS = 512;

export class DetailError extends Error {}

export interface DetailOptions {
  /** Compute word saliency too (runs the encoder); default true. */
  words?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: SaliencyProgress) => void;
}

function checkRecord(fit: AnalysisFit, record: number): void {
  if (!Number.isInteger(record) || record < 0 || record >= fit.records.target.count)
    throw new DetailError(`There is no line ${record + 1}.`);
}

export async function lineDetail(
  fit: AnalysisFit,
  scoring: Scoring,
  queries: RowQueries,
  record: number,
  threshold: number,
  options: DetailOptions = {},
): Promise<LineDetail> {
  checkRecord(fit, record);
  const { records } = fit;
  const started = performance.now();
  const [row] = await queries.rowsOf([record]);
  const textIndex = records.target.textIndex[record];
  const line = scoring.scores.line;
  const words = options.words === false ? undefined : await wordSaliency(fit, scoring, record, options.signal, options.onProgress);
  return {
    row,
    rank: rankOf(line, line[record]),
    template: records.templates.find((t) => t.id === records.target.templateId[record])?.text ?? '',
    neighbours: await nearestNormal(fit, scoring, textIndex, lineThresholdOf(scoring, threshold)),
    evidence: contributionsOf(fit, scoring, [record])[0],
    values: fit.values ? profileSummary(fit.values.profiles, records.target.templateId[record]) : [],
    saliency: words?.words ?? [],
    saliencyMs: words ? words.ms : performance.now() - started,
    words,
  };
}

/**
 * Which evidence moved each line's score: the default detector's own parts (its score is their
 * sum, explain/lineEvidence.ts), else each named feature of the text forest set to its typical
 * value (explain/evidence.ts), on the shown scale.
 */
export function contributionsOf(fit: AnalysisFit, scoring: Scoring, records: number[]): LineDetail['evidence'][] {
  const evidence = scoring.scores.evidence;
  const target = fit.records.target;
  if (evidence) {
    const templates = new Map(fit.records.templates.map((t) => [t.id, t.text]));
    return records.map((record) =>
      lineEvidence({
        evidence,
        record,
        level: target.level[record],
        message: target.message[record] ?? '',
        templateText: templates.get(target.templateId[record]) ?? '',
        templateId: target.templateId,
        sessions: scoring.sessions,
        templateName: (id) => templates.get(id) ?? `template ${id}`,
      }),
    );
  }
  return explainEvidence(
    evidenceContext(fit, scoring),
    records.map((r) => evidenceRow(fit, target.textIndex[r])),
  );
}

/** What explaining evidence needs from a fit and its scoring. */
function evidenceContext(fit: AnalysisFit, scoring: Scoring): EvidenceContext {
  const { records, evidence } = fit;
  const reference = records.reference && evidence.referenceVectors;
  return {
    forest: scoring.scores.forest,
    detector: scoring.settings.detector,
    dims: evidence.dims,
    target: { textForest: scoring.scores.textForest, surprise: evidence.surprise },
    population: reference
      ? { texts: records.reference!.texts, vectors: evidence.referenceVectors!, surprise: evidence.referenceSurprise, byLine: false }
      : { texts: records.targetTexts, vectors: evidence.vectors, surprise: evidence.surprise, byLine: true },
  };
}

/** A target text as the evidence explainer reads it. */
function evidenceRow(fit: AnalysisFit, textIndex: number): EvidenceRow {
  const { records, evidence } = fit;
  const texts = records.targetTexts;
  return {
    vector: evidence.vectors.subarray(textIndex * evidence.dims, (textIndex + 1) * evidence.dims),
    templateOf: texts.templateOf[textIndex],
    levelOf: texts.levelOf[textIndex],
    surprise: evidence.surprise ? evidence.surprise[textIndex] : 0,
    selfIndex: records.reference ? -1 : textIndex,
  };
}

/** Texts of which some line is labelled anomalous (ground truth): never shown as "normal". */
const labelledAnomalous = new WeakMap<AnalysisFit, Uint8Array>();

function anomalousTexts(fit: AnalysisFit): Uint8Array {
  let out = labelledAnomalous.get(fit);
  if (out) return out;
  const target = fit.records.target;
  out = new Uint8Array(fit.records.targetTexts.texts.length);
  const labels = fit.lineLabels;
  if (labels) for (let i = 0; i < target.count; i++) if (labels[i] === 1) out[target.textIndex[i]] = 1;
  labelledAnomalous.set(fit, out);
  return out;
}

/** The most similar texts (cosine on vectors) below the threshold and not labelled anomalous. */
async function nearestNormal(
  fit: AnalysisFit,
  scoring: Scoring,
  textIndex: number,
  lineThreshold: number,
): Promise<LineDetail['neighbours']> {
  const { evidence, records } = fit;
  const textScores = scoring.scores.text;
  const dims = evidence.dims;
  const texts = records.targetTexts;
  const anomalous = anomalousTexts(fit);
  const v = evidence.vectors.subarray(textIndex * dims, (textIndex + 1) * dims);
  const best: Array<{ text: number; similarity: number }> = [];
  for (let t = 0; t < texts.texts.length; t++) {
    if (t === textIndex || anomalous[t] || isFlagged(textScores[t], lineThreshold)) continue;
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
  const found = await readRecords(
    target,
    firsts.filter((r) => r >= 0),
  );
  let next = 0;
  return best.map((b, k) => {
    const record = firsts[k];
    const message = record >= 0 ? found[next++].message : texts.texts[b.text];
    return { record, message, similarity: b.similarity, score: textScores[b.text] };
  });
}

/** The start of a long text that holds every token the encoder reads, cut at a space when one is near. */
function encoderWindow(text: string, maxTokens: number): string {
  const cap = maxTokens * CHARS_PER_TOKEN;
  if (text.length <= cap) return text;
  const space = text.lastIndexOf(' ', cap);
  return text.slice(0, space > cap / 2 ? space : cap);
}

/** Spread of the shown text scores: the unit of the noise floor. */
function spreadOf(scores: Float32Array): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of scores) {
    if (!Number.isFinite(s)) continue;
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  return hi > lo ? hi - lo : 1;
}

/** Each whitespace word's share of the summed token surprise (0 for words the model did not read). */
function surpriseShares(
  words: readonly WordSpan[],
  pieces: Array<{ start: number; firstToken: number; endToken: number }>,
  tokenSurprise: Float32Array,
): Float64Array {
  const sums = new Float64Array(words.length);
  let total = 0;
  for (const s of tokenSurprise) total += Number.isFinite(s) ? s : 0;
  let w = 0;
  for (const p of pieces) {
    while (w < words.length && words[w].end <= p.start) w++;
    if (w >= words.length) break;
    for (let t = p.firstToken; t < p.endToken; t++) sums[w] += Number.isFinite(tokenSurprise[t]) ? tokenSurprise[t] : 0;
  }
  return total > 0 ? sums.map((s) => s / total) : sums;
}

const yieldToQueue = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Word saliency on the words the detectors see (the line's masked text: variables are `<*>` and
 * never offered as explanations), cut to what the encoder reads and capped at
 * MAX_OCCLUSIONS encoder passes. Checks `signal` between encoder batches.
 */
export async function wordSaliency(
  fit: AnalysisFit,
  scoring: Scoring,
  record: number,
  signal?: AbortSignal,
  onProgress?: (p: SaliencyProgress) => void,
): Promise<WordsExplanation> {
  checkRecord(fit, record);
  const started = performance.now();
  // Let a newer request that is already queued cancel this one before any work.
  await yieldToQueue();
  throwIfAborted(signal);
  const { records, evidence, encoder } = fit;
  const texts = records.targetTexts;
  const textIndex = records.target.textIndex[record];
  const full = texts.texts[textIndex];
  const wordsTotal = splitWords(full).length;
  // TF-IDF vectors read every word; the panel still stops at a readable number of them.
  const maxTokens = encoder?.info.maxTokens ?? TFIDF_WORDS;
  const text = encoderWindow(full, maxTokens);
  let words = splitWords(text).slice(0, Math.max(1, maxTokens - 2));
  const lineSurprise = evidence.surprise ? evidence.surprise[textIndex] : 0;
  let surprise: Float32Array | undefined;
  let shares: Float64Array | undefined;
  let tokensRead: number | undefined;
  onProgress?.({ done: 0, total: 1 + Math.min(words.length, MAX_OCCLUSIONS) });
  if (encoder?.hasMlmHead && words.length > 0) {
    // Short lines get the exact per-token surprise (one pass per token); longer ones the stride the
    // line's mean surprise was computed with (a few passes whatever the length). Either way the
    // word shares below are scaled to add up to the line's mean surprise.
    const maskStride = words.length <= EXACT_SURPRISE_WORDS ? 1 : SURPRISE_MASK_STRIDE;
    const [result] = await encoder.surprise([text], { maskStride, signal });
    tokensRead = result.tokens.length;
    // Words past the model's last token were never read: they cannot move the score.
    const readEnd = result.words.reduce((m, w) => Math.max(m, w.end), 0);
    words = words.filter((w) => w.start < readEnd);
    surprise = surpriseOnWords(words, result.words);
    shares = surpriseShares(words, result.words, result.tokenSurprise);
  }
  throwIfAborted(signal);
  const tokens = tokensRead ?? Math.min(maxTokens, Math.ceil(words.length * 1.5));
  const passes = Math.max(MIN_OCCLUSIONS, Math.min(MAX_OCCLUSIONS, Math.floor(VARIANT_TOKEN_BUDGET / Math.max(1, tokens))));
  const groups = occlusionGroups(words.length, passes);
  const g = groups.length;
  const total = 1 + g;
  onProgress?.({ done: 1, total });
  const variants = groups.map(([from, to]) => maskWords(text, words.slice(from, to)));
  const vectors =
    g === 0
      ? new Float32Array(0)
      : encoder
        ? await encoder.embed(variants, { signal, onProgress: (p) => onProgress?.({ done: 1 + p.done, total }) })
        : evidence.tfidf!.transform(variants);
  throwIfAborted(signal);
  // A variant joins the template it would match with the hidden words as wildcards (hiding the
  // one odd word of a rare template can make it a common one), else keeps the line's template.
  // Variants keep the line's surprise and level; a line is not its own neighbour, nor are its variants.
  const own = texts.templateOf[textIndex];
  const templateOf = Int32Array.from(variants, (v) => {
    const matched = records.matchTemplate(v.replaceAll(MASK_TOKEN, WILDCARD));
    return matched >= 0 ? matched : own;
  });
  const extras = {
    templateOf,
    levelOf: new Uint8Array(g).fill(texts.levelOf[textIndex]),
    selfIndex: new Int32Array(g).fill(records.reference ? -1 : textIndex),
    surprise: new Float32Array(g).fill(lineSurprise),
  };
  const forestScores = g ? scoreWithForest(scoring.scores.forest, vectors, g, extras) : new Float32Array(0);
  const original = scoring.scores.textForest[textIndex];
  const n = words.length;
  // On the shown scale: the line itself, each group masked (forest part), each word's surprise taken away.
  const f = new Float32Array(1 + g + n).fill(original);
  const s = new Float32Array(1 + g + n).fill(lineSurprise);
  f.set(forestScores, 1);
  for (let w = 0; w < n; w++) s[1 + g + w] = lineSurprise * (1 - (shares ? shares[w] : 0));
  // An additive detector (the default) reads surprise as one of its parts, in nats, and no forest:
  // a word's effect is its share of that part.
  const parts = scoring.scores.evidence?.line;
  const surprisePart = parts ? parts.contributions[record * parts.names.length + parts.names.indexOf('surprise')] : Number.NaN;
  const shown = parts ? undefined : shownScores(evidenceContext(fit, scoring), f, s);
  const out: WordSaliency[] = [];
  groups.forEach(([from, to], k) => {
    // A group's forest effect is shared evenly by its words (one word per group on short lines).
    const size = to - from;
    for (let w = from; w < to; w++) {
      const forestEffect = shown ? (shown[0] - shown[1 + k]) / size : 0;
      const surpriseEffect = !shares
        ? 0
        : shown
          ? shown[0] - shown[1 + g + w]
          : parts!.names.includes('surprise')
            ? (surprisePart || 0) * shares[w]
            : 0;
      out.push({
        word: words[w].word,
        start: words[w].start,
        end: words[w].end,
        masked: (original - forestScores[k]) / size,
        surprise: surprise ? surprise[w] : Number.NaN,
        forestEffect,
        surpriseEffect,
        effect: forestEffect + surpriseEffect,
      });
    }
  });
  onProgress?.({ done: total, total });
  const notes: string[] = [];
  if (n < wordsTotal)
    notes.push(
      `the line is cut to the first ${n} of its ${wordsTotal.toLocaleString('en-US')} words, what the ${encoder ? 'model reads' : 'panel shows'}`,
    );
  if (g < n)
    notes.push(
      `its words are masked in ${g} groups of about ${Math.ceil(n / g)} (one encoder pass each), each group's effect shared by its words`,
    );
  return {
    record,
    words: out,
    noiseFloor: noiseFloor(spreadOf(scoring.scores.text)),
    wordsTotal,
    wordsExplained: n,
    cutNote: notes.length ? `${notes.join('; ')}.` : undefined,
    detector: scoring.settings.detector,
    ms: performance.now() - started,
  };
}
