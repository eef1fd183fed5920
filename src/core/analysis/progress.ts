/**
 * Turns stage progress into what the analyst reads: counts per stage and an estimate of the time
 * left for the whole analysis, from the elapsed time and a rough weight of each stage.
 */
import type { PipelineProgress } from './records';
import type { StageName, StageProgress } from './types';

/** Rough share of a typical analysis spent in each stage (measured on the demo log, WASM encoder). */
const STAGE_WEIGHT: Record<StageName, number> = { read: 0.02, parse: 0.28, templates: 0, embed: 0.6, score: 0.1 };
const STAGE_ORDER: StageName[] = ['read', 'parse', 'templates', 'embed', 'score'];
/** Reports at most this often (ms), but always on a stage change. */
const MIN_INTERVAL_MS = 100;

export class ProgressClock {
  private readonly started = Date.now();
  private lastStage?: StageName;
  private lastReport = 0;

  /** `totalBytes`: the input files' sizes (compressed for gzip), the unit of `bytesRead`. */
  constructor(private readonly totalBytes: number, private readonly emit: (p: StageProgress) => void) {}

  report(p: PipelineProgress): void {
    const now = Date.now();
    if (p.stage === this.lastStage && now - this.lastReport < MIN_INTERVAL_MS) return;
    this.lastStage = p.stage;
    this.lastReport = now;
    const withinStage = p.stage === 'parse' || p.stage === 'read'
      ? (p.bytesRead ?? 0) / Math.max(1, this.totalBytes)
      : p.total > 0 ? p.done / p.total : 0;
    let fraction = 0;
    for (const stage of STAGE_ORDER) {
      if (stage === p.stage) { fraction += STAGE_WEIGHT[stage] * Math.min(1, withinStage); break; }
      fraction += STAGE_WEIGHT[stage];
    }
    const elapsed = (now - this.started) / 1000;
    const etaSeconds = fraction > 0.03 ? (elapsed / fraction) * (1 - fraction) : Number.NaN;
    // Records expected in all: records so far scaled by the share of the input read (both in file
    // bytes, so a gzip that expands 100-fold still gives a sensible total).
    const total = p.stage === 'parse' && p.bytesRead && p.done
      ? Math.max(p.done, Math.round((p.done * this.totalBytes) / p.bytesRead))
      : p.total;
    this.emit({ stage: p.stage, done: p.done, total, etaSeconds, message: p.message });
  }
}
