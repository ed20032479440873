import { expect, test } from '@playwright/test';
import { admin, hydrated, signIn, signOut, uniqueLogin } from './helpers';

// The spec's "password change reminder" scenario, with a password that must be changed
// (here: issued by an administrator; expiry after 30 days is proven by the integration tests).
test('a forced password change cannot be skipped and leads back to the login page', async ({ page }) => {
  const login = uniqueLogin('kons');
  await signIn(page, admin.login, admin.password);
  await page.goto('/menedzer/uzytkownicy');
  await hydrated(page);
  await page.locator('form.row-form input[name="login"]').fill(login);
  await page.locator('form.row-form input[name="display_name"]').fill('Jan Konsultant');
  await page.getByRole('button', { name: 'Dodaj' }).click();
  const notice = page.getByTestId('issued-password');
  await expect(notice).toContainText(login);
  const oneTime = (await notice.locator('code').innerText()).trim();
  await expect(page.getByTestId('users')).toContainText(login);
  await signOut(page);

  await signIn(page, login, oneTime);
  await expect(page).toHaveURL(/\/zmiana-hasla$/);
  await expect(page.getByRole('heading', { name: 'Zmiana hasła' })).toBeVisible();
  await expect(page.getByTestId('forced-change')).toBeVisible();

  // Typing another address does not get around it.
  await page.goto('/');
  await expect(page).toHaveURL(/\/zmiana-hasla$/);
  await hydrated(page);

  await page.getByLabel('Stare hasło').fill(oneTime);
  await page.getByLabel('Nowe hasło', { exact: true }).fill('krotkie');
  await page.getByLabel('Powtórz nowe hasło').fill('krotkie');
  await page.getByRole('button', { name: 'Zmień hasło' }).click();
  await expect(page.locator('.field-error[data-field="new_password"]')).toContainText('Hasło jest za krótkie.');

  const fresh = 'Nowe-Haslo-2026!';
  await page.getByLabel('Nowe hasło', { exact: true }).fill(fresh);
  await page.getByLabel('Powtórz nowe hasło').fill(fresh);
  await page.getByRole('button', { name: 'Zmień hasło' }).click();
  await expect(page).toHaveURL(/\/logowanie$/);

  await signIn(page, login, fresh);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { name: 'Pulpit konsultanta' })).toBeVisible();
  // A consultant has no manager part.
  await expect(page.getByRole('link', { name: 'Część menedżerska' })).toHaveCount(0);
  await page.goto('/menedzer');
  await expect(page).toHaveURL(/\/$/);
});
