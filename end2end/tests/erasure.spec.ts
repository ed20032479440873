import { expect, test } from '@playwright/test';
import { createUser, hydrated, signIn, signOut } from './helpers';

// The spec's right-to-be-forgotten flow, steps 1–7, with its exact labels.
test('a consultant asks, may undo, a manager approves, and the personal data is gone', async ({ page }) => {
  const consultant = await createUser(page, 'kons', 'consultant', 'Olga Konsultant');
  const manager = await createUser(page, 'mgr', 'manager', 'Piotr Menedżer');
  const last = `Zapomniana${Date.now() % 100000}`;

  await signIn(page, consultant.login, consultant.password);
  await page.goto('/kontakty/nowy');
  await hydrated(page);
  await page.getByLabel('Imię', { exact: true }).fill('Wanda');
  await page.getByLabel('Nazwisko', { exact: true }).fill(last);
  await page.getByRole('button', { name: 'Dodaj telefon' }).click();
  await page.locator('input[name="phones.0"]').fill('603 111 222');
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page).toHaveURL(/\/kontakty\/\d+$/);
  const contactUrl = page.url();
  const contactId = contactUrl.split('/').pop()!;
  await hydrated(page);

  // 1–2. "⋮" → "Usuń dane osobowe" → the confirmation with "TAK" and "Anuluj".
  await page.getByTestId('more-menu').click();
  await page.getByRole('menuitem', { name: 'Usuń dane osobowe' }).click();
  const dialog = page.getByTestId('erasure-dialog');
  await expect(dialog).toContainText('Dane tego rekordu zostaną oznaczone do usunięcia. Ta opcja w tym momencie ich nie usunie.');
  await dialog.getByRole('button', { name: 'Anuluj' }).click();
  await expect(dialog).toHaveCount(0);
  await page.getByRole('menuitem', { name: 'Usuń dane osobowe' }).click();
  await page.getByTestId('erasure-dialog').getByRole('button', { name: 'TAK' }).click();

  // 3. While no manager decided, the item undoes the request.
  const undo = page.getByRole('menuitem', { name: 'Cofnij usunięcie danych osobowych' });
  await expect(undo).toBeVisible();
  await undo.click();
  await expect(page.getByRole('menuitem', { name: 'Usuń dane osobowe' })).toBeVisible();
  await page.getByRole('menuitem', { name: 'Usuń dane osobowe' }).click();
  await page.getByTestId('erasure-dialog').getByRole('button', { name: 'TAK' }).click();
  await expect(page.getByRole('menuitem', { name: 'Cofnij usunięcie danych osobowych' })).toBeVisible();
  await signOut(page);

  // 4. The manager's queue: Id, name, who asked, dates, and the button that approves.
  await signIn(page, manager.login, manager.password);
  await page.getByRole('link', { name: 'Część menedżerska' }).click();
  await page.getByRole('link', { name: 'RODO rekordy do zapomnienia' }).click();
  await expect(page.getByRole('heading', { name: 'RODO rekordy do zapomnienia' })).toBeVisible();
  await hydrated(page);
  const row = page.locator(`[data-testid="erasure-row"][data-contact="${contactId}"]`);
  await expect(row).toContainText(`Wanda ${last}`);
  await expect(row).toContainText('Olga Konsultant');
  await expect(row).toContainText(/\d{4}-\d{2}-\d{2}/);
  await row.getByRole('button', { name: 'Usuń dane osobowe' }).click();
  await expect(row).toHaveCount(0);
  await signOut(page);

  // 5–6. The consultant's item is grey, disabled, "Dane osobowe usunięte"; fields read "—".
  await signIn(page, consultant.login, consultant.password);
  await page.goto(contactUrl);
  await hydrated(page);
  await expect(page.getByTestId('contact-name')).toHaveText('—');
  await expect(page.getByLabel('Nazwisko', { exact: true })).toHaveValue('');
  await expect(page.getByLabel('Nazwisko', { exact: true })).toHaveAttribute('placeholder', '—');
  await page.getByTestId('more-menu').click();
  const done = page.getByRole('menuitem', { name: 'Dane osobowe usunięte' });
  await expect(done).toBeVisible();
  await expect(done).toBeDisabled();

  // 7. The activities show who asked and who approved.
  await page.getByTestId('tab-activities').click();
  const asked = page.getByTestId('activity').filter({ hasText: 'Wniosek o usunięcie danych:' });
  await expect(asked.first()).toContainText('Olga Konsultant');
  const decided = page.getByTestId('activity').filter({ hasText: 'Decyzja o usunięciu danych: zatwierdzony' });
  await expect(decided).toContainText('Piotr Menedżer');

  // Not found any more by the phone number.
  await page.goto('/kontakty?q=603111222');
  await expect(page.getByTestId('no-contacts')).toBeVisible();
});
