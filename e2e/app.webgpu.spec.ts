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
  const used = (await page.getByTestId('encoder-device').textContent()) ?? '';
  // The analyst's export lists the scored lines, most anomalous first.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export' }).click();
  const bundle = JSON.parse(readFileSync(await (await download).path(), 'utf8')) as { units: Array<{ id: string; score: number }> };
  await context.close();
  const top = bundle.units.slice(0, 5).map((u) => u.id);
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
