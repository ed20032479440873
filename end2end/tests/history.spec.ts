import { expect, test } from '@playwright/test';
import { createUser, hydrated, signIn, signOut } from './helpers';

function pdf(): Buffer {
  return Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
}

test('history, recipients with agreements, and disclosures shown on the contact card', async ({ page }) => {
  const consultant = await createUser(page, 'kons', 'consultant', 'Halina Konsultant');
  const manager = await createUser(page, 'mgr', 'manager', 'Marek Menedżer');
  const digits = String(Date.now() % 1_000_000).padStart(6, '0');

  // A consultant edits a phone number and finds the change in "Historia".
  await signIn(page, consultant.login, consultant.password);
  await page.goto('/kontakty/nowy');
  await hydrated(page);
  await page.getByLabel('Nazwisko', { exact: true }).fill('Historyczna');
  await page.getByRole('button', { name: 'Dodaj telefon' }).click();
  await page.locator('input[name="phones.0"]').fill(`601${digits}`);
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page).toHaveURL(/\/kontakty\/\d+$/);
  const contactId = page.url().split('/').pop()!;
  await hydrated(page);
  await page.locator('input[name="phones.0"]').fill(`602${digits}`);
  await page.getByLabel('Powód zmiany').fill('Klientka podała nowy numer');
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page.getByRole('status')).toHaveText('Zapisano.');
  await page.getByTestId('tab-history').click();
  const phones = page.locator('[data-testid="history-field"][data-field="phones"]');
  await expect(phones.locator('li')).toHaveCount(2);
  await expect(phones.locator('li').first()).toContainText(`+48601${digits}`);
  await expect(phones.locator('li').first()).toContainText(`+48602${digits}`);
  await expect(phones.locator('li').first()).toContainText('Klientka podała nowy numer');
  await expect(phones.locator('li').first()).toContainText('Halina Konsultant');
  await signOut(page);

  // A manager registers a processor with its agreement and logs a disclosure.
  await signIn(page, manager.login, manager.password);
  await page.goto('/menedzer/odbiorcy');
  await hydrated(page);
  const recipientName = `Kurier ${digits}`;
  const form = page.getByTestId('recipient-new');
  await form.getByLabel('Nazwa', { exact: true }).fill(recipientName);
  await form.locator('input[name="nip"]').fill('526-000-12-46');
  await form.getByLabel('Rola').selectOption('processor');
  await form.getByLabel('Telefony').selectOption('contract');
  await form.getByLabel('Nazwisko').selectOption('contract');
  await form.getByRole('button', { name: 'Dodaj' }).click();
  const recipient = page.getByTestId('recipient').filter({ hasText: recipientName });
  await expect(recipient).toBeVisible();
  await recipient.locator('.agreement-form summary').click();
  const agreement = recipient.getByTestId('agreement-form');
  await agreement.getByLabel('Przedmiot i czas trwania przetwarzania').fill('Doręczanie przesyłek, 2026–2027');
  await agreement.getByLabel('Charakter i cel przetwarzania').fill('Doręczenie zamówień klientom');
  await agreement.getByLabel('Rodzaj danych osobowych').fill('nazwisko, telefon');
  await agreement.getByLabel('Kategorie osób, których dane dotyczą').fill('klienci');
  await agreement.getByLabel('Obowiązki i prawa administratora').fill('Zgodnie z art. 28 ust. 3 RODO');
  await agreement.getByLabel('Data podpisania').fill('2026-01-15');
  await agreement.locator('input[type="file"]').setInputFiles({ name: 'umowa.pdf', mimeType: 'application/pdf', buffer: pdf() });
  await agreement.locator('button[type="submit"]').click();
  await expect(page.getByTestId('recipient').filter({ hasText: recipientName }).getByTestId('agreements')).toContainText('2026-01-15');

  await page.goto('/menedzer/udostepnienia');
  await hydrated(page);
  const disclosure = page.getByTestId('disclosure-form');
  await disclosure.getByLabel('Odbiorca').selectOption({ label: recipientName });
  await disclosure.getByLabel('Kontakty (Id)').fill(contactId);
  await disclosure.getByLabel('Cel', { exact: true }).fill('Doręczenie reklamowanego towaru');
  // Outside the scope first: refused, by name.
  await disclosure.getByLabel('PESEL').check();
  await disclosure.getByLabel('Telefony').check();
  await disclosure.getByRole('button', { name: 'Zarejestruj' }).click();
  await expect(page.getByRole('alert')).toHaveText('Ten odbiorca nie może otrzymać pola: PESEL.');
  await disclosure.getByLabel('PESEL').uncheck();
  await disclosure.getByRole('button', { name: 'Zarejestruj' }).click();
  await expect(page.getByTestId('disclosures')).toContainText(recipientName);

  await page.goto(`/kontakty/${contactId}`);
  await hydrated(page);
  await page.getByTestId('tab-activities').click();
  const activity = page.getByTestId('activity').filter({ hasText: 'Udostępnienie:' });
  await expect(activity).toContainText(recipientName);
  await expect(activity).toContainText('Telefony');
  await expect(page.getByTestId('readers')).toContainText('Halina Konsultant');
});
