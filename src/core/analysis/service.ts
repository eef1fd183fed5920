/**
 * The analysis held in the worker: runs the pipeline, keeps its columnar result, and answers the
 * page (re-scores, threshold views, log pages, line details, export). The worker file only exposes
 * an instance of this class; the CLI and tests use it directly.
 */
import type { Encoder } from '../embed/encoder';
import { openVectorCache } from '../embed/idbCache';
import type { VectorCache } from '../embed/vectorCache';
import { MASK_TOKEN, occlusionSaliency, occlusionVariants, splitWords, surpriseOnWords } from '../explain/occlusion';
import { WILDCARD } from '../templates/masks';
import { exportAnalysisBundle } from '../bundle/exportBundle';
import { scoreWithForest } from './textScores';
import { lineScoresOf, scoreTexts } from './pipeline';
import { buildRecords } from './records';
import { gatherEvidence } from './evidence';
import { parseLabelsCsv } from './labels';
import { LEVELS, levelIndex } from './recordTable';
import { layoutTimeline, timelineBuckets } from './timeline';
import { clampShare, countAtOrAbove, quantileThreshold, thresholdFor } from './thresholds';
import { scoreGroups, templateScores } from './groupScores';
import type { RecordGroups } from '../sessions';
import type { Pca } from '../detect/pca';
import { sessionGroups, windowGroups } from './units';
import { readRecords, scanRecords } from './recordText';
import { computeMetrics } from './metrics';
import { projectTemplates } from './templateMap';
import { ProgressClock } from './progress';
import type { Analysis, Scored } from './state';
import { countAbove, groupRows, lineLabelsOf, sessionMemberSet, templateSeen, templateTable, topIndices } from './tables';
import { nearestNormal } from './neighbours';
import type {
  AnalysisApi, AnalysisInput, AnalysisSettings, AnalysisSummary, DevicePreference, LineDetail, LogRow, MapPoint, ModelSource,
  RowFilter, ScoringSettings, StageProgress, TemplateRow, ThresholdView, UnitRow,
} from './types';

export type EncoderFactory = (model: ModelSource, device: DevicePreference) => Promise<Encoder>;

/** Units listed in tables, most anomalous first. */
const MAX_UNIT_ROWS = 2000;
const NEIGHBOURS = 5;
/** Logs at least this long get preliminary (TF-IDF) results while the encoder runs. */
export const PREVIEW_MIN_RECORDS = 100_000;

export class AnalysisError extends Error {}

export class AnalysisService implements AnalysisApi {
  private current?: Analysis;
  private controller?: AbortController;
  private encoder?: { key: string; encoder: Encoder };
  private filterCache?: { key: string; matches: Uint32Array };
  /** Vectors and surprise by (model, text): IndexedDB in browsers, memory elsewhere. */
  private cache?: Promise<VectorCache>;

  /**
   * `textInMemoryLimit`: inputs larger than this keep their lines in the files, not in memory
   * (see pipeline.ts); tests lower it to exercise that path on small logs.
   */
  constructor(private readonly createEncoder?: EncoderFactory, private readonly options: { textInMemoryLimit?: number } = {}) {}

  cancel(): void {
    this.controller?.abort(new DOMException('The analysis was cancelled.', 'AbortError'));
  }

  async analyze(input: AnalysisInput, settings: AnalysisSettings, onProgress: (p: StageProgress) => void): Promise<AnalysisSummary> {
    if (!input.files.some((f) => f.role === 'target')) throw new AnalysisError('Drop at least one log file to analyse.');
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const signal = controller.signal;
    const totalBytes = input.files.reduce((s, f) => s + f.data.size, 0);
    const clock = new ProgressClock(totalBytes, onProgress);
    const started = Date.now();
    const durationsMs: AnalysisSummary['durationsMs'] = {};

    const labels = input.labels ? parseLabelsCsv(await input.labels.data.text()) : undefined;
    clock.report({ stage: 'read', done: 0, total: Number.NaN });
    const records = await buildRecords(
      input.files.map((f) => ({ name: f.name, data: f.data, role: f.role, size: f.data.size })),
      settings, (p) => clock.report(p), signal, this.options.textInMemoryLimit,
    );
    durationsMs.parse = Date.now() - started;
    if (records.target.count === 0) throw new AnalysisError(`${input.files.filter((f) => f.role === 'target').map((f) => f.name).join(', ')} holds no log lines.`);

    const lineLabels = lineLabelsOf(records, labels);
    const timeline = layoutTimeline(records.target);
    const sessions = new Map<string, RecordGroups | undefined>();
    if (records.target.count >= PREVIEW_MIN_RECORDS && this.createEncoder) {
      const evidence = { ...(await gatherEvidence(records, undefined)), encoderError: 'Preliminary: TF-IDF vectors while the model runs.' };
      const previewSettings: AnalysisSettings = { ...settings, detector: 'forest' };
      const partial = { settings: previewSettings, records, evidence, labels, lineLabels, timeline, pcaCache: new Map<string, Pca>(), sessions };
      await ensureSessions(partial, previewSettings.sessionRegex, signal);
      const preview: Analysis = { ...partial, scored: this.score(partial, previewSettings), summary: undefined as unknown as AnalysisSummary };
      onProgress({ stage: 'embed', done: 0, total: records.targetTexts.texts.length, etaSeconds: Number.NaN, preview: this.summarise(preview, { ...durationsMs }) });
    }
    signal.throwIfAborted();

    const embedStart = Date.now();
    let encoder: Encoder | undefined;
    let encoderError: string | undefined;
    try {
      encoder = await this.encoderFor(settings.model, settings.device);
    } catch (error) {
      encoderError = error instanceof Error ? error.message : String(error);
    }
    signal.throwIfAborted();
    clock.report({ stage: 'embed', done: 0, total: records.targetTexts.texts.length });
    this.cache ??= openVectorCache();
    const evidence = await gatherEvidence(records, encoder, (p) => clock.report(p), signal, await this.cache);
    if (encoderError) evidence.encoderError = encoderError;
    durationsMs.embed = Date.now() - embedStart;
    signal.throwIfAborted();

    const scoreStart = Date.now();
    clock.report({ stage: 'score', done: 0, total: records.targetTexts.texts.length });
    const partial = { settings, records, evidence, labels, lineLabels, timeline, pcaCache: new Map<string, Pca>(), sessions };
    await ensureSessions(partial, settings.sessionRegex, signal);
    const scored = this.score(partial, settings);
    durationsMs.score = Date.now() - scoreStart;
    const analysis: Analysis = { ...partial, scored, summary: undefined as unknown as AnalysisSummary };
    analysis.summary = this.summarise(analysis, durationsMs);
    signal.throwIfAborted();
    // Only a finished analysis replaces the previous one: cancelling leaves the old one intact.
    this.current = analysis;
    this.filterCache = undefined;
    if (this.controller === controller) this.controller = undefined;
    return analysis.summary;
  }

  async rescore(scoring: ScoringSettings): Promise<AnalysisSummary> {
    const analysis = this.require();
    const settings: AnalysisSettings = { ...analysis.settings, ...scoring };
    const started = Date.now();
    analysis.settings = settings;
    await ensureSessions(analysis, settings.sessionRegex);
    analysis.scored = this.score(analysis, settings);
    analysis.summary = this.summarise(analysis, { ...analysis.summary.durationsMs, score: Date.now() - started });
    return analysis.summary;
  }

  async thresholdView(threshold: number): Promise<ThresholdView> {
    const analysis = this.require();
    const { scored, records, timeline } = analysis;
    return {
      threshold,
      unitsAbove: countAtOrAbove(scored.unitScores, threshold),
      linesAbove: countAtOrAbove(scored.lineScores, analysis.settings.unit === 'line' ? threshold : scored.threshold),
      timeline: timelineBuckets(timeline, records.target, this.lineScoresForTimeline(analysis), this.lineThreshold(analysis, threshold)),
      metrics: computeMetrics(analysis.settings, this.unitLabels(analysis), scored.unitScores, threshold),
    };
  }

  async rows(filter: RowFilter, start: number, count: number): Promise<{ total: number; rows: LogRow[] }> {
    const analysis = this.require();
    const matches = await this.matches(analysis, filter);
    const page = matches.subarray(Math.max(0, start), Math.min(matches.length, start + count));
    return { total: matches.length, rows: await this.rowsOf(analysis, page) };
  }

  async positionOf(filter: RowFilter, record: number): Promise<number> {
    const matches = await this.matches(this.require(), filter);
    let lo = 0;
    let hi = matches.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (matches[mid] < record) lo = mid + 1;
      else hi = mid;
    }
    return lo < matches.length && matches[lo] === record ? lo : -1;
  }

  async nextAnomaly(fromRecord: number, direction: 1 | -1, threshold: number): Promise<number> {
    const analysis = this.require();
    const scores = analysis.scored.lineScores;
    const lineThreshold = this.lineThreshold(analysis, threshold);
    for (let i = fromRecord + direction; i >= 0 && i < scores.length; i += direction) {
      if (scores[i] >= lineThreshold) return i;
    }
    return -1;
  }

  async detail(record: number): Promise<LineDetail> {
    const analysis = this.require();
    const { records, scored } = analysis;
    if (record < 0 || record >= records.target.count) throw new AnalysisError(`There is no line ${record + 1}.`);
    const started = performance.now();
    const [row] = await this.rowsOf(analysis, [record]);
    const textIndex = records.target.textIndex[record];
    const rank = 1 + countAbove(scored.lineScores, scored.lineScores[record]);
    const saliency = await this.saliency(analysis, textIndex);
    return {
      row, rank,
      template: analysis.records.templates.find((t) => t.id === records.target.templateId[record])?.text ?? '',
      neighbours: await nearestNormal(analysis, textIndex, NEIGHBOURS),
      saliency,
      saliencyMs: performance.now() - started,
    };
  }

  async projectMap(projection: 'pca' | 'umap'): Promise<MapPoint[]> {
    const analysis = this.require();
    analysis.map = projectTemplates(analysis.records, analysis.evidence, analysis.summary.templates, projection);
    analysis.summary = { ...analysis.summary, map: this.map(analysis, analysis.summary.templates) };
    return analysis.summary.map;
  }

  async exportBundle(includeLines: boolean): Promise<string> {
    const analysis = this.require();
    const target = analysis.records.target;
    let lines: string[] | undefined;
    if (includeLines) {
      lines = new Array<string>(target.count);
      await scanRecords(target, (i, text) => { lines![i] = text.raw; });
    }
    return exportAnalysisBundle({
      settings: analysis.settings, summary: analysis.summary, lineScores: analysis.scored.lineScores, records: target, lines,
    });
  }

  // ---------------------------------------------------------------------------------------------

  private require(): Analysis {
    if (!this.current) throw new AnalysisError('No analysis yet: drop a log file first.');
    return this.current;
  }

  private async encoderFor(model: ModelSource, device: DevicePreference): Promise<Encoder | undefined> {
    if (!this.createEncoder) return undefined;
    const key = JSON.stringify({ model: model.kind === 'local' ? { kind: 'local', name: model.name } : model, device });
    if (this.encoder?.key === key) return this.encoder.encoder;
    const encoder = await this.createEncoder(model, device);
    await this.encoder?.encoder.dispose();
    this.encoder = { key, encoder };
    return encoder;
  }

  private score(analysis: Omit<Analysis, 'scored' | 'summary'>, settings: AnalysisSettings): Scored {
    const { records, evidence } = analysis;
    const scoring = scoreTexts(records, evidence, settings, analysis.pcaCache);
    const lineScores = lineScoresOf(records.target, scoring.scores);
    const templateCount = records.templates.length;
    const perTemplate = templateScores(templateCount, records.target.templateId, lineScores);
    const sessions = analysis.sessions.get(settings.sessionRegex?.trim() ?? '');
    const windows = windowGroups(records.target, settings.window, analysis.timeline.timed);
    const forestOptions = { nEstimators: settings.forest.nEstimators, maxSamples: settings.forest.maxSamples, seed: settings.forest.seed };
    let unitScores: Float32Array;
    let sessionScores: Float32Array | undefined;
    let windowScores: Float32Array | undefined;
    if (sessions) sessionScores = scoreGroups(sessions, lineScores, records.target.templateId, forestOptions).score;
    switch (settings.unit) {
      case 'template': unitScores = perTemplate; break;
      case 'session':
        if (!sessionScores) throw new AnalysisError('No sessions found in this log: set a session-id regex or score by window.');
        unitScores = sessionScores;
        break;
      case 'window':
        windowScores = scoreGroups(windows, lineScores, records.target.templateId, forestOptions).score;
        unitScores = windowScores;
        break;
      default: unitScores = lineScores;
    }
    const scoredUnits = settings.unit === 'template' ? unitScores.filter((_, t) => templateSeen(records, t)) : unitScores;
    let threshold: number;
    if (settings.detector === 'fused' && settings.forest.contamination === 'auto') {
      // Fused scores are ranks, with no natural cut: flag the share of lines the forest itself
      // flags (scikit-learn's offset), within the automatic rule's bounds.
      const forestLines = lineScoresOf(records.target, scoring.forest);
      threshold = quantileThreshold(scoredUnits, clampShare(countAtOrAbove(forestLines, 0.5) / Math.max(1, forestLines.length)));
    } else {
      threshold = thresholdFor(scoredUnits, settings.detector, settings.unit, settings.forest.contamination);
    }
    return { scoring, lineScores, sessions, sessionScores, windows, windowScores, templateScores: perTemplate, unitScores, threshold };
  }

  /** The threshold on line scores that corresponds to a unit threshold (same scale only for lines). */
  private lineThreshold(analysis: Analysis, threshold: number): number {
    return analysis.settings.unit === 'line' || analysis.settings.unit === 'template' ? threshold : analysis.scored.threshold;
  }

  private lineScoresForTimeline(analysis: Analysis): Float32Array {
    return analysis.scored.lineScores;
  }

  private unitLabels(analysis: Analysis): Int8Array | undefined {
    const { scored, lineLabels, labels, settings } = analysis;
    if (settings.unit === 'line') return lineLabels;
    if (settings.unit === 'template') return undefined;
    const groups = settings.unit === 'session' ? scored.sessions : scored.windows;
    if (!groups) return undefined;
    const out = new Int8Array(groups.keys.length).fill(-1);
    let any = false;
    for (let g = 0; g < groups.keys.length; g++) {
      const given = labels?.bySession.get(groups.keys[g]);
      if (given !== undefined) { out[g] = given; any = true; continue; }
      if (!lineLabels) continue;
      // Without session labels a group is anomalous when any of its labelled lines is.
      for (let k = groups.starts[g]; k < groups.starts[g + 1]; k++) {
        const l = lineLabels[groups.members[k]];
        if (l >= 0) { out[g] = Math.max(out[g], l); any = true; }
      }
    }
    return any ? out : undefined;
  }

  private summarise(analysis: Analysis, durationsMs: AnalysisSummary['durationsMs']): AnalysisSummary {
    const { records, scored, settings, evidence } = analysis;
    const target = records.target;
    const threshold = scored.threshold;
    const templateRows = templateTable(analysis);
    const unitRows = this.unitRows(analysis);
    const sessionRows = scored.sessions && scored.sessionScores ? groupRows(scored.sessions, scored.sessionScores, target, this.sessionLabelsOf(analysis)) : [];
    return {
      files: records.files.map((f) => ({
        name: f.name, role: f.role, report: f.report, layoutName: f.layout.name, layoutFormat: f.layout.format,
        records: f.records, labelledRecords: f.labelledRecords,
      })),
      records: target.count,
      timed: analysis.timeline.timed,
      encoder: evidence.encoder
        ? { modelId: evidence.encoder.modelId, device: evidence.encoder.device, fallbackReason: evidence.encoder.fallbackReason, threads: evidence.encoder.threads, hasMlmHead: evidence.encoder.hasMlmHead }
        : { modelId: 'tf-idf', device: 'none', fallbackReason: evidence.encoderError, threads: 0, hasMlmHead: false },
      settings,
      referenceMode: !!records.reference,
      unitScores: scored.unitScores,
      scoreDistribution: scored.unitScores.filter((s) => !Number.isNaN(s)).sort(),
      unitRows: unitRows.slice(0, MAX_UNIT_ROWS),
      unitCount: scored.unitScores.length,
      threshold,
      templates: templateRows,
      sessions: sessionRows.slice(0, MAX_UNIT_ROWS),
      timeline: timelineBuckets(analysis.timeline, target, scored.lineScores, this.lineThreshold(analysis, threshold)),
      map: this.map(analysis, templateRows),
      metrics: computeMetrics(settings, this.unitLabels(analysis), scored.unitScores, threshold),
      durationsMs,
    };
  }

  /** Map positions are fixed per analysis; scores follow the current detector. */
  private map(analysis: Analysis, templateRows: TemplateRow[]): MapPoint[] {
    analysis.map ??= projectTemplates(analysis.records, analysis.evidence, templateRows);
    const scores = analysis.scored.templateScores;
    return analysis.map.map((p) => ({ ...p, score: scores[p.templateId] }));
  }

  private sessionLabelsOf(analysis: Analysis): Int8Array | undefined {
    if (analysis.settings.unit === 'session') return this.unitLabels(analysis);
    const saved = analysis.settings.unit;
    analysis.settings = { ...analysis.settings, unit: 'session' };
    try { return this.unitLabels(analysis); } finally { analysis.settings = { ...analysis.settings, unit: saved }; }
  }

  private unitRows(analysis: Analysis): UnitRow[] {
    const { scored, settings, records } = analysis;
    const target = records.target;
    switch (settings.unit) {
      case 'template':
        return templateTable(analysis).map((t, i) => ({
          index: t.id, id: t.text, score: t.score, rank: i + 1, count: t.count, label: -1,
          start: target.timestamp[t.firstSeen] ?? Number.NaN, end: target.timestamp[t.lastSeen] ?? Number.NaN,
        }));
      case 'session':
        return scored.sessions ? groupRows(scored.sessions, scored.unitScores, target, this.unitLabels(analysis)) : [];
      case 'window':
        return groupRows(scored.windows, scored.unitScores, target, this.unitLabels(analysis));
      default: {
        const order = topIndices(scored.lineScores, MAX_UNIT_ROWS);
        const labels = analysis.lineLabels;
        return order.map((i, r) => ({
          index: i, id: String(target.lineNumber[i] + 1), score: scored.lineScores[i], rank: r + 1, count: 1,
          label: labels ? labels[i] : -1, start: target.timestamp[i], end: target.timestamp[i],
        }));
      }
    }
  }

  private async matches(analysis: Analysis, filter: RowFilter): Promise<Uint32Array> {
    const key = JSON.stringify(filter);
    if (this.filterCache?.key === key) return this.filterCache.matches;
    const target = analysis.records.target;
    const scores = analysis.scored.lineScores;
    const levels = filter.levels?.length ? new Set(filter.levels.map((l) => levelIndex(l))) : undefined;
    const needle = filter.text?.trim().toLowerCase();
    const sessionMembers = filter.session !== undefined ? sessionMemberSet(analysis, filter.session) : undefined;
    const range = filter.range;
    const timed = analysis.timeline.timed;
    // Untimed lines (continuations, odd lines) take the time of the record before them.
    let lastTime = Number.NaN;
    // Text search reads every line once (from the files when their text is not held in memory).
    let textMatches: Uint8Array | undefined;
    if (needle) {
      textMatches = new Uint8Array(target.count);
      const found = textMatches;
      await scanRecords(target, (i, text) => { if (text.raw.toLowerCase().includes(needle)) found[i] = 1; });
    }
    const out = new Uint32Array(target.count);
    let n = 0;
    for (let i = 0; i < target.count; i++) {
      if (!Number.isNaN(target.timestamp[i])) lastTime = target.timestamp[i];
      if (filter.minScore !== undefined && scores[i] < filter.minScore) continue;
      if (levels && !levels.has(target.level[i])) continue;
      if (filter.templateId !== undefined && target.templateId[i] !== filter.templateId) continue;
      if (sessionMembers && !sessionMembers.has(i)) continue;
      if (textMatches && !textMatches[i]) continue;
      if (range) {
        const at = timed ? lastTime : i;
        if (!(at >= range[0] && at <= range[1])) continue;
      }
      out[n++] = i;
    }
    const matches = out.slice(0, n);
    this.filterCache = { key, matches };
    return matches;
  }

  private async rowsOf(analysis: Analysis, indices: ArrayLike<number>): Promise<LogRow[]> {
    const t = analysis.records.target;
    const texts = await readRecords(t, indices);
    return texts.map(({ raw, message }, k) => {
      const i = indices[k];
      return {
        record: i, file: t.fileIndex[i], lineNumber: t.lineNumber[i] + 1, timestamp: t.timestamp[i], level: LEVELS[t.level[i]],
        raw, message, templateId: t.templateId[i], score: analysis.scored.lineScores[i],
        label: analysis.lineLabels ? analysis.lineLabels[i] : -1,
      };
    });
  }


  /**
   * Saliency over the words the detectors see: the line's masked text (variables are `<*>`, so
   * their values never move a score and are not offered as explanations).
   */
  private async saliency(analysis: Analysis, textIndex: number): Promise<LineDetail['saliency']> {
    const texts = analysis.records.targetTexts;
    const text = texts.texts[textIndex];
    const words = splitWords(text);
    if (words.length === 0) return [];
    const { masked, deleted } = occlusionVariants(text, words);
    const variants = [text, ...masked, ...deleted];
    const encoder = analysis.evidence.encoder ? this.encoder?.encoder : undefined;
    const vectors = encoder ? await encoder.embed(variants) : analysis.evidence.tfidf!.transform(variants);
    const rows = variants.length;
    // A line is not its own neighbour, nor are its variants (without a reference the line's text
    // is one of the known texts).
    const selfIndex = new Int32Array(rows).fill(analysis.records.reference ? -1 : textIndex);
    // A variant joins the template it would match with the hidden word as a wildcard (hiding the
    // one odd word of a rare template can make it a common one), else keeps the line's template.
    // Variants keep the line's surprise and level: the surprise view shows the model's side.
    const own = texts.templateOf[textIndex];
    const templateOf = Int32Array.from(variants, (v, r) => {
      if (r === 0) return own;
      const matched = analysis.records.matchTemplate(v.replace(MASK_TOKEN, WILDCARD));
      return matched >= 0 ? matched : own;
    });
    const surpriseOfLine = analysis.evidence.surprise ? analysis.evidence.surprise[textIndex] : 0;
    const extras = {
      templateOf, levelOf: new Uint8Array(rows).fill(texts.levelOf[textIndex]), selfIndex, surprise: new Float32Array(rows).fill(surpriseOfLine),
    };
    const forestScores = scoreWithForest(analysis.scored.scoring.fitted, vectors, rows, extras);
    const original = forestScores[0];
    const maskedSaliency = occlusionSaliency(original, forestScores.subarray(1, 1 + words.length));
    const deletedSaliency = occlusionSaliency(original, forestScores.subarray(1 + words.length));
    let surprise: Float32Array = new Float32Array(words.length).fill(Number.NaN);
    if (encoder?.hasMlmHead) {
      const [result] = await encoder.surprise([text]);
      surprise = surpriseOnWords(words, result.words);
    }
    return words.map((w, k) => ({
      word: w.word, start: w.start, end: w.end, masked: maskedSaliency[k], deleted: deletedSaliency[k], surprise: surprise[k],
    }));
  }
}

// -----------------------------------------------------------------------------------------------

/** Groups the records into sessions for a session regex ('' = automatic), once per regex. */
async function ensureSessions(
  analysis: Pick<Analysis, 'records' | 'sessions'>, regex: string | undefined, signal?: AbortSignal,
): Promise<void> {
  const key = regex?.trim() ?? '';
  if (!analysis.sessions.has(key)) analysis.sessions.set(key, await sessionGroups(analysis.records.target, key || undefined, signal));
}
