import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ANOMALY_KINDS, LAYOUTS, generateLog, generateLogText, type GeneratedLine } from '../../../src/core/generate';

const demo: GeneratedLine[] = [...generateLog({ seed: 20260314, lines: 20_000, layout: 'iso' })];

/** Message part of an iso line (after `[service] `). */
function message(text: string): string {
  return text.slice(text.indexOf('] ') + 2);
}

/** Masks tokens holding digits, the way a template miner would see them. */
function masked(msg: string): string {
  return msg
    .split(' ')
    .map((t) => (/\d/.test(t) ? '<*>' : t))
    .join(' ');
}

function bySession(lines: GeneratedLine[]): Map<string, GeneratedLine[]> {
  const sessions = new Map<string, GeneratedLine[]>();
  for (const line of lines) {
    if (line.session === undefined) continue;
    const list = sessions.get(line.session) ?? [];
    list.push(line);
    sessions.set(line.session, list);
  }
  return sessions;
}

describe('generateLog determinism', () => {
  it('gives identical output for the same seed, in every layout', () => {
    for (const layout of LAYOUTS) {
      const a = [...generateLog({ seed: 7, lines: 3000, layout })];
      const b = [...generateLog({ seed: 7, lines: 3000, layout })];
      expect(b).toEqual(a);
    }
  });

  it('gives different logs for different seeds', () => {
    const a = generateLogText({ seed: 1, lines: 500, layout: 'iso' }).split('\n');
    const b = generateLogText({ seed: 2, lines: 500, layout: 'iso' }).split('\n');
    const shared = a.filter((line, i) => line === b[i]).length;
    expect(shared).toBeLessThan(5);
  });

  it('tells the same story in every layout: only the formatting changes', () => {
    const iso = [...generateLog({ seed: 11, lines: 2000, layout: 'iso' })];
    for (const layout of LAYOUTS) {
      const other = [...generateLog({ seed: 11, lines: 2000, layout })];
      expect(other.map((l) => [l.time, l.kind, l.session])).toEqual(iso.map((l) => [l.time, l.kind, l.session]));
    }
  });

  it('writes exactly the number of lines asked for, with text matching generateLogText', () => {
    for (const lines of [0, 1, 7, 1234]) {
      const generated = [...generateLog({ seed: 3, lines, layout: 'jsonl' })];
      expect(generated).toHaveLength(lines);
      expect(generateLogText({ seed: 3, lines, layout: 'jsonl' })).toBe(generated.map((l) => `${l.text}\n`).join(''));
    }
  });

  it('rejects bad options', () => {
    const bad = [
      { seed: 1, lines: -1, layout: 'iso' },
      { seed: 1, lines: 1.5, layout: 'iso' },
      { seed: Number.NaN, lines: 10, layout: 'iso' },
      { seed: 1, lines: 10, layout: 'xml' },
      { seed: 1, lines: 10, layout: 'iso', anomalyRate: 0.9 },
      { seed: 1, lines: 10, layout: 'iso', anomalyRate: -0.1 },
      { seed: 1, lines: 10, layout: 'iso', linesPerSecond: 0 },
    ];
    for (const options of bad) {
      // The cast lets the test pass values the types forbid, as untyped callers (the CLI) could.
      expect(() => [...generateLog(options as Parameters<typeof generateLog>[0])]).toThrow(RangeError);
    }
  });
});

describe('generateLog anomalies', () => {
  it('keeps the anomaly rate near the target', () => {
    const rate = (lines: GeneratedLine[]) => lines.filter((l) => l.anomaly).length / lines.length;
    expect(rate(demo)).toBeGreaterThanOrEqual(0.01);
    expect(rate(demo)).toBeLessThanOrEqual(0.03);
    for (const seed of [1, 2, 3]) {
      const r = rate([...generateLog({ seed, lines: 20_000, layout: 'iso' })]);
      expect(r).toBeGreaterThanOrEqual(0.01);
      expect(r).toBeLessThanOrEqual(0.03);
    }
    const high = rate([...generateLog({ seed: 4, lines: 50_000, layout: 'iso', anomalyRate: 0.05 })]);
    expect(high).toBeGreaterThan(0.035);
    expect(high).toBeLessThan(0.065);
  });

  it('labels every anomalous line with a kind and holds every kind in a 20k-line log', () => {
    for (const line of demo) expect(line.anomaly).toBe(line.kind !== undefined);
    const kinds = new Set(demo.map((l) => l.kind).filter((k) => k !== undefined));
    expect([...kinds].sort()).toEqual([...ANOMALY_KINDS].sort());
  });

  it('writes no anomaly at rate 0, nor any planted word or rare error', () => {
    const normal = [...generateLog({ seed: 9, lines: 20_000, layout: 'iso', anomalyRate: 0 })];
    expect(normal.some((l) => l.anomaly)).toBe(false);
    const planted = new Set(demo.filter((l) => l.kind === 'planted-word').map((l) => plantedWord(l)));
    for (const line of normal) {
      for (const word of message(line.text).split(' ')) expect(planted.has(word)).toBe(false);
    }
    // The only normal ERROR is a declined card.
    const errors = normal.filter((l) => l.level === 'ERROR' || l.level === 'FATAL');
    expect(errors.length).toBeGreaterThan(0);
    for (const line of errors) expect(line.text).toContain('declined by issuer');
  });

  it('plants words that differ from their normal twin by exactly one word, in a normal template', () => {
    const planted = demo.filter((l) => l.kind === 'planted-word');
    expect(planted.length).toBeGreaterThan(10);
    const normalTemplates = new Set(demo.filter((l) => !l.anomaly).map((l) => masked(message(l.text))));
    const normalWords = new Set(demo.filter((l) => !l.anomaly).flatMap((l) => message(l.text).split(' ')));
    for (const line of planted) {
      expect(line.twin).toBeDefined();
      const words = line.text.split(' ');
      const twinWords = (line.twin ?? '').split(' ');
      expect(twinWords).toHaveLength(words.length);
      expect(words.filter((w, i) => w !== twinWords[i])).toHaveLength(1);
      expect(normalTemplates.has(masked(message(line.twin ?? '')))).toBe(true);
      expect(normalWords.has(plantedWord(line))).toBe(false);
    }
    expect(demo.filter((l) => l.kind !== 'planted-word').every((l) => l.twin === undefined)).toBe(true);
  });

  it('floods bursts of WARN lines into short windows', () => {
    const burst = demo.filter((l) => l.kind === 'burst');
    expect(burst.every((l) => l.level === 'WARN')).toBe(true);
    const groups: GeneratedLine[][] = [];
    for (const line of burst) {
      const last = groups[groups.length - 1];
      if (last !== undefined && line.time - last[last.length - 1].time < 16_000) last.push(line);
      else groups.push([line]);
    }
    for (const group of groups) {
      expect(group.length).toBeGreaterThanOrEqual(25);
      expect(group[group.length - 1].time - group[0].time).toBeLessThan(60_000);
      // One template per burst, so the window, not the line, is what stands out.
      expect(new Set(group.map((l) => masked(message(l.text)))).size).toBe(1);
    }
  });
});

function plantedWord(line: GeneratedLine): string {
  const words = line.text.split(' ');
  const twin = (line.twin ?? '').split(' ');
  return words.find((w, i) => w !== twin[i]) ?? '';
}

describe('generateLog sessions and time', () => {
  it('keeps timestamps non-decreasing', () => {
    for (let i = 1; i < demo.length; i++) expect(demo[i].time).toBeGreaterThanOrEqual(demo[i - 1].time);
  });

  it('follows the diurnal curve: afternoon is busier than night', () => {
    const day = [...generateLog({ seed: 5, lines: 200_000, layout: 'iso', anomalyRate: 0 })];
    const perHour = new Array<number>(24).fill(0);
    const start = day[0].time;
    for (const line of day) if (line.time - start < 86_400_000) perHour[new Date(line.time).getUTCHours()]++;
    const night = perHour[1] + perHour[2] + perHour[3] + perHour[4];
    const afternoon = perHour[13] + perHour[14] + perHour[15] + perHour[16];
    expect(afternoon / night).toBeGreaterThan(2.5);
  });

  it('runs normal sessions in order and complete, broken ones not', () => {
    const sessions = bySession(demo);
    let requests = 0;
    let blocks = 0;
    let jobs = 0;
    for (const [id, lines] of sessions) {
      for (const line of lines) expect(line.text).toContain(id);
      const first = message(lines[0].text);
      const last = message(lines[lines.length - 1].text);
      const kinds = new Set(lines.map((l) => l.kind));
      const broken = kinds.has('missing-step') || kinds.has('out-of-order');
      if (id.startsWith('req-')) {
        requests++;
        const responses = lines.filter((l) => / response \d{3} sent in /.test(l.text));
        if (kinds.has('missing-step')) expect(responses).toHaveLength(0);
        else expect(responses).toHaveLength(1);
        if (kinds.has('out-of-order')) expect(last).not.toMatch(/ response \d{3} sent/);
        if (!broken) {
          expect(first).toMatch(/^req-[0-9a-f]{8} (GET|POST) \/api\/v1\/\S+ received from /);
          expect(last).toMatch(/ response \d{3} sent in \d+ ms/);
          // The latency the response reports is the time the timestamps show.
          const reported = Number(/sent in (\d+) ms/.exec(last)?.[1]);
          expect(reported).toBe(lines[lines.length - 1].time - lines[0].time);
        }
      } else if (id.startsWith('blk_')) {
        blocks++;
        expect(first).toContain('NameSystem.allocateBlock');
        const receiving = lines.filter((l) => l.text.includes('Receiving block')).length;
        const stored = lines.filter((l) => l.text.includes('addStoredBlock')).length;
        if (kinds.has('rare-error')) expect(stored).toBe(receiving - 1);
        else expect(stored).toBe(receiving);
      } else {
        expect(id).toMatch(/^job-\d+$/);
        jobs++;
        expect(first).toContain('queued by');
        if (!broken) expect(last).toMatch(/finished \w+ on worker-\d/);
      }
    }
    expect(requests).toBeGreaterThan(1000);
    expect(blocks).toBeGreaterThan(50);
    expect(jobs).toBeGreaterThan(30);
  });
});

describe('generateLog streaming', () => {
  it('starts a billion-line log at once: nothing is built ahead', () => {
    const started = performance.now();
    const first: string[] = [];
    for (const line of generateLog({ seed: 1, lines: 1_000_000_000, layout: 'hdfs' })) {
      first.push(line.text);
      if (first.length === 10) break;
    }
    expect(first).toHaveLength(10);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('streams 1,000,000 lines counting only, in bounded memory', () => {
    // A forced collection measures what the generator retains, not garbage awaiting collection.
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    const retained = () => {
      collect();
      return process.memoryUsage().heapUsed;
    };
    const heapBefore = retained();
    let peak = heapBefore;
    let count = 0;
    let anomalies = 0;
    const started = performance.now();
    for (const line of generateLog({ seed: 99, lines: 1_000_000, layout: 'iso' })) {
      count++;
      if (line.anomaly) anomalies++;
      if (count % 250_000 === 0) peak = Math.max(peak, retained());
    }
    const seconds = (performance.now() - started) / 1000;
    const growthMiB = (peak - heapBefore) / 2 ** 20;
    console.log(`1M iso lines in ${seconds.toFixed(2)} s, retained heap growth ${growthMiB.toFixed(1)} MiB`);
    expect(count).toBe(1_000_000);
    expect(anomalies / count).toBeGreaterThan(0.015);
    expect(anomalies / count).toBeLessThan(0.025);
    // Holding a million lines would retain several hundred MiB.
    expect(growthMiB).toBeLessThan(32);
  });
});
