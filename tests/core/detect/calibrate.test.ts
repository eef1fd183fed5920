import { describe, expect, it } from 'vitest';
import {
  LEVEL_CAP,
  MIN_LEVEL_TEXTS,
  SEQUENCE_FLOOR,
  defaultLineScores,
  fuseEvidence,
  groupScores,
  levelNats,
  sequenceNats,
  surpriseNats,
  tailNats,
} from '../../../src/core/detect/calibrate';
import { autoThreshold, MIN_FLAG_NATS } from '../../../src/core/detect/autoThreshold';
import { packGroups } from '../../../src/core/sessions/groups';
import { levelIndex } from '../../../src/core/parse/level';

const INFO = levelIndex('INFO');
const WARN = levelIndex('WARN');
const ERROR = levelIndex('ERROR');

describe('evidence on one scale (nats)', () => {
  it('tailNats is −ln of the share at or above, ties together, weights counted', () => {
    const t = tailNats([1, 2, 3, 3]);
    expect(t[2]).toBeCloseTo(-Math.log(2 / 4), 6);
    expect(t[3]).toBe(t[2]);
    expect(t[1]).toBeCloseTo(-Math.log(3 / 4), 6);
    expect(t[0]).toBe(0);
    const w = tailNats([5, 1], [1, 9]);
    expect(w[0]).toBeCloseTo(-Math.log(1 / 10), 6);
    expect(tailNats([])).toHaveLength(0);
    expect(tailNats([Number.NaN, 1])[0]).toBe(0);
  });

  it('surprise counts each text by the log of its occurrences', () => {
    // One odd text among a thousand identical lines is rarer than one text of two.
    const plain = surpriseNats([0.1, 9]);
    const weighted = surpriseNats([0.1, 9], [1000, 1]);
    expect(weighted[1]).toBeGreaterThan(plain[1]);
    expect(weighted[1]).toBeCloseTo(-Math.log(Math.log(2) / (Math.log(2) + Math.log(1001))), 5);
  });

  it('ranks surprise within the level, so a routine warning does not count its level twice', () => {
    // Ten INFO texts the model finds ordinary, six WARN texts all more surprising than any INFO one.
    const surprise = [
      ...Array(10)
        .fill(0)
        .map((_, i) => 0.1 + i / 100),
      1.0,
      1.1,
      1.2,
      1.3,
      1.4,
      3.0,
    ];
    const level = [...Array(10).fill(INFO), ...Array(6).fill(WARN)];
    const among = surpriseNats(surprise);
    const within = surpriseNats(surprise, undefined, level);
    // The least surprising warning is ordinary among warnings, not among all texts.
    expect(within[10]).toBe(0);
    expect(among[10]).toBeGreaterThan(0.3);
    // The strangest warning still stands out among warnings.
    expect(within[15]).toBeCloseTo(Math.log(6), 5);
    // A level with fewer than MIN_LEVEL_TEXTS texts is ranked among all texts.
    const few = surpriseNats([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 9], undefined, [INFO, INFO, INFO, INFO, INFO, INFO, ERROR]);
    expect(few[6]).toBeCloseTo(Math.log(7), 5);
    expect(MIN_LEVEL_TEXTS).toBe(5);
  });

  it('level counts from WARN up, by how rare it is in this log, at most a factor of five', () => {
    const levels = [...Array(98).fill(INFO), WARN, ERROR];
    const nats = levelNats(levels);
    expect(nats[0]).toBe(0);
    expect(nats[99]).toBeCloseTo(LEVEL_CAP, 6);
    // Where every line is an error, being an error says nothing.
    expect(Array.from(levelNats([ERROR, ERROR, ERROR]))).toEqual([0, 0, 0]);
    // Common WARN lines add less than the cap.
    const common = levelNats([...Array(6).fill(INFO), WARN, WARN, WARN, WARN]);
    expect(common[9]).toBeCloseTo(-Math.log(0.4), 6);
    expect(Array.from(levelNats([0, 0]))).toEqual([0, 0]);
  });

  it('sequence counts beyond one order of magnitude', () => {
    expect(Array.from(sequenceNats([0, SEQUENCE_FLOOR, SEQUENCE_FLOOR + 2]))).toEqual([0, 0, expect.closeTo(2, 6)]);
  });

  it('fuses by summing, and keeps what each evidence added', () => {
    const f = fuseEvidence([
      { name: 'a', nats: [1, 0, 2] },
      { name: 'b', nats: [0.5, 0, 3] },
    ]);
    expect(Array.from(f.score)).toEqual([1.5, 0, 5]);
    expect(Array.from(f.contributions)).toEqual([1, 0.5, 0, 0, 2, 3]);
    expect(Array.from(f.strongest)).toEqual([0, -1, 1]);
    expect(f.names).toEqual(['a', 'b']);
    expect(() =>
      fuseEvidence([
        { name: 'a', nats: [1] },
        { name: 'b', nats: [1, 2] },
      ]),
    ).toThrow(RangeError);
    // Negative or non-finite evidence adds nothing.
    expect(Array.from(fuseEvidence([{ name: 'a', nats: [-1, Number.NaN, Infinity] }]).score)).toEqual([0, 0, 0]);
  });

  it('ranks a severe, surprising line above an INFO line the model finds as surprising', () => {
    // BGL's case: "program interrupt" (INFO, 3 lines) is the model's most surprising text; the
    // alert "data TLB error interrupt" (FATAL, 60 lines) comes next. Severity must decide.
    // 100 ordinary INFO texts of 10 lines, 40 unremarkable FATAL texts of 5 lines, then those two.
    const FATAL = levelIndex('FATAL');
    const textIndex: number[] = [];
    const level: number[] = [];
    const add = (text: number, lines: number, lv: number) => {
      for (let k = 0; k < lines; k++) {
        textIndex.push(text);
        level.push(lv);
      }
    };
    for (let t = 0; t < 100; t++) add(t, 10, INFO);
    for (let t = 100; t < 140; t++) add(t, 5, FATAL);
    add(140, 3, INFO); // program interrupt
    add(141, 60, FATAL); // data TLB error interrupt
    const surprise = [
      ...Array(100)
        .fill(0)
        .map((_, t) => 0.5 + t / 100),
      ...Array(40)
        .fill(0)
        .map((_, t) => 2 + t / 20),
      13.4,
      9.0,
    ];
    const counts = [...Array(100).fill(10), ...Array(40).fill(5), 3, 60];
    const f = defaultLineScores({ textIndex, textSurprise: surprise, textCounts: counts, level });
    const programInterrupt = textIndex.indexOf(140);
    const tlb = textIndex.indexOf(141);
    expect(f.score[tlb]).toBeGreaterThan(f.score[programInterrupt]);
    // Without its level the alert would rank below: the level decides, the surprise still counts.
    expect(f.contributions[tlb * 2]).toBeLessThan(f.contributions[programInterrupt * 2]);
    expect(f.names).toEqual(['surprise', 'level']);
    expect(() => defaultLineScores({ textIndex: [0, 0], level: [INFO] })).toThrow(RangeError);
  });

  it('a group is as anomalous as its worst line plus its missing steps', () => {
    const groups = packGroups(['a', 'b', 'empty'], [[0, 1], [2], []]);
    const g = groupScores(groups, [1, 4, 2], [0, SEQUENCE_FLOOR + 1, 0]);
    expect(Array.from(g.score)).toEqual([4, expect.closeTo(3, 6), 0]);
    expect(Array.from(g.worstLine)).toEqual([1, 2, -1]);
  });
});

describe('the automatic threshold', () => {
  it('flags nothing in a uniform log', () => {
    const t = autoThreshold(new Float32Array(1000));
    expect(t.flagged).toBe(0);
    expect(t.explanation).toMatch(/Nothing flagged/);
  });

  it('flags the one outlier of a log with one outlier', () => {
    const scores = Float32Array.from({ length: 1001 }, (_, i) => (i === 500 ? 9 : 0.2 + (i % 7) * 0.05));
    const t = autoThreshold(scores);
    expect(t.flagged).toBe(1);
    expect(t.threshold).toBeLessThanOrEqual(9);
    expect(t.explanation).toMatch(/Flags 1 lines/);
  });

  it('never flags every tied unit, and keeps ties together', () => {
    expect(autoThreshold(new Float32Array(50).fill(7)).flagged).toBe(0);
    // A fifth or more tied at the top: no outliers, only a busy log.
    const busy = Float32Array.from({ length: 100 }, (_, i) => (i < 30 ? 8 : 0));
    expect(autoThreshold(busy).flagged).toBe(0);
    const ties = Float32Array.from({ length: 100 }, (_, i) => (i < 3 ? 8 : i < 6 ? 7 : 0));
    const t = autoThreshold(ties, 'sessions');
    expect(t.flagged).toBe(6);
    expect(t.explanation).toMatch(/sessions/);
  });

  it('reads the spread from the deciles when half the units tie', () => {
    // Like HDFS blocks: most write the same warning (2.5), some a mild oddity (3.5), a few are anomalous (7).
    const scores = [...Array(20).fill(0), ...Array(60).fill(2.5), ...Array(10).fill(3.5), ...Array(10).fill(7)];
    const t = autoThreshold(scores, 'sessions');
    expect(t.flagged).toBe(10);
    expect(t.threshold).toBeGreaterThan(3.5);
  });

  it('needs at least ln 30 of evidence, ignores NaN and handles no units', () => {
    const weak = Float32Array.from({ length: 100 }, (_, i) => (i === 0 ? MIN_FLAG_NATS - 0.1 : 0));
    expect(autoThreshold(weak).flagged).toBe(0);
    expect(autoThreshold([Number.NaN, 0, 0, 0, 5]).flagged).toBe(1);
    expect(autoThreshold([]).flagged).toBe(0);
  });
});
