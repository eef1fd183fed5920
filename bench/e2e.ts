/**
 * `npm run bench:e2e`: the built app in headless Chromium (WASM encoder) on a generated
 * 1,000,000-line log, as an analyst would use it: pick the file, wait for scores, click a line.
 *   first_scores_s   file picked → the score histogram shows scores
 *   full_s           file picked → the analysis is complete (no progress bar)
 *   peak_heap_mb     largest JS heap + ArrayBuffer memory seen (page and workers), sampled every 100 ms
 *   longest_main_thread_task_ms   longest task on the page's main thread (Long Tasks API)
 *   saliency_ms      click a 40-token line → its saliency heatmap drawn
 * Prints JSON and writes bench/results/e2e.json. Needs `npm run build` first.
 */
import { createWriteStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type CDPSession } from '@playwright/test';
import { generateLog } from '../src/core/generate';
import { chromiumArgs } from '../playwright.config';
import { machine, writeResult } from './machine';

const ROOT = resolve(import.meta.dirname, '..');
const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const PORT = 4175;

async function writeLog(path: string): Promise<void> {
  const out = createWriteStream(path);
  let buffer: string[] = [];
  for (const line of generateLog({ seed: 2024, lines: LINES, layout: 'iso' })) {
    buffer.push(line.text);
    if (buffer.length === 10_000) {
      if (!out.write(buffer.join('\n') + '\n')) await once(out, 'drain');
      buffer = [];
    }
  }
  out.end(buffer.join('\n') + '\n');
  await once(out, 'finish');
}

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

if (!existsSync(join(ROOT, 'dist', 'index.html'))) {
  console.error('bench:e2e needs the built site: run `npm run build` first.');
  process.exit(1);
}
const dir = mkdtempSync(join(tmpdir(), 'loupe-e2e-'));
const logPath = join(dir, 'generated-1m.log');
await writeLog(logPath);
const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], { cwd: ROOT, stdio: 'ignore' });
try {
  await new Promise((r) => setTimeout(r, 3000));
  const executablePath = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
  const browser = await chromium.launch({ executablePath, args: [...chromiumArgs, '--enable-precise-memory-info'] });
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.addInitScript(() => {
    const w = window as unknown as { __longestTask: number };
    w.__longestTask = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longestTask = Math.max(w.__longestTask, e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
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

  const started = Date.now();
  await page.getByTestId('file-picker').setInputFiles(logPath);
  // Long tasks until now are page load and Playwright copying the file into the page (a real
  // drop hands over a file reference), not the app's.
  await page.evaluate(() => { (window as unknown as { __longestTask: number }).__longestTask = 0; });
  await page.getByTestId('histogram-panel').locator('svg.recharts-surface').first().waitFor({ timeout: 600_000 });
  const firstScores = (Date.now() - started) / 1000;
  await page.getByTestId('progress').waitFor({ state: 'detached', timeout: 600_000 });
  await page.getByTestId('line-count').waitFor();
  const full = (Date.now() - started) / 1000;
  const lineCount = await page.getByTestId('line-count').textContent();

  // A 40-token line: search for a long request line and open it.
  await page.getByTestId('viewer-search').fill('charge of');
  const row = page.getByTestId('log-viewer').locator('.log-row[data-record]').first();
  await row.waitFor();
  const clickAt = Date.now();
  await row.click();
  await page.getByTestId('saliency').locator('.heat-word').first().waitFor({ timeout: 120_000 });
  const saliencyMs = Date.now() - clickAt;
  const words = await page.getByTestId('saliency').locator('.heat-word').count();

  sampling = false;
  await sampler;
  const longest = await page.evaluate(() => (window as unknown as { __longestTask: number }).__longestTask);
  const device = await page.getByTestId('encoder-device').textContent().catch(() => null);
  await browser.close();
  writeResult('e2e', {
    machine: machine(), lines: LINES, line_count_shown: lineCount, encoder_device: device,
    first_scores_s: Math.round(firstScores * 10) / 10, full_s: Math.round(full * 10) / 10,
    peak_heap_mb: Math.round(peak), longest_main_thread_task_ms: Math.round(longest),
    saliency_ms: saliencyMs, saliency_words: words,
  });
} finally {
  server.kill();
  rmSync(dir, { recursive: true, force: true });
}
