/**
 * Lines that belong to no session: health checks, pool and cache statistics, heartbeats,
 * scheduler ticks; the rare system errors that normal traffic never writes; and WARN bursts.
 */
import { Plan, type Activity, type InjectableKind, type PlannedLine } from './plan';
import type { Random } from './random';
import type { Level } from './types';
import type { Instance, World } from './world';

export const BACKGROUND_KINDS: readonly InjectableKind[] = ['rare-error', 'unusual-value', 'planted-word'];

type LineMaker = (world: World) => PlannedLine;

function single(instance: Instance, level: Level, message: string, component?: string): PlannedLine {
  const planned: PlannedLine = { offsetMs: 0, instance, level, message };
  if (component !== undefined) planned.component = component;
  return planned;
}

/**
 * The WARN templates bursts flood with; each also occurs now and then in normal traffic. A burst
 * fixes the subject (one client, one database, one node) as a real incident would.
 */
type WarningMaker = (world: World, subject: Subject) => PlannedLine;
interface Subject {
  client: string;
  database: string;
  node: Instance;
  service: 'orders' | 'inventory';
}
const WARNINGS: readonly WarningMaker[] = [
  (w, s) =>
    single(
      w.instance('api-gateway'),
      'WARN',
      `rate limit exceeded for client ${s.client} on /api/v1/login (${w.rng.int(120, 900)} req/min)`,
    ),
  (w, s) =>
    single(w.instance(s.service), 'WARN', `waiting for a free connection to ${s.database} (pool 50/50, ${w.rng.int(1, 40)} queued)`),
  (w, s) =>
    single(s.node, 'WARN', `Slow BlockReceiver write packet to mirror took ${w.rng.int(301, 4000)}ms (threshold=300ms)`, 'dfs.DataNode'),
];

function subject(world: World): Subject {
  return {
    client: world.clientIp(),
    database: world.database(),
    node: world.instance('storage'),
    service: world.rng.pick(['orders', 'inventory'] as const),
  };
}

function poolMessage(db: string, used: number, verdict: 'established' | 'refused'): string {
  return `connection to ${db} ${verdict} (pool ${used}/50)`;
}

const ROUTINE: readonly LineMaker[] = [
  (w) =>
    single(
      w.instance('api-gateway'),
      'DEBUG',
      `health check of ${w.rng.pick(['auth', 'orders', 'payments', 'inventory'])} ok in ${w.rng.int(1, 12)} ms`,
    ),
  (w) =>
    single(
      w.instance(w.rng.pick(['orders', 'inventory', 'payments'] as const)),
      'INFO',
      poolMessage(w.database(), w.rng.int(3, 45), 'established'),
    ),
  (w) =>
    single(
      w.instance('inventory'),
      'INFO',
      `cache stats: ${w.rng.int(12000, 60000)} entries, hit ratio ${(0.85 + w.rng.next() * 0.12).toFixed(2)}, evicted ${w.rng.int(0, 900)}`,
    ),
  (w) => single(w.instance('auth'), 'INFO', `session cookie for user ${w.user()} renewed, expires in 3600 s`),
  (w) =>
    single(
      w.instance('orders'),
      'INFO',
      `outbox published ${w.rng.int(1, 60)} order events to topic orders.v1 (lag ${w.rng.int(2, 400)} ms)`,
    ),
  (w) =>
    single(
      w.namenode,
      'INFO',
      `heartbeat from datanode ${w.instance('storage').ip}:50010, ${w.rng.int(35, 88)}% used, ${w.rng.int(8000, 40000)} blocks`,
      'dfs.FSNamesystem',
    ),
  (w) =>
    single(
      w.instances.scheduler[0],
      'DEBUG',
      `tick: ${w.rng.int(0, 12)} jobs queued, ${w.rng.int(0, 6)} running, ${w.rng.int(0, 6)} workers idle`,
    ),
  (w) => single(w.instance('payments'), 'INFO', `settlement batch sb-${w.rng.int(1000, 9999)} submitted: ${w.rng.int(5, 400)} charges`),
  (w) => single(w.instance('auth'), 'INFO', `refreshed signing keys: ${w.rng.int(2, 4)} active, next rotation in ${w.rng.int(1, 23)} h`),
  (w) =>
    single(
      w.instance('orders'),
      'INFO',
      `order ${w.orderId()} shipped via ${w.rng.pick(['dhl', 'ups', 'dpd', 'gls'])}, tracking ${w.rng.int(100000000, 999999999)}`,
    ),
  (w) => single(w.instance('payments'), 'INFO', `refund of ${w.rng.logNormal(30, 0.7).toFixed(2)} EUR issued for order ${w.orderId()}`),
  (w) =>
    single(
      w.instance('payments'),
      'DEBUG',
      `webhook ${w.rng.pick(['charge.succeeded', 'charge.refunded', 'payout.paid'])} received from provider in ${w.rng.int(40, 400)} ms`,
    ),
  (w) => single(w.instance('orders'), 'DEBUG', `cart of user ${w.user()} expired after 30 min with ${w.rng.int(1, 8)} items`),
  (w) =>
    single(
      w.instance('api-gateway'),
      'WARN',
      `slow upstream ${w.rng.pick(['orders', 'inventory', 'payments'])}: p99 ${w.rng.int(800, 2500)} ms over last 60 s`,
    ),
];
const ROUTINE_WEIGHTS = [20, 14, 8, 10, 8, 10, 8, 3, 1, 3, 2, 4, 4, 1.5];
const WARNING_WEIGHT = 1.5;

const RARE_ERRORS: readonly LineMaker[] = [
  (w) =>
    single(
      w.instance('storage'),
      'ERROR',
      `disk I/O error on /dev/sd${w.rng.pick(['b', 'c', 'd'])}: medium error, sector ${w.rng.int(100000, 9000000)}`,
      'dfs.DataNode',
    ),
  (w) =>
    single(
      w.instance('inventory'),
      'ERROR',
      `Out of memory: Killed process ${w.rng.int(2000, 30000)} (java) total-vm:${w.rng.int(4, 9)}123456kB, anon-rss:${w.rng.int(3, 7)}654321kB`,
    ),
  (w) =>
    single(
      w.instance('api-gateway'),
      'ERROR',
      `TLS handshake with upstream payments failed: certificate verify failed (self-signed certificate in chain)`,
    ),
  (w) =>
    single(
      w.instances.scheduler[0],
      'ERROR',
      `${w.worker()} lost: no heartbeat for ${w.rng.int(90, 600)} s, rescheduling ${w.rng.int(1, 5)} jobs`,
    ),
  (w) =>
    single(w.instance('payments'), 'FATAL', `ledger write-ahead log corrupted at offset ${w.rng.int(100000, 99999999)}, refusing to start`),
  (w) =>
    single(
      w.instance('storage'),
      'ERROR',
      `segfault at 0000000000000008 ip 00007f3a${w.rng.int(1000, 9999)}e4b10 error 4 in libz.so.1.2.13`,
      'dfs.DataNode',
    ),
  (w) => single(w.instance('auth'), 'ERROR', `LDAP bind to ldap-${w.rng.int(1, 2)} failed: certificate has expired`),
];

export function planBackground(world: World, inject?: InjectableKind): Activity {
  const r = world.rng;
  if (inject === 'rare-error') {
    const error = r.pick(RARE_ERRORS)(world);
    Plan.mark(error, 'rare-error');
    return { lines: [error], injected: inject };
  }
  if (inject === 'planted-word') {
    const db = world.database();
    const used = r.int(3, 45);
    const pool = single(world.instance(r.pick(['orders', 'inventory', 'payments'] as const)), 'INFO', poolMessage(db, used, 'established'));
    Plan.mark(pool, 'planted-word', poolMessage(db, used, 'refused'));
    return { lines: [pool], injected: inject };
  }
  if (inject === 'unusual-value') {
    const node = world.instance('storage');
    const unusual = r.chance(0.5)
      ? single(
          world.namenode,
          'INFO',
          `heartbeat from datanode ${node.ip}:50010, ${r.int(1200, 9000)}% used, ${r.int(8000, 40000)} blocks`,
          'dfs.FSNamesystem',
        )
      : single(world.instance('inventory'), 'INFO', poolMessage(world.database(), r.int(900, 5000), 'established'));
    Plan.mark(unusual, 'unusual-value');
    return { lines: [unusual], injected: inject };
  }
  if (r.chance(WARNING_WEIGHT / 100)) return { lines: [r.pick(WARNINGS)(world, subject(world))] };
  return { lines: [r.weighted(ROUTINE, ROUTINE_WEIGHTS)(world)] };
}

/** A short window flooded by one WARN template: 25-60 lines within a few seconds. */
export function planBurst(world: World, maxLines: number): Activity {
  const r: Random = world.rng;
  const count = Math.min(maxLines, r.int(25, 60));
  const windowMs = r.int(2_000, 15_000);
  const maker = r.pick(WARNINGS);
  const about = subject(world);
  const lines: PlannedLine[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const planned = maker(world, about);
    at += r.exponential(windowMs / count);
    planned.offsetMs = Math.round(at);
    Plan.mark(planned, 'burst');
    lines.push(planned);
  }
  return { lines, injected: 'burst' };
}
