/**
 * A snapshot (snapshot.ts) back into a fit and its scoring: validated first (it may come from a
 * hostile file), then rebuilt without parsing, embedding or scoring again.
 */
import { compileMasks } from '../templates/masks';
import { drainOptionsForLayout } from '../templates/presets';
import { fitTextForest } from '../detect/textForest';
import { lineScoresOf, type AnalysisScores } from '../detect/score';
import { TfidfVectorizer } from '../detect/tfidf';
import type { RecordGroups } from '../sessions';
import type { Layout } from '../parse/layout';
import { validateColumns } from '../bundle/columns';
import { SnapshotError, snapshotMetaSchema } from '../bundle/schema';
import { TFIDF_DIMS, type TextEvidence } from './evidence';
import type { AnalysisFit } from './fit';
import type { RecordTable } from './recordTable';
import type { RecordsResult } from './records';
import type { Scoring } from './scoring';
import type { SavedLearning } from './savedLearning';
import { restoreDefaultEvidence, restoreValues } from './snapshotEvidence';
import { layoutTimeline } from './timeline';
import type { SnapshotColumn } from './snapshot';
import type { AnalysisSettings, AnalysisSummary, MapPoint } from './types';

export interface RestoredAnalysis {
  fit: AnalysisFit;
  scoring: Scoring;
  map: Array<Omit<MapPoint, 'score'>>;
  durationsMs: AnalysisSummary['durationsMs'];
  /** False when the log lines were not saved: the viewer shows each line's masked text. */
  hasLines: boolean;
  /** The saved head and its unit labels, still to be re-applied to `scoring` (restoreLearning). */
  learning?: { saved: SavedLearning; labels: Int8Array };
}

/**
 * Validates a snapshot (schema, then every column's type, length and range) and rebuilds its fit
 * and scoring. Throws a SnapshotError saying what is wrong; nothing is half-built.
 */
export function restoreSnapshot(snapshot: unknown): RestoredAnalysis {
  if (typeof snapshot !== 'object' || snapshot === null) throw new SnapshotError('This is not a saved analysis.');
  const { meta: rawMeta, columns: rawColumns, strings: rawStrings } = snapshot as Record<string, unknown>;
  const parsed = snapshotMetaSchema.safeParse(rawMeta);
  if (!parsed.success) throw SnapshotError.fromZod(parsed.error);
  const meta = parsed.data;
  const { columns, strings } = validateColumns(meta, rawColumns, rawStrings);
  const col = <T extends SnapshotColumn>(name: string) => columns[name] as T;
  const count = meta.counts.records;

  const texts = strings['texts.texts'];
  const hasLines = meta.hasLines;
  let raw: string[];
  let message: string[];
  if (hasLines) {
    raw = strings['target.raw'];
    const start = col<Int32Array>('target.messageStart');
    const length = col<Uint32Array>('target.messageLength');
    const others = strings['target.messages'];
    message = new Array<string>(count);
    let k = 0;
    for (let i = 0; i < count; i++) message[i] = start[i] >= 0 ? raw[i].slice(start[i], start[i] + length[i]) : others[k++];
  } else {
    // Without the lines, each record shows its masked message: the text its scores were made from.
    const textIndex = col<Uint32Array>('target.textIndex');
    raw = new Array<string>(count);
    for (let i = 0; i < count; i++) raw[i] = texts[textIndex[i]];
    message = raw;
  }
  const target: RecordTable = {
    count,
    fileIndex: col('target.fileIndex'),
    lineNumber: col('target.lineNumber'),
    timestamp: col('target.timestamp'),
    level: col('target.level'),
    templateId: col('target.templateId'),
    textIndex: col('target.textIndex'),
    label: col('target.label'),
    raw,
    message,
    textStart: (columns['target.textStart'] as Float64Array<ArrayBuffer> | undefined) ?? new Float64Array(count),
    textEnd: (columns['target.textEnd'] as Float64Array<ArrayBuffer> | undefined) ?? new Float64Array(count),
  };
  const targetTexts = {
    texts,
    counts: col<Uint32Array>('texts.counts'),
    templateOf: col<Int32Array>('texts.templateOf'),
    levelOf: col<Uint8Array>('texts.levelOf'),
  };
  const reference = meta.reference
    ? {
        records: emptyTable(),
        texts: {
          texts: strings['reference.texts'],
          counts: col<Uint32Array>('reference.counts'),
          templateOf: col<Int32Array>('reference.templateOf'),
          levelOf: col<Uint8Array>('reference.levelOf'),
        },
      }
    : undefined;
  const templateByText = new Map(meta.templates.map((t) => [t.text, t.id]));
  const drainOptions = drainOptionsForLayout(meta.minerLayoutId, { add: meta.settings.masks.add, remove: meta.settings.masks.remove });
  const records: RecordsResult = {
    target,
    targetTexts,
    reference,
    files: meta.files.map((f) => ({
      name: f.name,
      role: f.role,
      report: f.report,
      layout: f.layout as Layout,
      records: f.records,
      labelledRecords: f.labelledRecords,
    })),
    templates: meta.templates,
    targetTemplateCounts: col('templates.targetCounts'),
    referenceTemplateCounts: columns['templates.referenceCounts'] as Uint32Array | undefined,
    masks: compileMasks(drainOptions.masks ?? []),
    // The miner is not kept: a variant joins a template only when its masked text is one.
    matchTemplate: (masked) => templateByText.get(masked) ?? -1,
  };
  const evidence: TextEvidence = {
    vectors: col('evidence.vectors'),
    dims: meta.dims,
    referenceVectors: columns['evidence.referenceVectors'] as Float32Array | undefined,
    surprise: columns['evidence.surprise'] as Float32Array | undefined,
    referenceSurprise: columns['evidence.referenceSurprise'] as Float32Array | undefined,
    encoder: meta.evidence.encoder,
    encoderError: meta.evidence.encoderError,
  };
  if (meta.evidence.tfidf) {
    // TF-IDF is fitted from the texts alone: the same population gives the same vectoriser.
    const population = reference?.texts ?? targetTexts;
    evidence.tfidf = new TfidfVectorizer(TFIDF_DIMS).fit(population.texts, population.counts);
  }
  const settings = {
    ...meta.settings,
    model: meta.settings.model.kind === 'local' ? { ...meta.settings.model, files: {} } : meta.settings.model,
  } as AnalysisSettings;
  const groups = (prefix: string): RecordGroups => ({
    keys: strings[`${prefix}.keys`],
    starts: col(`${prefix}.starts`),
    members: col(`${prefix}.members`),
  });
  const sessions = meta.counts.sessions > 0 || columns['sessions.starts'] ? groups('sessions') : undefined;
  const windows = groups('windows');
  const values = restoreValues(meta, columns);
  const fit: AnalysisFit = {
    ...(values ? { values } : {}),
    settings,
    records,
    evidence,
    labels: meta.labelSet ? { byLine: new Map(meta.labelSet.byLine), bySession: new Map(meta.labelSet.bySession) } : undefined,
    lineLabels: columns['labels.line'] as Int8Array | undefined,
    timeline: layoutTimeline(target),
    sessionsByRegex: new Map([[meta.scoring.sessionRegexKey, sessions]]),
  };
  const scoringSettings = meta.scoring.settings;
  const textScores = col<Float32Array>('scores.text');
  const line = (columns['scores.line'] as Float32Array | undefined) ?? lineScoresOf(target.textIndex, count, textScores);
  const template = col<Float32Array>('scores.template');
  const session = columns['scores.session'] as Float32Array | undefined;
  const window = columns['scores.window'] as Float32Array | undefined;
  const unit = { line, template, session, window }[scoringSettings.unit];
  if (!unit)
    throw new SnapshotError(`The saved analysis is scored by ${scoringSettings.unit} but holds no ${scoringSettings.unit} scores.`);
  const scores = {
    textForest: col<Float32Array>('scores.textForest'),
    text: textScores,
    line,
    template,
    session,
    window,
    unit,
    threshold: meta.scoring.threshold,
    lineThreshold: meta.scoring.lineThreshold,
    thresholdExplanation: meta.scoring.thresholdExplanation ?? '',
  } as AnalysisScores;
  const parts = restoreDefaultEvidence(meta, columns, values?.evidence, line, target, sessions, meta.reference);
  if (parts) scores.evidence = parts;
  // The forest is needed only to explain a line: re-fitted from the stored vectors with the stored
  // seed (the same forest) on first use, so reopening does not wait for it (1.2 s at 1M lines).
  let forest: AnalysisScores['forest'] | undefined;
  Object.defineProperty(scores, 'forest', {
    enumerable: true,
    get: () => {
      if (!forest) {
        const population = reference
          ? { ...reference.texts, surprise: evidence.referenceSurprise }
          : { ...targetTexts, surprise: evidence.surprise };
        forest = fitTextForest(
          population,
          reference ? (evidence.referenceVectors ?? new Float32Array(0)) : evidence.vectors,
          meta.dims,
          scoringSettings.forest,
          undefined,
          reference ? 'distinct' : 'lines',
        );
      }
      return forest;
    },
  });
  const scoring: Scoring = { settings: scoringSettings, scores, sessions, windows };
  const learning = meta.learning ? { saved: meta.learning, labels: col<Int8Array>('learning.labels') } : undefined;
  return { fit, scoring, map: meta.map, durationsMs: meta.durationsMs, hasLines, ...(learning ? { learning } : {}) };
}

function emptyTable(): RecordTable {
  return {
    count: 0,
    fileIndex: new Uint16Array(0),
    lineNumber: new Uint32Array(0),
    timestamp: new Float64Array(0),
    level: new Uint8Array(0),
    templateId: new Int32Array(0),
    textIndex: new Uint32Array(0),
    label: new Int8Array(0),
    raw: [],
    message: [],
    textStart: new Float64Array(0),
    textEnd: new Float64Array(0),
  };
}
