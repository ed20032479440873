import { expect, Page, test } from '@playwright/test';
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

test('the bundle comes compressed and named by its content, so a browser keeps it', async ({ page }) => {
  const bundle: { url: string; encoding?: string; cache?: string }[] = [];
  page.on('response', (r) => {
    if (/\/pkg\/zgoda-consultant\.[0-9a-f]{16}\.(wasm|js)$/.test(r.url())) {
      const h = r.headers();
      bundle.push({ url: r.url(), encoding: h['content-encoding'], cache: h['cache-control'] });
    }
  });
  await page.goto('/logowanie');
  await hydrated(page);
  // The page names the files; both came compressed and may be kept for a year.
  expect([...new Set(bundle.map((b) => b.url.split('.').pop()))].sort()).toEqual(['js', 'wasm']);
  for (const b of bundle) {
    // Chromium offers brotli over https only; over plain http it takes the gzip.
    expect(['br', 'gzip'], b.url).toContain(b.encoding);
    expect(b.cache, b.url).toBe('public, max-age=31536000, immutable');
  }
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

test('each part loads its own bundle: consultants never load the manager part', async ({ page }) => {
  const wasm: string[] = [];
  page.on('response', (r) => {
    const m = /\/pkg\/(zgoda(?:-consultant)?)\.[0-9a-f]{16}\.wasm$/.exec(r.url());
    if (m) wasm.push(m[1]);
  });
  await signIn(page, admin.login, admin.password);
  await expect(page.getByRole('heading', { name: 'Pulpit konsultanta' })).toBeVisible();
  await page.getByRole('link', { name: 'Kontakty', exact: true }).click();
  await expect(page).toHaveURL(/\/kontakty$/);
  expect([...new Set(wasm)]).toEqual(['zgoda-consultant']);

  // A link into the manager part followed inside the consultant bundle (one without
  // rel="external"): the page comes from the server with the manager bundle.
  await page.evaluate(() => {
    const a = document.createElement('a');
    a.href = '/menedzer/audyt';
    a.textContent = 'audit';
    a.dataset.testid = 'to-manager';
    document.querySelector('main')!.append(a);
  });
  await page.getByTestId('to-manager').click();
  await expect(page.getByTestId('audit')).toContainText('login.succeeded');
  await hydrated(page);
  expect([...new Set(wasm)]).toEqual(['zgoda-consultant', 'zgoda']);
  // Back to the consultant page the link was on (the whole bundle may serve it: it
  // hydrates every page).
  await page.goBack();
  await expect(page).toHaveURL(/\/kontakty$/);
  await expect(page.getByRole('heading', { name: 'Kontakty' })).toBeVisible();
  await hydrated(page);

  // A manager page loaded directly, then reloaded: the whole bundle each time, and it
  // works (a filter of the job list is a link handled in the browser).
  await page.goto('/menedzer/zadania');
  await hydrated(page);
  expect(await bundleOf(page)).toBe('zgoda');
  await page.reload();
  await hydrated(page);
  expect(await bundleOf(page)).toBe('zgoda');
  await page.getByRole('link', { name: 'Zakończone' }).click();
  await expect(page).toHaveURL(/stan=/);

  // The part switch goes back with a full load, and the consultant bundle comes with it.
  const before = wasm.length;
  await page.getByRole('link', { name: 'Część konsultanta' }).click();
  await expect(page.getByRole('heading', { name: 'Pulpit konsultanta' })).toBeVisible();
  await hydrated(page);
  expect(wasm.slice(before)).not.toContain('zgoda');
  expect(await bundleOf(page)).toBe('zgoda-consultant');
  await signOut(page);
});

/** The bundle the page in the browser names (its wasm preload), without the hash. */
async function bundleOf(page: Page) {
  const href = await page.locator('link[rel="preload"][as="fetch"]').getAttribute('href');
  return /\/pkg\/([a-z-]+)\.[0-9a-f]{16}\.wasm$/.exec(href ?? '')?.[1];
}
