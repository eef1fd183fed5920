/**
 * Privacy, tested (issue 11 §6): every request the page and its workers make during a full
 * analysis, a word saliency, the exports (bundle, CSV, report) and an import goes to the app's
 * own origin, is a GET of one of the app's files, and carries no log content. Requests Chromium
 * makes for itself (not initiated by the page or its workers) are recorded and listed apart.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Request } from '@playwright/test';
import { downloaded, dropFiles, exportFrom, waitForAnalysis } from './bundle.support';

/** Where the app's own files live: anything else the page asks for is a finding. */
const APP_FILES =
  /^\/((index\.html)?|assets\/[\w.-]+|ort\/[\w.-]+|models\/loupe-log-bert\/[\w./-]+|samples\/demo\.(log|labels\.csv)|favicon\.svg|registerSW\.js|serviceWorker\.js)$/;

test('no request leaves the origin or carries log content through analysis, saliency, exports and import', async ({
  page,
  context,
  baseURL,
}) => {
  const origin = new URL(baseURL!).origin;
  const seen: Array<{ url: string; method: string; body: string | null; frame: boolean }> = [];
  const fromPage = (r: Request): boolean => {
    try {
      return !!r.frame();
    } catch {
      return false; // a worker's request (the analysis worker, the service worker)
    }
  };
  const record = (r: Request) => seen.push({ url: r.url(), method: r.method(), body: r.postData(), frame: fromPage(r) });
  context.on('request', record);

  await page.goto('/');
  await page.getByRole('button', { name: 'Open demo log' }).click();
  await waitForAnalysis(page, 'demo.log');
  // A word saliency: the encoder runs on the line's variants.
  await page.locator('body').press('j');
  await expect(page.getByTestId('saliency').locator('.heat-word').first()).toBeVisible({ timeout: 120_000 });
  // Exports and an import.
  await page.getByTestId('share-menu').locator('summary').click();
  await page.getByTestId('share-with-lines').check();
  const bundle = await downloaded(await exportFrom(page, 'export-bundle'));
  await downloaded(await exportFrom(page, 'export-csv-lines'));
  await downloaded(await exportFrom(page, 'export-report'));
  await dropFiles(page, [{ name: 'demo.loupe.gz', bytes: bundle }]);
  await expect(page.getByTestId('sharing-message')).toContainText('Opened the bundle');

  const demoLines = readFileSync('public/samples/demo.log', 'utf8').split('\n').filter(Boolean);
  // Distinctive pieces of the log: the message part of a sample of lines.
  const pieces = demoLines
    .filter((_, i) => i % 997 === 0)
    .map((l) => l.slice(Math.floor(l.length / 2)).trim())
    .filter((p) => p.length > 12);
  const ours = seen.filter((r) => !r.url.startsWith('data:') && !r.url.startsWith('blob:'));
  const offOrigin = ours.filter((r) => new URL(r.url).origin !== origin);
  console.log(
    `${seen.length} requests recorded (${seen.filter((r) => !r.frame).length} from workers), ${ours.length} to URLs; off the origin: ${offOrigin.length}`,
  );
  expect(offOrigin.map((r) => r.url)).toEqual([]);
  for (const r of ours) {
    expect(r.method, r.url).toBe('GET');
    expect(r.body, r.url).toBeNull();
    const path = new URL(r.url).pathname;
    expect(path, r.url).toMatch(APP_FILES);
    for (const piece of pieces) expect(decodeURIComponent(r.url)).not.toContain(piece);
  }
  // The built page forbids other origins by default (meta CSP), a Hub model being the one exception.
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("default-src 'self'");
  expect(csp).toMatch(/connect-src 'self'[^;]*huggingface/);
});
