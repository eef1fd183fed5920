import { join } from 'node:path';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_SESSION_RULES,
  SessionGrouper,
  detectSessionRules,
  groupSessions,
  groupSize,
  membersOf,
  sessionKeysOf,
  validateSessionRule,
  type SessionRule,
} from '../../../src/core/sessions';

const DATA = fileURLToPath(new URL('../../../../shared/data', import.meta.url));
const hasData = existsSync(DATA);
if (!hasData) console.warn(`Skipping session tests on real logs: ${DATA} not found`);

const rule = (name: string) => BUILTIN_SESSION_RULES.find((r) => r.name === name) as SessionRule;
const linesOf = (path: string) =>
  readFileSync(`${DATA}/${path}`, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
const csvColumn = (path: string) =>
  linesOf(path)
    .slice(1)
    .map((l) => l.split(',')[0]);

describe('sessionKeysOf', () => {
  it('finds every HDFS block a line names, once each', () => {
    const line = 'BLOCK* ask 10.0.0.1:50010 to delete  blk_-42 blk_7 blk_-42';
    expect(sessionKeysOf(line, [rule('hdfs-block')])).toEqual(['blk_-42', 'blk_7']);
  });

  it('takes the instance uuid, request ids and key=value ids', () => {
    const uuid = 'b9000564-fe1a-409b-b8cc-1e88b294cd1d';
    expect(sessionKeysOf(`[instance: ${uuid}] VM Started`, [rule('openstack-instance')])).toEqual([uuid]);
    const req = 'req-38101a0b-2096-447d-96ea-a692162415ae';
    expect(sessionKeysOf(`[${req} 113d - - -] GET /`, [rule('request-id')])).toEqual([req]);
    expect(sessionKeysOf('done request_id=abc-123 ok', [rule('request-id-field')])).toEqual(['abc-123']);
    expect(sessionKeysOf('span "traceId": "4bf92f35" end', [rule('trace-id')])).toEqual(['4bf92f35']);
    expect(sessionKeysOf('nothing here', BUILTIN_SESSION_RULES)).toEqual([]);
  });

  it("uses a user rule's first capture group, or the whole match", () => {
    expect(sessionKeysOf('order=A17 shipped', [{ name: 'order', pattern: 'order=(\\w+)' }])).toEqual(['A17']);
    expect(sessionKeysOf('job_200811092030_0001 ok', [{ name: 'job', pattern: /job_\d+_\d+/ }])).toEqual(['job_200811092030_0001']);
    expect(() => validateSessionRule({ name: 'bad', pattern: '(' })).toThrow(/bad/);
  });
});

describe('SessionGrouper', () => {
  it('builds CSR sessions in first-seen order with ascending members', () => {
    const g = groupSessions(['open blk_1', 'noise', 'copy blk_1 to blk_2', 'close blk_2', 'close blk_1'], [rule('hdfs-block')]);
    expect(g.keys).toEqual(['blk_1', 'blk_2']);
    expect([...g.starts]).toEqual([0, 3, 5]);
    expect([...membersOf(g, 0)]).toEqual([0, 2, 4]);
    expect([...membersOf(g, 1)]).toEqual([2, 3]);
    expect(groupSize(g, 1)).toBe(2);
  });

  it('keeps members sorted when records arrive out of order and counts records without a session', () => {
    const grouper = new SessionGrouper([rule('hdfs-block')]);
    grouper.add('blk_1 a', 5);
    grouper.add('blk_1 b', 2);
    grouper.add('none', 3);
    grouper.add('blk_1 c', 9);
    expect([...grouper.build().members]).toEqual([2, 5, 9]);
    expect(grouper.recordsWithoutSession).toBe(1);
  });
});

describe.skipIf(!hasData)('sessions on real logs (../shared/data)', () => {
  it('HDFS_AD_5k: detects blocks and finds every one of the 110 labelled blocks, covering every line', () => {
    const lines = linesOf('hdfs/HDFS_AD_5k.log');
    const rules = detectSessionRules(lines.slice(0, 500));
    expect(rules.map((r) => r.name)).toEqual(['hdfs-block']);
    const sessions = groupSessions(lines, rules);
    const labelled = csvColumn('hdfs/HDFS_AD_5k.block_labels.csv');
    expect(labelled).toHaveLength(110);
    expect(new Set(sessions.keys)).toEqual(new Set(labelled));
    const covered = new Set(sessions.members);
    expect(covered.size).toBe(lines.length);
  });

  it('HDFS_2k: finds all 2,200 labelled blocks though most appear once in the sample', () => {
    const lines = linesOf('loghub_2k/HDFS/HDFS_2k.log');
    const rules = detectSessionRules(lines);
    expect(rules.map((r) => r.name)).toEqual(['hdfs-block']);
    const sessions = groupSessions(lines, rules);
    expect(new Set(sessions.keys)).toEqual(new Set(csvColumn('hdfs/HDFS_2k.block_labels.csv')));
    // Some lines name more than one block, so memberships outnumber lines.
    expect(sessions.members.length).toBeGreaterThan(lines.length);
  });

  it('OpenStack_2k: prefers instance sessions over per-request ids', () => {
    const lines = linesOf('loghub_2k/OpenStack/OpenStack_2k.log');
    const rules = detectSessionRules(lines);
    expect(rules.map((r) => r.name)).toEqual(['openstack-instance']);
    const sessions = groupSessions(lines, rules);
    expect(sessions.keys).toHaveLength(22);
    expect(sessions.members.length).toBe(lines.filter((l) => l.includes('[instance: ')).length);
    // Without the instance rule, request ids (which recur) are the sessions.
    const requestOnly = detectSessionRules(lines, { candidates: BUILTIN_SESSION_RULES.filter((r) => r.name !== 'openstack-instance') });
    expect(requestOnly.map((r) => r.name)).toEqual(['request-id']);
  });

  it('the demo log: blocks, and the requests and jobs of other services, are sessions side by side', () => {
    const demo = readFileSync(join(import.meta.dirname, '..', '..', '..', 'public', 'samples', 'demo.log'), 'utf8').split('\n');
    expect(detectSessionRules(demo).map((r) => r.name)).toEqual(['hdfs-block', 'request-id-hex', 'job-id']);
  });

  it('BGL has no session ids: detection returns nothing', () => {
    expect(detectSessionRules(linesOf('loghub_2k/BGL/BGL_2k.log'))).toEqual([]);
  });
});

describe('detectSessionRules on generated text', () => {
  it('ignores request ids that never recur and rules below the share threshold', () => {
    const unique = Array.from({ length: 100 }, (_, i) => `handled request_id=r${i} in 5ms`);
    expect(detectSessionRules(unique)).toEqual([]);
    const rare = Array.from({ length: 100 }, (_, i) => (i < 1 ? `write blk_${i}` : 'heartbeat'));
    expect(detectSessionRules(rare)).toEqual([]);
    expect(detectSessionRules([])).toEqual([]);
  });
});
