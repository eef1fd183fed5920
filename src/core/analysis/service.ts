/**
 * The analysis the worker holds, as a thin facade over its jobs: a run makes a fit (fit.ts), a
 * scoring scores it (scoring.ts → detect/score.ts), queries answer the viewer (queries.ts), and
 * explanations read both (lineDetail.ts). Only a finished run or re-score replaces what the page
 * sees, so cancelling or failing leaves the previous analysis whole. The worker file only exposes
 * an instance of this class; the CLI and tests use it directly.
 */
import {
  bundleOfCurrent,
  reopenBundle,
  reopenSaved,
  reopenedFrom,
  saveCurrent,
  type BundleOptions,
  type ReopenedAnalysis,
  type RestoredWithHead,
  type SaveOptions,
} from '../bundle/reopen';
import type { SavedAnalysisInfo } from '../saved/savedAnalyses';
import { fitWithVerdicts } from '../labels/applyVerdicts';
import type { AnalystLabel as ContentLabel } from '../labels/labels';
import type { Encoder } from '../embed/encoder';
import { openVectorCache } from '../embed/idbCache';
import type { VectorCache } from '../embed/vectorCache';
import { ScoringError } from '../detect/score';
import { readInput, withEvidence, type AnalysisFit } from './fit';
import type { ShardParser } from './parseShard';
import { parseLabelsStream } from './labels';
import {
  labelSuggestions,
  learnScoring,
  type LabelSuggestion,
  type LearnedScoring,
  type LearningOptions,
  type LearningView,
} from './learning';
import { verdictsFromAnalystLabels, verdictsFromLabelSet, type AnalystVerdicts } from './learningLabels';
import { AnalystHead } from './analystHead';
import { lineDetail, wordSaliency } from './lineDetail';
import { ProgressClock } from './progress';
import { RowQueries } from './queries';
import { scoreFit, type Scoring } from './scoring';
import { summarise, templateTable } from './summary';
import { projectTemplates } from './templateMap';
import { topAnomalies } from './topAnomalies';
import type {
  AnalysisApi,
  AnalysisInput,
  AnalysisSettings,
  AnalysisSummary,
  DevicePreference,
  LineDetail,
  LogRow,
  MapPoint,
  MapProjection,
  ModelSource,
  RowFilter,
  SaliencyProgress,
  ScoringSettings,
  StageProgress,
  ThresholdView,
  TopAnomaly,
  WordsExplanation,
} from './types';

export type EncoderFactory = (model: ModelSource, device: DevicePreference) => Promise<Encoder>;

/**
 * Logs at least this long get preliminary results (template rarity and TF-IDF vectors) while the
 * encoder runs: every log, since even 2,000 lines wait seconds for the model, and the preview
 * costs about 85 ms of CPU there (the 16 Loghub logs together: 0.95 s) (issue 13 §3).
 */
export const PREVIEW_MIN_RECORDS = 1;

export class AnalysisError extends Error {}

/** What the page currently sees: one fit, one scoring of it, and what was derived from both. */
interface Current {
  fit: AnalysisFit;
  scoring: Scoring;
  queries: RowQueries;
  map: Array<Omit<MapPoint, 'score'>>;
  summary: AnalysisSummary;
}

function scoringSettingsOf(settings: AnalysisSettings): ScoringSettings {
  const { detector, unit, forest, window, sessionRegex } = settings;
  return { detector, unit, forest, window, sessionRegex };
}

function encoderKey(model: ModelSource, device: DevicePreference): string {
  return JSON.stringify({ model: model.kind === 'local' ? { kind: 'local', name: model.name } : model, device });
}

export class AnalysisService implements AnalysisApi {
  private current?: Current;
  private controller?: AbortController;
  /** The word explanation in flight: a newer one (or a new analysis) aborts it. */
  private wordsController?: AbortController;
  /** Loaded encoders by model and device; one is disposed once no committed fit uses it. */
  private encoders = new Map<string, Encoder>();
  /** Vectors and surprise by (model, text): IndexedDB in browsers, memory elsewhere. */
  private cache?: Promise<VectorCache>;
  /** The head trained on the analyst's verdicts (issue 12): in force while its scoring is the one shown. */
  private readonly head = new AnalystHead();

  /**
   * `textInMemoryLimit`: inputs larger than this keep their lines in the files, not in memory
   * (see records.ts); tests lower it to exercise that path on small logs. `shardParser`: the pool
   * that parses pieces of big files on other threads (the browser's, workers/parsePool.ts).
   */
  constructor(
    private readonly createEncoder?: EncoderFactory,
    private readonly options: { textInMemoryLimit?: number; shardParser?: ShardParser } = {},
  ) {}

  cancel(): void {
    this.controller?.abort(new DOMException('The analysis was cancelled.', 'AbortError'));
  }

  async analyze(input: AnalysisInput, settings: AnalysisSettings, onProgress: (p: StageProgress) => void): Promise<AnalysisSummary> {
    if (!input.files.some((f) => f.role === 'target')) throw new AnalysisError('Drop at least one log file to analyse.');
    this.controller?.abort();
    this.wordsController?.abort(new DOMException('A new analysis started.', 'AbortError'));
    const controller = new AbortController();
    this.controller = controller;
    const signal = controller.signal;
    const clock = new ProgressClock(
      input.files.reduce((s, f) => s + f.data.size, 0),
      onProgress,
    );
    const report = (p: Parameters<ProgressClock['report']>[0]) => clock.report(p);
    const started = Date.now();
    const durationsMs: AnalysisSummary['durationsMs'] = {};

    const labels = input.labels ? await parseLabelsStream(input.labels.data, input.labels.name) : undefined;
    report({ stage: 'read', done: 0, total: Number.NaN });
    const files = input.files.map((f) => ({ name: f.name, data: f.data, role: f.role, size: f.data.size }));
    const base = await readInput(files, settings, labels, report, signal, this.options);
    durationsMs.parse = Date.now() - started;
    if (base.records.target.count === 0) {
      throw new AnalysisError(
        `${input.files
          .filter((f) => f.role === 'target')
          .map((f) => f.name)
          .join(', ')} holds no log lines.`,
      );
    }
    const scoring = scoringSettingsOf(settings);
    const before = this.current;
    let preview: Current | undefined;
    try {
      if (base.records.target.count >= PREVIEW_MIN_RECORDS && this.createEncoder) {
        // Preliminary scores on TF-IDF vectors, answering the viewer while the encoder runs.
        const previewStart = Date.now();
        const preliminary = await withEvidence(base, undefined, 'Preliminary: TF-IDF vectors while the model runs.', report, signal);
        // Without the PCA residual: fitting PCA on 256 TF-IDF dimensions was half the preview's
        // cost on a 2,000-line log (130 → 85 ms CPU; 16 Loghub logs 1.5 → 0.95 s); template
        // rarity, level and TF-IDF novelty remain.
        const previewForest = { ...scoring.forest, pcaComponents: 0 };
        const scored = await this.scored(preliminary, { ...scoring, detector: 'forest', forest: previewForest }, signal);
        // Not final: the previous analysis (and its encoder) come back if this run is cancelled.
        this.commit(preliminary, scored, undefined, { ...durationsMs }, { preliminary: true });
        preview = this.current;
        // The final scoring redoes this work on the encoder's vectors: the time estimate uses it.
        clock.scoringTook((Date.now() - previewStart) / 1000);
        onProgress({
          stage: 'embed',
          done: 0,
          total: base.records.targetTexts.texts.length,
          etaSeconds: Number.NaN,
          preview: preview!.summary,
        });
      }
      signal.throwIfAborted();
      const embedStart = Date.now();
      let encoder: Encoder | undefined;
      let encoderError: string | undefined;
      let modelNote: string | undefined;
      try {
        encoder = await this.encoderFor(settings.model, settings.device);
      } catch (error) {
        encoderError = error instanceof Error ? error.message : String(error);
        // A Hub model offline and not cached (or a broken folder): the bundled model still works.
        if (settings.model.kind !== 'bundled') {
          try {
            encoder = await this.encoderFor({ kind: 'bundled' }, settings.device);
            modelNote = `${settings.model.kind === 'hub' ? settings.model.modelId : settings.model.name} could not be loaded (${encoderError}); the bundled model scored this log`;
            encoderError = undefined;
          } catch {
            // Neither loads: TF-IDF vectors, with the first reason.
          }
        }
      }
      signal.throwIfAborted();
      report({ stage: 'embed', done: 0, total: base.records.targetTexts.texts.length });
      this.cache ??= openVectorCache();
      const fit = await withEvidence(base, encoder, encoderError, report, signal, await this.cache);
      if (modelNote && fit.evidence.encoder) fit.evidence.encoder.modelNote = modelNote;
      durationsMs.embed = Date.now() - embedStart;
      signal.throwIfAborted();

      const scoreStart = Date.now();
      report({ stage: 'score', done: 0, total: base.records.targetTexts.texts.length });
      const scored = await this.scored(fit, scoring, signal);
      durationsMs.score = Date.now() - scoreStart;
      signal.throwIfAborted();
      return this.commit(fit, scored, undefined, durationsMs);
    } catch (error) {
      // A cancelled or failed run leaves the previous analysis, not its own preliminary one.
      if (preview && this.current === preview) this.current = before;
      throw error;
    } finally {
      if (this.controller === controller) this.controller = undefined;
    }
  }

  async rescore(settings: ScoringSettings): Promise<AnalysisSummary> {
    const { fit, map, summary } = this.require();
    const started = Date.now();
    const scoring = await this.scored(fit, scoringSettingsOf({ ...fit.settings, ...settings }));
    return this.commit(fit, scoring, map, { ...summary.durationsMs, score: Date.now() - started });
  }

  async thresholdView(threshold: number): Promise<ThresholdView> {
    return this.require().queries.thresholdView(threshold);
  }

  async rows(filter: RowFilter, start: number, count: number): Promise<{ total: number; rows: LogRow[] }> {
    return this.require().queries.rows(filter, start, count);
  }

  async positionOf(filter: RowFilter, record: number): Promise<number> {
    return this.require().queries.positionOf(filter, record);
  }

  async nextAnomaly(fromRecord: number, direction: 1 | -1, threshold: number): Promise<number> {
    return this.require().queries.nextAnomaly(fromRecord, direction, threshold);
  }

  async stepFlagged(filter: RowFilter, fromRecord: number, direction: 1 | -1, threshold: number): Promise<number> {
    return this.require().queries.stepFlagged(filter, fromRecord, direction, threshold);
  }

  async recordAt(filter: RowFilter, position: number): Promise<number> {
    return this.require().queries.recordAt(filter, position);
  }

  async highestScored(filter: RowFilter): Promise<number> {
    return this.require().queries.highestScored(filter);
  }

  /** The viewer's rows of these records, in this order (the CLI prints the lines behind its top units). */
  async linesAt(records: number[]): Promise<LogRow[]> {
    return this.require().queries.rowsOf(records);
  }

  async sessionsHolding(templateIds: number[]): Promise<string[]> {
    return this.require().queries.sessionsHolding(templateIds);
  }

  async topAnomalies(threshold: number, limit: number): Promise<TopAnomaly[]> {
    const { fit, scoring, summary } = this.require();
    return topAnomalies(fit, scoring, threshold, limit, summary.scoreDistribution);
  }

  async detail(record: number, threshold?: number, options: { words?: boolean } = {}): Promise<LineDetail> {
    const { fit, scoring, queries } = this.require();
    const words = options.words !== false;
    const signal = words ? this.newWordsSignal() : undefined;
    return lineDetail(fit, scoring, queries, record, threshold ?? scoring.scores.threshold, { words, signal });
  }

  async words(record: number, onProgress?: (p: SaliencyProgress) => void): Promise<WordsExplanation> {
    const { fit, scoring } = this.require();
    return wordSaliency(fit, scoring, record, this.newWordsSignal(), onProgress);
  }

  async projectMap(projection: MapProjection): Promise<MapPoint[]> {
    const current = this.require();
    const { fit, scoring } = current;
    const map = projectTemplates(fit.records, fit.evidence, templateTable(fit, scoring), projection);
    this.current = { ...current, map, summary: { ...current.summary, map } };
    return map;
  }

  async unitScores(): Promise<Float32Array> {
    return this.require().scoring.scores.unit.slice();
  }

  /** Saves the current analysis in IndexedDB (issue 11); a failed save leaves earlier ones as they were. */
  async saveAnalysis(options: SaveOptions): Promise<SavedAnalysisInfo> {
    return saveCurrent({ ...this.require(), learned: this.head.inForce(this.current?.scoring)?.result }, options);
  }

  /** Reopens a saved analysis without recomputing; a damaged one throws and changes nothing. */
  async openSaved(id: string): Promise<ReopenedAnalysis> {
    const { restored, info } = await reopenSaved(id);
    return { summary: this.commitRestored(restored), ...reopenedFrom(restored, { info }) };
  }

  /** The current analysis as a gzip bundle (transferred to the page as bytes). */
  async exportAnalysisBundle(options: BundleOptions): Promise<Uint8Array> {
    return bundleOfCurrent({ ...this.require(), learned: this.head.inForce(this.current?.scoring)?.result }, options);
  }

  /** Reopens a bundle, validated in full first: a bad one throws and the current analysis stays. */
  async importAnalysisBundle(file: Blob): Promise<ReopenedAnalysis> {
    const { restored, contents } = await reopenBundle(file);
    return { summary: this.commitRestored(restored), ...reopenedFrom(restored, { contents }) };
  }

  /**
   * The analyst's labels become the evaluation's ground truth where they say something (issue 11):
   * the views stay, the next threshold view's metrics use them. Returns how many labels matched.
   */
  async useAnalystLabels(labels: ContentLabel[], fileKeys: string[]): Promise<number> {
    const current = this.require();
    const { fit, matched } = fitWithVerdicts(current.fit, current.scoring.sessions, labels, fileKeys);
    if (fit !== current.fit) this.current = { ...current, fit, queries: new RowQueries(fit, current.scoring) };
    return matched;
  }

  /**
   * Trains the head on the analyst's labels (issue 12) and makes the blended scoring the one every
   * view follows; with one class only (or none) the unsupervised scoring comes back. The encoder
   * is not run again: features are prepared once per scoring (learning.ts).
   */
  async trainOnLabels(labels: ContentLabel[], fileKeys: string[], options: LearningOptions = {}): Promise<LearningView> {
    const { fit } = this.require();
    const base = this.unsupervisedScoring();
    return this.train(verdictsFromAnalystLabels(fit, base, labels, fileKeys), options);
  }

  /** The same from a labels CSV (ids as in `--labels`): the command line's `--train-labels`. */
  async trainOnLabelFile(file: Blob, name: string, options: LearningOptions = {}): Promise<LearningView> {
    const { fit } = this.require();
    const labels = await parseLabelsStream(file, name);
    return this.train(verdictsFromLabelSet(fit, this.unsupervisedScoring(), labels), options);
  }

  /** A unit's unsupervised, learned and blended scores (the detail panel shows all three). */
  async learningScores(unit: number): Promise<{ unsupervised: number; learned?: number; blended?: number }> {
    const base = this.unsupervisedScoring();
    const result = this.head.inForce(this.current?.scoring)?.result;
    if (!(unit >= 0 && unit < base.scores.unit.length)) throw new AnalysisError(`no unit ${unit} in this analysis`);
    return { unsupervised: base.scores.unit[unit], learned: result?.learned?.[unit], blended: result?.blended?.[unit] };
  }

  /** "Label next": up to `limit` (10) units to label, no two of one template. */
  async labelNext(limit?: number): Promise<LabelSuggestion[]> {
    const { fit } = this.require();
    const base = this.unsupervisedScoring();
    return labelSuggestions(fit, this.head.inForce(this.current?.scoring)?.result ?? learnScoring(fit, base, {}), limit);
  }

  /** What a saved analysis keeps of the head: its weights, the blend weight and the verdicts. */
  currentHead(): { result: LearnedScoring; verdicts: AnalystVerdicts } | undefined {
    const learning = this.head.inForce(this.current?.scoring);
    return learning?.result.head ? { result: learning.result, verdicts: learning.verdicts } : undefined;
  }

  /** The scoring the head learns from: the unsupervised one behind a blended scoring. */
  private unsupervisedScoring(): Scoring {
    return this.head.unsupervised(this.require().scoring);
  }

  private train(verdicts: AnalystVerdicts, options: LearningOptions): LearningView {
    const { fit, scoring, map, summary } = this.require();
    let result: LearnedScoring | undefined;
    try {
      result = this.head.train(fit, scoring, verdicts, options);
    } catch (error) {
      throw error instanceof Error && error.name === 'FeatureError' ? new AnalysisError(error.message) : error;
    }
    // The same labels and weight as the head in force (a reopened analysis): nothing was retrained.
    if (!result) return { summary, learning: { ...this.head.inForce(scoring)!.result.summary, trainMs: 0 }, unchanged: true };
    return { summary: this.commit(fit, result.scoring, map, summary.durationsMs), learning: result.summary };
  }

  // ---------------------------------------------------------------------------------------------

  /** Aborts the word explanation in flight: only the newest one is still wanted. */
  private newWordsSignal(): AbortSignal {
    this.wordsController?.abort(new DOMException('A newer line was explained.', 'AbortError'));
    this.wordsController = new AbortController();
    return this.wordsController.signal;
  }

  private require(): Current {
    if (!this.current) throw new AnalysisError('No analysis yet: drop a log file first.');
    return this.current;
  }

  private async scored(fit: AnalysisFit, settings: ScoringSettings, signal?: AbortSignal): Promise<Scoring> {
    try {
      return await scoreFit(fit, settings, signal);
    } catch (error) {
      throw error instanceof ScoringError ? new AnalysisError(error.message) : error;
    }
  }

  /**
   * A reopened analysis replaces the current one (an analysis in flight is cancelled first); its
   * saved head ranks it until the analyst's labels change (train() keeps a head whose labels did not).
   */
  private commitRestored(restored: RestoredWithHead): AnalysisSummary {
    this.cancel();
    const summary = this.commit(restored.fit, restored.scoring, restored.map, restored.durationsMs);
    this.head.restore(restored.learned);
    return summary;
  }

  /** Makes a scored fit the one the page sees; map positions are kept across re-scores of one fit. */
  private commit(
    fit: AnalysisFit,
    scoring: Scoring,
    map: Current['map'] | undefined,
    durationsMs: AnalysisSummary['durationsMs'],
    options: { preliminary?: boolean } = {},
  ): AnalysisSummary {
    const positions = map ?? projectTemplates(fit.records, fit.evidence, templateTable(fit, scoring));
    const summary = summarise(fit, scoring, positions, durationsMs);
    this.current = { fit, scoring, queries: new RowQueries(fit, scoring), map: positions, summary };
    if (!options.preliminary) void this.disposeUnusedEncoders();
    return summary;
  }

  private async encoderFor(model: ModelSource, device: DevicePreference): Promise<Encoder | undefined> {
    if (!this.createEncoder) return undefined;
    const key = encoderKey(model, device);
    let encoder = this.encoders.get(key);
    if (!encoder) {
      encoder = await this.createEncoder(model, device);
      this.encoders.set(key, encoder);
    }
    return encoder;
  }

  /** Keeps the committed fit's encoder (its explanations need it) and the newest one loaded. */
  private async disposeUnusedEncoders(): Promise<void> {
    const keep = this.current?.fit.encoder;
    for (const [key, encoder] of this.encoders) {
      if (encoder === keep) continue;
      this.encoders.delete(key);
      await encoder.dispose();
    }
  }
}
