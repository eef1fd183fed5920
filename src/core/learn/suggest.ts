/**
 * "Label next": up to 10 units whose labels would teach the head the most. Two kinds, interleaved:
 *   - uncertain: the head is least sure of them (probability nearest its balanced boundary 0.5),
 *     among the top of the blended ranking when it is given;
 *   - top anomaly: the highest unsupervised scores not yet reviewed (what the analyst would check
 *     first anyway, and the only kind while there is no head).
 * No two suggestions share a template (or whatever diversity key the caller gives), nor one with a
 * labelled unit: a second line of the same template teaches little, and a normal label already
 * spreads to its template.
 */
import { FeatureError } from './features';

export const SUGGESTION_LIMIT = 10;

/**
 * Uncertain units are sought among the top of the blended ranking: this many units, or this share
 * of them if more. Doubt far down the ranking changes nothing the analyst looks at. (bench:fewshot
 * measured the same AP on BGL_2k and HDFS_AD_5k with and without this limit.)
 */
export const UNCERTAIN_POOL = { units: 100, share: 0.05 };

export interface SuggestInput {
  /** Unsupervised score of each unit (higher = more anomalous). */
  unsupervised: ArrayLike<number>;
  /** Labels per unit (1, 0; -1 unlabelled): labelled units are never suggested. */
  labels: ArrayLike<number>;
  /** The head's probability per unit, when there is a head. */
  learned?: ArrayLike<number>;
  /**
   * The blended score, when there is a head: uncertain units are then sought among the top of the
   * blended ranking (UNCERTAIN_POOL), where a label changes what the analyst sees; without it, anywhere.
   */
  blended?: ArrayLike<number>;
  /** Units already looked at without a label (skipped as top anomalies). */
  reviewed?: ArrayLike<number>;
  /** Diversity key per unit: a line's template id; -1 = no key (never conflicts). */
  diversityKey?: ArrayLike<number>;
  limit?: number;
}

export interface Suggestion {
  unit: number;
  reason: 'uncertain' | 'top anomaly';
  /** |p − 0.5| for uncertain units, the unsupervised score for top anomalies. */
  value: number;
}

/** Candidates looked at per list: the best this many by its order (bounds the cost on huge logs). */
const RANKED = 4096;

/**
 * Eligible units by decreasing score, ties by unit: at least the best `want` (all when few); on
 * large logs a native sort of the scores finds the cut first, so only the best few are ordered.
 */
function ranked(n: number, score: (u: number) => number, eligible: (u: number) => boolean, want: number): number[] {
  let units: number[] = [];
  for (let u = 0; u < n; u++) if (eligible(u)) units.push(u);
  if (units.length > 2 * want) {
    const values = Float64Array.from(units, score).sort();
    const cut = values[values.length - want];
    units = units.filter((u) => score(u) >= cut);
  }
  return units.sort((a, b) => score(b) - score(a) || a - b);
}

export function suggestLabels(input: SuggestInput): Suggestion[] {
  const n = input.unsupervised.length;
  const limit = Math.max(0, Math.floor(input.limit ?? SUGGESTION_LIMIT));
  for (const [name, a] of [
    ['labels', input.labels],
    ['learned', input.learned],
    ['blended', input.blended],
    ['reviewed', input.reviewed],
    ['diversityKey', input.diversityKey],
  ] as const) {
    if (a && a.length !== n) throw new FeatureError(`${name} has ${a.length} entries for ${n} units`);
  }
  for (let u = 0; u < n; u++) {
    if (!Number.isFinite(input.unsupervised[u])) throw new FeatureError(`unsupervised score of unit ${u} is ${input.unsupervised[u]}`);
    if (input.learned && !Number.isFinite(input.learned[u])) throw new FeatureError(`learned score of unit ${u} is ${input.learned[u]}`);
    if (input.blended && !Number.isFinite(input.blended[u])) throw new FeatureError(`blended score of unit ${u} is ${input.blended[u]}`);
  }
  const open = (u: number): boolean => !(input.labels[u] >= 0);
  const unsupervised = (u: number): number => input.unsupervised[u];
  const topAnomalies = ranked(n, unsupervised, (u) => open(u) && !(input.reviewed && input.reviewed[u]), RANKED);
  const learned = input.learned;
  const blended = input.blended;
  let uncertain: number[] = [];
  if (learned) {
    const doubt = (u: number): number => -Math.abs(learned[u] - 0.5);
    if (blended) {
      const pool = ranked(n, (u) => blended[u], open, Math.max(UNCERTAIN_POOL.units, Math.ceil(UNCERTAIN_POOL.share * n)));
      uncertain = pool.sort((a, b) => doubt(b) - doubt(a) || unsupervised(b) - unsupervised(a) || a - b);
    } else {
      uncertain = ranked(n, doubt, open, RANKED);
    }
  }
  // Keys the analyst has labelled a unit of are spent: another line of a template already judged
  // teaches the head little (a normal label has spread over it anyway). When fresh keys run out,
  // spent ones serve, still no two in one list.
  const spent = new Set<number>();
  if (input.diversityKey) {
    for (let u = 0; u < n; u++) if (input.labels[u] >= 0 && input.diversityKey[u] >= 0) spent.add(input.diversityKey[u]);
  }
  const keys = new Set<number>();
  const chosen = new Set<number>();
  const out: Suggestion[] = [];
  const fill = (allowSpent: boolean): void => {
    const cursors = { uncertain: 0, top: 0 };
    const take = (kind: 'uncertain' | 'top'): boolean => {
      const list = kind === 'uncertain' ? uncertain : topAnomalies;
      for (let c = cursors[kind]; c < list.length; c++) {
        const u = list[c];
        const key = input.diversityKey ? input.diversityKey[u] : -1;
        if (chosen.has(u) || (key >= 0 && (keys.has(key) || (!allowSpent && spent.has(key))))) continue;
        chosen.add(u);
        if (key >= 0) keys.add(key);
        out.push(
          kind === 'uncertain'
            ? { unit: u, reason: 'uncertain', value: Math.abs(learned![u] - 0.5) }
            : { unit: u, reason: 'top anomaly', value: input.unsupervised[u] },
        );
        cursors[kind] = c + 1;
        return true;
      }
      cursors[kind] = list.length;
      return false;
    };
    // Alternate, starting with the head's doubt when there is a head; when one list runs dry the other fills.
    let turn: 'uncertain' | 'top' = learned ? 'uncertain' : 'top';
    while (out.length < limit) {
      if (!take(turn) && !take(turn === 'top' ? 'uncertain' : 'top')) break;
      if (learned) turn = turn === 'top' ? 'uncertain' : 'top';
    }
  };
  fill(false);
  if (out.length < limit && spent.size) fill(true);
  return out;
}
