/**
 * Values behind the wildcards. Every variable is masked before the text detectors see a line, so
 * `took 93000 ms` among `took 40 ms` looks normal to them. Here each template's `<*>` positions keep
 * a compact profile of the values the log wrote there (numbers: a robust centre and spread on a
 * log scale plus a few quantiles; low-cardinality positions: capped counts with the rest as
 * "other"), and each line's values are scored against its template's profile.
 *
 * Values are recovered by aligning a record's raw message with its template text: the template's
 * literal parts, escaped, with one capture group per `<*>` (one compiled matcher per template).
 */

import { quantileOfSorted } from './threshold';

export const WILDCARD_TOKEN = '<*>';

/** Longest message aligned with its template: lazy groups backtrack, and long lines are rare. */
const MAX_ALIGNED_LENGTH = 4000;
/** Distinct values counted per position; the rest are "other". */
const CATEGORY_CAP = 32;
/** A position is categorical when it has at most this many distinct values... */
const LOW_CARDINALITY = 12;
/** ...among at least this many lines (fewer lines say nothing about what is usual). */
const MIN_LINES = 20;
/** Share of a position's values that must read as numbers for it to be numeric. */
const NUMERIC_SHARE = 0.9;
/** Robust z below this is ordinary variation: only the excess counts as evidence. */
const Z_ORDINARY = 3;
/** Share of a position's values below which a category counts as rare. */
const RARE_CATEGORY = 0.01;
/** Least spread (on the signed-log scale) a numeric position needs to be judged by distance. */
const MIN_SPREAD = 0.05;

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?(?:[a-zA-Z%]{0,3})$/;
/** `0007`, `-0031`: a code with leading zeros (card ending, PIN, zone) is a name, not a quantity. */
const LEADING_ZERO = /^[-+]?0\d/;

/** The number a value reads as (`93000`, `-12.5`, `8000%`, `23ms`), or NaN (also for `0007`). */
export function numericValue(value: string): number {
  if (!NUMBER.test(value) || LEADING_ZERO.test(value)) return Number.NaN;
  return Number.parseFloat(value);
}

/** Sign-preserving log: latencies and sizes vary by factors, and negative sizes must stand apart. */
function signedLog(x: number): number {
  return Math.sign(x) * Math.log1p(Math.abs(x));
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A matcher for a template's messages: literal parts escaped (any run of spaces matches any run),
 * one lazy group per `<*>`; undefined when the template has no wildcard.
 */
export function compileTemplateMatcher(templateText: string): RegExp | undefined {
  const parts = templateText.split(WILDCARD_TOKEN);
  if (parts.length < 2) return undefined;
  const literal = (s: string) => escapeRegex(s).replace(/\s+/g, '\\s+');
  return new RegExp(`^\\s*${parts.map(literal).join('(.*?)')}\\s*$`, 's');
}

/** The values behind a template's wildcards in one message, or undefined when they do not align. */
export function alignValues(matcher: RegExp | undefined, message: string): string[] | undefined {
  if (!matcher || message.length > MAX_ALIGNED_LENGTH) return undefined;
  const m = matcher.exec(message);
  return m ? m.slice(1) : undefined;
}

export interface PositionProfile {
  /** Lines whose values aligned at this position. */
  count: number;
  /** Numbers: most values read as numbers. */
  numeric: boolean;
  /** Robust centre and spread of signedLog(value), for numeric positions. */
  centre: number;
  spread: number;
  /**
   * The values barely vary (nine in ten are one number, or all lie within 5%): there is no spread
   * to measure distance in, so a different number is judged as a rare category, not by distance.
   */
  constant: boolean;
  /** Numeric positions: how many values were negative. */
  negative: number;
  /** 1st, 5th, 25th, 50th, 75th, 95th, 99th percentiles of the raw numbers (empty when not numeric). */
  quantiles: number[];
  /** Values and their counts, most frequent first, at most CATEGORY_CAP; the rest are in `other`. */
  top: Array<[value: string, count: number]>;
  other: number;
  /** Distinct values seen (exact up to the cap, then a lower bound). */
  distinct: number;
  /** Few distinct values among many lines: an unseen one is news. */
  lowCardinality: boolean;
}

export interface TemplateValueProfile {
  templateId: number;
  text: string;
  positions: PositionProfile[];
}

export interface ValueProfiles {
  byTemplate: Map<number, TemplateValueProfile>;
  matchers: Map<number, RegExp | undefined>;
}

export interface ValueInput {
  /** Template id of each record (negative: none). */
  templateId: ArrayLike<number>;
  /** Raw message of each record (without timestamp or level). */
  message: ArrayLike<string>;
}

function matcherFor(
  profiles: Pick<ValueProfiles, 'matchers'>,
  templateId: number,
  templateText: (id: number) => string | undefined,
): RegExp | undefined {
  if (profiles.matchers.has(templateId)) return profiles.matchers.get(templateId);
  const text = templateText(templateId);
  const matcher = text === undefined ? undefined : compileTemplateMatcher(text);
  profiles.matchers.set(templateId, matcher);
  return matcher;
}

/**
 * Profiles of the values at every wildcard of every template, from the records that fit them (the
 * log itself, or a reference log of normal behaviour).
 */
export function fitValueProfiles(input: ValueInput, templateText: (id: number) => string | undefined): ValueProfiles {
  const profiles: ValueProfiles = { byTemplate: new Map(), matchers: new Map() };
  const collected = new Map<number, string[][]>();
  for (let i = 0; i < input.templateId.length; i++) {
    const t = input.templateId[i];
    if (t < 0) continue;
    const values = alignValues(matcherFor(profiles, t, templateText), input.message[i]);
    if (!values) continue;
    let columns = collected.get(t);
    if (!columns) collected.set(t, (columns = values.map(() => [])));
    if (columns.length !== values.length) continue;
    for (let p = 0; p < values.length; p++) columns[p].push(values[p]);
  }
  for (const [t, columns] of collected) {
    profiles.byTemplate.set(t, { templateId: t, text: templateText(t) ?? '', positions: columns.map(profilePosition) });
  }
  return profiles;
}

function profilePosition(values: string[]): PositionProfile {
  const counts = new Map<string, number>();
  let overflow = 0;
  const numbers: number[] = [];
  for (const v of values) {
    const c = counts.get(v);
    if (c !== undefined) counts.set(v, c + 1);
    else if (counts.size < CATEGORY_CAP * 4) counts.set(v, 1);
    else overflow++;
    const x = numericValue(v);
    if (!Number.isNaN(x)) numbers.push(x);
  }
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]);
  const top = ranked.slice(0, CATEGORY_CAP);
  const other = overflow + ranked.slice(CATEGORY_CAP).reduce((n, [, c]) => n + c, 0);
  const numeric = values.length > 0 && numbers.length >= NUMERIC_SHARE * values.length;
  let centre = 0;
  let spread = 0;
  let constant = false;
  let negative = 0;
  let quantiles: number[] = [];
  if (numeric) {
    const logs = Float64Array.from(numbers, signedLog).sort();
    centre = quantileOfSorted(logs, 0.5);
    const deviations = Float64Array.from(logs, (x) => Math.abs(x - centre)).sort();
    const mad = 1.4826 * quantileOfSorted(deviations, 0.5);
    // Half the values or more are one number (a full block size, a zero counter), or they all lie
    // within 5% on the log scale: the spread then comes from a handful of other values, or from
    // rounding, and says nothing about how far values may stray. Such a position is judged by how
    // rarely a value occurs (like a category) and by its sign, not by distance.
    const measured = Math.max(mad, (quantileOfSorted(logs, 0.95) - quantileOfSorted(logs, 0.05)) / 3.29);
    constant = mad === 0 || measured < MIN_SPREAD;
    spread = Math.max(measured, MIN_SPREAD);
    negative = numbers.filter((x) => x < 0).length;
    const raw = Float64Array.from(numbers).sort();
    quantiles = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99].map((q) => quantileOfSorted(raw, q));
  }
  return {
    count: values.length,
    numeric,
    centre,
    spread,
    constant,
    negative,
    quantiles,
    top,
    other,
    distinct: counts.size + (overflow > 0 ? 1 : 0),
    lowCardinality: values.length >= MIN_LINES && counts.size <= LOW_CARDINALITY && overflow === 0,
  };
}

/** Evidence of one value at one position, in nats-like units (0 = ordinary). */
export function scoreValue(profile: PositionProfile, value: string): number {
  let score = 0;
  // A position with few distinct values holds codes (a status, an attempt number), even when they
  // read as numbers: it is judged as a category, not by distance.
  if (profile.numeric && !profile.constant && !profile.lowCardinality && profile.count >= MIN_LINES) {
    const x = numericValue(value);
    if (Number.isNaN(x))
      score = 2 * Math.log(2); // a word where numbers always stand: as odd as z = 6
    else {
      // Log values are heavy-tailed: beyond the ordinary band, distance counts logarithmically
      // (a Student-t tail with two degrees of freedom, −ln p ≈ 2 ln z), so one far-off number does
      // not outweigh every other kind of evidence.
      const z = Math.abs(signedLog(x) - profile.centre) / profile.spread;
      score = z > Z_ORDINARY ? 2 * Math.log(z / Z_ORDINARY) : 0;
    }
  }
  if (profile.numeric && profile.count >= MIN_LINES) {
    // A sign nearly every other line lacks (a negative size or amount) is a category of its own.
    const x = numericValue(value);
    if (!Number.isNaN(x) && x !== 0) {
      const sameSign = x < 0 ? profile.negative : profile.count - profile.negative;
      const share = (Math.max(0, sameSign - 1) + 0.5) / profile.count;
      if (share < RARE_CATEGORY) score = Math.max(score, -Math.log(share) - Math.log(2));
    }
  }
  if (profile.lowCardinality) {
    // How often is a value this rare written at all: the share of lines whose value is at most as
    // common as this one (the line's own value is among the counts, so it is taken out). Four
    // partial block sizes seen three times each are, together, one line in thirty: routine. A code
    // more than one line in a hundred writes is part of the log's vocabulary.
    const seen = profile.top.find(([v]) => v === value)?.[1] ?? 0;
    let asRare = 0;
    for (const [, c] of profile.top) if (c <= Math.max(seen, 1)) asRare += c;
    const share = (Math.max(0, asRare - 1) + 0.5) / profile.count;
    if (share < RARE_CATEGORY) score = Math.max(score, -Math.log(share));
  }
  return score;
}

export interface ValueEvidence {
  /** Highest value evidence of each record (0 when nothing is unusual or nothing aligned). */
  score: Float32Array;
  /** Wildcard position (0-based) behind each record's score, -1 when none. */
  position: Int16Array;
}

/** Scores each record's values against its template's profile. */
export function valueEvidence(profiles: ValueProfiles, input: ValueInput, templateText: (id: number) => string | undefined): ValueEvidence {
  const n = input.templateId.length;
  const score = new Float32Array(n);
  const position = new Int16Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const t = input.templateId[i];
    const profile = t >= 0 ? profiles.byTemplate.get(t) : undefined;
    if (!profile) continue;
    const values = alignValues(matcherFor(profiles, t, templateText), input.message[i]);
    if (!values || values.length !== profile.positions.length) continue;
    for (let p = 0; p < values.length; p++) {
      const s = scoreValue(profile.positions[p], values[p]);
      if (s > score[i]) {
        score[i] = s;
        position[i] = p;
      }
    }
  }
  return { score, position };
}

export interface PositionSummary {
  position: number;
  kind: 'numeric' | 'categorical' | 'free';
  count: number;
  /** Most frequent values with their counts and whether the profile finds each unusual. */
  topValues: Array<{ value: string; count: number; unusual: boolean }>;
  other: number;
  /** Numeric positions: quantiles of the values (1, 5, 25, 50, 75, 95, 99 %). */
  quantiles?: number[];
  /** Numeric positions: the range of ordinary values (beyond it a value counts as evidence). */
  ordinary?: [low: number, high: number];
}

/** What the template view shows behind each `<*>`: top values or quantiles, unusual ones marked. */
export function profileSummary(profiles: ValueProfiles, templateId: number, maxValues = 10): PositionSummary[] {
  const profile = profiles.byTemplate.get(templateId);
  if (!profile) return [];
  return profile.positions.map((p, position) => {
    const kind = p.lowCardinality ? 'categorical' : p.numeric && !p.constant ? 'numeric' : 'free';
    const summary: PositionSummary = {
      position,
      kind,
      count: p.count,
      other: p.other,
      topValues: p.top.slice(0, maxValues).map(([value, count]) => ({ value, count, unusual: scoreValue(p, value) > 0 })),
    };
    if (kind === 'numeric') {
      summary.quantiles = p.quantiles;
      const edge = (z: number) => {
        const y = p.centre + z * p.spread;
        return Math.sign(y) * Math.expm1(Math.abs(y));
      };
      summary.ordinary = [edge(-Z_ORDINARY), edge(Z_ORDINARY)];
    }
    return summary;
  });
}
