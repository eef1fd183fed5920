/**
 * What the page's longest main-thread tasks ran, from a Chromium trace (devtools.timeline): for
 * each task over a limit, its trigger (the task's first child: a worker message, a timer, an
 * animation frame...) and where its time went, as self time per kind of event (Layout, style
 * recalculation, GC, a script function by file and position).
 */

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { functionName?: string; url?: string; lineNumber?: number; columnNumber?: number; type?: string } };
}

export interface LongTaskBreakdown {
  duration_ms: number;
  /** Milliseconds after the first long task of the trace began. */
  at_ms: number;
  trigger: string;
  /** Self time by kind of event, largest first. */
  self_ms: Array<{ what: string; ms: number }>;
  /** With a CPU profile: JS functions by time spent in them or below (inclusive), largest first. */
  js_inclusive_ms?: Array<{ what: string; ms: number }>;
  js_self_ms?: Array<{ what: string; ms: number }>;
}

/** A CDP Profiler.Profile (startTime and timeDeltas in µs, on the trace's clock). */
export interface CpuProfile {
  nodes: Array<{ id: number; parent?: number; children?: number[]; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  startTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** JS time within [from, to] µs by function: inclusive (any frame of the stack) and self (top frame). */
function jsTime(profile: CpuProfile, from: number, to: number): { inclusive: Map<string, number>; self: Map<string, number> } {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const name = (id: number) => {
    const f = byId.get(id)!.callFrame;
    return `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}`;
  };
  const inclusive = new Map<string, number>();
  const self = new Map<string, number>();
  const deltas = profile.timeDeltas ?? [];
  let t = profile.startTime;
  for (let i = 0; i < (profile.samples?.length ?? 0); i++) {
    t += deltas[i];
    if (t < from || t > to) continue;
    const dt = deltas[i + 1] ?? 0;
    const top = profile.samples![i];
    self.set(name(top), (self.get(name(top)) ?? 0) + dt);
    const seen = new Set<string>();
    for (let id: number | undefined = top; id !== undefined; id = parent.get(id)) {
      const n = name(id);
      if (seen.has(n)) continue;
      seen.add(n);
      inclusive.set(n, (inclusive.get(n) ?? 0) + dt);
    }
  }
  return { inclusive, self };
}

function top(times: Map<string, number>, count: number, skip: RegExp): Array<{ what: string; ms: number }> {
  return [...times]
    .filter(([what]) => !skip.test(what))
    .map(([what, us]) => ({ what, ms: Math.round(us / 100) / 10 }))
    .filter((x) => x.ms >= 1)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, count);
}

function label(e: TraceEvent): string {
  const data = e.args?.data;
  if (e.name === 'FunctionCall' || e.name === 'EvaluateScript') {
    const file = data?.url ? data.url.replace(/^.*\//, '') : '?';
    return `${e.name} ${data?.functionName || '(anonymous)'} ${file}:${data?.lineNumber ?? '?'}:${data?.columnNumber ?? '?'}`;
  }
  if (e.name === 'EventDispatch') return `EventDispatch ${data?.type ?? '?'}`;
  return e.name;
}

export function longTaskBreakdown(
  trace: { traceEvents?: TraceEvent[] } | TraceEvent[],
  limitMs: number,
  keep: number,
  profile?: CpuProfile,
): LongTaskBreakdown[] {
  const events = Array.isArray(trace) ? trace : (trace.traceEvents ?? []);
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return [];
  const onMain = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const isTask = (e: TraceEvent) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask';
  const tasks = onMain.filter((e) => isTask(e) && e.dur! > limitMs * 1000);
  const origin = tasks[0]?.ts ?? 0;
  const out: LongTaskBreakdown[] = [];
  for (const task of tasks) {
    const end = task.ts + task.dur!;
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur! <= end && !isTask(e));
    // Self time: each event's duration less that of its direct children (a stack of open events).
    const self = new Map<string, number>();
    const stack: Array<{ e: TraceEvent; childTime: number }> = [];
    const close = (upTo: number) => {
      while (stack.length && stack[stack.length - 1].e.ts + stack[stack.length - 1].e.dur! <= upTo) {
        const { e, childTime } = stack.pop()!;
        self.set(label(e), (self.get(label(e)) ?? 0) + Math.max(0, e.dur! - childTime));
        if (stack.length) stack[stack.length - 1].childTime += e.dur!;
      }
    };
    let childTotal = 0;
    for (const e of inside) {
      close(e.ts);
      if (!stack.length) childTotal += e.dur!;
      stack.push({ e, childTime: 0 });
    }
    close(Number.POSITIVE_INFINITY);
    self.set('(task itself, untraced)', Math.max(0, task.dur! - childTotal));
    const js = profile ? jsTime(profile, task.ts, end) : undefined;
    out.push({
      ...(js
        ? {
            // React's own loop frames are in every stack: the components and libraries below them say more.
            js_inclusive_ms: top(
              js.inclusive,
              25,
              /^\((root|program|idle|garbage collector)\)|^(performWorkUntilDeadline|workLoopSync|workLoopConcurrent|performUnitOfWork|beginWork|renderRootSync|performWorkOnRoot|performSyncWorkOnRoot|flushSyncWorkAcrossRoots|processRootScheduleInMicrotask|completeUnitOfWork|completeWork|commitRoot|commitRootImpl|flushPassiveEffects|performWorkOnRootViaSchedulerTask|renderWithHooks|updateFunctionComponent|runWithFiberInDEV|recursivelyTraverse\w*|commit\w*Effects\w*) /,
            ),
            js_self_ms: top(js.self, 12, /^\((idle|program)\)/),
          }
        : {}),
      duration_ms: Math.round(task.dur! / 1000),
      at_ms: Math.round((task.ts - origin) / 1000),
      trigger: inside[0] ? label(inside[0]) : '?',
      self_ms: [...self]
        .map(([what, us]) => ({ what, ms: Math.round(us / 100) / 10 }))
        .filter((x) => x.ms >= 1)
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 8),
    });
  }
  return out.sort((a, b) => b.duration_ms - a.duration_ms).slice(0, keep);
}
