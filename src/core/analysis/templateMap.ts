/**
 * The embedding map: each template as a point, at the 2-D PCA projection of the mean vector of its
 * texts (weighted by how often each text occurs).
 */
import { UMAP } from 'umap-js';
import { fitPca } from '../detect/pca';
import { createRandom } from '../detect/random';
import type { RecordsResult } from './records';
import type { TextEvidence } from './evidence';
import type { MapPoint, MapProjection, TemplateRow } from './types';

/** Templates drawn at most: the most frequent plus every template above the median score. */
const MAX_POINTS = 600;

export function templateVectors(records: RecordsResult, evidence: TextEvidence, templateIds: number[]): Float32Array {
  const dims = evidence.dims;
  const row = new Map<number, number>(templateIds.map((id, i) => [id, i]));
  const sums = new Float64Array(templateIds.length * dims);
  const weights = new Float64Array(templateIds.length);
  const texts = records.targetTexts;
  for (let t = 0; t < texts.texts.length; t++) {
    const r = row.get(texts.templateOf[t]);
    if (r === undefined) continue;
    const w = texts.counts[t];
    weights[r] += w;
    for (let d = 0; d < dims; d++) sums[r * dims + d] += w * evidence.vectors[t * dims + d];
  }
  const out = new Float32Array(templateIds.length * dims);
  for (let r = 0; r < templateIds.length; r++) {
    for (let d = 0; d < dims; d++) out[r * dims + d] = weights[r] ? sums[r * dims + d] / weights[r] : 0;
  }
  return out;
}

/**
 * 2-D positions of the templates' mean vectors. PCA is instant and stable; UMAP (on demand) keeps
 * neighbourhoods, so families of similar templates form visible islands.
 */
export function projectTemplates(
  records: RecordsResult,
  evidence: TextEvidence,
  rows: TemplateRow[],
  projection: MapProjection = 'pca',
): MapPoint[] {
  // Rows arrive sorted by score: keep the most anomalous half of the budget, then the most frequent.
  const byScore = rows.slice(0, MAX_POINTS / 2);
  const chosen = new Set(byScore.map((r) => r.id));
  for (const r of [...rows].sort((a, b) => b.count - a.count)) {
    if (chosen.size >= MAX_POINTS) break;
    chosen.add(r.id);
  }
  const kept = rows.filter((r) => chosen.has(r.id));
  if (kept.length === 0) return [];
  const vectors = templateVectors(
    records,
    evidence,
    kept.map((r) => r.id),
  );
  let xy: Float32Array;
  if (projection === 'umap' && kept.length >= 4) {
    const dims = evidence.dims;
    const data = kept.map((_, i) => Array.from(vectors.subarray(i * dims, (i + 1) * dims)));
    const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(15, kept.length - 1), minDist: 0.1, random: createRandom(7) });
    xy = Float32Array.from(umap.fit(data).flat());
  } else if (kept.length >= 3) {
    const pca = fitPca(vectors, kept.length, evidence.dims, { components: 2, whiten: false });
    xy = pca.transform(vectors, kept.length);
  } else {
    xy = new Float32Array(kept.length * 2);
    kept.forEach((_, i) => {
      xy[i * 2] = i;
    });
  }
  return kept.map((r, i) => ({ templateId: r.id, x: xy[i * 2], y: xy[i * 2 + 1] ?? 0, count: r.count, score: r.score, text: r.text }));
}
