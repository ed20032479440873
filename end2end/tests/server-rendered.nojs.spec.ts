import { expect, test } from '@playwright/test';
import { admin } from './helpers';

// JavaScript is off: what the server renders must be complete and usable on its own.
test('the server-rendered pages are complete without JavaScript', async ({ page }) => {
  await page.goto('/logowanie');
  await expect(page.getByRole('heading', { name: 'Logowanie' })).toBeVisible();
  await expect(page.getByLabel('Login')).toBeVisible();
  await expect(page.getByLabel('Hasło')).toBeVisible();

  await page.getByLabel('Login').fill(admin.login);
  await page.getByLabel('Hasło').fill(admin.password);
  await page.getByRole('button', { name: 'Zaloguj' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { name: 'Pulpit konsultanta' })).toBeVisible();
  await expect(page.getByTestId('current-user')).toHaveText('Ewa Administratorka');

  await page.goto('/menedzer');
  await expect(page.getByTestId('db-backend')).toHaveText('sqlite');
  await page.goto('/menedzer/uzytkownicy');
  await expect(page.getByTestId('users')).toContainText(admin.login);
});
