/**
 * The generator: arrivals follow a diurnal Poisson process; each arrival plans a whole activity
 * (request, block, job or background line) that is merged into the log by time through a heap.
 * Anomalies are placed at jittered intervals per kind so that a log of any size gets close to the
 * target rate and even a 20k-line log holds every kind.
 */
import { planBackground, planBurst, BACKGROUND_KINDS } from './background';
import { planBlock, BLOCK_KINDS } from './blocks';
import { EventQueue, type QueuedLine } from './event-queue';
import { planJob, JOB_KINDS } from './jobs';
import { lineFormatter, type LineFields } from './layouts';
import type { Activity, InjectableKind, PlannedLine } from './plan';
import { Random } from './random';
import { planRequest, REQUEST_KINDS } from './requests';
import { LAYOUTS, type AnomalyKind, type GenerateOptions, type GeneratedLine } from './types';
import { World } from './world';

export const DEFAULT_START = Date.UTC(2026, 2, 14);
export const DEFAULT_ANOMALY_RATE = 0.02;
export const DEFAULT_LINES_PER_SECOND = 2;

/** Share of anomalous lines per kind. */
const KIND_SHARE: Record<AnomalyKind, number> = {
  'rare-error': 0.2,
  'unusual-value': 0.2,
  'planted-word': 0.15,
  'missing-step': 0.1,
  'out-of-order': 0.1,
  burst: 0.25,
};
/** Labelled lines one occurrence makes: a rare error in a request also labels its 500 response. */
const LINES_PER_OCCURRENCE: Record<AnomalyKind, number> = {
  'rare-error': 1.6,
  'unusual-value': 1,
  'planted-word': 1,
  'missing-step': 1,
  'out-of-order': 1,
  burst: 42.5,
};
const INJECTABLE: readonly InjectableKind[] = ['rare-error', 'unusual-value', 'planted-word', 'missing-step', 'out-of-order'];

type ActivityType = 'request' | 'background' | 'block' | 'job';
const ACTIVITY_TYPES: readonly ActivityType[] = ['request', 'background', 'block', 'job'];
const ACTIVITY_WEIGHTS = [0.6, 0.33, 0.04, 0.03];
const SUPPORTED: Record<ActivityType, readonly InjectableKind[]> = {
  request: REQUEST_KINDS,
  background: BACKGROUND_KINDS,
  block: BLOCK_KINDS,
  job: JOB_KINDS,
};
/** Measured average lines per arrival; turns the line rate into an arrival rate. */
const MEAN_LINES_PER_ACTIVITY = 3.64;

/** Traffic through the day (UTC): a trough around 03:00 at 0.4x, a peak around 15:00 at 1.6x. */
export function diurnalFactor(time: number): number {
  const hour = (time / 3_600_000) % 24;
  return 1 - 0.6 * Math.cos((2 * Math.PI * (hour - 3)) / 24);
}

interface QueuedEvent extends QueuedLine {
  planned: PlannedLine;
}

function validate(options: GenerateOptions): void {
  const { seed, lines, layout, anomalyRate, start, linesPerSecond } = options;
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  if (!Number.isInteger(lines) || lines < 0) throw new RangeError(`lines must be a non-negative integer, got ${lines}`);
  if (!LAYOUTS.includes(layout)) throw new RangeError(`unknown layout: ${String(layout)}`);
  if (anomalyRate !== undefined && !(anomalyRate >= 0 && anomalyRate <= 0.5)) {
    throw new RangeError(`anomalyRate must be within 0..0.5, got ${anomalyRate}`);
  }
  if (start !== undefined && !Number.isFinite(start)) throw new RangeError(`start must be epoch ms, got ${start}`);
  if (linesPerSecond !== undefined && !(linesPerSecond > 0 && Number.isFinite(linesPerSecond))) {
    throw new RangeError(`linesPerSecond must be positive, got ${linesPerSecond}`);
  }
}

/** Streams `options.lines` log lines with their ground truth. Holds only the activities in flight. */
export function* generateLog(options: GenerateOptions): Generator<GeneratedLine, void, undefined> {
  validate(options);
  const total = options.lines;
  const anomalyRate = options.anomalyRate ?? DEFAULT_ANOMALY_RATE;
  const meanGapMs = (1000 * MEAN_LINES_PER_ACTIVITY) / (options.linesPerSecond ?? DEFAULT_LINES_PER_SECOND);
  const rng = new Random(options.seed);
  const world = new World(rng);
  const format = lineFormatter(options.layout);
  const queue = new EventQueue<QueuedEvent>();

  // Each kind is due again one jittered interval (in lines) after its last occurrence.
  const interval = {} as Record<AnomalyKind, number>;
  const nextDue = {} as Record<AnomalyKind, number>;
  for (const kind of Object.keys(KIND_SHARE) as AnomalyKind[]) {
    interval[kind] = anomalyRate > 0 ? LINES_PER_OCCURRENCE[kind] / (anomalyRate * KIND_SHARE[kind]) : Infinity;
    nextDue[kind] = interval[kind] * rng.next();
  }
  const advance = (kind: AnomalyKind) => {
    nextDue[kind] += interval[kind] * (0.5 + rng.next());
  };

  let seq = 0;
  const schedule = (activity: Activity, at: number) => {
    for (const planned of activity.lines) queue.push({ time: at + planned.offsetMs, seq: seq++, planned });
  };

  let emitted = 0;
  let arrivalsOpen = true;
  let clock = options.start ?? DEFAULT_START;
  clock += Math.round(rng.exponential(meanGapMs / diurnalFactor(clock)));

  while (emitted < total) {
    const next = queue.peek();
    if (arrivalsOpen && (next === undefined || clock <= next.time)) {
      const committed = emitted + queue.size;
      let room = total - committed;
      if (room <= 0) {
        arrivalsOpen = false;
        continue;
      }
      if (committed >= nextDue.burst) {
        const burst = planBurst(world, room);
        schedule(burst, clock);
        room -= burst.lines.length;
        advance('burst');
      }
      if (room > 0) {
        const activity = planArrival(world, rng, overdueKind(nextDue, committed));
        // Near the end, sessions that would not fit are replaced by single lines, so the log
        // has exactly `total` lines and no session is cut short by the end of the file.
        if (activity.lines.length <= room) {
          schedule(activity, clock);
          if (activity.injected !== undefined) advance(activity.injected);
        } else {
          schedule(planBackground(world), clock);
        }
      }
      clock += Math.max(1, Math.round(rng.exponential(meanGapMs / diurnalFactor(clock))));
      continue;
    }
    const event = queue.pop();
    if (event === undefined) return;
    emitted++;
    yield toGeneratedLine(event, format);
  }
}

/** The most overdue non-burst kind, if any. */
function overdueKind(nextDue: Record<AnomalyKind, number>, position: number): InjectableKind | undefined {
  let found: InjectableKind | undefined;
  for (const kind of INJECTABLE) {
    if (nextDue[kind] <= position && (found === undefined || nextDue[kind] < nextDue[found])) found = kind;
  }
  return found;
}

function planArrival(world: World, rng: Random, inject: InjectableKind | undefined): Activity {
  let type: ActivityType;
  if (inject === undefined) {
    type = rng.weighted(ACTIVITY_TYPES, ACTIVITY_WEIGHTS);
  } else {
    const weights = ACTIVITY_TYPES.map((t, i) => (SUPPORTED[t].includes(inject) ? ACTIVITY_WEIGHTS[i] : 0));
    type = rng.weighted(ACTIVITY_TYPES, weights);
  }
  switch (type) {
    case 'request':
      return planRequest(world, inject);
    case 'block':
      return planBlock(world, inject);
    case 'job':
      return planJob(world, inject);
    default:
      return planBackground(world, inject);
  }
}

function toGeneratedLine(event: QueuedEvent, format: (f: LineFields) => string): GeneratedLine {
  const { planned } = event;
  const fields: LineFields = {
    time: event.time,
    level: planned.level,
    service: planned.instance.service,
    host: planned.instance.host,
    pid: planned.instance.pid,
    component: planned.component,
    message: planned.message,
    seq: event.seq,
  };
  const line: GeneratedLine = {
    text: format(fields),
    anomaly: planned.kind !== undefined,
    time: event.time,
    level: planned.level,
    service: planned.instance.service,
  };
  if (planned.kind !== undefined) line.kind = planned.kind;
  if (planned.session !== undefined) line.session = planned.session;
  if (planned.twinMessage !== undefined) {
    fields.message = planned.twinMessage;
    line.twin = format(fields);
  }
  return line;
}

/** The whole log as text, one line per `\n`; for small sizes (tests, samples). */
export function generateLogText(options: GenerateOptions): string {
  let text = '';
  for (const line of generateLog(options)) text += `${line.text}\n`;
  return text;
}
