/**
 * Session identifiers: which records belong together (an HDFS block, an OpenStack instance, a
 * request). A rule is a regex; a record's session key is the rule's first capture group, or the
 * whole match when the rule has none. Every match counts: an HDFS line naming two blocks belongs
 * to both sessions.
 */

export interface SessionRule {
  name: string;
  pattern: RegExp | string;
}

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** Built-in identifier rules, most specific first. */
export const BUILTIN_SESSION_RULES: readonly SessionRule[] = Object.freeze([
  { name: 'hdfs-block', pattern: /blk_-?\d+/ },
  { name: 'openstack-instance', pattern: new RegExp(`\\[instance: (${UUID})\\]`) },
  { name: 'request-id', pattern: new RegExp(`(?<![A-Za-z0-9])(req-${UUID})(?![A-Za-z0-9])`) },
  // Short request ids: req- and 8 or more hex digits (req-4d6737b8).
  { name: 'request-id-hex', pattern: /(?<![A-Za-z0-9])(req-[0-9a-fA-F]{8,})(?![A-Za-z0-9-])/ },
  // Batch jobs: job-17, job_1445144423722_0020 (Hadoop).
  { name: 'job-id', pattern: /(?<![A-Za-z0-9])(job[-_]\d+(?:_\d+)*)(?![A-Za-z0-9])/ },
  { name: 'request-id-field', pattern: /\brequest[_-]?id["']?\s*[=:]\s*["']?([A-Za-z0-9][\w.:-]*)/i },
  { name: 'trace-id', pattern: /\btrace[_-]?id["']?\s*[=:]\s*["']?([A-Za-z0-9][\w.:-]*)/i },
] satisfies SessionRule[]);

interface CompiledRule {
  regex: RegExp;
  hasGroup: boolean;
}

const compiledRules = new WeakMap<SessionRule, CompiledRule>();

function compileRule(rule: SessionRule): CompiledRule {
  let compiled = compiledRules.get(rule);
  if (compiled === undefined) {
    const source = typeof rule.pattern === 'string' ? rule.pattern : rule.pattern.source;
    const flags = typeof rule.pattern === 'string' ? '' : rule.pattern.flags.replace(/[gy]/g, '');
    let regex: RegExp;
    try {
      regex = new RegExp(source, `${flags}g`);
    } catch (e) {
      throw new Error(`Session rule "${rule.name}" has an invalid pattern: ${(e as Error).message}`, { cause: e });
    }
    const groups = (new RegExp(`${source}|`, flags).exec('') as RegExpExecArray).length - 1;
    compiled = { regex, hasGroup: groups > 0 };
    compiledRules.set(rule, compiled);
  }
  return compiled;
}

/** Checks a user rule's pattern (throws an Error naming the rule when it is not a valid regex). */
export function validateSessionRule(rule: SessionRule): void {
  compileRule(rule);
}

/**
 * The session keys named in `message` by `rules`, without duplicates, in order of appearance per
 * rule. Empty matches are ignored.
 */
export function sessionKeysOf(message: string, rules: readonly SessionRule[]): string[] {
  let keys: string[] | null = null;
  for (const rule of rules) {
    const { regex, hasGroup } = compileRule(rule);
    regex.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = regex.exec(message)) !== null) {
      if (m[0].length === 0) {
        regex.lastIndex++;
        continue;
      }
      const key = hasGroup ? m[1] : m[0];
      if (key === undefined || key === '') continue;
      if (keys === null) keys = [key];
      else if (!keys.includes(key)) keys.push(key);
    }
  }
  return keys ?? [];
}

export interface DetectOptions {
  /** Least share of sample messages a rule must match (default 0.02). */
  minShare?: number;
  /**
   * Least mean number of matching messages per distinct key for request-style rules: a key seen
   * once groups nothing (default 1.5).
   */
  minRecordsPerKey?: number;
  /** Rules to consider (default: the built-ins). */
  candidates?: readonly SessionRule[];
}

/** How much of a sample one rule covers. */
export interface SessionRuleCoverage {
  rule: SessionRule;
  /** Sample messages naming at least one key. */
  matchedMessages: number;
  distinctKeys: number;
}

/** Coverage of each candidate rule on the sample (for showing the analyst why a rule was picked). */
export function sessionRuleCoverage(
  sampleMessages: readonly string[],
  candidates: readonly SessionRule[] = BUILTIN_SESSION_RULES,
): SessionRuleCoverage[] {
  return candidates.map((rule) => {
    const keys = new Set<string>();
    let matchedMessages = 0;
    for (const message of sampleMessages) {
      const found = sessionKeysOf(message, [rule]);
      if (found.length > 0) matchedMessages++;
      for (const k of found) keys.add(k);
    }
    return { rule, matchedMessages, distinctKeys: keys.size };
  });
}

/**
 * Built-ins that name an entity with a life of its own (a block, a VM): a sample cut from a long log
 * may show each only once, and they are still sessions. Request and trace ids must recur instead.
 */
const ENTITY_RULES = new Set(['hdfs-block', 'openstack-instance']);

/**
 * Share of a request-style rule's messages that also name an entity above which its requests are
 * taken to live inside the entities (OpenStack: 25% of request lines name an instance).
 */
const NESTED_SHARE = 0.1;

/**
 * The rules that name a meaningful share (`minShare`) of the sample's messages; request-style ids
 * must also recur (`minRecordsPerKey`), or each "session" would be one record. When an entity rule
 * (HDFS block, OpenStack instance) qualifies, request-style rules whose messages often name an entity
 * too are left out: those requests are steps of the entity's life, and the entity is the session
 * analysts and labels use. Requests of other services (none of their lines names an entity) stay
 * sessions of their own. Returned in candidate order; empty when none fit.
 */
export function detectSessionRules(sampleMessages: readonly string[], options: DetectOptions = {}): SessionRule[] {
  const minShare = options.minShare ?? 0.02;
  const minRecordsPerKey = options.minRecordsPerKey ?? 1.5;
  if (sampleMessages.length === 0) return [];
  const picked = sessionRuleCoverage(sampleMessages, options.candidates)
    .filter(
      (c) =>
        c.matchedMessages / sampleMessages.length >= minShare &&
        c.distinctKeys > 0 &&
        (ENTITY_RULES.has(c.rule.name) || c.matchedMessages / c.distinctKeys >= minRecordsPerKey),
    )
    .map((c) => c.rule);
  const entities = picked.filter((r) => ENTITY_RULES.has(r.name));
  if (entities.length === 0) return picked;
  const namesEntity = sampleMessages.map((m) => sessionKeysOf(m, entities).length > 0);
  return picked.filter((rule) => {
    if (ENTITY_RULES.has(rule.name)) return true;
    let matched = 0;
    let nested = 0;
    sampleMessages.forEach((m, i) => {
      if (sessionKeysOf(m, [rule]).length === 0) return;
      matched++;
      if (namesEntity[i]) nested++;
    });
    return nested / Math.max(1, matched) < NESTED_SHARE;
  });
}
