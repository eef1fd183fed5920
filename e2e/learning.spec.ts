/**
 * Issue 12 end to end, on the built app: the analyst labels a line from the detail panel (the
 * Normal button), then one from the "Label next" list (select it, key a); once both classes are
 * labelled the head is trained in the worker, the panel says what it learned from, and the
 * ranking every view reads changes (Top anomalies, the detail panel's blended score).
 */
import { expect, test, type Page } from '@playwright/test';
import { generateLogText } from '../src/core/generate';
import { downloaded, dropFiles, exportFrom, waitForAnalysis } from './bundle.support';

const LOG = generateLogText({ seed: 11, lines: 2000, layout: 'iso' });

async function topTexts(page: Page): Promise<string[]> {
  await page.getByRole('tab', { name: /^Top anomalies/ }).click();
  const items = page.getByTestId('top-anomalies').locator('li');
  await expect(items.first()).toBeVisible();
  return items.evaluateAll((els) => els.slice(0, 20).map((e) => e.getAttribute('title') ?? ''));
}

test('labels from the detail panel and from Label next train the head and change the ranking; a bundle keeps the head', async ({
  page,
  browser,
}) => {
  await page.goto('/');
  await page.getByTestId('file-picker').setInputFiles({ name: 'app.log', mimeType: 'text/plain', buffer: Buffer.from(LOG) });
  await waitForAnalysis(page, 'app.log');
  const before = await topTexts(page);

  // No labels yet: the list offers the top unsupervised anomalies; the slider waits for a head.
  await page.getByRole('tab', { name: 'Label next' }).click();
  await expect(page.getByTestId('label-next-item').first()).toBeVisible();
  expect(await page.getByTestId('label-next-item').count()).toBeLessThanOrEqual(10);
  await expect(page.getByTestId('blend-weight')).toBeDisabled();

  // 1. From the detail panel: the top anomaly is called normal (a false alarm).
  await page.getByRole('tab', { name: /^Top anomalies/ }).click();
  await page.getByTestId('top-anomalies').locator('li').first().click();
  await expect(page.getByTestId('detail-panel')).toBeVisible();
  await page.getByTestId('detail-panel').getByTestId('label-normal').click();
  await expect(page.getByTestId('detail-panel').getByTestId('label-normal')).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('tab', { name: 'Label next' }).click();
  await expect(page.getByTestId('learning-summary')).toContainText('No head yet', { timeout: 30_000 });

  // 2. From the Label next list: select a suggestion, then key a (anomaly).
  const item = page.getByTestId('label-next-item').last();
  const record = await item.getAttribute('data-record');
  await item.click();
  await expect(page.getByTestId('detail-panel')).toBeVisible();
  await expect(page.getByTestId('label-next-item').and(page.locator(`[data-record="${record}"]`))).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('a');
  await expect(page.getByTestId('detail-panel').getByTestId('label-anomaly')).toHaveAttribute('aria-pressed', 'true');

  // The head exists: the panel says what it learned from and how far the ranking moved.
  await expect(page.getByTestId('learning-summary')).toContainText(
    /Learned from 1 anomalous and \d+ normal lines .* moved into the top 50/,
    {
      timeout: 30_000,
    },
  );
  await expect(page.getByTestId('blend-weight')).toBeEnabled();
  await expect(page.getByTestId('learned-scores')).toContainText(/blended .* learned .* unsupervised/);
  const after = await topTexts(page);
  expect(after).not.toEqual(before);

  // The head travels in the bundle: another browser shows the same blended ranking and what it learned from.
  await page.getByRole('tab', { name: 'Label next' }).click();
  const learnedText = await page.getByTestId('learning-summary').textContent();
  const bundle = await downloaded(await exportFrom(page, 'export-bundle'));
  await page.getByTestId('share-menu').locator('summary').click(); // closes the menu over the tabs
  const other = await (await browser.newContext()).newPage();
  await other.goto('/');
  await dropFiles(other, [{ name: 'app.loupe.gz', bytes: bundle }]);
  await waitForAnalysis(other, 'app.log');
  await expect(other.getByTestId('sharing-message')).toContainText('Opened the bundle');
  expect(await topTexts(other)).toEqual(after);
  await other.getByRole('tab', { name: 'Label next' }).click();
  await expect(other.getByTestId('learning-summary')).toHaveText(learnedText ?? '', { timeout: 30_000 });
  await expect(other.getByTestId('blend-weight')).toBeEnabled();
  await other.context().close();

  // The slider overrides the weight: at 0 the unsupervised order comes back.
  await page.getByRole('tab', { name: 'Label next' }).click();
  await page.getByTestId('blend-weight').fill('0');
  await expect(page.getByTestId('learning-summary')).toContainText(/set by you\): 0 lines moved/, { timeout: 30_000 });
  expect(await topTexts(page)).toEqual(before);
});

test('retraining time for 10k lines in Chromium (a benchmark figure)', async ({ page }) => {
  const log = generateLogText({ seed: 12, lines: 10_000, layout: 'iso' });
  await page.goto('/');
  await page.getByTestId('file-picker').setInputFiles({ name: 'big.log', mimeType: 'text/plain', buffer: Buffer.from(log) });
  await waitForAnalysis(page, 'big.log');
  await page.getByRole('tab', { name: 'Label next' }).click();
  const items = page.getByTestId('label-next-item');
  const summary = page.getByTestId('learning-summary');
  const label = async (k: number, key: 'a' | 'x') => {
    const item = items.nth(k);
    const record = Number(await item.getAttribute('data-record'));
    await item.click();
    // The key goes to the selected line: wait until the detail panel shows this one (one file: line = record + 1).
    await expect(page.getByTestId('detail-panel').locator('.panel-title')).toHaveText(`Line ${(record + 1).toLocaleString('en-US')}`);
    await page.keyboard.press(key);
  };
  await label(0, 'x');
  await expect(summary).toContainText('No head yet', { timeout: 60_000 });
  await label((await items.count()) - 1, 'a');
  await expect(summary).toContainText('Learned from', { timeout: 60_000 });
  // Each further label is one retraining on features prepared once (the first training prepared them).
  const times: number[] = [];
  // Anomaly labels: each adds one to the count the summary shows, so each retraining is seen.
  for (const key of ['a', 'a', 'a', 'a'] as const) {
    const before = await summary.textContent();
    await label(1, key);
    await expect(summary).not.toHaveText(before ?? '', { timeout: 60_000 });
    times.push(Number(await summary.getAttribute('data-train-ms')));
  }
  console.log(`retraining 10k lines in Chromium: ${times.join(', ')} ms`);
  expect(times.every((t) => Number.isFinite(t) && t > 0)).toBe(true);
});
