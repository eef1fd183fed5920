/**
 * Which evidence moved a line's score under the default detector. Its score is a sum of nats, one
 * term per kind of evidence (detect/calibrate.ts), so each term IS that evidence's contribution:
 * no re-scoring is needed, and the parts add up to the score the analyst sees. Each is said in the
 * analyst's words, with odds ("rarer than 1 in 40 lines") rather than nats.
 */
import type { DefaultScores } from '../detect/defaultScore';
import { expectedNext, START } from '../detect/sequence';
import { alignValues, compileTemplateMatcher } from '../detect/values';
import type { RecordGroups } from '../sessions';
import { LEVELS } from '../parse/level';
import type { Contribution } from './evidence';

const LABELS: Record<string, string> = {
  surprise: 'wording (model surprise)',
  level: 'severity',
  values: 'values',
  sequence: 'order in its session',
};

/** Odds of a number of nats, as an analyst reads them: 1 in 40. */
function oneIn(nats: number): string {
  const odds = Math.exp(nats);
  if (!Number.isFinite(odds) || odds > 1e6) return 'one in millions';
  return `1 in ${Math.round(odds).toLocaleString('en-US')}`;
}

export interface LineEvidenceContext {
  evidence: DefaultScores;
  record: number;
  level: number;
  /** The line's message and its template text: to quote the value that stood out. */
  message: string;
  templateText: string;
  templateId: ArrayLike<number>;
  /** The sessions the sequence evidence was judged in; the name of a template id. */
  sessions?: RecordGroups;
  templateName: (templateId: number) => string;
}

/** Where a record sits in its session: the template ids before it (oldest first), its session, whether it is the last. */
function sessionPlace(
  sessions: RecordGroups,
  templateId: ArrayLike<number>,
  record: number,
): { before: number[]; group: number; last: boolean } | undefined {
  for (let g = 0; g < sessions.keys.length; g++) {
    for (let k = sessions.starts[g]; k < sessions.starts[g + 1]; k++) {
      if (sessions.members[k] !== record) continue;
      const before: number[] = [START];
      for (let j = sessions.starts[g]; j < k; j++) before.push(templateId[sessions.members[j]]);
      return { before, group: g, last: k === sessions.starts[g + 1] - 1 };
    }
  }
  return undefined;
}

/** "…× less likely" from nats of surprise (−ln of the ratio to the most likely event). */
function timesLess(surprise: number): string {
  return Math.round(Math.exp(surprise)).toLocaleString('en-US');
}

/**
 * The order evidence of a line: either its own step was unexpected, or (on a session's last line)
 * the session stopped where its peers go on, whichever the score took.
 */
function describeOrder(nats: number, ctx: LineEvidenceContext): string {
  const sequence = ctx.evidence.sequence;
  const model = sequence?.model;
  const place = model && ctx.sessions ? sessionPlace(ctx.sessions, ctx.templateId, ctx.record) : undefined;
  const own = ctx.templateId[ctx.record];
  const names = (ids: Array<{ templateId: number }>) => ids.map((e) => `"${ctx.templateName(e.templateId)}"`).join(', ');
  if (place?.last && sequence && sequence.endSurprise[place.group] > sequence.lineSurprise[ctx.record]) {
    const next = expectedNext(model!, [...place.before, own], 3).filter((e) => e.templateId >= 0);
    const usual = next.length ? `; expected next: ${names(next)}` : '';
    return `its session ended here: stopping after this line is ${timesLess(sequence.endSurprise[place.group])}× less likely than going on${usual}`;
  }
  // The line's own template is not a usual alternative to itself.
  const expected = model && place ? expectedNext(model, place.before, 4).filter((e) => e.templateId >= 0 && e.templateId !== own) : [];
  const usual = expected.length ? `; expected here: ${names(expected.slice(0, 3))}` : '';
  return `an unexpected step in its session: ${timesLess(nats + Math.log(10))}× less likely than the usual next one${usual}`;
}

function describe(name: string, nats: number, ctx: LineEvidenceContext): string {
  switch (name) {
    case 'surprise':
      return `the model found its wording unusual: rarer than ${oneIn(nats)} of this log's texts at its level`;
    case 'level':
      return `severity ${LEVELS[ctx.level] || 'unknown'}: lines this severe are ${oneIn(nats)} here`;
    case 'values': {
      const position = ctx.evidence.values.position[ctx.record];
      const values = position >= 0 ? alignValues(compileTemplateMatcher(ctx.templateText), ctx.message) : undefined;
      const value = values?.[position];
      const quoted = value !== undefined ? `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"` : 'a value';
      return `${quoted} at <*> #${position + 1} is unusual for this template (${oneIn(nats)})`;
    }
    case 'sequence':
      return describeOrder(nats, ctx);
    default:
      return `${name}: ${nats.toFixed(2)} nats`;
  }
}

/** Each evidence's part of the line's score, largest first (evidence that added nothing left out). */
export function lineEvidence(ctx: LineEvidenceContext): Contribution[] {
  const { names, contributions } = ctx.evidence.line;
  const k = names.length;
  const out: Contribution[] = [];
  for (let c = 0; c < k; c++) {
    const nats = contributions[ctx.record * k + c];
    if (!(nats > 0)) continue;
    const name = names[c];
    out.push({ name, label: LABELS[name] ?? name, value: nats, typical: 0, effect: nats, words: describe(name, nats, ctx) });
  }
  return out.sort((a, b) => b.effect - a.effect);
}
