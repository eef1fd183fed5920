import { describe, expect, it } from 'vitest';
import * as A from '../../src/state/actions';
import { INITIAL_DATA, type LoupeData } from '../../src/state/shape';
import type { LineDetail, LogRow } from '../../src/core/analysis/types';

const with_ = (patch: Partial<LoupeData>): LoupeData => ({ ...INITIAL_DATA, ...patch });
const row = (record: number): LogRow => ({
  record,
  file: 0,
  lineNumber: record + 1,
  timestamp: NaN,
  level: '',
  raw: '',
  message: '',
  templateId: 0,
  score: 0,
  label: -1,
});

describe('reducers', () => {
  it('ignores a threshold view computed for an older threshold', () => {
    const state = with_({ threshold: 0.7 });
    expect(A.thresholdViewReceived(state, { threshold: 0.6, linesAbove: 1, timeline: [] })).toEqual({});
    expect(A.thresholdViewReceived(state, { threshold: 0.7, linesAbove: 1, timeline: [] }).thresholdView?.linesAbove).toBe(1);
    expect(A.thresholdSet(state, NaN)).toEqual({});
  });

  it('ignores the detail of a line that is no longer selected', () => {
    const state = with_({ selection: { record: 5 } });
    const detail = (record: number) => ({ row: row(record) }) as LineDetail;
    expect(A.detailReceived(state, detail(4))).toEqual({});
    expect(A.detailReceived(state, detail(5)).detail?.row.record).toBe(5);
  });

  it('filter changes drop empty fields and start a fresh set of row pages', () => {
    const state = with_({ filter: { text: 'x', levels: ['ERROR'] }, rows: { key: 'old', total: 9, pages: { 0: [] }, order: [0] } });
    const patch = A.filterChanged(state, { text: '', levels: [], minScore: 0.5 });
    expect(patch.filter).toEqual({ minScore: 0.5 });
    expect(patch.rows?.pages).toEqual({});
    expect(patch.rows?.key).not.toBe('old');
    expect(A.rowsKeyOf(1, { a: 1, b: 2 } as never)).toBe(A.rowsKeyOf(1, { b: 2, a: 1 } as never));
  });

  it('drops row pages fetched for a filter that has since changed', () => {
    const state = with_({ rows: { key: 'k2', total: 0, pages: {}, order: [] } });
    expect(A.rowPageReceived(state, { key: 'k1', page: 0, total: 5, rows: [row(0)] })).toEqual({});
    expect(A.rowPageReceived(state, { key: 'k2', page: 0, total: 5, rows: [row(0)] }).rows?.total).toBe(5);
  });

  it('a cancelled failure is a notice, a real failure an error', () => {
    const running = with_({ run: { startedAt: 0, fileNames: [], stages: {}, cancelling: true } });
    expect(A.analysisFailed(running, { message: 'aborted', cancelled: false })).toMatchObject({ error: null, run: null });
    const plain = with_({ run: { startedAt: 0, fileNames: [], stages: {}, cancelling: false } });
    expect(A.analysisFailed(plain, { message: 'corrupt gzip', cancelled: false }).error).toBe('corrupt gzip');
  });

  it('jumps need a real position and always bump the nonce', () => {
    expect(A.jumpRequested(INITIAL_DATA, -1)).toEqual({});
    const first = A.jumpRequested(INITIAL_DATA, 3).jump!;
    expect(A.jumpRequested(with_({ jump: first }), 3).jump?.nonce).toBe(first.nonce + 1);
  });
});
