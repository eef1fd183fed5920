import { describe, expect, it } from 'vitest';
import { generateLog } from '../../../src/core/generate';
import { DEFAULT_MASKS, maskVariables } from '../../../src/core/templates';
import {
  alignValues,
  compileTemplateMatcher,
  fitValueProfiles,
  numericValue,
  profileSummary,
  valueEvidence,
} from '../../../src/core/detect/values';

/** Records from messages, with each distinct template text as its own template id. */
function recordsOf(messages: string[], templateOf: (m: string) => string) {
  const ids = new Map<string, number>();
  const templateId = Int32Array.from(messages, (m) => {
    const t = templateOf(m);
    if (!ids.has(t)) ids.set(t, ids.size);
    return ids.get(t)!;
  });
  const texts = [...ids.keys()];
  return { input: { templateId, message: messages }, text: (id: number) => texts[id], ids };
}

function evidenceOf(messages: string[], templateOf: (m: string) => string) {
  const r = recordsOf(messages, templateOf);
  const profiles = fitValueProfiles(r.input, r.text);
  return { ...valueEvidence(profiles, r.input, r.text), profiles, ids: r.ids };
}

describe('aligning a message with its template', () => {
  it('captures the value behind each wildcard, inside tokens too', () => {
    const m = compileTemplateMatcher('req-<*> response <*> sent in <*> ms (<*> bytes)');
    expect(alignValues(m, 'req-3b2b9c02 response 200 sent in 22 ms (5851 bytes)')).toEqual(['3b2b9c02', '200', '22', '5851']);
    expect(alignValues(m, 'req-3b2b9c02 response 200 sent  in 22 ms (5851 bytes)')).toEqual(['3b2b9c02', '200', '22', '5851']);
    expect(alignValues(m, 'something else entirely')).toBeUndefined();
  });

  it('escapes the literal parts and has no matcher without a wildcard', () => {
    const m = compileTemplateMatcher('a (b) [c]* $d <*>.');
    expect(alignValues(m, 'a (b) [c]* $d 42.')).toEqual(['42']);
    expect(alignValues(m, 'a b c d 42.')).toBeUndefined();
    expect(compileTemplateMatcher('no variables here')).toBeUndefined();
    expect(alignValues(undefined, 'anything')).toBeUndefined();
  });

  it('reads numbers with units, not codes with leading zeros', () => {
    expect(numericValue('93000')).toBe(93000);
    expect(numericValue('-12.5')).toBe(-12.5);
    expect(numericValue('8000%')).toBe(8000);
    expect(numericValue('23ms')).toBe(23);
    expect(numericValue('0.5')).toBe(0.5);
    expect(numericValue('0007')).toBeNaN();
    expect(numericValue('0x1f')).toBeNaN();
    expect(numericValue('db-3')).toBeNaN();
  });
});

describe('value profiles and evidence', () => {
  const template = () => 'took <*> ms with status <*>';

  it('flags a latency a thousand times the usual one and nothing ordinary', () => {
    const messages = Array.from({ length: 400 }, (_, i) => `took ${30 + (i % 31)} ms with status ${i % 5 ? 200 : 404}`);
    messages[137] = 'took 93000 ms with status 200';
    const ev = evidenceOf(messages, template);
    const top = [...ev.score.keys()].sort((a, b) => ev.score[b] - ev.score[a]);
    expect(top[0]).toBe(137);
    expect(ev.position[137]).toBe(0);
    expect(ev.score[137]).toBeGreaterThan(2);
    expect(ev.score.filter((s, i) => s > 0 && i !== 137).length).toBe(0);
  });

  it('flags a negative amount and a status code never seen, not a rare but recurring one', () => {
    const messages = Array.from({ length: 500 }, (_, i) => `took ${30 + (i % 31)} ms with status ${i % 25 ? 200 : 404}`);
    messages[10] = 'took -45 ms with status 200';
    messages[20] = 'took 41 ms with status 599';
    const ev = evidenceOf(messages, template);
    expect(ev.score[10]).toBeGreaterThan(1);
    expect(ev.score[20]).toBeGreaterThan(1);
    expect(ev.position[20]).toBe(1);
    const recurring = messages.findIndex((m) => m.endsWith('404'));
    expect(ev.score[recurring]).toBe(0);
  });

  it('judges a nearly constant counter by rarity, not by distance, and ignores ids', () => {
    const messages = Array.from({ length: 200 }, (_, i) => `${10700 + (i % 40)} total interrupts for job ${292000 + i}`);
    messages[0] = '720 total interrupts for job 292000';
    const ev = evidenceOf(messages, () => '<*> total interrupts for job <*>');
    // Forty distinct counts within 0.4%: no distance to measure, too many values to be a category.
    expect(ev.score[0]).toBe(0);
    expect(Math.max(...ev.score)).toBe(0);
  });

  it('summarises each wildcard for the template view, marking unusual values', () => {
    const messages = Array.from({ length: 300 }, (_, i) => `took ${30 + (i % 31)} ms with status ${i % 3 ? 200 : 404}`);
    messages[5] = 'took 44 ms with status 599';
    const ev = evidenceOf(messages, template);
    const [latency, status] = profileSummary(ev.profiles, 0);
    expect(latency.kind).toBe('numeric');
    expect(latency.quantiles).toHaveLength(7);
    expect(latency.ordinary![0]).toBeLessThan(30);
    expect(latency.ordinary![1]).toBeGreaterThan(60);
    expect(status.kind).toBe('categorical');
    expect(status.topValues.map((v) => v.value)).toEqual(['200', '404', '599']);
    expect(status.topValues.map((v) => v.unusual)).toEqual([false, false, true]);
    expect(profileSummary(ev.profiles, 99)).toEqual([]);
  });

  it('gives no evidence for lines without a template, unaligned lines, or an empty log', () => {
    const r = recordsOf(['took 5 ms with status 200', 'other'], template);
    const profiles = fitValueProfiles(r.input, r.text);
    const ev = valueEvidence(profiles, { templateId: Int32Array.from([-1, 0]), message: ['took 5 ms with status 200', 'other'] }, r.text);
    expect(Array.from(ev.score)).toEqual([0, 0]);
    expect(Array.from(ev.position)).toEqual([-1, -1]);
    const empty = valueEvidence(fitValueProfiles({ templateId: [], message: [] }, r.text), { templateId: [], message: [] }, r.text);
    expect(empty.score).toHaveLength(0);
  });

  it("finds the generator's unusual values among the strongest value evidence of a generated log", () => {
    const lines = [...generateLog({ seed: 7, lines: 6000, layout: 'iso', anomalyRate: 0.03 })];
    const messages = lines.map((l) => l.text.slice(l.text.indexOf('] ') + 2));
    const ev = evidenceOf(messages, (m) => maskVariables(m, DEFAULT_MASKS));
    const top = [...ev.score.keys()].sort((a, b) => ev.score[b] - ev.score[a]).slice(0, 20);
    const unusual = top.filter((i) => lines[i].kind === 'unusual-value').length;
    expect(unusual).toBeGreaterThanOrEqual(10);
  });
});
