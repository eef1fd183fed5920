/**
 * The head's inputs (issue 12), apart from the training: which units can learn, the per-line
 * evidence columns and the prepared feature matrix of a scoring, cached per scoring because the
 * encoder's vectors are frozen and every retraining reads the same features.
 */
import { textFeatureColumns } from '../detect/textFeatures';
import { scoreGroups } from '../detect/groups';
import { groupFeatures, groupMeans, lineFeatures, prepareFeatures, type EvidenceColumn, type PreparedFeatures } from '../learn';
import type { RecordGroups } from '../sessions';
import type { AnalysisFit } from './fit';
import { groupsOf, type Scoring } from './scoring';

const preparedCache = new WeakMap<Scoring, PreparedFeatures | null>();
/** Which groups a session or window scoring ranks. */
export function unitGroups(scoring: Scoring): RecordGroups | undefined {
  const unit = scoring.settings.unit;
  return unit === 'session' || unit === 'window' ? groupsOf(scoring, unit) : undefined;
}

/** Whether the head can learn for this scoring's unit. */
export function canLearn(scoring: Scoring): boolean {
  const unit = scoring.settings.unit;
  return unit === 'line' || ((unit === 'session' || unit === 'window') && !!unitGroups(scoring));
}

/** Per-line evidence columns (the bench's set: bench/fewshot.ts measured the head on them). */
function lineColumns(fit: AnalysisFit, scoring: Scoring): EvidenceColumn[] {
  const { records, evidence } = fit;
  const t = records.target;
  const texts = records.targetTexts;
  const scores = scoring.scores;
  const n = texts.texts.length;
  const columns = textFeatureColumns(scores.forest, evidence.vectors, n, {
    templateOf: texts.templateOf,
    levelOf: texts.levelOf,
    surprise: evidence.surprise,
    // Against a reference log the population is not the target: novelty is measured afresh.
    selfIndex: records.reference ? undefined : Int32Array.from({ length: n }, (_, i) => i),
  });
  const perLine = (perText: ArrayLike<number>): Float64Array => Float64Array.from({ length: t.count }, (_, i) => perText[t.textIndex[i]]);
  const out: EvidenceColumn[] = [
    { name: 'unsupervised', values: scores.line },
    { name: 'forest', values: perLine(scores.textForest) },
    { name: 'templateRarity', values: perLine(columns.templateRarity) },
    { name: 'level', values: Float64Array.from(t.level.subarray(0, t.count)) },
    { name: 'pcaResidual', values: perLine(columns.pcaResidual) },
    { name: 'novelty', values: perLine(columns.novelty) },
    { name: 'surprise', values: perLine(columns.surprise) },
  ];
  const values = scores.evidence?.values.score ?? fit.values?.evidence.score;
  if (values && values.length >= t.count) out.push({ name: 'values', values: values.subarray(0, t.count) });
  const fused = scores.evidence?.line;
  if (fused) {
    const k = fused.names.length;
    fused.names.forEach((name, c) =>
      out.push({ name: `evidence ${name}`, values: Float64Array.from({ length: t.count }, (_, i) => fused.contributions[i * k + c]) }),
    );
  }
  // A column that is not finite everywhere (a detector without that evidence) is left out, not learned from.
  return out.filter((c) => Array.prototype.every.call(c.values, (v: number) => Number.isFinite(v)));
}

/**
 * The head's features for this scoring, prepared once and cached (undefined: the unit cannot learn).
 * Lines: the text's vector + per-line evidence; sessions/windows: their lines' mean vector + the
 * group's scores and the highest of each line column among its lines (learn/units.ts).
 */
export function learningFeatures(fit: AnalysisFit, scoring: Scoring): PreparedFeatures | undefined {
  const cached = preparedCache.get(scoring);
  if (cached !== undefined) return cached ?? undefined;
  let prepared: PreparedFeatures | null = null;
  if (canLearn(scoring)) {
    const t = fit.records.target;
    const lines = { vectors: fit.evidence.vectors, dims: fit.evidence.dims, textIndex: t.textIndex, count: t.count };
    const columns = lineColumns(fit, scoring);
    const groups = unitGroups(scoring);
    if (scoring.settings.unit === 'line') {
      prepared = prepareFeatures(lineFeatures(lines, columns));
    } else if (groups) {
      const scores = scoring.scores;
      const forest = scoring.settings.forest;
      const composition = scoreGroups(groups, scores.line, t.templateId.subarray(0, t.count), {
        nEstimators: forest.nEstimators,
        maxSamples: forest.maxSamples,
        seed: forest.seed,
      });
      const meanLine = groupMeans(groups, scores.line);
      const missing = scoring.settings.unit === 'session' ? scores.evidence?.session?.missing : undefined;
      prepared = prepareFeatures(
        groupFeatures(
          groups,
          lines,
          [
            { name: 'unsupervised', values: scores.unit },
            { name: 'maxLine', values: composition.maxLine },
            { name: 'meanLine', values: meanLine },
            { name: 'composition', values: composition.composition },
            ...(missing ? [{ name: 'missing steps', values: missing }] : []),
          ],
          columns.filter((c) => c.name !== 'unsupervised'),
        ),
      );
    }
  }
  preparedCache.set(scoring, prepared);
  return prepared ?? undefined;
}

/** Line units: the template of each line (a normal label spread over a template is one judgement). */
export function judgementsOf(fit: AnalysisFit, scoring: Scoring): Int32Array | undefined {
  const t = fit.records.target;
  return scoring.settings.unit === 'line' ? t.templateId.subarray(0, t.count) : undefined;
}
