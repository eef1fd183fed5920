/**
 * The encoder in the browser (harness page, encoder worker): WASM and WebGPU (SwiftShader) give
 * the same vectors and surprise as onnxruntime-node, and a missing WebGPU is recorded as the
 * fallback reason. The harness is not part of the app's build: harness/serve.ts builds and serves it.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import { chromiumArgs } from '../playwright.config';
import { createEncoder } from '../src/core/embed/createEncoder';
import { modelFolderAsBase64 } from '../src/core/embed/modelFolderNode';
import { serveHarness } from '../harness/serve';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
const TINY = resolve(import.meta.dirname, '../tests/fixtures/tiny-bert');
const TEXTS = [
  'Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106',
  'session opened for user root',
  'instruction cache parity error corrected',
];

interface BrowserRun {
  info: { device: string; fallbackReason?: string; threads: number; vectorsWithoutHead?: boolean; surpriseHeadGathered?: boolean };
  vectors: number[];
  surpriseMeans: number[];
}

let harness: { url: string; close(): Promise<void> };

async function runInPage(page: Page, device: string, extra: Record<string, unknown> = {}): Promise<BrowserRun> {
  await page.goto(harness.url);
  await page.waitForFunction(() => 'loupeHarness' in window);
  const params = { device, texts: TEXTS, surprise: true, modelFiles: modelFolderAsBase64(TINY), ...extra };
  return page.evaluate(
    (p) => (window as unknown as { loupeHarness: { run(p: unknown): Promise<BrowserRun> } }).loupeHarness.run(p),
    params,
  );
}

let node: { vectors: Float32Array; means: number[] };
test.beforeAll(async () => {
  test.setTimeout(180_000);
  harness = await serveHarness();
  const encoder = await createEncoder({ kind: 'local', files: TINY }, 'cpu');
  node = { vectors: await encoder.embed(TEXTS), means: (await encoder.surprise(TEXTS)).map((r) => r.mean) };
  await encoder.dispose();
});
test.afterAll(() => harness?.close());

function expectMatchesNode(run: BrowserRun): void {
  expect(run.vectors).toHaveLength(node.vectors.length);
  run.vectors.forEach((value, i) => expect(Math.abs(value - node.vectors[i])).toBeLessThan(1e-3));
  run.surpriseMeans.forEach((value, i) => expect(Math.abs(value - node.means[i])).toBeLessThan(1e-3));
}

test.describe('encoder without WebGPU', () => {
  test('WASM matches onnxruntime-node within 1e-3', async ({ page }) => {
    const run = await runInPage(page, 'wasm');
    expect(run.info.device).toBe('wasm');
    // Vectors run on the graph cut without the masked-LM head, surprise on the one with the head only at masked positions.
    expect(run.info.vectorsWithoutHead).toBe(true);
    expect(run.info.surpriseHeadGathered).toBe(true);
    expectMatchesNode(run);
  });

  test("'auto' falls back to WASM and records why", async ({ page }) => {
    const run = await runInPage(page, 'auto');
    expect(run.info.device).toBe('wasm');
    expect(run.info.fallbackReason).toMatch(/WebGPU/);
    expectMatchesNode(run);
  });
});

test.describe('vector cache in IndexedDB', () => {
  test('keeps the most recently used entries under its cap, across reopening, until cleared', async ({ page }) => {
    await page.goto(harness.url);
    await page.waitForFunction(() => 'loupeHarness' in window);
    const result = await page.evaluate(() =>
      (window as unknown as { loupeHarness: { cacheCheck(): Promise<unknown> } }).loupeHarness.cacheCheck(),
    );
    // 7 entries over a cap of 5 go down to 4: 'a' was read after b-e were written, so b, c, d go.
    expect(result).toEqual({ kept: ['a', 'e', 'f', 'g'], afterReopen: 4, afterClear: 0 });
  });
});

test.describe('encoder on WebGPU (SwiftShader)', () => {
  test('WebGPU matches onnxruntime-node within 1e-3, or records why it fell back', async () => {
    test.setTimeout(300_000);
    // WebGPU needs its own launch flag; a browser of its own keeps the other tests on plain flags.
    const browser = await chromium.launch({
      executablePath: existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined,
      args: [...chromiumArgs, '--enable-unsafe-webgpu'],
    });
    try {
      const page = await browser.newPage();
      const run = await runInPage(page, 'webgpu', { tokenBudget: 64 });
      if (run.info.device === 'webgpu') expect(run.info.fallbackReason).toBeUndefined();
      else expect(run.info.fallbackReason).toBeTruthy();
      expectMatchesNode(run);
      console.log(`WebGPU run: device=${run.info.device} fallback=${run.info.fallbackReason ?? 'none'}`);
    } finally {
      await browser.close();
    }
  });
});
