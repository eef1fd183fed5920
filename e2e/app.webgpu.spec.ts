/**
 * The explorer on the WebGPU path (SwiftShader, --enable-unsafe-webgpu) against WASM, on a tiny
 * log: the device in use is the one asked for, and both rank the same lines at the top.
 * SwiftShader emulates the GPU on the CPU (tens of times slower than WASM): tiny input, forest
 * detector (vectors only), correctness not speed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chromium, expect, test, type Browser } from '@playwright/test';
import { chromiumArgs } from '../playwright.config';
import { generateLogText } from '../src/core/generate';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const BASE = 'http://127.0.0.1:4173/';
const LOG = generateLogText({ seed: 5, lines: 240, layout: 'iso', anomalyRate: 0.05 });

async function topLines(browser: Browser, device: 'webgpu' | 'wasm'): Promise<{ device: string; top: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.addInitScript((device) => {
    localStorage.setItem('loupe.settings.v1', JSON.stringify({ device, detector: 'forest', unit: 'line' }));
  }, device);
  await page.goto(BASE);
  await page.getByTestId('file-picker').setInputFiles({ name: 'tiny.log', mimeType: 'text/plain', buffer: Buffer.from(LOG) });
  await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: 170_000 });
  await expect(page.getByTestId('line-count')).toHaveText('240');
  // Preliminary (TF-IDF) results come first; the model's follow.
  await expect(page.getByTestId('encoder-device'), {
    // Why the model was not used, when it was not: the header's tooltip carries the reason.
    message: `encoder: ${await page
      .locator('.fact[title*="thread"]')
      .last()
      .getAttribute('title')
      .catch(() => '?')}`,
  }).not.toHaveText(/none/i, { timeout: 170_000 });
  const used = (await page.getByTestId('encoder-device').textContent()) ?? '';
  // The analyst's CSV of scored lines (Save / Export menu): line number and score of every line.
  await page.getByTestId('share-menu').locator('summary').click();
  const download = page.waitForEvent('download');
  await page.getByTestId('export-csv-lines').click();
  const rows = readFileSync((await (await download).path())!, 'utf8')
    .trim()
    .split('\r\n')
    .slice(1)
    .map((r) => r.split(','));
  await context.close();
  // Columns: file, line, time, level, score, ...; most anomalous first, ties by line.
  const scored = rows
    .map((r) => ({ line: r[1], score: Number(r[4]) }))
    .sort((a, b) => b.score - a.score || Number(a.line) - Number(b.line));
  const top = scored.slice(0, 5).map((u) => u.line);
  return { device: used, top };
}

test('WebGPU (SwiftShader) ranks the same top lines as WASM', async () => {
  test.setTimeout(360_000);
  const executablePath = existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined;
  const browser = await chromium.launch({ executablePath, args: [...chromiumArgs, '--enable-unsafe-webgpu'] });
  try {
    const wasm = await topLines(browser, 'wasm');
    const webgpu = await topLines(browser, 'webgpu');
    expect(wasm.device).toMatch(/wasm/i);
    test.skip(!/webgpu/i.test(webgpu.device), `no WebGPU adapter in this Chromium (device: ${webgpu.device})`);
    expect(webgpu.top.length).toBe(5);
    expect(webgpu.top).toEqual(wasm.top);
  } finally {
    await browser.close();
  }
});
