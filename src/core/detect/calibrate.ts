/**
 * The default ranking: each kind of evidence put on one scale, nats (−ln of how rare a line this
 * unusual is), and summed, so a line's score is the log of how unlikely all its evidence is
 * together; each line keeps what each evidence added, so the analyst can see what moved it.
 *
 * Why not the old fusion (mean of min-max rescaled forest and surprise): min-max over the log lets
 * one extreme value squash everything else, and the forest's extra features reward any rare
 * template, so rare-but-normal lines ("program interrupt", "shutdown complete" on BGL) rose above
 * the alerts. Here each evidence is calibrated on its own terms:
 *   surprise  −ln(share of the log's distinct texts of the same level at least as surprising to
 *             the model), each text counted by the log of its occurrences (see surpriseNats);
 *   level     −ln(share of lines at this severity or worse), for WARN and above only, and at most
 *             ln 5: the author's severity is a prior worth a factor of five at most, and little
 *             where severe lines are common (BGL writes FATAL on 17% of its lines);
 *   values    already nats (see values.ts): how far a value behind a `<*>` lies from its profile;
 *   sequence  nats beyond one order of magnitude (see sequence.ts): how much less likely this step
 *             was than the usual one, when that is more than ten times less likely.
 * Evidence a log does not have (no levels, no sessions, no variables) adds 0 everywhere and
 * changes no ranking.
 */
import { LEVELS } from '../parse/level';

/** Indices into LEVELS of WARN: only WARN and worse count as the author calling a line notable. */
const NOTABLE_LEVEL = LEVELS.indexOf('WARN');
/** Most a level adds: a factor of five. */
export const LEVEL_CAP = Math.log(5);
/** Sequence evidence counts beyond one order of magnitude. */
export const SEQUENCE_FLOOR = Math.log(10);

/**
 * −ln(share of units whose value is at least this unit's), weighted by `weights` when given (a
 * unit with weight 3 counts three times). The largest value gets −ln(its own share); values tied
 * share one figure. NaN values count as the lowest.
 */
export function tailNats(values: ArrayLike<number>, weights?: ArrayLike<number>): Float32Array {
  const n = values.length;
  const v = Float64Array.from({ length: n }, (_, i) => (Number.isNaN(values[i]) ? -Infinity : values[i]));
  const order = Uint32Array.from({ length: n }, (_, i) => i).sort((a, b) => v[b] - v[a]);
  let total = 0;
  for (let i = 0; i < n; i++) total += weights ? weights[i] : 1;
  const out = new Float32Array(n);
  let above = 0;
  for (let k = 0; k < n;) {
    let j = k;
    while (j < n && v[order[j]] === v[order[k]]) {
      above += weights ? weights[order[j]] : 1;
      j++;
    }
    const nats = total > 0 && above > 0 && above < total ? -Math.log(above / total) : 0;
    for (let m = k; m < j; m++) out[order[m]] = nats;
    k = j;
  }
  return out;
}

/** Fewer distinct texts than this at one level are ranked among all the log's texts instead. */
export const MIN_LEVEL_TEXTS = 5;

/**
 * Surprise evidence of each distinct text: −ln share of texts at least as surprising, among the
 * texts of the same level (when levels are given), each text counted by ln(1 + its occurrences).
 *
 * Within its level: the model finds warnings and errors more surprising than routine lines because
 * they are rarer in any log, so ranked against every text, a routine WARN ("login failed: invalid
 * password") would count its level twice, once as level and once as surprise. Against texts the
 * author rated the same, surprise says how strange the text is for a line of its kind, and the
 * level evidence adds the author's rating once. A level with fewer than MIN_LEVEL_TEXTS texts is
 * too small to rank within: its texts are ranked among all the log's texts.
 *
 * Counted by ln(1 + occurrences): counting texts once would make a text written once among a
 * thousand identical lines no rarer than one of two texts; counting every line would make a text
 * written sixty times in one burst (BGL's "data TLB error interrupt") sixty times less strange.
 */
export function surpriseNats(textSurprise: ArrayLike<number>, textCounts?: ArrayLike<number>, textLevel?: ArrayLike<number>): Float32Array {
  const n = textSurprise.length;
  const weight = textCounts ? Float64Array.from({ length: n }, (_, i) => Math.log1p(textCounts[i])) : undefined;
  if (!textLevel) return tailNats(textSurprise, weight);
  const byLevel = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const members = byLevel.get(textLevel[i]);
    if (members) members.push(i);
    else byLevel.set(textLevel[i], [i]);
  }
  const out = new Float32Array(n);
  const everyText = tailNats(textSurprise, weight);
  for (const members of byLevel.values()) {
    if (members.length < MIN_LEVEL_TEXTS) {
      for (const i of members) out[i] = everyText[i];
      continue;
    }
    const tails = tailNats(
      members.map((i) => textSurprise[i]),
      weight ? members.map((i) => weight[i]) : undefined,
    );
    members.forEach((i, k) => (out[i] = tails[k]));
  }
  return out;
}

/** Level evidence of each line (level indices as in LEVELS; 0 = unknown). */
export function levelNats(lineLevel: ArrayLike<number>): Float32Array {
  const notable = Float32Array.from({ length: lineLevel.length }, (_, i) => (lineLevel[i] >= NOTABLE_LEVEL ? lineLevel[i] : 0));
  const tail = tailNats(notable);
  for (let i = 0; i < tail.length; i++) tail[i] = notable[i] > 0 ? Math.min(tail[i], LEVEL_CAP) : 0;
  return tail;
}

/** Sequence evidence of each line from the sequence model's relative surprise. */
export function sequenceNats(relativeSurprise: ArrayLike<number>): Float32Array {
  return Float32Array.from({ length: relativeSurprise.length }, (_, i) => Math.max(0, relativeSurprise[i] - SEQUENCE_FLOOR));
}

export interface EvidenceColumn {
  /** What the analyst reads: 'surprise', 'level', 'values', 'sequence'. */
  name: string;
  /** Per line, in nats, ≥ 0. */
  nats: ArrayLike<number>;
}

export interface FusedEvidence {
  /** Per line: the sum of its evidence, in nats (higher = more anomalous). */
  score: Float32Array;
  names: string[];
  /** Row-major lines × names: what each evidence added to each line's score. */
  contributions: Float32Array;
  /** Per line: index into `names` of the evidence that added most (-1 when none added anything). */
  strongest: Int8Array;
}

/** Sums calibrated evidence columns (all the same length) into the default line score. */
export function fuseEvidence(columns: EvidenceColumn[]): FusedEvidence {
  const n = columns.length ? columns[0].nats.length : 0;
  for (const c of columns) {
    if (c.nats.length !== n) throw new RangeError(`evidence "${c.name}" has ${c.nats.length} lines, expected ${n}`);
  }
  const k = columns.length;
  const score = new Float32Array(n);
  const contributions = new Float32Array(n * k);
  const strongest = new Int8Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 0; c < k; c++) {
      const x = columns[c].nats[i];
      const value = Number.isFinite(x) && x > 0 ? x : 0;
      contributions[i * k + c] = value;
      score[i] += value;
      if (value > best) {
        best = value;
        strongest[i] = c;
      }
    }
  }
  return { score, names: columns.map((c) => c.name), contributions, strongest };
}

export interface DefaultEvidenceInput {
  /** Text index of each line, and the model's mean surprise of each distinct text (absent without an MLM head). */
  textIndex: ArrayLike<number>;
  textSurprise?: ArrayLike<number>;
  /** Lines per distinct text (weights of the surprise calibration; each text once when absent). */
  textCounts?: ArrayLike<number>;
  /** Most severe level index of each distinct text (surprise is ranked within levels when given). */
  textLevel?: ArrayLike<number>;
  /** Level index of each line (LEVELS). */
  level: ArrayLike<number>;
  /** Value evidence of each line (valueEvidence(...).score), when computed. */
  values?: ArrayLike<number>;
  /** Sequence relative surprise of each line (sequenceEvidence(...).lineSurprise, with end surprise on each session's last line). */
  sequence?: ArrayLike<number>;
}

/** The default line ranking from its evidence: surprise, level, values, sequence. */
export function defaultLineScores(input: DefaultEvidenceInput): FusedEvidence {
  const n = input.textIndex.length;
  if (input.level.length !== n) throw new RangeError(`level has ${input.level.length} lines, expected ${n}`);
  const columns: EvidenceColumn[] = [];
  if (input.textSurprise) {
    const perText = surpriseNats(input.textSurprise, input.textCounts, input.textLevel);
    columns.push({ name: 'surprise', nats: Float32Array.from({ length: n }, (_, i) => perText[input.textIndex[i]]) });
  }
  columns.push({ name: 'level', nats: levelNats(input.level) });
  if (input.values) columns.push({ name: 'values', nats: input.values });
  if (input.sequence) columns.push({ name: 'sequence', nats: sequenceNats(input.sequence) });
  return fuseEvidence(columns);
}

export interface GroupScores {
  /** Per group: its most anomalous line's score plus its missing-step evidence, in nats. */
  score: Float32Array;
  /** Per group: the member record with the highest line score (-1 for an empty group). */
  worstLine: Int32Array;
  /** Per group: what the missing steps added. */
  missing: Float32Array;
}

/**
 * Session (or window) scores: a group is as anomalous as its most anomalous line, plus the
 * evidence that a step nearly all its peers hold never came (sequenceEvidence's missingSurprise,
 * counted beyond one order of magnitude like the other sequence evidence).
 */
export function groupScores(
  groups: { keys: ArrayLike<unknown>; starts: ArrayLike<number>; members: ArrayLike<number> },
  lineScore: ArrayLike<number>,
  missingSurprise?: ArrayLike<number>,
): GroupScores {
  const n = groups.keys.length;
  const score = new Float32Array(n);
  const worstLine = new Int32Array(n).fill(-1);
  const missing = new Float32Array(n);
  for (let g = 0; g < n; g++) {
    let best = -Infinity;
    for (let k = groups.starts[g]; k < groups.starts[g + 1]; k++) {
      const r = groups.members[k];
      if (lineScore[r] > best) {
        best = lineScore[r];
        worstLine[g] = r;
      }
    }
    missing[g] = missingSurprise ? Math.max(0, missingSurprise[g] - SEQUENCE_FLOOR) : 0;
    score[g] = (Number.isFinite(best) ? best : 0) + missing[g];
  }
  return { score, worstLine, missing };
}
