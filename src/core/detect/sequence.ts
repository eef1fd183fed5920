/**
 * A model of normal order: which template usually comes next within a session (an HDFS block, a
 * request, a job), learnt from the log itself or from a reference log. Many incidents are not an
 * odd line but an odd order: a step missing, repeated or out of place.
 *
 * The model is a next-event n-gram over template ids with Witten-Bell back-off (DeepLog's question,
 * "is this event among the likely next ones?", answered with counts instead of an LSTM): a context
 * seen often trusts its own counts, a context seen rarely or never backs off to shorter ones, down
 * to how common the template is overall. Every session starts with a START marker and ends with an
 * END marker, so "the session stopped here" is an event like any other.
 *
 * When the model is fitted on the scored log itself, each session is scored against the counts of
 * all OTHER sessions (its own transitions are taken out), so an anomaly is not explained away by
 * itself.
 */
import type { RecordGroups } from '../sessions/groups';

/** Markers outside the template id range (template ids are ≥ 0). */
export const START = -1;
export const END = -2;

export interface SequenceOptions {
  /** Longest context, in events (default 2: the next event given the two before it). */
  order?: number;
  /** Share of sessions (that start like this one) a template must appear in to be "expected" (default 0.9). */
  expectedShare?: number;
  /** Least number of such sessions before "expected" means anything (default 5). */
  minPeers?: number;
}

interface ContextCounts {
  total: number;
  next: Map<number, number>;
}

export interface SequenceModel {
  order: number;
  /** Context key (comma-joined ids, oldest first; '' for none) → counts of what came next. */
  contexts: Map<string, ContextCounts>;
  /** Distinct events that can follow anything (templates, plus END). */
  vocabulary: number;
  /** Sessions per first template, and per (first template, template) the sessions holding it. */
  sessionsByStart: Map<number, number>;
  holdingByStart: Map<number, Map<number, number>>;
  expectedShare: number;
  minPeers: number;
}

function contextKey(events: ArrayLike<number>, end: number, length: number): string {
  let key = '';
  for (let k = end - length; k < end; k++) key += (key ? ',' : '') + events[k];
  return key;
}

/** The session's events: START, template ids in record order, END. */
function eventsOf(templateId: ArrayLike<number>, groups: RecordGroups, g: number): Int32Array {
  const from = groups.starts[g];
  const to = groups.starts[g + 1];
  const events = new Int32Array(to - from + 2);
  events[0] = START;
  for (let k = from; k < to; k++) events[k - from + 1] = templateId[groups.members[k]];
  events[events.length - 1] = END;
  return events;
}

/** (context, next) pairs of one session, for every context length 0..order. */
function forEachTransition(events: Int32Array, order: number, visit: (context: string, next: number) => void): void {
  for (let i = 1; i < events.length; i++) {
    for (let len = 0; len <= Math.min(order, i); len++) visit(contextKey(events, i, len), events[i]);
  }
}

/** Fits the next-event model on the sessions of a log (the target itself, or a reference). */
export function fitSequenceModel(templateId: ArrayLike<number>, groups: RecordGroups, options: SequenceOptions = {}): SequenceModel {
  const order = Math.max(0, Math.floor(options.order ?? 2));
  const contexts = new Map<string, ContextCounts>();
  const vocabulary = new Set<number>([END]);
  const sessionsByStart = new Map<number, number>();
  const holdingByStart = new Map<number, Map<number, number>>();
  for (let g = 0; g < groups.keys.length; g++) {
    const events = eventsOf(templateId, groups, g);
    forEachTransition(events, order, (context, next) => {
      let c = contexts.get(context);
      if (!c) contexts.set(context, (c = { total: 0, next: new Map() }));
      c.total++;
      c.next.set(next, (c.next.get(next) ?? 0) + 1);
      vocabulary.add(next);
    });
    if (events.length > 2) {
      const first = events[1];
      sessionsByStart.set(first, (sessionsByStart.get(first) ?? 0) + 1);
      let holding = holdingByStart.get(first);
      if (!holding) holdingByStart.set(first, (holding = new Map()));
      for (const t of new Set(events.subarray(1, events.length - 1))) holding.set(t, (holding.get(t) ?? 0) + 1);
    }
  }
  return {
    order,
    contexts,
    vocabulary: vocabulary.size,
    sessionsByStart,
    holdingByStart,
    expectedShare: options.expectedShare ?? 0.9,
    minPeers: options.minPeers ?? 5,
  };
}

/** Counts of one session's own transitions, taken out of the model's when it scores that session. */
type OwnCounts = Map<string, Map<number, number>>;

function ownCountsOf(events: Int32Array, order: number): OwnCounts {
  const own: OwnCounts = new Map();
  forEachTransition(events, order, (context, next) => {
    let m = own.get(context);
    if (!m) own.set(context, (m = new Map()));
    m.set(next, (m.get(next) ?? 0) + 1);
  });
  return own;
}

/**
 * P(next | context) with Witten-Bell back-off, for every context length from 0 (how common the
 * event is) up to the longest context known: λ = total / (total + distinct followers) of a
 * context's own estimate, the rest from the context one event shorter; the empty context backs off
 * to a uniform share of the vocabulary (plus one slot for never-seen events). `support[len]` is
 * how many times that context was seen (0 where it was not, and the lists stop there).
 */
function estimates(model: SequenceModel, events: ArrayLike<number>, i: number, own?: OwnCounts): { p: number[]; support: number[] } {
  let p = 1 / (model.vocabulary + 1);
  const out = { p: [] as number[], support: [] as number[] };
  for (let len = 0; len <= Math.min(model.order, i); len++) {
    const key = contextKey(events, i, len);
    const c = model.contexts.get(key);
    if (!c) break;
    const mine = own?.get(key);
    let total = c.total;
    let distinct = c.next.size;
    let count = c.next.get(events[i]) ?? 0;
    if (mine) {
      for (const [next, n] of mine) {
        total -= n;
        if ((c.next.get(next) ?? 0) - n <= 0) distinct--;
      }
      count -= mine.get(events[i]) ?? 0;
    }
    // A context seen only in this session: nothing to learn from it, keep the shorter one's estimate.
    if (total <= 0) break;
    p = (count + distinct * p) / (total + distinct);
    out.p.push(p);
    out.support.push(total);
  }
  return out;
}

/** P(next | the longest known context). */
function probability(model: SequenceModel, events: ArrayLike<number>, i: number, own?: OwnCounts): number {
  const { p } = estimates(model, events, i, own);
  return p.length ? p[p.length - 1] : 1 / (model.vocabulary + 1);
}

/** Candidates for "the most likely next event" in a context: whatever followed any of its known forms. */
function candidatesAt(model: SequenceModel, events: ArrayLike<number>, i: number): Set<number> {
  const out = new Set<number>();
  for (let len = 1; len <= Math.min(model.order, i); len++) {
    const c = model.contexts.get(contextKey(events, i, len));
    if (!c) break;
    for (const t of c.next.keys()) out.add(t);
  }
  return out;
}

/** Whether an event occurs in the fitted sessions (other than the one being scored). */
function knownElsewhere(model: SequenceModel, event: number, own?: OwnCounts): boolean {
  const all = model.contexts.get('')?.next.get(event) ?? 0;
  return all - (own?.get('')?.get(event) ?? 0) > 0;
}

/**
 * −ln(P(event) / P(most likely next event)): how much less likely this step was than the usual one.
 * Where normal sessions branch many ways (eight search terms, cache hit or miss), no branch is news;
 * where one step nearly always follows, anything else is. Judged after the last event, the last
 * two, ... (each context length on its own), the strongest view counts: a context that only odd
 * sessions share must not hide that the step is unheard of after the event just before it.
 * A context seen c times, always followed by the same step, says the next one differs with
 * probability about 1/(c + 1) (the rule of succession): evidence from it is at most ln(c + 1).
 */
function relativeSurprise(model: SequenceModel, events: Int32Array, i: number, own?: OwnCounts): number {
  // An event no other session holds is news about the text, not about the order: the text
  // detectors judge it, and counting it here too would count it twice.
  if (!knownElsewhere(model, events[i], own)) return 0;
  const actual = estimates(model, events, i, own);
  const best = actual.p.slice();
  const event = events[i];
  for (const t of candidatesAt(model, events, i)) {
    if (t === event) continue;
    events[i] = t;
    const other = estimates(model, events, i, own).p;
    for (let len = 0; len < best.length && len < other.length; len++) best[len] = Math.max(best[len], other[len]);
  }
  events[i] = event;
  let evidence = 0;
  for (let len = 1; len < actual.p.length; len++) {
    evidence = Math.max(evidence, Math.min(Math.log(best[len] / actual.p[len]), Math.log1p(actual.support[len])));
  }
  return evidence;
}

export interface SequenceEvidence {
  /**
   * How much less likely each record's event was than the most likely one after the events before
   * it in its session (−ln of the ratio; the highest over its sessions; 0 outside sessions and for
   * a session's first event, which only says what kind of session it is).
   */
  lineSurprise: Float32Array;
  /** The same for the session's end: high when it stopped before its usual last step. */
  endSurprise: Float32Array;
  /** Per session: the most unexpected step (max of its line surprises and its end surprise). */
  sessionMax: Float32Array;
  /** Per session: mean of those over its events and its end (how unexpected the whole sequence is). */
  sessionMean: Float32Array;
  /** Per session: templates that nearly every session starting like this one holds, but this one lacks, most expected first. */
  missing: Int32Array[];
  /** Per session: −ln(1 − share of peers holding the most expected missing template), 0 when none is missing. */
  missingSurprise: Float32Array;
}

/**
 * Scores the sessions of a log. `selfFitted`: the model was fitted on these same sessions, so each
 * one is scored against the others only.
 */
export function sequenceEvidence(
  model: SequenceModel,
  templateId: ArrayLike<number>,
  groups: RecordGroups,
  selfFitted: boolean,
): SequenceEvidence {
  const n = groups.keys.length;
  const lineSurprise = new Float32Array(templateId.length);
  const endSurprise = new Float32Array(n);
  const sessionMax = new Float32Array(n);
  const sessionMean = new Float32Array(n);
  const missingSurprise = new Float32Array(n);
  const missing: Int32Array[] = new Array(n);
  for (let g = 0; g < n; g++) {
    const events = eventsOf(templateId, groups, g);
    const own = selfFitted ? ownCountsOf(events, model.order) : undefined;
    let sum = 0;
    let max = 0;
    // The first event says which kind of session this is (a request, a block, a job): no news.
    for (let i = 2; i < events.length; i++) {
      const s = relativeSurprise(model, events, i, own);
      sum += s;
      if (s > max) max = s;
      if (i < events.length - 1) {
        const record = groups.members[groups.starts[g] + i - 1];
        if (s > lineSurprise[record]) lineSurprise[record] = s;
      } else endSurprise[g] = s;
    }
    sessionMax[g] = max;
    sessionMean[g] = sum / Math.max(1, events.length - 2);
    const found = missingSteps(model, events, selfFitted);
    missing[g] = found.templates;
    missingSurprise[g] = found.surprise;
  }
  return { lineSurprise, endSurprise, sessionMax, sessionMean, missing, missingSurprise };
}

/** Templates the session's peers (sessions with the same first template) nearly all hold but it lacks. */
function missingSteps(model: SequenceModel, events: Int32Array, selfFitted: boolean): { templates: Int32Array; surprise: number } {
  if (events.length <= 2) return { templates: new Int32Array(0), surprise: 0 };
  const first = events[1];
  const peers = (model.sessionsByStart.get(first) ?? 0) - (selfFitted ? 1 : 0);
  const holding = model.holdingByStart.get(first);
  if (!holding || peers < model.minPeers) return { templates: new Int32Array(0), surprise: 0 };
  const present = new Set(events);
  const lacking: Array<[number, number]> = [];
  for (const [t, h] of holding) {
    if (present.has(t)) continue;
    // When self-fitted, the session's own templates are in `holding`; a lacking one is not.
    const share = h / peers;
    if (share >= model.expectedShare) lacking.push([t, share]);
  }
  lacking.sort((a, b) => b[1] - a[1]);
  // Half a peer of smoothing: "all 40 peers hold it" is strong, never certain.
  const surprise = lacking.length ? -Math.log(1 - (lacking[0][1] * peers) / (peers + 0.5)) : 0;
  return { templates: Int32Array.from(lacking, ([t]) => t), surprise };
}

/** The most likely next events after a context (template ids, oldest first; END = the session ends). */
export function expectedNext(
  model: SequenceModel,
  context: ArrayLike<number>,
  top = 5,
): Array<{ templateId: number; probability: number }> {
  const candidates = new Set<number>();
  for (let len = 0; len <= Math.min(model.order, context.length); len++) {
    const c = model.contexts.get(contextKey(context, context.length, len));
    if (c) for (const t of c.next.keys()) candidates.add(t);
  }
  const events = Int32Array.from([...Array.from(context), 0]);
  const scored = [...candidates].map((t) => {
    events[events.length - 1] = t;
    return { templateId: t, probability: probability(model, events, events.length - 1) };
  });
  return scored.sort((a, b) => b.probability - a.probability).slice(0, top);
}

/** One session holding every record, in order: the stream itself, for logs that name no sessions. */
export function wholeLogGroup(count: number): RecordGroups {
  return { keys: ['whole log'], starts: Uint32Array.from([0, count]), members: Uint32Array.from({ length: count }, (_, i) => i) };
}
