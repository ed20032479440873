import { expect, test } from '@playwright/test';
import { createUser, hydrated, signIn } from './helpers';

// Art. 15 and 20: from the card's "⋮" menu, a consultant downloads the person's copy.
test('a consultant downloads a person’s own data as one ZIP from the card', async ({ page }) => {
  const consultant = await createUser(page, 'dane', 'consultant', 'Dorota Dostępowa');
  const last = `Dostępny${Date.now() % 100000}`;

  await signIn(page, consultant.login, consultant.password);
  await page.goto('/kontakty/nowy');
  await hydrated(page);
  await page.getByLabel('Imię', { exact: true }).fill('Zofia');
  await page.getByLabel('Nazwisko', { exact: true }).fill(last);
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page).toHaveURL(/\/kontakty\/\d+$/);
  const contactId = page.url().split('/').pop()!;
  await hydrated(page);

  // The person asks for a copy during the call: recorded with its deadline.
  await page.getByTestId('tab-activities').click();
  const requests = page.getByTestId('access-requests');
  await requests.getByRole('button', { name: 'Zarejestruj żądanie kopii danych (art. 15)' }).click();
  const request = requests.locator('[data-testid="access-request"][data-kind="access"]');
  await expect(request).toHaveAttribute('data-open', 'true');
  await expect(request).toContainText('oczekuje');
  await page.getByTestId('tab-data').click();

  await page.getByTestId('more-menu').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('menuitem', { name: 'Eksport danych osoby' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`dane-osoby-${contactId}.zip`);
  const path = await download.path();
  const fs = await import('node:fs');
  const bytes = fs.readFileSync(path!);
  // A ZIP ("PK") whose directory names both files.
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  const listing = bytes.toString('latin1');
  expect(listing).toContain(`dane-osoby-${contactId}.html`);
  expect(listing).toContain(`dane-osoby-${contactId}.json`);

  // The copy is among the person's activities.
  await page.reload();
  await hydrated(page);
  await page.getByTestId('tab-activities').click();
  await expect(page.getByTestId('activities')).toContainText('Wydano kopię danych osoby');
  // The copy answered the request.
  await expect(request).toHaveAttribute('data-open', 'false');
  await expect(request).toContainText('wydano');
});
