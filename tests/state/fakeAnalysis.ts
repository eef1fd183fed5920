/**
 * A small in-memory stand-in for the analysis worker, following the AnalysisApi contract closely
 * enough to drive the store: N records with given scores, filtering, paging and cancellation.
 */
import type { BundleOptions, ReopenedAnalysis, SaveOptions } from '../../src/core/bundle/reopen';
import type { SavedAnalysisInfo } from '../../src/core/saved/savedAnalyses';
import type { AnalystLabel as ContentLabel } from '../../src/core/labels/labels';
import { DEFAULT_SETTINGS } from '../../src/core/analysis/types';
import type {
  AnalysisApi,
  AnalysisInput,
  AnalysisSettings,
  AnalysisSummary,
  LineDetail,
  LogRow,
  MapPoint,
  RowFilter,
  ScoringSettings,
  StageProgress,
  ThresholdView,
  TopAnomaly,
  WordsExplanation,
} from '../../src/core/analysis/types';

export interface FakeOptions {
  scores: number[];
  /** Reject analyze() of inputs whose first file name matches. */
  failOn?: RegExp;
  /** Sessions and the templates their lines have. */
  sessions?: Array<{ id: string; templates: number[] }>;
}

export class FakeAnalysis implements AnalysisApi {
  calls: string[] = [];
  private pendingCancel: (() => void) | null = null;
  /** When set, analyze() waits until `release()` (or cancel) before finishing. */
  hold = false;
  private releaseHeld: (() => void) | null = null;
  settings: AnalysisSettings | null = null;
  lines: string[];

  constructor(private readonly options: FakeOptions) {
    this.lines = options.scores.map((s, i) => `line ${i} ${s >= 0.8 ? 'ERROR disk failure' : 'INFO ok'}`);
  }

  release(): void {
    this.releaseHeld?.();
  }

  async analyze(input: AnalysisInput, settings: AnalysisSettings, onProgress: (p: StageProgress) => void): Promise<AnalysisSummary> {
    this.calls.push(`analyze:${input.files.map((f) => `${f.role}:${f.name}`).join(',')}${input.labels ? `+${input.labels.name}` : ''}`);
    for (let i = 0; i <= 10; i++) onProgress({ stage: 'read', done: i, total: 10, etaSeconds: 10 - i });
    onProgress({ stage: 'parse', done: 0, total: NaN, etaSeconds: NaN });
    if (this.options.failOn?.test(input.files[0]?.name ?? '')) throw new Error('This looks like a binary file, not a text log.');
    if (this.hold) {
      await new Promise<void>((resolve, reject) => {
        this.releaseHeld = resolve;
        this.pendingCancel = () => reject(new Error('Analysis cancelled'));
      });
    }
    this.settings = settings;
    return this.summary(settings);
  }

  cancel(): void {
    this.calls.push('cancel');
    this.pendingCancel?.();
  }

  summary(settings: AnalysisSettings): AnalysisSummary {
    const scores = Float32Array.from(this.options.scores);
    return {
      files: [{ name: 'a.log', role: 'target', report: {} as never, layoutName: 'fake', records: scores.length, labelledRecords: 0 }],
      records: scores.length,
      timed: false,
      settings,
      referenceMode: false,
      scoreDistribution: scores.slice().sort(),
      unitRows: [],
      threshold: 0.5,
      lineThreshold: 0.5,
      thresholdExplanation: 'test threshold',
      templates: [
        { id: 7, text: 'line <*> ERROR disk failure', count: 2, firstSeen: 3, lastSeen: 9, score: 0.9, level: 'ERROR', novel: false },
      ],
      sessions: (this.options.sessions ?? []).map((s, i) => ({
        index: i,
        id: s.id,
        score: 0,
        rank: i + 1,
        count: s.templates.length,
        label: -1,
        start: NaN,
        end: NaN,
      })),
      timeline: [],
      map: [],
      durationsMs: {},
    };
  }

  async unitScores(): Promise<Float32Array> {
    return Float32Array.from(this.options.scores);
  }

  async rescore(settings: ScoringSettings): Promise<AnalysisSummary> {
    this.calls.push(`rescore:${settings.detector}`);
    return this.summary({ ...this.settings!, ...settings });
  }

  async thresholdView(threshold: number): Promise<ThresholdView> {
    this.calls.push(`thresholdView:${threshold}`);
    const above = this.options.scores.filter((s) => s >= threshold).length;
    return { threshold, linesAbove: above, timeline: [] };
  }

  private matching(filter: RowFilter): number[] {
    const out: number[] = [];
    this.options.scores.forEach((s, i) => {
      if (filter.minScore !== undefined && s < filter.minScore) return;
      if (filter.flaggedAt !== undefined && s < filter.flaggedAt) return;
      if (filter.text && this.lines[i].includes(filter.text) === !!filter.negate) return;
      out.push(i);
    });
    const scores = this.options.scores;
    return filter.order === 'score' ? out.sort((a, b) => scores[b] - scores[a] || a - b) : out;
  }

  private row(record: number): LogRow {
    return {
      record,
      file: 0,
      lineNumber: record + 1,
      timestamp: NaN,
      level: 'INFO',
      raw: this.lines[record],
      message: this.lines[record],
      templateId: 0,
      score: this.options.scores[record],
      label: -1,
    };
  }

  async rows(filter: RowFilter, start: number, count: number) {
    this.calls.push(`rows:${start}`);
    const records = this.matching(filter);
    return { total: records.length, rows: records.slice(start, start + count).map((r) => this.row(r)) };
  }

  async positionOf(filter: RowFilter, record: number): Promise<number> {
    return this.matching(filter).indexOf(record);
  }

  async nextAnomaly(fromRecord: number, direction: 1 | -1, threshold: number): Promise<number> {
    for (let r = fromRecord + direction; r >= 0 && r < this.options.scores.length; r += direction) {
      if (this.options.scores[r] >= threshold) return r;
    }
    return -1;
  }

  async stepFlagged(filter: RowFilter, fromRecord: number, direction: 1 | -1, threshold: number): Promise<number> {
    this.calls.push(`stepFlagged:${filter.order ?? 'file'}:${fromRecord}:${direction}`);
    const rows = this.matching(filter);
    const at = rows.indexOf(fromRecord);
    const start = at >= 0 ? at : direction === 1 ? -1 : rows.length;
    for (let p = start + direction; p >= 0 && p < rows.length; p += direction)
      if (this.options.scores[rows[p]] >= threshold) return rows[p];
    return -1;
  }

  async recordAt(filter: RowFilter, position: number): Promise<number> {
    return this.matching(filter)[position] ?? -1;
  }

  async highestScored(filter: RowFilter): Promise<number> {
    this.calls.push(`highestScored:${JSON.stringify(filter)}`);
    return this.matching({ ...filter, order: 'score' })[0] ?? -1;
  }

  async sessionsHolding(templateIds: number[]): Promise<string[]> {
    return (this.options.sessions ?? []).filter((s) => s.templates.some((t) => templateIds.includes(t))).map((s) => s.id);
  }

  async topAnomalies(threshold: number, limit: number): Promise<TopAnomaly[]> {
    return this.matching({ order: 'score', flaggedAt: threshold })
      .slice(0, limit)
      .map((record, r) => ({
        index: record,
        id: String(record + 1),
        score: this.options.scores[record],
        rank: r + 1,
        count: 1,
        label: -1,
        start: NaN,
        end: NaN,
        unit: 'line',
        record,
        reason: 'rare template: seen 1 time in 10 lines',
        text: this.lines[record],
      }));
  }

  /** Word explanations wait for `releaseWords()`; a newer call aborts the older one, as the service does. */
  private wordsAbort: (() => void) | null = null;
  holdWords = false;
  private wordsRelease: (() => void) | null = null;
  releaseWords(): void {
    this.wordsRelease?.();
  }

  async words(record: number): Promise<WordsExplanation> {
    this.calls.push(`words:${record}`);
    this.wordsAbort?.();
    if (this.holdWords) {
      await new Promise<void>((resolve, reject) => {
        this.wordsRelease = resolve;
        this.wordsAbort = () => reject(new DOMException('A newer line was explained.', 'AbortError'));
      });
    }
    this.wordsAbort = null;
    return {
      record,
      words: [{ word: 'disk', start: 0, end: 4, masked: 0.1, surprise: 2, effect: 0.2, forestEffect: 0.1, surpriseEffect: 0.1 }],
      noiseFloor: 0.01,
      wordsTotal: 1,
      wordsExplained: 1,
      detector: 'fused',
      ms: 1,
    };
  }

  async detail(record: number): Promise<LineDetail> {
    this.calls.push(`detail:${record}`);
    return { row: this.row(record), rank: 1, template: 'line <*>', neighbours: [], evidence: [], values: [], saliency: [], saliencyMs: 1 };
  }

  async projectMap(projection: 'pca' | 'umap'): Promise<MapPoint[]> {
    this.calls.push(`projectMap:${projection}`);
    return [{ templateId: 0, x: projection === 'umap' ? 1 : 0, y: 0, count: 1, score: 0.5, text: 'x' }];
  }

  // Saved analyses and bundles (issue 11): the fake keeps them in memory, as the real one does in IndexedDB.
  saved = new Map<string, { info: SavedAnalysisInfo; settings: AnalysisSettings }>();

  async saveAnalysis(options: SaveOptions): Promise<SavedAnalysisInfo> {
    this.calls.push(`save:${options.name}:${options.includeLines ? 'lines' : 'no-lines'}`);
    const info: SavedAnalysisInfo = {
      id: `saved-${this.saved.size + 1}`,
      name: options.name,
      savedAt: 1,
      bytes: 1000,
      lineBytes: options.includeLines ? 400 : 0,
      records: this.options.scores.length,
      files: ['app.log'],
      fileKeys: options.fileKeys,
      topFinding: 'line 1',
      model: 'fake',
      hasLines: options.includeLines,
    };
    this.saved.set(info.id, { info, settings: this.settings ?? DEFAULT_SETTINGS });
    return info;
  }

  async useAnalystLabels(labels: ContentLabel[], fileKeys: string[]): Promise<number> {
    this.calls.push(`useAnalystLabels:${labels.length}:${fileKeys.join('|')}`);
    return labels.length;
  }

  async openSaved(id: string): Promise<ReopenedAnalysis> {
    this.calls.push(`openSaved:${id}`);
    const saved = this.saved.get(id);
    if (!saved) throw new Error('This saved analysis is gone (deleted in another tab?).');
    return {
      summary: this.summary(saved.settings),
      name: saved.info.name,
      fileKeys: saved.info.fileKeys,
      hasLines: saved.info.hasLines,
      labels: [],
      notes: '',
      createdAt: new Date(1).toISOString(),
      source: 'saved',
      id,
    };
  }

  async exportAnalysisBundle(options: BundleOptions): Promise<Uint8Array> {
    this.calls.push(`exportAnalysisBundle:${options.labels.length}`);
    return new TextEncoder().encode(JSON.stringify(options));
  }

  async importAnalysisBundle(file: Blob): Promise<ReopenedAnalysis> {
    this.calls.push(`importAnalysisBundle:${file.size}`);
    const options = JSON.parse(await file.text()) as BundleOptions;
    return {
      summary: this.summary(this.settings ?? DEFAULT_SETTINGS),
      name: options.name,
      fileKeys: options.fileKeys,
      hasLines: options.includeLines,
      labels: options.labels,
      notes: options.notes,
      createdAt: new Date(1).toISOString(),
      source: 'bundle',
    };
  }
}

export class MemoryStorage {
  items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}
