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
