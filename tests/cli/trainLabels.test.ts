import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, parseArgs, runScore } from '../../src/cli/loupe';
import { generateLog } from '../../src/core/generate';
import type { GeneratedLine } from '../../src/core/generate/types';

const quiet = () => {};

/**
 * One system's log over two periods (one generator run of 6,000 lines). The analyst's labels cover
 * the later period only (`--train-labels`): it holds every kind of incident the generator makes,
 * the earlier one a subset (bursts come late). The evaluation (`--labels`) covers the earlier
 * period only, so the head is judged on lines it never saw labelled.
 */
function twoPeriods(): { log: string; train: string; evaluate: string; oneClass: string } {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-train-'));
  const lines = [...generateLog({ seed: 41, lines: 6000, layout: 'iso' })];
  const half = lines.length / 2;
  const csv = (rows: GeneratedLine[], offset: number): string =>
    `id,label\n${rows.map((l, i) => `${i + 1 + offset},${l.anomaly ? 1 : 0}`).join('\n')}\n`;
  const log = join(dir, 'system.log');
  writeFileSync(log, lines.map((l) => l.text).join('\n') + '\n');
  const train = join(dir, 'analyst.csv');
  writeFileSync(train, csv(lines.slice(half), half));
  const evaluate = join(dir, 'earlier.csv');
  writeFileSync(evaluate, csv(lines.slice(0, half), 0));
  const oneClass = join(dir, 'normal-only.csv');
  writeFileSync(
    oneClass,
    csv(
      lines
        .slice(half)
        .filter((l) => !l.anomaly)
        .slice(0, 20),
      half,
    ),
  );
  return { log, train, evaluate, oneClass };
}

describe('loupe score --train-labels (issue 12 §4)', () => {
  it("the labels of one period improve the ranking of the other period's lines", async () => {
    const { log, train, evaluate } = twoPeriods();
    const plain = await runScore(parseArgs(['score', log, '--labels', evaluate, '--no-encoder']), quiet);
    const said: string[] = [];
    const taught = await runScore(
      parseArgs(['score', log, '--labels', evaluate, '--train-labels', train, '--blend-weight', '0.5', '--no-encoder']),
      (l) => said.push(l),
    );
    expect(plain.learning).toBeUndefined();
    expect(taught.learning?.trained).toBe(true);
    expect(taught.learning!.anomalous).toBeGreaterThan(10);
    expect(said.some((l) => /Learned from \d+ anomalous and \d+ normal lines .* moved into the top 50\./.test(l))).toBe(true);
    const before = plain.summary.metrics!;
    const after = taught.summary.metrics!;
    expect(taught.learning!.weightFrom).toBe('analyst');
    // Evaluated on the earlier period only (its labels are the only ones --labels gives).
    expect(after.ap).toBeGreaterThan(before.ap + 0.05);
    expect(after.auroc).toBeGreaterThan(before.auroc);
    // The blended scale: tail shares in [0, 1).
    expect(taught.summary.threshold).toBeGreaterThan(0);
    expect(taught.summary.threshold).toBeLessThan(1);
  });

  it('labels of one class train no head and say so; JSON reports the learning; a missing file is a usage error', async () => {
    const { log, oneClass } = twoPeriods();
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(['score', log, '--train-labels', oneClass, '--no-encoder', '--json'], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    expect(code).toBe(0);
    expect(err.some((l) => /No head yet: your labels name 0 anomalous/.test(l))).toBe(true);
    const json = JSON.parse(out.join('\n')) as { learning: { trained: boolean; weight_from: string } };
    expect(json.learning).toMatchObject({ trained: false, weight_from: 'no head' });
    expect(() => parseArgs(['score', log, '--train-labels', '/no/such.csv'])).toThrow(/no such file/);
    expect(() => parseArgs(['score', log, '--train-labels', oneClass, '--blend-weight', '1.5'])).toThrow(/--blend-weight must lie in/);
  });
});
