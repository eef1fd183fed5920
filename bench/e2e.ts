/**
 * `npm run bench:e2e`: the built app in headless Chromium (WASM encoder), as an analyst would use it:
 * pick the files, wait for scores, click a line. Cases (BENCH_CASES=name,name picks some; the
 * others keep their last result in the JSON):
 *   generated-1m       the generated 1,000,000-line log (a few hundred distinct texts)
 *   generated-1m-wide  1,000,000 generated lines with a 60,000-message vocabulary (≥ 50k distinct texts)
 *   loghub-16          the 16 Loghub *_2k.log files dropped together (32,000 lines, 16 layouts)
 *   real-mid           one file per layout: BGL_5000 + BGL_2k, HDFS_5000 + HDFS_AD_5k + HDFS_2k, the
 *                      14 other Loghub 2k logs (≈ 47,000 lines), built in a temp dir at run time
 * Figures per case:
 *   first_scores_s   files picked → the score histogram shows scores (preliminary ones count)
 *   full_s           files picked → the analysis is complete (no progress bar)
 *   peak_heap_mb     largest JS heap + ArrayBuffer memory seen (page and workers), sampled every 100 ms
 *   longest_main_thread_task_ms   longest task on the page's main thread (Long Tasks API), after the pick
 *   distinct_texts   distinct masked texts the encoder embeds (the progress card's "texts" total)
 *   vectors_texts_per_s / surprise_texts_per_s   throughput of the two encoder passes, timed from
 *                    the progress card ('vectors' / 'surprise'), so cache hits would count (a fresh
 *                    browser per case keeps the cache empty)
 *   saliency_ms      (generated-1m, saliency) click a 40-token line → its saliency heatmap drawn;
 *                    saliency_worker_ms is the worker's own time for it (the panel's figure)
 *   saliency         a generated 20,000-line log with one 1 MB line: the 40-token figures above, and
 *                    saliency_1mb_ms / saliency_1mb_worker_ms for the 1 MB line (targets 300 ms and
 *                    1 s), and search_during_saliency_ms: a search typed while the 1 MB line is
 *                    explained, until the match count shows (the box waits 200 ms after typing)
 * BENCH_TRACE=1 also records a Chromium trace per real-log case (BENCH_TRACE=all: every case) and lists what the longest
 * main-thread tasks ran (long_tasks). Writes bench/results/e2e.json. Needs `npm run build` first.
 */
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type CDPSession, type Page } from '@playwright/test';
import { generateLog, type GeneratedLine } from '../src/core/generate';
import { generateWideLog } from '../src/core/generate/vocabulary';
import { chromiumArgs } from '../playwright.config';
import { machine, writeResult } from './machine';
import { longTaskBreakdown, type LongTaskBreakdown } from './traceTasks';
import { LOGHUB_SYSTEMS } from './loghub';

const ROOT = resolve(import.meta.dirname, '..');
const DATA = resolve(ROOT, '../shared/data');
const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const WIDE_VOCABULARY = 60_000;
const PORT = Number(process.env.BENCH_PORT ?? 4175);
// BENCH_TRACE=all traces the generated cases too.
const TRACE_ALL = process.env.BENCH_TRACE === 'all';
const TRACE = process.env.BENCH_TRACE === '1' || TRACE_ALL;
const loghubPath = (name: string) => join(DATA, 'loghub_2k', name, `${name}_2k.log`);

async function writeLines(path: string, lines: Iterable<GeneratedLine>): Promise<void> {
  const out = createWriteStream(path);
  let buffer: string[] = [];
  for (const line of lines) {
    buffer.push(line.text);
    if (buffer.length === 10_000) {
      if (!out.write(buffer.join('\n') + '\n')) await once(out, 'drain');
      buffer = [];
    }
  }
  out.end(buffer.join('\n') + '\n');
  await once(out, 'finish');
}

/** Concatenates files into one (each ending in a newline). */
function concatenate(path: string, parts: string[]): void {
  writeFileSync(
    path,
    parts
      .map((p) => {
        const text = readFileSync(p, 'utf8');
        return text.endsWith('\n') ? text : `${text}\n`;
      })
      .join(''),
  );
}

interface Case {
  name: string;
  /** Writes what it needs under `dir` (or points at shared data) and returns the files to pick. */
  files(dir: string): Promise<string[]>;
  /** Searches for a long line and times its saliency heatmap. */
  saliency?: boolean;
  /** Also times the saliency of a 1 MB line (and a search during it). */
  longLine?: boolean;
  trace?: boolean;
  note: string;
  targets: Partial<Record<'first_scores_s' | 'full_s' | 'longest_main_thread_task_ms', number>>;
}

/** The 1 MB line of the saliency case: one record of key=value pairs, far past what the encoder reads. */
const LONG_LINE = `2026-03-14T01:00:00.000Z ERROR [storage] payload dump ${Array.from({ length: 120_000 }, (_, i) => `k${i % 997}=v${(i * 7) % 1009}`).join(' ')}`;

const CASES: Case[] = [
  {
    name: 'saliency',
    saliency: true,
    longLine: true,
    note: 'generateLog seed 2024, 20,000 lines, iso layout, and one 1 MB line in the middle (the parser keeps its first 64 KiB)',
    targets: {},
    files: async (dir) => {
      const path = join(dir, 'saliency.log');
      const lines = [...generateLog({ seed: 2024, lines: 20_000, layout: 'iso' })].map((l) => l.text);
      lines.splice(10_000, 0, LONG_LINE);
      writeFileSync(path, `${lines.join('\n')}\n`);
      return [path];
    },
  },
  {
    name: 'generated-1m',
    saliency: true,
    note: `generateLog seed 2024, ${LINES} lines, iso layout`,
    targets: { longest_main_thread_task_ms: 100 },
    files: async (dir) => {
      const path = join(dir, 'generated-1m.log');
      await writeLines(path, generateLog({ seed: 2024, lines: LINES, layout: 'iso' }));
      return [path];
    },
  },
  {
    name: 'generated-1m-wide',
    note: `generateWideLog seed 2024, ${LINES} lines, vocabulary ${WIDE_VOCABULARY}, share 0.3, iso layout`,
    targets: { full_s: 60, longest_main_thread_task_ms: 100 },
    files: async (dir) => {
      const path = join(dir, 'generated-1m-wide.log');
      await writeLines(path, generateWideLog({ seed: 2024, lines: LINES, layout: 'iso', vocabulary: WIDE_VOCABULARY, share: 0.3 }));
      return [path];
    },
  },
  {
    name: 'loghub-16',
    trace: true,
    note: 'the 16 ../shared/data/loghub_2k/*/*_2k.log files in one drop',
    targets: { first_scores_s: 3, full_s: 10, longest_main_thread_task_ms: 100 },
    files: async () => LOGHUB_SYSTEMS.map(loghubPath),
  },
  {
    name: 'real-mid',
    trace: true,
    note: 'one file per layout in one drop: BGL_5000+BGL_2k, HDFS_5000+HDFS_AD_5k+HDFS_2k, the 14 other Loghub 2k logs',
    targets: { longest_main_thread_task_ms: 100 },
    files: async (dir) =>
      LOGHUB_SYSTEMS.map((name) => {
        const extra =
          name === 'BGL'
            ? [join(DATA, 'bgl', 'BGL_5000.log')]
            : name === 'HDFS'
              ? [join(DATA, 'hdfs', 'HDFS_5000.log'), join(DATA, 'hdfs', 'HDFS_AD_5k.log')]
              : [];
        if (!extra.length) return loghubPath(name);
        const path = join(dir, `${name}_mid.log`);
        concatenate(path, [...extra, loghubPath(name)]);
        return path;
      }),
  },
];

/**
 * Used JS heap of every page and worker isolate (the analysis worker holds the data), through
 * the browser's DevTools protocol: Runtime.getHeapUsage on each target.
 */
class HeapProbe {
  private nextId = 1;
  private pending = new Map<number, (usage: number) => void>();
  private sessions = new Map<string, string>();

  private constructor(private readonly cdp: CDPSession) {
    cdp.on('Target.receivedMessageFromTarget', (event: { message: string }) => {
      const message = JSON.parse(event.message) as { id?: number; result?: { usedSize?: number; backingStorageSize?: number } };
      const resolve = message.id === undefined ? undefined : this.pending.get(message.id);
      if (resolve) {
        this.pending.delete(message.id!);
        // ArrayBuffers (typed columns, the WASM heap) live outside the JS heap proper: count them.
        resolve((message.result?.usedSize ?? 0) + (message.result?.backingStorageSize ?? 0));
      }
    });
  }

  static async open(browser: Browser): Promise<HeapProbe> {
    return new HeapProbe(await browser.newBrowserCDPSession());
  }

  async usedMb(): Promise<number> {
    const { targetInfos } = await this.cdp.send('Target.getTargets');
    let total = 0;
    for (const target of targetInfos) {
      if (target.type !== 'page' && target.type !== 'worker') continue;
      let sessionId = this.sessions.get(target.targetId);
      if (!sessionId) {
        ({ sessionId } = await this.cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false }));
        this.sessions.set(target.targetId, sessionId);
      }
      const id = this.nextId++;
      const usage = new Promise<number>((resolve) => {
        this.pending.set(id, resolve);
        setTimeout(() => resolve(0), 5000);
      });
      await this.cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) });
      total += await usage;
    }
    return total / 2 ** 20;
  }
}

/** What the page records for the bench: long tasks and every change of the embed stage's line. */
interface PageProbe {
  longTasks: Array<{ start: number; duration: number }>;
  embed: Array<{ at: number; text: string }>;
  /** Every change of the time-left text on the progress card ("about 12 s left"). */
  eta: Array<{ at: number; text: string }>;
}

function installProbe(): void {
  const w = window as unknown as { __bench: PageProbe };
  w.__bench = { longTasks: [], embed: [], eta: [] };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__bench.longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  // The embed stage's count line ("1,234 / 5,678 texts · vectors"), read whenever the DOM changes:
  // a MutationObserver costs next to nothing next to the render that caused the change.
  let last = '';
  let lastEta = '';
  new MutationObserver(() => {
    const progress = document.querySelector('[data-testid="progress"]');
    const stage = [...(progress?.querySelectorAll('.stage') ?? [])].find((s) => s.querySelector('.stage-name')?.textContent === 'embed');
    const text = stage?.querySelector('.stage-count')?.textContent ?? '';
    if (text && text !== last) {
      last = text;
      w.__bench.embed.push({ at: Date.now(), text });
    }
    const eta = /(under a second|about \d+ (?:s|min)) left/.exec(progress?.textContent ?? '')?.[0] ?? '';
    if (eta !== lastEta) {
      lastEta = eta;
      w.__bench.eta.push({ at: Date.now(), text: eta });
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

interface PassTimes {
  distinctTexts?: number;
  vectorsPerS?: number;
  surprisePerS?: number;
  vectorsS?: number;
  surpriseS?: number;
}

/**
 * Texts and the two passes' throughput from the embed stage's successive lines: texts done over
 * time between a pass's first and last line (so a pass cut short by the time limit still gives
 * its rate), and each pass's duration when it finished.
 */
function passTimes(embed: PageProbe['embed']): PassTimes {
  const parsed = embed.map(({ at, text }) => {
    const m = /([\d,]+)(?: \/ ([\d,]+))? texts(?: · (\w+))?/.exec(text);
    const num = (s?: string) => (s === undefined ? undefined : Number(s.replace(/,/g, '')));
    return { at, done: num(m?.[1]) ?? 0, total: num(m?.[2]), pass: m?.[3] };
  });
  const total = Math.max(0, ...parsed.map((p) => p.total ?? 0));
  const out: PassTimes = { distinctTexts: total || undefined };
  const pass = (name: string) => {
    const lines = parsed.filter((p) => p.pass === name);
    if (lines.length < 2) return undefined;
    const [first, last] = [lines[0], lines[lines.length - 1]];
    const rate = (last.done - first.done) / Math.max(0.001, (last.at - first.at) / 1000);
    const finished = last.done >= total;
    return { rate: Math.round(rate), seconds: finished ? (last.at - first.at) / 1000 + first.done / Math.max(rate, 1e-9) : undefined };
  };
  const vectors = pass('vectors');
  const surprise = pass('surprise');
  out.vectorsPerS = vectors?.rate;
  out.vectorsS = vectors?.seconds;
  out.surprisePerS = surprise?.rate;
  out.surpriseS = surprise?.seconds;
  return out;
}

/**
 * How honest the time-left figure was: the largest rise of the shown figure over the previous one
 * counted down (s), and the figure's error against the true time left at a few points of the run.
 */
function etaHonesty(eta: PageProbe['eta'], endedAt: number): Record<string, unknown> {
  const seconds = (text: string) => {
    if (text.startsWith('under')) return 0.5;
    const m = /about (\d+) (s|min)/.exec(text);
    return m ? Number(m[1]) * (m[2] === 'min' ? 60 : 1) : Number.NaN;
  };
  const shown = eta.map((e) => ({ at: e.at, left: seconds(e.text) })).filter((e) => Number.isFinite(e.left));
  let maxRise = 0;
  for (let i = 1; i < shown.length; i++) {
    maxRise = Math.max(maxRise, shown[i].left - (shown[i - 1].left - (shown[i].at - shown[i - 1].at) / 1000));
  }
  const at = (share: number) => {
    const e = shown[Math.floor(share * (shown.length - 1))];
    return e && { shown_s: e.left, true_s: Math.round((endedAt - e.at) / 100) / 10 };
  };
  return {
    figures: shown.length,
    largest_rise_s: Math.round(maxRise),
    first: at(0),
    quarter: at(0.25),
    half: at(0.5),
    three_quarters: at(0.75),
  };
}

/** Longest wait for an analysis (s): past it the case records what it measured, full_s stays null. */
const MAX_WAIT_S = Number(process.env.BENCH_MAX_S ?? 1800);

async function runCase(c: Case, dir: string): Promise<Record<string, unknown>> {
  const files = await c.files(dir);
  const executablePath = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
  // A fresh browser per case: an empty vector cache and heap.
  const browser = await chromium.launch({ executablePath, args: [...chromiumArgs, '--enable-precise-memory-info'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    await page.addInitScript(installProbe);
    await page.goto(`http://127.0.0.1:${PORT}/`);
    await page.getByTestId('file-picker').waitFor({ state: 'attached' });

    let peak = 0;
    let sampling = true;
    const probe = await HeapProbe.open(browser);
    const sampler = (async () => {
      while (sampling) {
        peak = Math.max(peak, await probe.usedMb().catch(() => 0));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const tracing = TRACE && (c.trace || TRACE_ALL);
    const profiler = tracing ? await page.context().newCDPSession(page) : undefined;
    if (tracing) {
      await browser.startTracing(page, {
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink.user_timing'],
      });
      // JS stacks of the page's main thread (same clock as the trace): which functions the long tasks ran.
      await profiler!.send('Profiler.enable');
      await profiler!.send('Profiler.setSamplingInterval', { interval: 500 });
      await profiler!.send('Profiler.start');
    }

    const started = Date.now();
    await page.getByTestId('file-picker').setInputFiles(files);
    // Long tasks until now are page load and Playwright copying the file into the page (a real
    // drop hands over a file reference), not the app's.
    const pickedAt = await page.evaluate(() => performance.now());
    await page
      .getByTestId('histogram-panel')
      .locator('svg.recharts-surface')
      .first()
      .waitFor({ timeout: MAX_WAIT_S * 1000 });
    const firstScores = (Date.now() - started) / 1000;
    const finished = await page
      .getByTestId('progress')
      .waitFor({ state: 'detached', timeout: Math.max(1, MAX_WAIT_S * 1000 - (Date.now() - started)) })
      .then(
        () => true,
        () => false,
      );
    const endedAt = Date.now();
    const full = finished ? (endedAt - started) / 1000 : Number.NaN;
    const lineCount = finished ? await page.getByTestId('line-count').textContent() : null;

    const result: Record<string, unknown> = { note: c.note, files: files.length, line_count_shown: lineCount };
    if (!finished) result.stopped_after_s = Math.round((endedAt - started) / 1000);
    if (c.saliency && finished) Object.assign(result, await saliency(page));
    if (c.longLine && finished) Object.assign(result, await longLineSaliency(page));

    sampling = false;
    await sampler;
    const pageProbe = await page.evaluate(() => (window as unknown as { __bench: PageProbe }).__bench);
    const tasks = pageProbe.longTasks.filter((t) => t.start >= pickedAt);
    const longest = Math.max(0, ...tasks.map((t) => t.duration));
    const passes = passTimes(pageProbe.embed);
    const device = await page
      .getByTestId('encoder-device')
      .textContent()
      .catch(() => null);
    // The model and, when it was not used, why (the header's tooltip).
    const encoderTitle = await page
      .locator('.fact', { has: page.getByTestId('encoder-device') })
      .getAttribute('title')
      .catch(() => null);
    let breakdown: LongTaskBreakdown[] | undefined;
    if (tracing) {
      const { profile } = await profiler!.send('Profiler.stop');
      const trace = await browser.stopTracing();
      // BENCH_TRACE_DIR: keep the raw trace and profile for a closer look (DevTools opens both).
      if (process.env.BENCH_TRACE_DIR) {
        writeFileSync(join(process.env.BENCH_TRACE_DIR, `${c.name}.trace.json`), trace);
        writeFileSync(join(process.env.BENCH_TRACE_DIR, `${c.name}.cpuprofile`), JSON.stringify(profile));
      }
      breakdown = longTaskBreakdown(JSON.parse(trace.toString('utf8')), 50, 6, profile);
    }
    Object.assign(result, {
      encoder_device: device,
      encoder_detail: encoderTitle,
      first_scores_s: round1(firstScores),
      full_s: finished ? round1(full) : null,
      peak_heap_mb: Math.round(peak),
      longest_main_thread_task_ms: Math.round(longest),
      long_tasks_over_50ms: tasks.filter((t) => t.duration > 50).length,
      distinct_texts: passes.distinctTexts ?? null,
      time_left_estimate: finished ? etaHonesty(pageProbe.eta, endedAt) : null,
      vectors_texts_per_s: passes.vectorsPerS ?? null,
      vectors_s: passes.vectorsS === undefined ? null : round1(passes.vectorsS),
      surprise_texts_per_s: passes.surprisePerS ?? null,
      surprise_s: passes.surpriseS === undefined ? null : round1(passes.surpriseS),
      targets: c.targets,
      missed: Object.entries(c.targets)
        .filter(([k, limit]) => {
          const value = k === 'first_scores_s' ? firstScores : k === 'full_s' ? (finished ? full : Infinity) : longest;
          return value > limit!;
        })
        .map(([k]) => k),
    });
    if (breakdown) result.long_tasks = breakdown;
    return result;
  } finally {
    await browser.close();
  }
}

/** A 40-token line: search for a long request line, open it, time the heatmap. */
async function saliency(page: Page): Promise<Record<string, number>> {
  await page.getByTestId('viewer-search').fill('charge of');
  const row = page.getByTestId('log-viewer').locator('.log-row[data-record]').first();
  await row.waitFor();
  const clickAt = Date.now();
  await row.click();
  await page.getByTestId('saliency').locator('.heat-word').first().waitFor({ timeout: 120_000 });
  const saliencyMs = Date.now() - clickAt;
  const words = await page.getByTestId('saliency').locator('.heat-word').count();
  return { saliency_ms: saliencyMs, saliency_worker_ms: await workerMs(page), saliency_words: words };
}

/** The worker's own time for the words shown (the panel's "… ms"). */
async function workerMs(page: Page): Promise<number> {
  return Number(/(\d+) ms/.exec((await page.getByTestId('saliency-ms').textContent()) ?? '')?.[1] ?? Number.NaN);
}

/** The 1 MB line: open it, time its heatmap, and a search typed while it is explained. */
async function longLineSaliency(page: Page): Promise<Record<string, number>> {
  await page.keyboard.press('Escape');
  await page.getByTestId('viewer-search').fill('payload dump');
  await page
    .getByTestId('match-count')
    .filter({ hasText: /^1 match$/ })
    .waitFor();
  const row = page.getByTestId('log-viewer').locator('.log-row[data-record]').first();
  const clickAt = Date.now();
  await row.click();
  // While its words are explained, a search answers.
  const typedAt = Date.now();
  await page.getByTestId('viewer-search').fill('storage');
  await page
    .getByTestId('match-count')
    .filter({ hasNotText: /^1 match$/ })
    .waitFor({ timeout: 60_000 });
  const searchMs = Date.now() - typedAt;
  await page.getByTestId('saliency-cut').waitFor({ timeout: 120_000 });
  const longMs = Date.now() - clickAt;
  return { saliency_1mb_ms: longMs, saliency_1mb_worker_ms: await workerMs(page), search_during_saliency_ms: searchMs };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

// BENCH_DIST: another build folder (a build kept aside while the source changes).
const DIST = resolve(ROOT, process.env.BENCH_DIST ?? 'dist');
if (!existsSync(join(DIST, 'index.html'))) {
  console.error(`bench:e2e needs the built site in ${DIST}: run \`npm run build\` first.`);
  process.exit(1);
}
const picked = process.env.BENCH_CASES?.split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const cases = CASES.filter((c) => !picked || picked.includes(c.name));
const needsData = cases.filter((c) => c.name === 'loghub-16' || c.name === 'real-mid');
const runnable = existsSync(loghubPath('HDFS')) ? cases : cases.filter((c) => !needsData.includes(c));
for (const c of cases) if (!runnable.includes(c)) console.error(`${c.name}: skipped, ${DATA} is absent`);

// BENCH_RESULT: another result name (two runs at once each write their own file).
const RESULT = process.env.BENCH_RESULT ?? 'e2e';
const resultsPath = join(ROOT, 'bench', 'results', `${RESULT}.json`);
const previous = existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as { cases?: Record<string, unknown> }) : {};
const results: Record<string, unknown> = { ...(previous.cases ?? {}) };
const dir = mkdtempSync(join(tmpdir(), 'loupe-e2e-'));
// Vite itself, not through npx: killing npx left the server running, and a later run then
// measured whatever that old server served.
const server = spawn(
  process.execPath,
  [
    join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
    'preview',
    '--port',
    String(PORT),
    '--strictPort',
    '--host',
    '127.0.0.1',
    '--outDir',
    DIST,
  ],
  { cwd: ROOT, stdio: 'ignore' },
);

try {
  await new Promise((r) => setTimeout(r, 3000));
  if (server.exitCode !== null)
    throw new Error(`vite preview did not start on port ${PORT}: is another server there? (BENCH_PORT picks another)`);
  for (const c of runnable) {
    const load = loadavg()[0];
    console.error(`${c.name}: running (load average ${load.toFixed(1)})`);
    results[c.name] = { ...(await runCase(c, dir)), load_average_at_start: Math.round(load * 10) / 10, date: new Date().toISOString() };
    // Written after each case: a long run stopped half-way keeps what it measured.
    writeResult(RESULT, { machine: machine(), lines: LINES, cases: results });
  }
} finally {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
