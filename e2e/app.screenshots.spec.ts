/** Screenshots of the main views for docs/screenshots: 1366x768 light, and dark. */
import { expect, test, type Page } from '@playwright/test';

async function waitForAnalysis(page: Page, fileName: string) {
  await expect(page.getByTestId('file-names')).toHaveText(fileName, { timeout: 170_000 });
  await expect(page.getByTestId('progress')).toHaveCount(0);
}

test('screenshots of the explorer, light and dark', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await expect(page.getByText('Drop a log file anywhere')).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/empty-light.png' });

  await page.getByRole('button', { name: 'Open demo log' }).click();
  await expect(page.getByTestId('progress').locator('.stage.active .stage-count')).toContainText(/[1-9]/);
  await page.screenshot({ path: 'docs/screenshots/progress-light.png' });
  await waitForAnalysis(page, 'demo.log');
  await page.getByRole('tab', { name: /Templates/ }).click();
  await page.getByTestId('template-table').locator('tbody tr').first().click();
  await expect(page.getByTestId('saliency').locator('.heat-word').first()).toBeVisible();
  await page.waitForTimeout(500);
  await page.screenshot({ path: 'docs/screenshots/explorer-light.png' });

  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
  await page.screenshot({ path: 'docs/screenshots/settings-light.png' });
  await page.getByRole('button', { name: 'Close settings' }).click();

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(300);
  await page.screenshot({ path: 'docs/screenshots/explorer-dark.png' });

  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.waitForTimeout(500);
  await page.screenshot({ path: 'docs/screenshots/explorer-dark-1920.png' });
});
