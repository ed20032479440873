import { expect, test } from '@playwright/test';
import { createUser, hydrated, signIn } from './helpers';

// Art. 18: a consultant restricts processing during a call, the card says so and
// locks the data; lifting needs the confirmation that the person was told.
test('a consultant restricts a contact and lifts the restriction once the person is told', async ({ page }) => {
  const consultant = await createUser(page, 'ogr', 'consultant', 'Olga Ograniczająca');
  const last = `Ograniczony${Date.now() % 100000}`;

  await signIn(page, consultant.login, consultant.password);
  await page.goto('/kontakty/nowy');
  await hydrated(page);
  await page.getByLabel('Imię', { exact: true }).fill('Grzegorz');
  await page.getByLabel('Nazwisko', { exact: true }).fill(last);
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page).toHaveURL(/\/kontakty\/\d+$/);
  await hydrated(page);

  await page.getByTestId('more-menu').click();
  await page.getByRole('menuitem', { name: 'Ogranicz przetwarzanie' }).click();
  const dialog = page.getByTestId('restrict-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Podstawa (art. 18 ust. 1 RODO)').selectOption('accuracy');
  await dialog.getByLabel('Notatka').fill('Kwestionuje adres zamieszkania');
  await dialog.getByRole('button', { name: 'Ogranicz przetwarzanie' }).click();

  // The card says it plainly; the data is shown but cannot be edited.
  const notice = page.getByTestId('restriction-notice');
  await expect(notice).toContainText('Przetwarzanie danych ograniczone (art. 18 RODO)');
  await expect(notice).toContainText('a) osoba kwestionuje prawidłowość danych');
  await expect(notice).toContainText('Kwestionuje adres zamieszkania');
  await expect(notice).toContainText('Olga Ograniczająca');
  await expect(page.getByLabel('Nazwisko', { exact: true })).toHaveValue(last);
  await expect(page.getByLabel('Nazwisko', { exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Zapisz' })).toBeDisabled();
  await expect(page.getByText('przetwarzanie ograniczone', { exact: true })).toBeVisible();

  // A tick in a cancelled dialog is not carried over; lifting without confirming that
  // the person was told is refused, with a reason.
  const informed = 'Osoba została poinformowana o zniesieniu ograniczenia (art. 18 ust. 3 RODO)';
  await notice.getByRole('button', { name: 'Znieś ograniczenie' }).click();
  const lift = page.getByTestId('restriction-lift-dialog');
  await lift.getByLabel(informed).check();
  await lift.getByRole('button', { name: 'Anuluj' }).click();
  await expect(lift).toHaveCount(0);
  await notice.getByRole('button', { name: 'Znieś ograniczenie' }).click();
  await expect(lift.getByLabel(informed)).not.toBeChecked();
  await lift.getByRole('button', { name: 'Znieś ograniczenie' }).click();
  await expect(lift.getByRole('alert')).toContainText('Przed zniesieniem ograniczenia poinformuj osobę');
  await lift.getByLabel(informed).check();
  await lift.getByRole('button', { name: 'Znieś ograniczenie' }).click();
  await expect(page.getByTestId('restriction-notice')).toHaveCount(0);
  await expect(page.getByLabel('Nazwisko', { exact: true })).toBeEnabled();

  // Both steps are among the person's activities.
  await page.getByTestId('tab-activities').click();
  const activities = page.getByTestId('activities');
  await expect(activities).toContainText('Ograniczenie przetwarzania:');
  await expect(activities).toContainText('Zniesienie ograniczenia przetwarzania (osoba poinformowana)');
});
