import { describe, expect, it } from 'vitest';
import { defaultScores } from '../../../src/core/detect/defaultScore';
import { lineEvidence } from '../../../src/core/explain/lineEvidence';
import type { RecordGroups } from '../../../src/core/sessions';

/**
 * 60 sessions of open → read → close; one stops after read (ended early), one reads after close
 * (a step out of order). Templates: 0 open, 1 read, 2 close.
 */
function sessions(): { templateId: Int32Array; groups: RecordGroups; early: number; outOfOrder: number } {
  const ids: number[] = [];
  const starts = [0];
  const keys: string[] = [];
  let early = -1;
  let outOfOrder = -1;
  for (let s = 0; s < 60; s++) {
    const steps = s === 20 ? [0, 1] : s === 40 ? [0, 2, 1] : [0, 1, 2];
    for (const t of steps) ids.push(t);
    if (s === 20) early = ids.length - 1;
    if (s === 40) outOfOrder = ids.length - 1;
    starts.push(ids.length);
    keys.push(`s${s}`);
  }
  const members = Uint32Array.from(ids, (_, i) => i);
  return { templateId: Int32Array.from(ids), groups: { keys, starts: Uint32Array.from(starts), members }, early, outOfOrder };
}

describe('order evidence in words', () => {
  const { templateId, groups, early, outOfOrder } = sessions();
  const n = templateId.length;
  const evidence = defaultScores({
    records: {
      count: n,
      textIndex: Uint32Array.from(templateId),
      templateId,
      level: new Uint8Array(n),
      message: Array.from(templateId, String),
    },
    texts: { counts: [60, 60, 60] },
    values: { score: new Float32Array(n), position: new Int16Array(n).fill(-1) },
    sessions: groups,
  });
  const names = ['open file', 'read block', 'close file'];
  const explain = (record: number) =>
    lineEvidence({
      evidence,
      record,
      level: 0,
      message: names[templateId[record]],
      templateText: names[templateId[record]],
      templateId,
      sessions: groups,
      templateName: (t) => names[t],
    }).find((c) => c.name === 'sequence')?.words;

  it('says a session ended early on its last line, and names the step that usually follows', () => {
    expect(explain(early)).toMatch(
      /^its session ended here: stopping after this line is [\d,]+× less likely than going on; expected next: "close file"/,
    );
  });

  it('says a step was out of order, naming usual steps other than the line itself', () => {
    const words = explain(outOfOrder);
    expect(words).toMatch(/^an unexpected step in its session/);
    expect(words).not.toContain('"read block"');
  });
});
