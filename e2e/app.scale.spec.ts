/**
 * The viewer at scale: a log of a million lines (the demo log repeated) analyses, scrolls to its
 * last line, and jumps, with only a screenful of rows in the DOM. Prints the timings it measured.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';

const LINES = Number(process.env.LOUPE_SCALE_LINES ?? 1_000_000);

test('a million-line log scrolls end to end with a bounded DOM', async ({ page }) => {
  test.setTimeout(600_000);
  const demo = readFileSync('public/samples/demo.log', 'utf8').replace(/\n$/, '');
  const demoLines = demo.split('\n').length;
  const copies = Math.ceil(LINES / demoLines);
  mkdirSync('test-results', { recursive: true });
  const path = resolve('test-results', 'scale.log');
  writeFileSync(path, Array.from({ length: copies }, () => demo).join('\n') + '\n');
  const total = copies * demoLines;

  await page.goto('/');
  const started = Date.now();
  await page.getByTestId('file-picker').setInputFiles(path);
  await expect(page.getByTestId('file-names')).toHaveText('scale.log', { timeout: 590_000 });
  // Preliminary scores show first; the timing is of the model's scores.
  await expect(page.getByTestId('progress')).toHaveCount(0, { timeout: 590_000 });
  const analysedMs = Date.now() - started;
  await expect(page.getByTestId('line-count')).toHaveText(total.toLocaleString('en-US'));
  await expect(page.getByTestId('viewer-total')).toContainText(`${total.toLocaleString('en-US')} of`);

  const scroller = page.getByTestId('log-viewer').locator('.viewer-scroll');
  const scrollStarted = Date.now();
  await scroller.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  const last = page.getByTestId('log-viewer').locator('.log-row[data-record]').last();
  await expect(last).toHaveAttribute('data-record', String(total - 1));
  const scrolledMs = Date.now() - scrollStarted;
  const rendered = await page.getByTestId('log-viewer').locator('.log-row').count();
  expect(rendered).toBeLessThan(80);

  const jumpStarted = Date.now();
  await page.locator('body').press('k');
  await expect(page.getByTestId('detail-score')).toHaveClass(/flagged/);
  const jumpMs = Date.now() - jumpStarted;
  console.log(JSON.stringify({ lines: total, analysedMs, scrollToEndMs: scrolledMs, previousAnomalyMs: jumpMs, renderedRows: rendered }));
});
