import { expect, test } from '@playwright/test';
import { createUser, hydrated, signIn } from './helpers';

// "Rejestr czynności przetwarzania": a manager completes what Zgoda cannot know, saves a
// dated version, and finds that version unchanged after a later edit.
test('a manager completes the register and keeps a version of it', async ({ page }) => {
  const digits = `${Date.now() % 100000}`;
  const manager = await createUser(page, 'rej', 'manager', 'Renata Rejestr');
  await signIn(page, manager.login, manager.password);
  await page.goto('/menedzer');
  await page.getByRole('link', { name: 'Rejestr czynności przetwarzania' }).click();
  await expect(page.getByRole('heading', { name: 'Rejestr czynności przetwarzania', exact: true })).toBeVisible();
  await hydrated(page);

  // Case handling is always a processing activity.
  const cases = page.locator('[data-testid="register-activity"][data-key="sprawy"]');
  await expect(cases).toContainText('Obsługa zgłoszeń i reklamacji');

  const controller = page.getByTestId('register-controller');
  // The form folds into "Uzupełnij"; a re-render after a save folds it again.
  const unfold = () => controller.locator('details').evaluate((d) => { (d as HTMLDetailsElement).open = true; });
  await unfold();
  const measures = `Szyfrowanie danych osobowych ${digits}`;
  await controller.getByLabel('Administrator danych (nazwa i dane kontaktowe)').fill(`Centrum Kontaktu ${digits} sp. z o.o.`);
  await controller.getByLabel('Środki bezpieczeństwa (art. 32)').fill(measures);
  await controller.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page.getByTestId('register-security')).toHaveText(measures);

  await page.getByRole('button', { name: 'Zapisz wersję rejestru' }).click();
  await expect(page.getByRole('status')).toContainText('Zapisano wersję');
  const version = page.getByTestId('register-versions').getByRole('link').first();
  await expect(version).toBeVisible();

  // A later edit does not change the saved version.
  await unfold();
  await controller.getByLabel('Środki bezpieczeństwa (art. 32)').fill('Zmienione później');
  await controller.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page.getByTestId('register-security')).toHaveText('Zmienione później');
  await version.click();
  await expect(page.getByTestId('register-version')).toBeVisible();
  await expect(page.getByTestId('register-security')).toHaveText(measures);
  await expect(page.getByRole('button', { name: 'Zapisz wersję rejestru' })).toHaveCount(0);
});
