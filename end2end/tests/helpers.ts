import { expect, Page } from '@playwright/test';

export const admin = {
  login: process.env.E2E_ADMIN_LOGIN ?? 'e2e-admin',
  password: process.env.E2E_ADMIN_PASSWORD ?? '',
};

/** Waits until the wasm bundle has hydrated the page, so clicks reach Leptos. */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === 'true');
}

/** Submits the login form and stays wherever the app leads. */
export async function attemptSignIn(page: Page, login: string, password: string) {
  await page.goto('/logowanie');
  await hydrated(page);
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Hasło').fill(password);
  await page.getByRole('button', { name: 'Zaloguj' }).click();
}

/** Signs in and waits until the app has left the login page. */
export async function signIn(page: Page, login: string, password: string) {
  await attemptSignIn(page, login, password);
  await expect(page).not.toHaveURL(/\/logowanie$/);
  await hydrated(page);
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Wyloguj' }).click();
  await expect(page).toHaveURL(/\/logowanie$/);
}

export function uniqueLogin(prefix: string) {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
}

/**
 * An administrator creates a user; the user sets a password at the first sign-in.
 * Returns the user's login and password, signed out.
 */
export async function createUser(page: Page, prefix: string, role = 'consultant', name = 'Jan Konsultant') {
  const login = uniqueLogin(prefix);
  await signIn(page, admin.login, admin.password);
  await page.goto('/menedzer/uzytkownicy');
  await hydrated(page);
  const form = page.locator('form.row-form');
  await form.locator('input[name="login"]').fill(login);
  await form.locator('input[name="display_name"]').fill(name);
  await form.locator('select[name="role"]').selectOption(role);
  await page.getByRole('button', { name: 'Dodaj' }).click();
  const notice = page.getByTestId('issued-password');
  await expect(notice).toContainText(login);
  const oneTime = (await notice.locator('code').innerText()).trim();
  await signOut(page);

  await signIn(page, login, oneTime);
  await expect(page).toHaveURL(/\/zmiana-hasla$/);
  const password = `Haslo-${Date.now().toString(36)}-Zgoda!`;
  await page.getByLabel('Stare hasło').fill(oneTime);
  await page.getByLabel('Nowe hasło', { exact: true }).fill(password);
  await page.getByLabel('Powtórz nowe hasło').fill(password);
  await page.getByRole('button', { name: 'Zmień hasło' }).click();
  await expect(page).toHaveURL(/\/logowanie$/);
  return { login, password };
}
