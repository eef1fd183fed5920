/**
 * The explorer end to end, on the built app: getting a log in (picker and drop), every view with
 * data, the threshold driving the counts, explanations, search, a bad file, and privacy.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generateLogText } from '../src/core/generate';
import { expect, test, type Page } from '@playwright/test';

const SHARED = resolve('../shared/data');

/** A real Loghub log when the shared data is present, else a bundled generated sample. */
function realOrSampleLog(): { path: string; name: string; lines: number; real: boolean } {
  const real = resolve(SHARED, 'loghub_2k/HDFS/HDFS_2k.log');
  if (existsSync(real)) return { path: real, name: 'HDFS_2k.log', lines: 2000, real: true };
  const sample = resolve('public/samples/demo-hdfs.log');
  const lines = readFileSync(sample, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0).length;
  return { path: sample, name: 'demo-hdfs.log', lines, real: false };
}

/** A 400,000-line generated log in a temporary file (written once per run). */
function bigGeneratedLog(): string {
  const path = join(tmpdir(), 'loupe-e2e-400k.log');
  if (!existsSync(path)) writeFileSync(path, generateLogText({ seed: 77, lines: 400_000, layout: 'iso' }));
  return path;
}

/** Drops files on the page the way a browser does: a DataTransfer carried by drag events. */
async function dropFiles(page: Page, files: Array<{ name: string; bytes: Buffer }>, selector = 'body') {
  const payload = files.map((f) => ({ name: f.name, data: Array.from(f.bytes) }));
  await page.evaluate(
    ({ payload, selector }) => {
      const transfer = new DataTransfer();
      for (const f of payload) transfer.items.add(new File([new Uint8Array(f.data)], f.name));
      const target = document.querySelector(selector) ?? document.body;
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }
    },
    { payload, selector },
  );
}

/** Waits for an analysis to finish (the progress panel gone and the facts shown). */
async function waitForAnalysis(page: Page, fileName: string) {
  await expect(page.getByTestId('file-names')).toHaveText(fileName, { timeout: 170_000 });
  await expect(page.getByTestId('progress')).toHaveCount(0);
}

function countIn(text: string | null): number {
  return Number((text ?? '').replace(/[^0-9.]/g, ''));
}

test.describe.configure({ mode: 'serial' });

test('a picked log shows its layout, line count, template count and top templates', async ({ page }) => {
  const log = realOrSampleLog();
  await page.goto('/');
  await expect(page.getByText('Drop a log file anywhere, or open the demo log')).toBeVisible();
  await page.getByTestId('file-picker').setInputFiles(log.path);
  await waitForAnalysis(page, log.name);
  await expect(page.getByTestId('line-count')).toHaveText(log.lines.toLocaleString('en-US'));
  await expect(page.getByTestId('layout')).not.toHaveText('');
  const templates = countIn(await page.getByTestId('template-count').textContent());
  expect(templates).toBeGreaterThan(3);
  expect(templates).toBeLessThan(log.lines / 5);
  await page.getByRole('tab', { name: /Templates/ }).click();
  const topRows = page.getByTestId('template-table').locator('tbody tr');
  await expect(topRows.first()).toBeVisible();
  expect(await topRows.count()).toBe(Math.min(templates, 500));
  if (log.real) await expect(page.getByTestId('template-table')).toContainText('Receiving block');
});

test('a dropped log is analysed the same way', async ({ page }) => {
  const log = realOrSampleLog();
  await page.goto('/');
  await dropFiles(page, [{ name: log.name, bytes: readFileSync(log.path) }]);
  await waitForAnalysis(page, log.name);
  await expect(page.getByTestId('line-count')).toHaveText(log.lines.toLocaleString('en-US'));
  await page.getByRole('tab', { name: /Templates/ }).click();
  await expect(page.getByTestId('template-table').locator('tbody tr').first()).toBeVisible();
});

test('demo: every view has data, the threshold drives the counts, explanations and search work; privacy holds', async ({
  page,
  baseURL,
}) => {
  const offOrigin: string[] = [];
  const origin = new URL(baseURL!).origin;
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) offOrigin.push(url);
  });
  await page.goto('/');
  await page.getByRole('button', { name: 'Open demo log' }).click();
  await waitForAnalysis(page, 'demo.log');

  // Every view renders with data.
  await expect(page.getByTestId('line-count')).toHaveText('20,000');
  for (const panel of ['timeline-panel', 'histogram-panel', 'map-panel']) {
    await expect(page.getByTestId(panel).locator('svg.recharts-surface').first()).toBeVisible();
  }
  await expect(page.getByTestId('top-anomalies').locator('li').first()).toBeVisible();
  await page.getByRole('tab', { name: /Templates/ }).click();
  await expect(page.getByTestId('template-table').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('log-viewer').locator('.log-row[data-record]').first()).toBeVisible();
  await expect(page.getByTestId('evaluation')).toContainText('ROC-AUC');
  await expect(page.getByTestId('viewer-total')).toContainText('20,000 of 20,000');

  // Moving the threshold changes every count. Start from a threshold typed in as shown (the
  // automatic one has more digits than the input displays).
  const threshold = Number(await page.getByTestId('threshold-input').inputValue());
  // Cleared first: typing the value it already shows would be no change to the input.
  await page.getByTestId('threshold-input').fill('');
  await page.getByTestId('threshold-input').fill(String(threshold));
  await page.getByTestId('threshold-input').press('Enter');
  await expect(page.getByTestId('threshold-input')).toHaveValue(String(threshold));
  await page.waitForTimeout(200);
  const flaggedBefore = countIn(await page.getByTestId('flagged-count').textContent());
  const precisionBefore = await page.getByTestId('evaluation').textContent();
  await page.getByTestId('share-input').fill('20');
  await page.getByTestId('share-input').press('Enter');
  await expect.poll(async () => countIn(await page.getByTestId('flagged-count').textContent())).toBeGreaterThan(flaggedBefore);
  expect(Number(await page.getByTestId('threshold-input').inputValue())).toBeLessThan(threshold);
  await expect.poll(async () => page.getByTestId('evaluation').textContent()).not.toBe(precisionBefore);
  await page.getByTestId('threshold-input').fill(String(threshold));
  await page.getByTestId('threshold-input').press('Enter');
  await expect.poll(async () => countIn(await page.getByTestId('flagged-count').textContent())).toBe(flaggedBefore);

  // The top anomaly (highest-scored template) explains itself word by word.
  await page.getByTestId('template-table').locator('tbody tr').first().click();
  const heat = page.getByTestId('saliency').locator('.heat-word');
  await expect(heat.first()).toBeVisible();
  expect(await heat.count()).toBeGreaterThan(2);
  await expect(heat.first().locator('small')).toHaveText(/^[+−±]\d+(\.\d+)?$/);
  await expect(page.getByTestId('log-viewer').locator('.log-row.selected')).toBeVisible();

  // j walks to an anomaly and selects it.
  await page.locator('body').press('j');
  await expect(page.getByTestId('detail-score')).toHaveClass(/flagged/);

  // Search narrows the viewer to matching lines.
  await page.getByTestId('viewer-search').fill('refused');
  await expect.poll(async () => countIn((await page.getByTestId('viewer-total').textContent())!.split(' of ')[0])).toBeLessThan(20_000);
  const rows = page.getByTestId('log-viewer').locator('.log-row[data-record] .msg');
  await expect(rows.first()).toContainText('refused');
  for (const text of await rows.allTextContents()) expect(text.toLowerCase()).toContain('refused');

  expect(offOrigin).toEqual([]);
});

test('a binary file gives a clear error and the previous analysis stays', async ({ page }) => {
  const log = realOrSampleLog();
  await page.goto('/');
  await page.getByTestId('file-picker').setInputFiles(log.path);
  await waitForAnalysis(page, log.name);
  const templatesBefore = await page.getByTestId('template-count').textContent();
  const binary = Buffer.alloc(64 * 1024);
  for (let i = 0; i < binary.length; i++) binary[i] = (i * 2654435761) >>> 24;
  await dropFiles(page, [{ name: 'core.dump', bytes: binary }]);
  await expect(page.getByTestId('error-banner')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('error-banner')).toContainText(/binary|text/i);
  await expect(page.getByTestId('file-names')).toHaveText(log.name);
  await expect(page.getByTestId('template-count')).toHaveText(templatesBefore!);
  await expect(page.getByTestId('log-viewer').locator('.log-row[data-record]').first()).toBeVisible();
  await page.getByRole('button', { name: 'Dismiss error' }).click();
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
});

test('progress shows per stage, Cancel leaves the previous analysis usable', async ({ page }) => {
  const log = realOrSampleLog();
  await page.goto('/');
  await page.getByTestId('file-picker').setInputFiles(log.path);
  await waitForAnalysis(page, log.name);
  // Large enough that Cancel lands while it is still being read, whatever the machine's speed.
  await page.getByTestId('file-picker').setInputFiles(bigGeneratedLog());
  const progress = page.getByTestId('progress');
  await expect(progress).toBeVisible();
  await expect(progress).toContainText('read');
  await expect(progress).toContainText('embed');
  await progress.getByRole('button', { name: 'Cancel' }).click();
  await expect(progress).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByTestId('error-banner')).toHaveCount(0);
  await expect(page.getByText(/cancelled/)).toBeVisible();
  await expect(page.getByTestId('file-names')).toHaveText(log.name);
  await expect(page.getByTestId('line-count')).toHaveText(log.lines.toLocaleString('en-US'));
  // The worker still answers for the previous analysis.
  await page.getByTestId('viewer-search').fill('block');
  await expect(page.getByTestId('log-viewer').locator('.log-row[data-record] .msg').first()).toContainText(/block/i);
});

test('a reference log marks what is new; analyst labels go into the export', async ({ page }) => {
  const lines = readFileSync('public/samples/demo.log', 'utf8').split('\n');
  const reference = Buffer.from(lines.slice(0, 8000).join('\n'));
  const target = Buffer.from(lines.slice(8000).join('\n'));
  await page.goto('/');
  await page.getByTestId('reference-picker').setInputFiles({ name: 'monday.log', mimeType: 'text/plain', buffer: reference });
  await expect(page.getByText(/Reference ready: monday.log/)).toBeVisible();
  await page.getByTestId('file-picker').setInputFiles({ name: 'tuesday.log', mimeType: 'text/plain', buffer: target });
  await waitForAnalysis(page, 'tuesday.log');
  await expect(page.getByTestId('facts')).toContainText('vs reference monday.log');
  await page.getByRole('tab', { name: /Templates/ }).click();
  await expect(page.getByTestId('template-table').locator('th', { hasText: 'New' })).toBeVisible();

  await page.getByTestId('log-viewer').locator('.log-row[data-record]').nth(3).click();
  await page.getByTestId('detail-panel').getByTestId('label-anomaly').click();
  await expect(page.getByTestId('detail-panel').getByTestId('label-anomaly')).toHaveAttribute('aria-pressed', 'true');
  // The label travels in the analysis bundle (gzip: a header line, its length, then JSON).
  await page.getByTestId('share-menu').locator('summary').click();
  const download = page.waitForEvent('download');
  await page.getByTestId('export-bundle').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('tuesday.loupe.gz');
  const inner = gunzipSync(readFileSync((await file.path())!));
  const header = JSON.parse(inner.subarray(17, 17 + inner.readUInt32LE(13)).toString('utf8'));
  expect(header.labels).toEqual([expect.objectContaining({ target: 'line', file: 'tuesday.log', line: expect.any(Number), verdict: 1 })]);
  // Labels survive a reload (IndexedDB, keyed by the file's content): the same file shows it again.
  await page.reload();
  await page.getByTestId('file-picker').setInputFiles({ name: 'tuesday.log', mimeType: 'text/plain', buffer: target });
  await waitForAnalysis(page, 'tuesday.log');
  await expect(page.getByTestId('log-viewer').getByTestId('verdict-mark').first()).toBeVisible();
});

test('settings: a new scoring unit re-scores without re-analysing and persists', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open demo log' }).click();
  await waitForAnalysis(page, 'demo.log');
  await page.getByRole('button', { name: 'Settings' }).click();
  const drawer = page.getByRole('dialog', { name: 'Settings' });
  await drawer.getByRole('radio', { name: 'Template' }).check();
  await expect(drawer.getByTestId('settings-effect')).toContainText('Re-scores from the cached vectors');
  await drawer.getByLabel('Layout override').fill('<Content>');
  await expect(drawer.getByTestId('settings-effect')).toContainText('full re-analysis');
  await drawer.getByLabel('Layout override').fill('');
  await drawer.getByRole('button', { name: 'Re-score' }).click();
  await expect(page.getByTestId('units-above')).toContainText('templates', { timeout: 60_000 });
  await expect(page.getByTestId('progress')).toHaveCount(0);
  await expect(page.getByTestId('evaluation')).toContainText(/template|No ground truth/);
  await page.reload();
  expect(await page.evaluate(() => JSON.parse(localStorage.getItem('loupe.settings.v1') ?? '{}').unit)).toBe('template');
});
