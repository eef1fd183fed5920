/**
 * Turns stage progress into what the analyst reads: counts per stage and an estimate of the time
 * left for the whole analysis.
 *
 * The estimate is built from what this run measured, step by step (parse, the encoder's vectors
 * pass, its surprise pass, scoring), not from fixed stage weights: a log of many distinct texts
 * spends most of its time in the encoder, a log of few in parsing, and one weighting cannot fit
 * both (it said "about 5 s left" and then "about 17 s left" for 40 s). Rules:
 * - No estimate until the texts to embed are counted (parsing ends), the step under way has run
 *   long enough to be measured and a tenth of the vectors pass is done: before that any figure
 *   is a guess.
 * - The vectors pass: its remaining texts at its rate so far. The surprise pass takes the same
 *   texts in the same order (shortest first, so texts get slower along a pass): it is timed
 *   against the vectors pass's recorded curve, at first times the cost ratio below, then times
 *   its own measured multiple of it. Scoring: the preliminary scoring's time on this run.
 * - The shown figure falls at once when the estimate falls, but rises never above the estimate
 *   and gradually (half the gap per second), so a slow batch cannot make it jump.
 */
import type { PipelineProgress } from './records';
import type { StageProgress } from './types';

/** Reports at most this often (ms), but always on a stage change. */
const MIN_INTERVAL_MS = 100;
/** A step is measured once it has run this long with some units done. */
const MEASURE_MS = 750;
/**
 * Time per text of the surprise pass over that of the vectors pass, used only until the surprise
 * pass is measured: 3.0-3.5 in Chromium WASM on the real-log cases of bench:e2e since the surprise
 * graph runs its last layer at the masked positions only (16 Loghub logs: vectors 298 texts/s,
 * surprise 86; the 47k-line drop: 271 and 90; 4.5-4.6 before).
 */
const SURPRISE_COST_RATIO = 3;
/**
 * Scoring time over parsing time, used only when no preliminary scoring was timed on this run
 * (it is a scoring of the same records and texts: see `scoringTook`).
 */
const SCORE_PER_PARSE = 2;
/** A pass whose recent cost per text is under this multiple of its earlier one is extrapolated linearly. */
const FLAT_COST = 1.2;
/** Half of a measured rise is taken each this many seconds. */
const RISE_HALF_LIFE_S = 1;

type Step = 'parse' | 'vectors' | 'surprise' | 'score';

interface StepClock {
  startedAt: number;
  /** The last report of the step. */
  lastAt: number;
  doneAtStart: number;
  done: number;
  total: number;
}

function stepOf(p: PipelineProgress): Step | undefined {
  if (p.stage === 'read' || p.stage === 'parse' || p.stage === 'templates') return 'parse';
  if (p.stage === 'score') return 'score';
  return p.message === 'surprise' ? 'surprise' : 'vectors';
}

export class ProgressClock {
  private lastStage?: string;
  private lastReport = -Infinity;
  private readonly steps = new Map<Step, StepClock>();
  private current?: Step;
  /** Records parsed (the last parse count) and distinct texts to embed (known once embedding starts). */
  private records = 0;
  private texts = Number.NaN;
  /** Seconds taken by steps that are over. */
  private readonly took = new Map<Step, number>();
  private shown = Number.NaN;
  private shownAt = 0;
  private previewScoring?: number;
  /** Seconds into the vectors pass at each count of texts done: how its cost grew along the texts. */
  private readonly vectorsCurve: Array<{ done: number; seconds: number }> = [];
  private readonly surpriseCurve: Array<{ done: number; seconds: number }> = [];

  /**
   * `totalBytes`: the input files' sizes (compressed for gzip), the unit of `bytesRead`.
   * `now`: the clock in ms (tests pass a fake one).
   */
  constructor(
    private readonly totalBytes: number,
    private readonly emit: (p: StageProgress) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The preliminary scores took this long to compute (TF-IDF vectors, scoring, summary): the final
   * scoring does the same work on the encoder's vectors, so this is its measured cost.
   */
  scoringTook(seconds: number): void {
    this.previewScoring = seconds;
  }

  report(p: PipelineProgress): void {
    const now = this.now();
    this.track(p, now);
    const key = `${p.stage}/${stepOf(p)}`;
    if (key === this.lastStage && now - this.lastReport < MIN_INTERVAL_MS) return;
    this.lastStage = key;
    this.lastReport = now;
    // Records expected in all: records so far scaled by the share of the input read (both in file
    // bytes, so a gzip that expands 100-fold still gives a sensible total).
    const total =
      p.stage === 'parse' && p.bytesRead && p.done ? Math.max(p.done, Math.round((p.done * this.totalBytes) / p.bytesRead)) : p.total;
    this.emit({ stage: p.stage, done: p.done, total, etaSeconds: this.shownEstimate(now), message: p.message });
  }

  /** Seconds left by the measured rates, NaN while it cannot be measured yet (see the file's note). */
  estimate(now: number): number {
    const step = this.current;
    if (!step || step === 'parse' || !Number.isFinite(this.texts)) return Number.NaN;
    const clock = this.steps.get(step)!;
    const rate = this.measuredRate(step, now);
    if (step === 'score') {
      // Scoring reports no progress within: its expected time from parsing, less what it has run.
      const expected = this.scoreSeconds();
      return Math.max(0, expected - (now - clock.startedAt) / 1000);
    }
    if (step === 'surprise') {
      const left = this.surpriseLeft(now);
      return left === undefined ? Number.NaN : left + this.scoreSeconds();
    }
    if (rate === undefined) return Number.NaN;
    // Before a tenth of the vectors pass, its first (shortest) texts say too little about the
    // rest: the 16 Loghub logs showed 39 s left for 82 s there. No figure rather than a wrong one.
    if (clock.done - clock.doneAtStart < (clock.total - clock.doneAtStart) / 10) return Number.NaN;
    const spent = (now - clock.startedAt) / 1000;
    const vectorsAll = Math.max(
      spent,
      this.vectorsPassSeconds(clock.total - clock.doneAtStart) ?? spent + Math.max(0, clock.total - clock.done) / rate,
    );
    // The surprise pass to come: the vectors pass's whole time times the cost ratio.
    return vectorsAll - spent + vectorsAll * SURPRISE_COST_RATIO + this.scoreSeconds();
  }

  /**
   * The whole vectors pass's time, extrapolated from its curve so far with a cost per text that
   * grows steadily along the pass (texts go shortest first): seconds(k) ≈ c + a·k + b·k², fitted
   * by least squares on the curve past its first 5% (the intercept takes the first batches'
   * warm-up), once a tenth of the texts are done; undefined before, or if the fit is not a
   * growing cost, when the rate so far is used.
   */
  private vectorsPassSeconds(total: number): number | undefined {
    const last = this.vectorsCurve[this.vectorsCurve.length - 1];
    if (!last || last.done < total / 10) return undefined;
    const points = this.vectorsCurve.filter((p) => p.done >= total / 20);
    if (points.length < 5) return undefined;
    // Texts of nearly one length cost the same all along: the recent rate, not a curve fitted to
    // noise (a 1M-line log of short texts was extrapolated to 6× its true time).
    const middle = points[Math.floor(points.length / 2)];
    const first = points[0];
    const early = (middle.seconds - first.seconds) / Math.max(1, middle.done - first.done);
    const recent = (last.seconds - middle.seconds) / Math.max(1, last.done - middle.done);
    if (early > 0 && recent < early * FLAT_COST) return last.seconds + recent * Math.max(0, total - last.done);
    // Normal equations of the fit in k scaled to 0..1 (keeps the sums well conditioned).
    const m = [
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ];
    const v = [0, 0, 0];
    for (const p of points) {
      const x = p.done / total;
      const row = [1, x, x * x];
      for (let i = 0; i < 3; i++) {
        v[i] += row[i] * p.seconds;
        for (let j = 0; j < 3; j++) m[i][j] += row[i] * row[j];
      }
    }
    const fit = solve3(m, v);
    if (!fit) return undefined;
    const [c, a, b] = fit;
    if (!(b > 0) || !(a + 2 * b > 0)) return undefined;
    return c + a + b;
  }

  /**
   * Seconds left in the surprise pass. Both passes take the texts in the same order, shortest
   * first (the encoder batches by length), so texts get slower as a pass goes on and a pass's own
   * rate so far promises too much (the cause of "about 5 s left", then "about 17 s left"). The
   * vectors pass recorded how its time grew with the texts done; the surprise pass costs a
   * measured multiple of that: its time so far over the vectors pass's time for the same texts.
   */
  private surpriseLeft(now: number): number | undefined {
    const clock = this.steps.get('surprise')!;
    const curve = this.vectorsCurve;
    const vectorsAt = (done: number) => interpolate(curve, done);
    const total = Number.isFinite(clock.total) && clock.total > 0 ? clock.total : this.texts;
    const spent = (now - clock.startedAt) / 1000;
    if (curve.length >= 2 && curve[curve.length - 1].done >= total) {
      const vectorsDone = vectorsAt(clock.done) - vectorsAt(clock.doneAtStart);
      const vectorsAll = vectorsAt(total) - vectorsAt(clock.doneAtStart);
      if (spent * 1000 < MEASURE_MS || vectorsDone <= 0) return Math.max(0, vectorsAll * SURPRISE_COST_RATIO - spent);
      // The multiple measured over the later half of the texts done so far: the first batches of
      // either pass carry a warm-up that the rest of the pass does not.
      const half = clock.doneAtStart + (clock.done - clock.doneAtStart) / 2;
      const surpriseSince = spent - interpolate(this.surpriseCurve, half);
      const vectorsSince = vectorsAt(clock.done) - vectorsAt(half);
      const multiple = surpriseSince * 1000 >= MEASURE_MS && vectorsSince > 0 ? surpriseSince / vectorsSince : spent / vectorsDone;
      return multiple * Math.max(0, vectorsAll - vectorsDone);
    }
    // No vectors pass on this run (all vectors cached): this pass's own rate.
    const rate = this.measuredRate('surprise', now);
    return rate === undefined ? undefined : Math.max(0, total - clock.done) / rate;
  }

  /**
   * The estimate as shown: falls at once; rises never above the estimate, and by at most
   * 1 − 0.5^(seconds since the last figure / RISE_HALF_LIFE_S) of the gap, so one slow batch moves
   * it a little and a pass that really is slower moves it within a few seconds.
   */
  private shownEstimate(now: number): number {
    const raw = this.estimate(now);
    const elapsed = (now - this.shownAt) / 1000;
    const countedDown = Number.isFinite(this.shown) ? Math.max(0, this.shown - elapsed) : Number.NaN;
    let next: number;
    if (!Number.isFinite(raw)) next = countedDown;
    else if (!Number.isFinite(countedDown) || raw <= countedDown) next = raw;
    else next = countedDown + (raw - countedDown) * (1 - 0.5 ** (elapsed / RISE_HALF_LIFE_S));
    this.shown = next;
    this.shownAt = now;
    return next;
  }

  private track(p: PipelineProgress, now: number): void {
    const step = stepOf(p);
    if (!step) return;
    if (step !== this.current) {
      if (this.current) {
        // A step ends at its last report: what runs between two steps (preliminary scores, loading
        // the model) is not the step's work.
        const before = this.steps.get(this.current)!;
        this.took.set(this.current, (before.lastAt - before.startedAt) / 1000);
      }
      this.current = step;
      this.steps.set(step, { startedAt: now, lastAt: now, doneAtStart: step === 'parse' ? 0 : p.done, done: p.done, total: p.total });
    }
    const clock = this.steps.get(step)!;
    clock.lastAt = now;
    if (step === 'parse') {
      // Parse progress is measured in input bytes: records are unknown until the end.
      clock.done = p.bytesRead ?? clock.done;
      clock.total = this.totalBytes;
      if (p.stage === 'parse') this.records = Math.max(this.records, p.done);
    } else {
      clock.done = p.done;
      clock.total = p.total;
      const curve = step === 'vectors' ? this.vectorsCurve : step === 'surprise' ? this.surpriseCurve : undefined;
      if (curve && (curve.at(-1)?.done ?? -1) < p.done) curve.push({ done: p.done, seconds: (now - clock.startedAt) / 1000 });
      if ((step === 'vectors' || step === 'surprise') && Number.isFinite(p.total) && p.total > 0) this.texts = p.total;
      if (step === 'score' && !Number.isFinite(this.texts) && Number.isFinite(p.total)) this.texts = p.total;
    }
  }

  /** Units per second of a step, once it has run MEASURE_MS with units done; the final rate when over. */
  private measuredRate(step: Step, now: number): number | undefined {
    const clock = this.steps.get(step);
    if (!clock) return undefined;
    const seconds = this.took.get(step) ?? (now - clock.startedAt) / 1000;
    const units = clock.done - clock.doneAtStart;
    if (units <= 0 || seconds * 1000 < MEASURE_MS) return undefined;
    return units / seconds;
  }

  /** Expected scoring time: the preliminary scoring's, else this run's parse time times SCORE_PER_PARSE. */
  private scoreSeconds(): number {
    if (this.previewScoring !== undefined) return this.previewScoring;
    const parse = this.took.get('parse');
    return parse === undefined ? 0 : parse * SCORE_PER_PARSE;
  }
}

/** Seconds at `done` on a curve of (done, seconds) points, linear between them, flat beyond. */
function interpolate(curve: ReadonlyArray<{ done: number; seconds: number }>, done: number): number {
  if (!curve.length) return 0;
  if (done <= curve[0].done) return curve[0].seconds;
  let lo = 0;
  let hi = curve.length - 1;
  if (done >= curve[hi].done) return curve[hi].seconds;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (curve[mid].done <= done) lo = mid;
    else hi = mid;
  }
  const a = curve[lo];
  const b = curve[hi];
  return a.seconds + ((b.seconds - a.seconds) * (done - a.done)) / (b.done - a.done);
}

/** The solution of a 3×3 linear system (Gaussian elimination with pivoting); undefined if singular. */
function solve3(m: number[][], v: number[]): [number, number, number] | undefined {
  const a = m.map((row, i) => [...row, v[i]]);
  for (let col = 0; col < 3; col++) {
    let pivot = col;
    for (let r = col + 1; r < 3; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    if (Math.abs(a[pivot][col]) < 1e-12) return undefined;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    for (let r = 0; r < 3; r++) {
      if (r === col) continue;
      const f = a[r][col] / a[col][col];
      for (let k = col; k < 4; k++) a[r][k] -= f * a[col][k];
    }
  }
  return [a[0][3] / a[0][0], a[1][3] / a[1][1], a[2][3] / a[2][2]];
}
