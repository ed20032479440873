import { expect, test } from '@playwright/test';
import { createUser, hydrated, signIn, signOut } from './helpers';

// Art. 21(1): a purpose based on legitimate interest is not granted; the person may
// object to it during a call, and the objection stops that purpose until lifted.
test('a consultant records an objection to a legitimate-interest purpose and lifts it', async ({ page }) => {
  const manager = await createUser(page, 'spr', 'manager', 'Sabina Menedżer');
  const consultant = await createUser(page, 'sprk', 'consultant', 'Stefan Konsultant');
  const purpose = `Badanie satysfakcji ${Date.now() % 100000}`;

  await signIn(page, manager.login, manager.password);
  await page.goto('/menedzer/zgody');
  await hydrated(page);
  const form = page.getByTestId('consent-definition-new');
  await form.getByLabel('Nazwa').fill(purpose);
  await form.getByLabel('Formuła oświadczenia').fill('Po zakończeniu zgłoszenia możemy zadzwonić z pytaniem o ocenę obsługi.');
  await form.getByLabel('Cel przetwarzania').fill('Badanie satysfakcji klientów');
  await form.getByLabel('Podstawa prawna').selectOption('legitimate_interest');
  await form.getByLabel(/Test równowagi/).fill('Krótka ankieta po zgłoszeniu, osoba może się sprzeciwić.');
  await form.getByLabel('Kanał').selectOption('call');
  await form.getByRole('button', { name: 'Dodaj' }).click();
  const card = page.locator(`[data-testid="consent-definition"][data-name="${purpose}"]`);
  await expect(card).toBeVisible();
  await signOut(page);

  await signIn(page, consultant.login, consultant.password);
  await page.goto('/kontakty/nowy');
  await hydrated(page);
  await page.getByLabel('Imię', { exact: true }).fill('Celina');
  await page.getByLabel('Nazwisko', { exact: true }).fill(`Sprzeciwska${Date.now() % 100000}`);
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page).toHaveURL(/\/kontakty\/\d+$/);
  await hydrated(page);

  await page.getByTestId('consent-icon').click();
  const item = page.locator(`[data-testid="consent"][data-name="${purpose}"]`);
  await expect(item).toContainText('prawnie uzasadniony interes');
  // Nothing to grant for this purpose: the person may object instead.
  await expect(item.getByRole('button', { name: 'Wyraża zgodę' })).toHaveCount(0);
  const objection = item.getByTestId('purpose-objection');
  await expect(objection).toHaveAttribute('data-objected', 'false');
  await objection.getByRole('button', { name: 'Zgłoś sprzeciw wobec tego celu' }).click();
  await expect(objection).toHaveAttribute('data-objected', 'true');
  await expect(objection).toContainText('Sprzeciw wniesiony');

  // A consultant lifts it only because the person withdrew it; overriding is a manager's.
  await objection.getByLabel('Powód uchylenia').selectOption('compelling_grounds');
  await objection.getByRole('button', { name: 'Uchyl sprzeciw' }).click();
  await expect(page.getByTestId('objection-error')).toHaveText(
    'Uchylić sprzeciw z powodu ważnych podstaw administratora może tylko menedżer.',
  );
  await expect(objection).toHaveAttribute('data-objected', 'true');
  await objection.getByLabel('Powód uchylenia').selectOption('withdrawn');
  await objection.getByRole('button', { name: 'Uchyl sprzeciw' }).click();
  await expect(objection).toHaveAttribute('data-objected', 'false');

  await page.reload();
  await hydrated(page);
  await page.getByTestId('tab-activities').click();
  const activities = page.getByTestId('activities');
  await expect(activities).toContainText('Sprzeciw wobec przetwarzania (art. 21 ust. 1)');
  await expect(activities).toContainText(`Uchylenie sprzeciwu`);
  await expect(activities).toContainText('osoba wycofała sprzeciw');
  await signOut(page);

  // Tidy up for the other scenarios.
  await signIn(page, manager.login, manager.password);
  await page.goto('/menedzer/zgody');
  await hydrated(page);
  await card.getByLabel('Aktywna').uncheck();
  await card.getByRole('button', { name: 'Zapisz' }).click();
  await expect(card.getByText('nieaktywna')).toHaveCount(1);
});
