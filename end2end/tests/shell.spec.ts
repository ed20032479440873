import { expect, test } from '@playwright/test';
import { admin, attemptSignIn, hydrated, signIn, signOut } from './helpers';

test('the login page is Polish first and the language switch is remembered', async ({ page }) => {
  // A CSP refusal or a hydration error shows up here.
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto('/');
  await expect(page).toHaveURL(/\/logowanie$/);
  await expect(page.getByRole('heading', { name: 'Logowanie' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'pl');
  await hydrated(page);

  await page.getByTestId('lang-switch').click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await hydrated(page);
  await page.getByTestId('lang-switch').click();
  await expect(page.getByRole('heading', { name: 'Logowanie' })).toBeVisible();
  expect(problems).toEqual([]);
});

test('a wrong password leads back to the login page with a message', async ({ page }) => {
  await attemptSignIn(page, admin.login, 'Not-the-password-1');
  await expect(page.getByRole('alert')).toHaveText('Nieprawidłowy login lub hasło.');
  await expect(page).toHaveURL(/\/logowanie$/);
});

test('an administrator reaches both parts, and the layout fits a tablet', async ({ page }) => {
  await signIn(page, admin.login, admin.password);
  await expect(page.getByRole('heading', { name: 'Pulpit konsultanta' })).toBeVisible();
  await expect(page.getByTestId('current-user')).toHaveText('Ewa Administratorka');

  await page.getByRole('link', { name: 'Część menedżerska' }).click();
  await expect(page.getByRole('heading', { name: 'Część menedżerska' })).toBeVisible();
  await expect(page.getByTestId('db-backend')).toHaveText('sqlite');
  for (const item of ['Użytkownicy', 'Polityka haseł', 'Dziennik audytu']) {
    await expect(page.locator('nav.subnav').getByRole('link', { name: item })).toBeVisible();
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  await page.getByRole('link', { name: 'Dziennik audytu' }).click();
  await expect(page.getByTestId('audit')).toContainText('login.succeeded');
  await signOut(page);
});
