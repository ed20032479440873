import { expect, test } from '@playwright/test';
import { admin, hydrated, signIn } from './helpers';

// "Integracje" on a tablet: an administrator creates an API token, sees it once, a
// dialer uses it with no cookie, and the administrator revokes it.
test.use({ viewport: { width: 768, height: 1024 } });

test('an API token: created once, used without a cookie, shown as used, revoked', async ({ page, playwright, baseURL }) => {
  await signIn(page, admin.login, admin.password);
  await page.getByRole('link', { name: 'Część menedżerska' }).click();
  await hydrated(page);
  await page.getByRole('link', { name: 'Integracje' }).click();
  await expect(page).toHaveURL(/\/menedzer\/integracje$/);
  await hydrated(page);
  const name = `Dialer ${Date.now()}`;
  await page.getByLabel('Nazwa integracji').fill(name);
  await page.getByLabel('Tylko te funkcje').fill('can_contact data_sources');
  await page.getByRole('button', { name: 'Utwórz token' }).click();
  const issued = page.getByTestId('issued-token');
  await expect(issued).toContainText(name);
  const token = (await issued.locator('code').innerText()).trim();
  expect(token).toMatch(/^zgk_/);
  const row = page.locator('tr', { hasText: name });
  await expect(row).toContainText('can_contact, data_sources');
  await expect(row).toContainText('aktywny');
  await expect(row).toContainText('jeszcze nie użyty');

  // The dialer: a plain HTTP client, no cookie, no Origin.
  const dialer = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { Authorization: `Bearer ${token}` },
  });
  expect((await dialer.post('/api/data_sources')).status()).toBe(200);
  expect((await dialer.post('/api/contact_search', { form: { q: 'Nowak' } })).status()).toBe(403);

  // After a reload the token is not shown again; its last use is (written a moment later).
  await expect(async () => {
    await page.reload();
    await hydrated(page);
    await expect(page.locator('tr', { hasText: name })).not.toContainText('jeszcze nie użyty', { timeout: 500 });
  }).toPass({ timeout: 10_000 });
  await expect(page.getByTestId('issued-token')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(token);

  await page.locator('tr', { hasText: name }).getByRole('button', { name: 'Unieważnij' }).click();
  await expect(page.locator('tr', { hasText: name })).toContainText('unieważniony');
  expect((await dialer.post('/api/data_sources')).status()).toBe(401);
  await dialer.dispose();
});
