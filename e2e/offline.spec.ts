/**
 * Offline (issue 11 §1): after one visit the service worker has precached the app, the bundled
 * model and the ORT runtime, so with the network off the page reloads and analyses the demo log
 * with the model.
 */
import { expect, test } from '@playwright/test';
import { countIn, waitForAnalysis, waitForServiceWorker } from './bundle.support';

test('after one visit the app reloads and analyses the demo log with the network off', async ({ page, context }) => {
  await page.goto('/');
  await waitForServiceWorker(page);
  // Every precached file is in the cache before the network goes.
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const names = await caches.keys();
          let entries = 0;
          for (const name of names) entries += (await (await caches.open(name)).keys()).length;
          return entries;
        }),
      { timeout: 120_000 },
    )
    .toBeGreaterThan(10);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Open demo log' })).toBeVisible();
  expect(await page.evaluate(() => navigator.onLine)).toBe(false);
  await page.getByRole('button', { name: 'Open demo log' }).click();
  await waitForAnalysis(page, 'demo.log');
  await expect(page.getByTestId('line-count')).toHaveText('20,000');
  expect(countIn(await page.getByTestId('flagged-count').textContent())).toBeGreaterThan(0);
  // The bundled model ran (not the TF-IDF fallback a missing model would give).
  await expect(page.getByTestId('encoder-device')).not.toHaveText(/none/i);
  const firstScore = await page.getByTestId('log-viewer').locator('.log-row[data-record]').first().textContent();
  expect(firstScore).toBeTruthy();
  // Served by the worker, the page is cross-origin isolated (threads possible on any static host).
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await context.setOffline(false);
});
