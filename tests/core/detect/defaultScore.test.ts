import { describe, expect, it } from 'vitest';
import { generateLog } from '../../../src/core/generate';
import { DEFAULT_MASKS, maskVariables } from '../../../src/core/templates';
import { packGroups } from '../../../src/core/sessions/groups';
import { levelIndex } from '../../../src/core/parse/level';
import { evaluateScores } from '../../../src/core/evaluate';
import { defaultScores } from '../../../src/core/detect/defaultScore';

/** A generated log as the default detector takes it (templates: masked messages; no model surprise). */
function generated(seed: number, lines: number) {
  const log = [...generateLog({ seed, lines, layout: 'iso', anomalyRate: 0.03 })];
  const message = log.map((l) => l.text.slice(l.text.indexOf('] ') + 2));
  const ids = new Map<string, number>();
  const templateId = Int32Array.from(message, (m) => {
    const t = maskVariables(m, DEFAULT_MASKS);
    if (!ids.has(t)) ids.set(t, ids.size);
    return ids.get(t)!;
  });
  const texts = [...ids.keys()];
  const bySession = new Map<string, number[]>();
  log.forEach((l, i) => {
    if (l.session) bySession.set(l.session, [...(bySession.get(l.session) ?? []), i]);
  });
  const sessions = packGroups([...bySession.keys()], [...bySession.values()]);
  const counts = new Uint32Array(texts.length);
  for (const t of templateId) counts[t]++;
  return {
    log,
    sessions,
    input: {
      records: { count: log.length, textIndex: templateId, templateId, level: log.map((l) => levelIndex(l.level)), message },
      texts: { counts },
      templateText: (id: number) => texts[id],
      sessions,
    },
  };
}

describe('the default detector', () => {
  const { log, sessions, input } = generated(11, 8000);
  const d = defaultScores(input);

  it('ranks broken sessions above normal ones without any model', () => {
    const truth = sessions.keys.map((_, g) => {
      for (let k = sessions.starts[g]; k < sessions.starts[g + 1]; k++) if (log[sessions.members[k]].anomaly) return 1;
      return 0;
    });
    const e = evaluateScores(d.session!.score, truth);
    expect(e.auroc).toBeGreaterThan(0.85);
    expect(d.sessionThreshold!.flagged).toBeGreaterThan(0);
    expect(d.sessionThreshold!.share).toBeLessThan(0.2);
  });

  it('ranks anomalous lines above normal ones and says which evidence moved each', () => {
    const e = evaluateScores(
      d.line.score,
      log.map((l) => (l.anomaly ? 1 : 0)),
    );
    expect(e.auroc).toBeGreaterThan(0.85);
    expect(d.line.names).toEqual(['level', 'values', 'sequence']);
    const top = Array.from(d.line.score.keys()).sort((a, b) => d.line.score[b] - d.line.score[a])[0];
    expect(d.line.strongest[top]).toBeGreaterThanOrEqual(0);
    expect(d.lineThreshold.explanation.length).toBeGreaterThan(10);
  });

  it('tells most sessions that stopped early by their end or the step that never came', () => {
    const stopped = sessions.keys
      .map((_, g) => g)
      .filter((g) => {
        for (let k = sessions.starts[g]; k < sessions.starts[g + 1]; k++) if (log[sessions.members[k]].kind === 'missing-step') return true;
        return false;
      });
    expect(stopped.length).toBeGreaterThan(3);
    const told = stopped.filter((g) => d.sequence!.endSurprise[g] > Math.log(10) || d.sequence!.missing[g].length > 0);
    expect(told.length / stopped.length).toBeGreaterThan(0.5);
  });

  it('flags about one line of a log with one outlier, nothing of a uniform log', () => {
    const n = 1001;
    const base = {
      textIndex: new Uint32Array(n),
      templateId: new Int32Array(n),
      level: new Array(n).fill(levelIndex('INFO')),
      message: Array.from({ length: n }, (_, i) => `request served in ${40 + (i % 9)} ms`),
    };
    const templateText = () => 'request served in <*> ms';
    const uniform = defaultScores({ records: { count: n, ...base }, texts: { counts: [n], surprise: [0.3] }, templateText });
    expect(uniform.lineThreshold.flagged).toBe(0);
    const oneOff = { ...base, message: base.message.map((m, i) => (i === 500 ? 'request served in 93000 ms' : m)) };
    const outlier = defaultScores({ records: { count: n, ...oneOff }, texts: { counts: [n], surprise: [0.3] }, templateText });
    expect(outlier.lineThreshold.flagged).toBe(1);
    expect(outlier.line.score[500]).toBeGreaterThanOrEqual(outlier.lineThreshold.threshold);
  });
});
