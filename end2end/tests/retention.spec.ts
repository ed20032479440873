import { expect, test } from '@playwright/test';
import { createUser, hydrated, signIn, signOut } from './helpers';

// "Okresy przechowywania": a manager defines a rule, previews what it finds, runs the
// job, and approves the erasure it queued.
test('a manager defines a retention rule, previews, runs it and approves the erasure', async ({ page }) => {
  const manager = await createUser(page, 'ret', 'manager', 'Regina Menedżer');
  const consultant = await createUser(page, 'retk', 'consultant', 'Roman Konsultant');
  const digits = `${Date.now() % 100000}`;
  const consent = `Newsletter ${digits}`;
  const ruleName = `Newsletter: po wycofaniu ${digits}`;

  await signIn(page, manager.login, manager.password);
  await page.goto('/menedzer/zgody');
  await hydrated(page);
  const def = page.getByTestId('consent-definition-new');
  await def.getByLabel('Nazwa').fill(consent);
  await def.getByLabel('Formuła oświadczenia').fill('Wyrażam zgodę na newsletter e-mailem.');
  await def.getByLabel('Cel przetwarzania').fill('Newsletter');
  await def.getByLabel('Kanał').selectOption('email');
  await def.getByLabel('Marketing bezpośredni').check();
  await def.getByRole('button', { name: 'Dodaj' }).click();
  await expect(page.locator(`[data-testid="consent-definition"][data-name="${consent}"]`)).toBeVisible();
  await signOut(page);

  // A person grants the newsletter and withdraws it: its purpose has ended.
  await signIn(page, consultant.login, consultant.password);
  await page.goto('/kontakty/nowy');
  await hydrated(page);
  await page.getByLabel('Imię', { exact: true }).fill('Renata');
  await page.getByLabel('Nazwisko', { exact: true }).fill(`Wycofana${digits}`);
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page).toHaveURL(/\/kontakty\/\d+$/);
  const contactId = page.url().split('/').pop()!;
  await hydrated(page);
  await page.getByTestId('consent-icon').click();
  const item = page.locator(`[data-testid="consent"][data-name="${consent}"]`);
  await item.getByRole('button', { name: 'Wyraża zgodę' }).click();
  await expect(item).toHaveAttribute('data-state', 'granted');
  await item.getByRole('button', { name: 'Wycofuje zgodę' }).click();
  await expect(item).toHaveAttribute('data-state', 'withdrawn');
  await signOut(page);

  await signIn(page, manager.login, manager.password);
  await page.getByRole('link', { name: 'Część menedżerska' }).click();
  await page.getByRole('link', { name: 'Okresy przechowywania' }).click();
  await expect(page.getByRole('heading', { name: 'Okresy przechowywania', exact: true })).toBeVisible();
  await hydrated(page);
  const form = page.getByTestId('retention-rule-new');
  await form.getByLabel('Nazwa reguły').fill(ruleName);
  await form.getByLabel('Cel i początek okresu').selectOption('consent');
  await form.getByLabel(/^Zgoda/).selectOption({ label: consent });
  await form.getByLabel('Miesiące').fill('0');
  await form.getByLabel('Dni').fill('0');
  await form.getByLabel('Po wygaśnięciu wszystkich celów').selectOption('queue');
  await form.getByRole('button', { name: 'Dodaj' }).click();
  await expect(page.locator(`[data-testid="retention-rule"][data-name="${ruleName}"]`)).toBeVisible();

  // The preview names the contact and the rule, and changes nothing.
  const preview = page.getByTestId('retention-preview');
  await preview.getByRole('button', { name: 'Podgląd' }).click();
  const due = preview.getByTestId('retention-due');
  await expect(due).toContainText(contactId);
  await expect(due.locator('tr', { hasText: contactId })).toContainText(ruleName);
  await expect(due.locator('tr', { hasText: contactId })).toContainText('do kolejki menedżerów');

  await preview.getByRole('button', { name: 'Uruchom teraz' }).click();
  await expect(page.getByTestId('retention-run-requested')).toBeVisible();
  const runs = page.getByTestId('retention-runs');
  await expect(async () => {
    await runs.getByRole('button', { name: 'Odśwież' }).click();
    await expect(runs.getByTestId('retention-run').first()).toHaveAttribute('data-state', 'done', { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(runs.getByTestId('retention-run').first()).toContainText(`${ruleName}: 1 / 0`);

  // The queue shows the rule instead of a person; the manager approves.
  await page.getByRole('link', { name: 'RODO rekordy do zapomnienia' }).click();
  await hydrated(page);
  const row = page.locator(`[data-testid="erasure-row"][data-contact="${contactId}"]`);
  await expect(row).toContainText(`okres przechowywania: ${ruleName}`);
  await row.getByRole('button', { name: 'Usuń dane osobowe' }).click();
  await expect(row).toHaveCount(0);

  // Tidy up for the other scenarios: the consent steps aside.
  await page.goto('/menedzer/zgody');
  await hydrated(page);
  const card = page.locator(`[data-testid="consent-definition"][data-name="${consent}"]`);
  await card.getByLabel('Aktywna').uncheck();
  await card.getByRole('button', { name: 'Zapisz' }).click();
  await expect(card.getByText('nieaktywna')).toHaveCount(1);
});
