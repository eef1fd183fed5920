/**
 * Deployment (issue 11 §5): the built site works from a sub-path of a plain static server that
 * sends no special headers (as GitHub Pages or any static host), analysing the demo log; once the
 * service worker serves the page, the page is cross-origin isolated there too (WASM threads).
 */
import { expect, test } from '@playwright/test';
import { countIn, serveDist, waitForAnalysis, waitForServiceWorker } from './bundle.support';

test('dist/ served from /tools/loupe/ by a plain static server analyses the demo log', async ({ page }) => {
  const { server, url } = await serveDist('/tools/loupe/');
  try {
    const failed: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(url);
    await page.getByRole('button', { name: 'Open demo log' }).click();
    await waitForAnalysis(page, 'demo.log');
    await expect(page.getByTestId('line-count')).toHaveText('20,000');
    expect(countIn(await page.getByTestId('flagged-count').textContent())).toBeGreaterThan(0);
    await expect(page.getByTestId('encoder-device')).not.toHaveText(/none/i);
    expect(failed).toEqual([]);
    // Without headers the first load is not isolated; served by the worker, the next one is.
    await waitForServiceWorker(page);
    await page.reload();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${url}serviceWorker.js`);
  } finally {
    server.close();
  }
});
