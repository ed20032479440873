import { expect, test } from '@playwright/test';
import { createUser, hydrated, signIn } from './helpers';

// "Raporty": a manager builds a report from card reads per user, sees its chart drawn by
// the server, saves it by name and runs it again from the saved list.
test('a manager builds a report, sees its chart, saves it and runs it again', async ({ page }) => {
  const digits = `${Date.now() % 100000}`;
  const manager = await createUser(page, 'rap', 'manager', `Rafał Raportujący ${digits}`);
  await signIn(page, manager.login, manager.password);

  // Something to count: a contact created and its card opened.
  await page.goto('/kontakty/nowy');
  await hydrated(page);
  await page.getByLabel('Imię', { exact: true }).fill('Grzegorz');
  await page.getByLabel('Nazwisko', { exact: true }).fill(`Brzęczyszczykiewicz${digits}`);
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page).toHaveURL(/\/kontakty\/\d+$/);
  await page.reload();

  await page.goto('/menedzer');
  await page.getByRole('link', { name: 'Raporty' }).click();
  await expect(page.getByRole('heading', { name: 'Raporty', exact: true })).toBeVisible();
  await hydrated(page);
  const form = page.getByTestId('report-form');
  await form.getByLabel('Zbiór danych').selectOption({ label: 'Odczyty kart kontaktów' });
  await form.getByRole('button', { name: 'Pokaż raport' }).click();
  await expect(page).toHaveURL(/zbior=odczyty/);
  // The form now offers this dataset's groupings and filters.
  await form.getByLabel('Grupowanie').selectOption({ label: 'Użytkownik' });
  await form.getByRole('button', { name: 'Pokaż raport' }).click();
  await expect(page).toHaveURL(/grupuj=uzytkownik/);

  const result = page.getByTestId('report-result');
  await expect(result.getByTestId('report-chart')).toBeVisible();
  await expect(result.locator('svg rect').first()).toBeVisible();
  const row = result.getByTestId('report-groups').getByRole('row', { name: new RegExp(`Rafał Raportujący ${digits}`) });
  await expect(row).toBeVisible();

  const name = `Odczyty według osób ${digits}`;
  await page.getByLabel('Nazwa raportu').fill(name);
  await page.getByRole('button', { name: 'Zapisz raport' }).click();
  const saved = page.getByTestId('saved-reports').getByRole('link', { name });
  await expect(saved).toBeVisible();

  // Run again from the saved list, from another report.
  await page.getByTestId('ready-reports').getByRole('link', { name: 'Importy według źródeł: odrzucone i pominięte wiersze' }).click();
  await expect(page).toHaveURL(/zbior=importy/);
  await page.getByTestId('saved-reports').getByRole('link', { name }).click();
  await expect(page).toHaveURL(/zbior=odczyty&grupuj=uzytkownik/);
  await expect(page.getByTestId('report-groups').getByRole('row', { name: new RegExp(`Rafał Raportujący ${digits}`) })).toBeVisible();
});
