/**
 * An activity is what one arrival on the platform writes: a request's journey, a block's
 * replication, a job's run, or one background line. It is planned in full when it starts (relative
 * times, messages, ground truth) and then merged into the log by time.
 */
import type { AnomalyKind, Level } from './types';
import type { Instance } from './world';

export interface PlannedLine {
  /** Milliseconds after the activity's start. */
  offsetMs: number;
  instance: Instance;
  level: Level;
  message: string;
  /** Logger name for the HDFS layout; defaults to the service's. */
  component?: string;
  session?: string;
  kind?: AnomalyKind;
  /** Planted-word anomalies: the message with the normal word. */
  twinMessage?: string;
}

export interface Activity {
  lines: PlannedLine[];
  /** The anomaly kind this activity carries, if any. */
  injected?: AnomalyKind;
}

/** Anomaly kinds that one activity carries (bursts are planned on their own). */
export type InjectableKind = Exclude<AnomalyKind, 'burst'>;

/** Builds an activity's lines step by step, each step some milliseconds after the previous one. */
export class Plan {
  readonly lines: PlannedLine[] = [];
  /** Offset of the last step. */
  at = 0;

  constructor(private readonly session?: string) {}

  add(gapMs: number, instance: Instance, level: Level, message: string, component?: string): PlannedLine {
    this.at += Math.max(0, Math.round(gapMs));
    const line: PlannedLine = { offsetMs: this.at, instance, level, message, session: this.session };
    if (component !== undefined) line.component = component;
    this.lines.push(line);
    return line;
  }

  /** Marks a step as the anomaly; for planted words, keeps the normal message as its twin. */
  static mark(line: PlannedLine, kind: AnomalyKind, plantedMessage?: string): void {
    line.kind = kind;
    if (plantedMessage !== undefined) {
      line.twinMessage = line.message;
      line.message = plantedMessage;
    }
  }

  /** Swaps the messages of two steps (times stay put, so the log remains time-ordered). */
  static swap(a: PlannedLine, b: PlannedLine): void {
    const { instance, level, message, component } = a;
    a.instance = b.instance;
    a.level = b.level;
    a.message = b.message;
    a.component = b.component;
    b.instance = instance;
    b.level = level;
    b.message = message;
    b.component = component;
  }
}
