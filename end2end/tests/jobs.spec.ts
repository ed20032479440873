import { expect, test } from '@playwright/test';
import { createUser, hydrated, signIn } from './helpers';

// "Zadania w tle": a manager (on a tablet, too) sees what the servers do in the
// background, with the standing jobs every installation has, and filters by state.
test('a manager sees the background jobs and filters them by state', async ({ page }) => {
  const manager = await createUser(page, 'job', 'manager', 'Jolanta Zadaniowa');
  await signIn(page, manager.login, manager.password);
  await page.getByRole('link', { name: 'Część menedżerska' }).click();
  await page.getByRole('link', { name: 'Zadania w tle' }).click();
  await expect(page.getByRole('heading', { name: 'Zadania w tle', exact: true })).toBeVisible();
  await hydrated(page);
  await expect(page.getByTestId('job-counts')).toContainText('W toku');
  const jobs = page.getByTestId('jobs');
  // Queued by the server at start: retention every ten minutes, hourly clean-ups.
  await expect(jobs.getByRole('link', { name: 'Okresy przechowywania' })).toBeVisible();
  await expect(jobs.getByText('Porządki (usuwanie starych plików i wpisów)')).toBeVisible();

  await page.getByRole('link', { name: 'Oczekuje' }).click();
  await expect(page).toHaveURL(/\/menedzer\/zadania\?stan=waiting$/);
  await expect(page.locator('[data-testid="job-row"][data-status="waiting"]').first()).toBeVisible();
  await expect(page.locator('[data-testid="job-row"]:not([data-status="waiting"])')).toHaveCount(0);
  await page.getByRole('link', { name: 'Nieudane' }).click();
  await expect(page).toHaveURL(/stan=failed$/);
  await expect(page.locator('[data-testid="job-row"]:not([data-status="failed"])')).toHaveCount(0);
  await expect(page.getByTestId('job-counts')).toBeVisible();
});
