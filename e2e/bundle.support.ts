/** Helpers shared by the offline, bundle, privacy and sub-path specs (issue 11). */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { expect, type Download, type Page } from '@playwright/test';

export async function waitForAnalysis(page: Page, fileName: string | RegExp): Promise<void> {
  await expect(page.getByTestId('file-names')).toHaveText(fileName, { timeout: 170_000 });
  await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: 170_000 });
}

export function countIn(text: string | null): number {
  return Number((text ?? '').replace(/[^0-9.]/g, ''));
}

/** Drops files on the page the way a browser does: a DataTransfer carried by drag events. */
export async function dropFiles(page: Page, files: Array<{ name: string; bytes: Buffer | Uint8Array }>): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, data: Buffer.from(f.bytes).toString('base64') }));
  await page.evaluate((payload) => {
    const transfer = new DataTransfer();
    for (const f of payload) transfer.items.add(new File([Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0))], f.name));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      document.body.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, payload);
}

export async function downloaded(download: Download): Promise<Buffer> {
  const path = await download.path();
  return readFileSync(path!);
}

/** Opens the Save / Export menu and clicks one of its items; returns the download it starts. */
export async function exportFrom(page: Page, testId: string): Promise<Download> {
  const menu = page.getByTestId('share-menu');
  if (!(await menu.evaluate((d) => (d as HTMLDetailsElement).open))) await menu.locator('summary').click();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId(testId).click()]);
  return download;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.txt': 'text/plain',
  '.log': 'text/plain',
  '.csv': 'text/csv',
};

/**
 * A plain static server for dist/ under a sub-path, with no special headers (no COOP/COEP), as a
 * static host such as GitHub Pages serves it.
 */
export async function serveDist(subPath: string): Promise<{ server: Server; url: string }> {
  const root = resolve('dist');
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (!url.pathname.startsWith(subPath)) {
      res.writeHead(404).end('not here');
      return;
    }
    let rel = decodeURIComponent(url.pathname.slice(subPath.length));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = normalize(join(root, rel));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}${subPath}` };
}

/** Waits until the service worker controls the page (reloading once after its first install). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  if (!(await page.evaluate(() => !!navigator.serviceWorker.controller))) {
    await page.reload();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
  }
  await expect.poll(() => page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
}
