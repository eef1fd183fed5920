import { describe, expect, it } from 'vitest';
import { generateLog } from '../../../src/core/generate';
import { DEFAULT_MASKS, maskVariables } from '../../../src/core/templates';
import { packGroups } from '../../../src/core/sessions/groups';
import { END, START, expectedNext, fitSequenceModel, sequenceEvidence, wholeLogGroup } from '../../../src/core/detect/sequence';

const A = 0,
  B = 1,
  C = 2,
  D = 3;

/** Sessions laid out one after another: template ids per record and the CSR groups. */
function sessionsOf(sequences: number[][]) {
  const templateId: number[] = [];
  const lists: number[][] = [];
  for (const seq of sequences) {
    lists.push(
      seq.map((t) => {
        templateId.push(t);
        return templateId.length - 1;
      }),
    );
  }
  return {
    templateId: Int32Array.from(templateId),
    groups: packGroups(
      sequences.map((_, i) => `s${i}`),
      lists,
    ),
  };
}

describe('a model of normal order within sessions', () => {
  const normal = Array.from({ length: 60 }, () => [A, B, C, D]);
  const log = sessionsOf([...normal, [A, C, B, D], [A, B, C]]);
  const model = fitSequenceModel(log.templateId, log.groups);
  const ev = sequenceEvidence(model, log.templateId, log.groups, true);
  const first = (g: number) => log.groups.members[log.groups.starts[g]];

  it('finds the step out of place, and nothing in the usual sessions', () => {
    const swapped = 60;
    const moved = first(swapped) + 1; // C where B belongs
    expect(ev.lineSurprise[moved]).toBeGreaterThan(Math.log(10));
    for (let g = 0; g < 60; g++) expect(ev.sessionMax[g]).toBeLessThan(0.1);
    expect(ev.sessionMax[swapped]).toBeGreaterThan(Math.log(10));
  });

  it('finds the session that stopped early, and names the step that never came', () => {
    const cut = 61;
    expect(ev.endSurprise[cut]).toBeGreaterThan(Math.log(10));
    expect(Array.from(ev.missing[cut])).toEqual([D]);
    expect(ev.missingSurprise[cut]).toBeGreaterThan(Math.log(10));
    expect(ev.missing[0]).toHaveLength(0);
    expect(ev.missingSurprise[0]).toBe(0);
  });

  it('says what usually comes next', () => {
    expect(expectedNext(model, [START, A])[0].templateId).toBe(B);
    expect(expectedNext(model, [START, A, B, C, D])[0].templateId).toBe(END);
    expect(expectedNext(model, [START, A], 2)).toHaveLength(2);
  });

  it('does not explain a session away by itself when fitted on the same log', () => {
    // Fitted with the odd session included and not left out, its own transitions make it look known.
    const naive = sequenceEvidence(model, log.templateId, log.groups, false);
    expect(naive.sessionMax[60]).toBeLessThan(ev.sessionMax[60]);
  });

  it('scores a log against a reference of normal sessions', () => {
    const reference = sessionsOf(normal);
    const target = sessionsOf([
      [A, B, C, D],
      [A, C, B, D],
    ]);
    const ref = fitSequenceModel(reference.templateId, reference.groups);
    const scored = sequenceEvidence(ref, target.templateId, target.groups, false);
    expect(scored.sessionMax[0]).toBeLessThan(0.1);
    expect(scored.sessionMax[1]).toBeGreaterThan(Math.log(10));
  });

  it('handles a log without sessions as one stream, and an empty log', () => {
    const whole = wholeLogGroup(5);
    expect(Array.from(whole.starts)).toEqual([0, 5]);
    expect(Array.from(whole.members)).toEqual([0, 1, 2, 3, 4]);
    const empty = sequenceEvidence(fitSequenceModel([], packGroups([], [])), [], packGroups([], []), true);
    expect(empty.lineSurprise).toHaveLength(0);
    expect(empty.sessionMax).toHaveLength(0);
  });

  it("ranks the generator's broken sessions above normal ones", () => {
    const lines = [...generateLog({ seed: 7, lines: 6000, layout: 'iso', anomalyRate: 0.03 })];
    const masked = lines.map((l) => maskVariables(l.text.slice(l.text.indexOf('] ') + 2), DEFAULT_MASKS));
    const ids = new Map<string, number>();
    const templateId = Int32Array.from(masked, (m) => ids.get(m) ?? (ids.set(m, ids.size), ids.size - 1));
    const bySession = new Map<string, number[]>();
    lines.forEach((l, i) => {
      if (l.session) bySession.set(l.session, [...(bySession.get(l.session) ?? []), i]);
    });
    const groups = packGroups([...bySession.keys()], [...bySession.values()]);
    const scored = sequenceEvidence(fitSequenceModel(templateId, groups), templateId, groups, true);
    const broken = groups.keys.map((_, g) => {
      for (let k = groups.starts[g]; k < groups.starts[g + 1]; k++) {
        const kind = lines[groups.members[k]].kind;
        if (kind === 'missing-step' || kind === 'out-of-order') return 1;
      }
      return 0;
    });
    const score = groups.keys.map((_, g) => scored.sessionMax[g] + scored.missingSurprise[g]);
    const order = score.map((_, g) => g).sort((a, b) => score[b] - score[a]);
    const k = broken.reduce((n: number, b) => n + b, 0);
    expect(k).toBeGreaterThan(5);
    // Most broken sessions are among the 2k least expected ones (of hundreds of sessions).
    const found = order.slice(0, 2 * k).filter((g) => broken[g]).length;
    expect(found / k).toBeGreaterThanOrEqual(0.6);
  });
});
