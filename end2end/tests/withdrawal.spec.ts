import { expect, test } from '@playwright/test';
import { admin, hydrated, signIn } from './helpers';

// Withdrawal as easy as granting: the link a mailing tool put into an e-mail opens, on
// a tablet and signed out, a page that names the consent (not the person) with one
// button that withdraws it.
test.use({ viewport: { width: 768, height: 1024 } });

test('a withdrawal link names the consent, not the person, and one button withdraws it', async ({ page, browser, baseURL }) => {
  await signIn(page, admin.login, admin.password);
  const api = (name: string, options: object) =>
    page.request.post(`/api/${name}`, { headers: { Origin: baseURL! }, ...options });
  const consent = `Newsletter ${Date.now()}`;
  const definition = await api('consent_definition_save', {
    form: {
      name: consent,
      statement: 'Zgadzam się na newsletter e-mailem.',
      purpose: 'Marketing',
      legal_basis: 'consent',
      channel: 'email',
      active: 'on',
      marketing: 'on',
    },
  });
  expect(definition.status()).toBe(200);
  const definitionId = await definition.json();
  const saved = await api('contact_save', {
    data: { input: { data: { first_name: 'Grażyna', last_name: 'Wróblewska-Łęcka', emails: [{ value: 'grazyna.wl@example.pl' }] } } },
  });
  expect(saved.status()).toBe(200);
  const contactId = await saved.json();
  const granted = await api('consent_record', {
    multipart: { contact_id: String(contactId), definition_id: String(definitionId), decision: 'granted', method: 'email' },
  });
  expect(granted.status()).toBe(200);
  const link = await api('consent_withdrawal_link', { data: { contact_id: contactId, definition_id: definitionId } });
  expect(link.status()).toBe(200);
  const { path } = await link.json();
  expect(path).toMatch(/^\/wycofanie-zgody\//);

  const person = await browser.newContext({ viewport: { width: 768, height: 1024 } });
  const tab = await person.newPage();
  await tab.goto(path);
  await hydrated(tab);
  await expect(tab.getByRole('heading', { name: 'Wycofanie zgody' })).toBeVisible();
  await expect(tab.getByTestId('withdrawal-consent')).toHaveText(consent);
  await expect(tab.locator('body')).toContainText('Zgadzam się na newsletter e-mailem.');
  await expect(tab.locator('body')).not.toContainText('Wróblewska');
  await tab.getByRole('button', { name: 'Wycofuję zgodę' }).click();
  await expect(tab.getByTestId('withdrawal-done')).toContainText('Ta zgoda jest wycofana');
  await expect(tab.getByRole('button', { name: 'Wycofuję zgodę' })).toHaveCount(0);
  await person.close();

  const check = await api('can_contact', { data: { contact_id: contactId, channel: 'email', purpose: 'marketing' } });
  expect(await check.json()).toEqual({ allowed: false, reason: 'withdrawn' });
});
