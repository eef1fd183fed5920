/**
 * A generated log with a wide message vocabulary: the usual traffic (generator.ts) interleaved with
 * messages drawn from tens of thousands of distinct word sequences, as real systems with many
 * components write. The ordinary generator repeats a few hundred masked texts, which flatters
 * every per-text cost (encoder passes, cache, forest); this one makes the distinct-text count a
 * knob. Only words vary between vocabulary messages (values are masked away anyway), so each
 * message index is one distinct masked text.
 */
import { generateLog } from './generator';
import { lineFormatter, type LineFields } from './layouts';
import { Random } from './random';
import type { GenerateOptions, GeneratedLine, Level, ServiceName } from './types';

// Four lists of 32 plain words (no digits, no 6+ letter runs of hex letters that a mask would
// take for an id), combined three at a time in three sentence frames: 3 × 32³ = 98,304 messages.
const SUBJECTS = [
  'cache',
  'replica',
  'shard',
  'lease',
  'quota',
  'bucket',
  'token',
  'cursor',
  'snapshot',
  'manifest',
  'partition',
  'segment',
  'ledger',
  'mailbox',
  'queue',
  'channel',
  'tenant',
  'profile',
  'catalog',
  'index',
  'journal',
  'checkpoint',
  'watcher',
  'plugin',
  'socket',
  'listener',
  'resolver',
  'router',
  'pipeline',
  'runner',
  'scanner',
  'registry',
] as const;
const ACTIONS = [
  'opened',
  'closed',
  'rebuilt',
  'compacted',
  'flushed',
  'evicted',
  'renewed',
  'promoted',
  'demoted',
  'paused',
  'resumed',
  'throttled',
  'rebalanced',
  'validated',
  'rejected',
  'deferred',
  'migrated',
  'restored',
  'archived',
  'pruned',
  'sealed',
  'unsealed',
  'refreshed',
  'retried',
  'skipped',
  'merged',
  'split',
  'drained',
  'warmed',
  'reloaded',
  'verified',
  'scheduled',
] as const;
const REASONS = [
  'after timeout',
  'on request',
  'by policy',
  'during startup',
  'during shutdown',
  'while idle',
  'under load',
  'after failover',
  'for maintenance',
  'on schedule',
  'after upgrade',
  'on low memory',
  'on disk pressure',
  'by operator',
  'after restart',
  'on config change',
  'for rebalancing',
  'after conflict',
  'on stale read',
  'on quorum loss',
  'for compliance',
  'after backoff',
  'on leader change',
  'by watchdog',
  'on version skew',
  'after checksum mismatch',
  'on slow peer',
  'for warmup',
  'on cold start',
  'after drain',
  'on throttle',
  'by autoscaler',
] as const;
const OWNERS = [
  'billing',
  'search',
  'ingest',
  'reporting',
  'checkout',
  'catalog',
  'identity',
  'shipping',
  'pricing',
  'fraud',
  'ledger',
  'notifications',
  'media',
  'analytics',
  'exports',
  'imports',
  'audit',
  'webhooks',
  'inbox',
  'calendar',
  'contacts',
  'storage',
  'backup',
  'metrics',
  'tracing',
  'alerts',
  'sessions',
  'payouts',
  'returns',
  'reviews',
  'recommendations',
  'translations',
] as const;
const WORDS = 32;
/** How many distinct messages the frames can make. */
export const MAX_VOCABULARY = 3 * WORDS ** 3;

const SERVICES: readonly ServiceName[] = ['api-gateway', 'auth', 'orders', 'payments', 'inventory', 'storage', 'scheduler'];
const LEVELS: readonly Level[] = ['DEBUG', 'INFO', 'INFO', 'INFO', 'WARN'];

/** Message number `index` (0 ≤ index < MAX_VOCABULARY), with its values drawn from `rng`. */
export function vocabularyMessage(index: number, rng: Random): string {
  const frame = index % 3;
  let rest = Math.floor(index / 3);
  const a = rest % WORDS;
  rest = Math.floor(rest / WORDS);
  const b = rest % WORDS;
  const c = Math.floor(rest / WORDS) % WORDS;
  switch (frame) {
    case 0:
      return `${SUBJECTS[a]} ${ACTIONS[b]} ${REASONS[c]}: ${rng.int(1, 5000)} entries in ${rng.int(1, 900)} ms`;
    case 1:
      return `${OWNERS[c]} ${SUBJECTS[a]} ${ACTIONS[b]} for partition ${rng.int(0, 255)}`;
    default:
      return `${ACTIONS[b]} ${OWNERS[c]} ${SUBJECTS[a]} ${REASONS[(a + b) % WORDS]} (attempt ${rng.int(1, 9)} of 10)`;
  }
}

export interface WideVocabularyOptions extends GenerateOptions {
  /** Distinct vocabulary messages to draw from, 1..MAX_VOCABULARY. */
  vocabulary: number;
  /** Share of all lines that are vocabulary messages, 0..0.9. Default 0.3. */
  share?: number;
}

/**
 * Streams `options.lines` lines: the ordinary generated log (anomalies, sessions, labels as
 * generateLog makes them) with vocabulary messages spread evenly between its lines. Half the
 * vocabulary lines pick from a few popular messages (a power law over the indices), half pick
 * uniformly, so a log of n vocabulary lines holds about vocabulary·(1 − e^(−n/2/vocabulary))
 * distinct ones. Vocabulary lines are normal (not anomalies) and belong to no session.
 */
export function* generateWideLog(options: WideVocabularyOptions): Generator<GeneratedLine, void, undefined> {
  const { vocabulary, share = 0.3 } = options;
  if (!Number.isInteger(vocabulary) || vocabulary < 1 || vocabulary > MAX_VOCABULARY) {
    throw new RangeError(`vocabulary must be an integer within 1..${MAX_VOCABULARY}, got ${vocabulary}`);
  }
  if (!(share >= 0 && share <= 0.9)) throw new RangeError(`share must be within 0..0.9, got ${share}`);
  const total = options.lines;
  const baseLines = Math.round(total * (1 - share));
  const extraLines = total - baseLines;
  // Its own stream, so the ordinary lines are exactly those generateLog writes for the seed.
  const rng = new Random(options.seed ^ 0x5eed_0bad);
  const format = lineFormatter(options.layout);
  let extraEmitted = 0;
  let seq = 0;
  const extra = (time: number): GeneratedLine => {
    const index = rng.chance(0.5) ? Math.floor(vocabulary * rng.next() ** 4) : Math.floor(vocabulary * rng.next());
    const service = rng.pick(SERVICES);
    const level = rng.pick(LEVELS);
    const fields: LineFields = {
      time,
      level,
      service,
      host: `${service}-0${1 + (index % 3)}`,
      pid: 1000 + (index % 7000),
      message: vocabularyMessage(index, rng),
      seq: seq++,
    };
    return { text: format(fields), anomaly: false, time, level, service };
  };
  let baseEmitted = 0;
  for (const line of generateLog({ ...options, lines: baseLines })) {
    baseEmitted++;
    seq++;
    yield line;
    // Spread evenly: after k of the ordinary lines, k/baseLines of the vocabulary lines are out.
    const due = Math.floor((baseEmitted * extraLines) / Math.max(1, baseLines));
    while (extraEmitted < due) {
      extraEmitted++;
      yield extra(line.time);
    }
  }
  const last = options.start ?? Date.UTC(2026, 2, 14);
  while (extraEmitted < extraLines) {
    extraEmitted++;
    yield extra(last);
  }
}
