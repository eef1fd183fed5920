import { describe, expect, it } from 'vitest';
import {
  ANOMALY_KINDS,
  generateLog,
  lineLabelsCsv,
  sessionLabels,
  sessionLabelsCsv,
  summarizeLog,
  type GeneratedLine,
} from '../../../src/core/generate';

const lines: GeneratedLine[] = [...generateLog({ seed: 314, lines: 20_000, layout: 'syslog' })];

function rows(csv: string): string[][] {
  expect(csv.endsWith('\n')).toBe(true);
  const [header, ...body] = csv.trimEnd().split('\n');
  expect(header).toBe('id,label');
  return body.map((row) => row.split(','));
}

describe('generated labels', () => {
  it('line labels: one row per line, 1-based ids, 1 exactly on anomalous lines', () => {
    const table = rows(lineLabelsCsv(lines));
    expect(table).toHaveLength(lines.length);
    table.forEach(([id, label], i) => {
      expect(id).toBe(String(i + 1));
      expect(label).toBe(lines[i].anomaly ? '1' : '0');
    });
  });

  it('session labels: every session once, 1 when any of its lines is anomalous', () => {
    const table = rows(sessionLabelsCsv(lines));
    const ids = table.map(([id]) => id);
    expect(new Set(ids).size).toBe(ids.length);
    const expected = new Map<string, string>();
    for (const line of lines) {
      if (line.session === undefined) continue;
      expect(line.text).toContain(line.session);
      expected.set(line.session, expected.get(line.session) === '1' || line.anomaly ? '1' : '0');
    }
    expect(new Map(table.map(([id, label]) => [id, label]))).toEqual(expected);
    const anomalous = table.filter(([, label]) => label === '1').length;
    expect(anomalous).toBeGreaterThan(50);
    expect(anomalous / table.length).toBeLessThan(0.15);
  });

  it('labels broken sequences at the session level', () => {
    const labels = sessionLabels(lines);
    const broken = lines.filter((l) => l.kind === 'missing-step' || l.kind === 'out-of-order');
    expect(broken.length).toBeGreaterThan(10);
    for (const line of broken) {
      expect(line.session).toBeDefined();
      expect(labels.get(line.session ?? '')).toBe(1);
    }
  });

  it('summarises counts that agree with the lines', () => {
    const summary = summarizeLog(lines);
    expect(summary.lines).toBe(lines.length);
    expect(summary.anomalousLines).toBe(lines.filter((l) => l.anomaly).length);
    for (const kind of ANOMALY_KINDS) {
      expect(summary.linesByKind[kind]).toBe(lines.filter((l) => l.kind === kind).length);
      expect(summary.linesByKind[kind]).toBeGreaterThan(0);
    }
    const labels = sessionLabels(lines);
    expect(summary.sessions).toBe(labels.size);
    expect(summary.anomalousSessions).toBe([...labels.values()].filter((v) => v === 1).length);
    expect(summary.firstTime).toBe(lines[0].time);
    expect(summary.lastTime).toBe(lines[lines.length - 1].time);
    expect(summarizeLog([]).lines).toBe(0);
  });
});
