/** Scheduled jobs: a `job-<n>` session queued → started → progress → finished on a worker. */
import { Plan, type Activity, type InjectableKind } from './plan';
import type { World } from './world';

export const JOB_KINDS: readonly InjectableKind[] = ['unusual-value', 'planted-word', 'missing-step', 'out-of-order'];

const JOB_NAMES = [
  'nightly-reindex',
  'invoice-export',
  'cache-warmup',
  'log-compaction',
  'daily-sales-report',
  'orders-db-backup',
  'thumbnail-rebuild',
  'abandoned-cart-mailer',
] as const;

export function planJob(world: World, inject?: InjectableKind): Activity {
  const r = world.rng;
  const job = world.jobId();
  const name = r.pick(JOB_NAMES);
  const worker = world.worker();
  const scheduler = world.instances.scheduler[0];
  const plan = new Plan(job);
  const trigger = r.chance(0.6) ? 'cron' : r.chance(0.5) ? 'api' : `user ${world.user()}`;
  const records = r.int(500, 200_000);
  const durationMs = Math.round(r.logNormal(40_000, 0.8));

  plan.add(0, scheduler, 'INFO', `job ${job} (${name}) queued by ${trigger}`);
  plan.add(r.int(100, 5000), scheduler, 'INFO', `job ${job} started on ${worker} (attempt 1)`);
  const progressSteps = r.int(1, 3);
  for (let i = 1; i <= progressSteps; i++) {
    const share = i / (progressSteps + 1);
    const percent = Math.round(share * 100);
    plan.add(
      durationMs / (progressSteps + 1),
      scheduler,
      'DEBUG',
      `job ${job} progress ${percent}% (${Math.round(records * share)} records)`,
    );
  }
  const seconds = (durationMs / 1000).toFixed(1);
  const finished = plan.add(
    durationMs / (progressSteps + 1),
    scheduler,
    'INFO',
    `job ${job} (${name}) finished successfully on ${worker} in ${seconds} s, ${records} records`,
  );

  if (inject === 'unusual-value') {
    finished.message = `job ${job} (${name}) finished successfully on ${worker} in ${seconds} s, -${records} records`;
    Plan.mark(finished, 'unusual-value');
  } else if (inject === 'planted-word') {
    Plan.mark(finished, 'planted-word', finished.message.replace(' successfully ', ' prematurely '));
  } else if (inject === 'missing-step') {
    plan.lines.pop();
    Plan.mark(plan.lines[plan.lines.length - 1], 'missing-step');
  } else if (inject === 'out-of-order') {
    // "finished" is logged before "started".
    const started = plan.lines[1];
    Plan.swap(started, finished);
    Plan.mark(started, 'out-of-order');
  }
  return { lines: plan.lines, injected: inject };
}
