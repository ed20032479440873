import { expect, Page, test } from '@playwright/test';
import { createUser, hydrated, signIn, signOut } from './helpers';

// A tiny valid WAV file: the evidence of a consent given during a call.
function recording(): Buffer {
  const samples = Buffer.alloc(800, 0x80);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(8000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36);
  header.writeUInt32LE(samples.length, 40);
  return Buffer.concat([header, samples]);
}

async function newContact(page: Page, last: string) {
  await page.goto('/kontakty/nowy');
  await hydrated(page);
  await page.getByLabel('Imię', { exact: true }).fill('Zofia');
  await page.getByLabel('Nazwisko', { exact: true }).fill(last);
  await page.getByRole('button', { name: 'Dodaj e-mail' }).click();
  await page.locator('input[name="emails.0"]').fill(`zofia.${Date.now()}@example.pl`);
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page).toHaveURL(/\/kontakty\/\d+$/);
  await hydrated(page);
  return page.url();
}

async function defineConsent(page: Page, name: string, channel: string, options: { required?: boolean; marketing?: boolean }) {
  const form = page.getByTestId('consent-definition-new');
  await form.getByLabel('Nazwa').fill(name);
  await form.getByLabel('Formuła oświadczenia').fill(`Oświadczam: ${name}.`);
  await form.getByLabel('Cel przetwarzania').fill('Obsługa klienta');
  await form.getByLabel('Kanał').selectOption(channel);
  if (options.required) await form.getByLabel(/Wymagalność/).check();
  if (options.marketing) await form.getByLabel('Marketing bezpośredni').check();
  await form.getByRole('button', { name: 'Dodaj' }).click();
  await expect(page.getByTestId('consent-definition').filter({ hasText: name })).toBeVisible();
}

function definitionCard(page: Page, name: string) {
  return page.locator(`[data-testid="consent-definition"][data-name="${name}"]`);
}

async function setActive(page: Page, name: string, active: boolean) {
  const card = definitionCard(page, name);
  const box = card.getByLabel('Aktywna');
  if (active) await box.check(); else await box.uncheck();
  await card.getByRole('button', { name: 'Zapisz' }).click();
  await expect(definitionCard(page, name).getByText('nieaktywna')).toHaveCount(active ? 0 : 1);
}

const EXAMPLES = [
  'Obsługa zgłoszenia',
  'Marketing i newsletter: e-mail',
  'Marketing: SMS',
  'Marketing: telefon',
  'Udostępnianie danych innym podmiotom',
];

test('consents: defined by a manager, required before a case, granted with a recording, withdrawn', async ({ page }) => {
  const manager = await createUser(page, 'mgr', 'manager', 'Maria Menedżer');
  const consultant = await createUser(page, 'kons', 'consultant', 'Konrad Konsultant');
  const required = `Przetwarzanie danych ${Date.now() % 100000}`;
  const marketing = `Marketing e-mail ${Date.now() % 100000}`;

  // With no consent defined there is no consent icon.
  await signIn(page, consultant.login, consultant.password);
  const contactUrl = await newContact(page, 'Zgodna');
  await expect(page.getByTestId('log-call')).toBeVisible();
  await expect(page.getByTestId('consent-icon')).toHaveCount(0);
  await signOut(page);

  await signIn(page, manager.login, manager.password);
  await page.getByRole('link', { name: 'Część menedżerska' }).click();
  await page.getByRole('link', { name: 'RODO: Zgody' }).click();
  await expect(page.getByRole('heading', { name: 'Zgody', exact: true })).toBeVisible();
  await hydrated(page);
  // The empty page offers the spec's example set; adopted with one click.
  const examples = page.getByTestId('consent-examples');
  await expect(examples).toContainText('Przykładowy zestaw zgód');
  await examples.getByRole('button', { name: 'Dodaj przykładowe zgody' }).click();
  for (const name of EXAMPLES) {
    await expect(definitionCard(page, name)).toBeVisible();
  }
  await expect(page.getByTestId('consent-examples')).toHaveCount(0);
  const sharing = definitionCard(page, 'Udostępnianie danych innym podmiotom');
  await expect(sharing.getByLabel('Udostępnianie danych innym podmiotom')).toBeChecked();
  // This scenario tells its own story: the examples step aside.
  for (const name of EXAMPLES) await setActive(page, name, false);
  await defineConsent(page, required, 'any', { required: true });
  await defineConsent(page, marketing, 'email', { marketing: true });
  await signOut(page);

  await signIn(page, consultant.login, consultant.password);
  await page.goto(contactUrl);
  await hydrated(page);
  const icon = page.getByTestId('consent-icon');
  await expect(icon).toBeVisible();
  await expect(icon).toHaveAttribute('data-missing', 'true');

  // The case cannot be saved until the required consent is marked.
  await page.getByTestId('more-menu').click();
  await page.getByRole('menuitem', { name: 'Nowa sprawa' }).click();
  await hydrated(page);
  await page.getByLabel('Temat').fill('Pytanie o fakturę');
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page.getByRole('alert')).toHaveText(`Najpierw zaznacz wymagane zgody: ${required}.`);
  await expect(page).toHaveURL(/\/sprawy\/nowa/);

  // The icon opens the consents in place of the record's data; a recording is attached.
  await page.getByTestId('consent-icon').click();
  const panel = page.getByTestId('consent-panel');
  await expect(panel.getByTestId('consent')).toHaveCount(2);
  await expect(page.getByTestId('case-form')).toBeHidden();
  const item = panel.getByTestId('consent').filter({ hasText: required });
  await expect(item).toHaveAttribute('data-state', 'never_asked');
  await item.locator('input[type="file"]').setInputFiles({ name: 'rozmowa.wav', mimeType: 'audio/wav', buffer: recording() });
  await item.getByRole('button', { name: 'Wyraża zgodę' }).click();
  await expect(item).toHaveAttribute('data-state', 'granted');
  await item.locator('summary').click();
  await expect(item.getByTestId('evidence-audio')).toHaveCount(1);
  await expect(icon).toHaveAttribute('data-missing', 'false');

  await page.getByRole('button', { name: 'Wróć do danych' }).click();
  await expect(page.getByLabel('Temat')).toHaveValue('Pytanie o fakturę');
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page).toHaveURL(/\/sprawy\/\d+$/);
  await hydrated(page);

  // Granting and withdrawing sit in the same place.
  await page.getByTestId('consent-icon').click();
  const mkt = page.getByTestId('consent-panel').getByTestId('consent').filter({ hasText: marketing });
  await mkt.getByRole('button', { name: 'Wyraża zgodę' }).click();
  await expect(mkt).toHaveAttribute('data-state', 'granted');
  await mkt.getByRole('button', { name: 'Wycofuje zgodę' }).click();
  await expect(mkt).toHaveAttribute('data-state', 'withdrawn');
  await mkt.locator('summary').click();
  await expect(mkt.locator('.history li')).toHaveCount(2);

  // Marketing by e-mail is now blocked, with the reason.
  await page.getByTestId('log-email').click();
  const log = page.getByTestId('communication-form');
  await log.getByLabel('marketing').check();
  await log.getByRole('button', { name: 'Zarejestruj' }).click();
  await expect(page.getByTestId('contact-blocked')).toHaveText('Kontakt niedozwolony: zgoda została wycofana.');
  await signOut(page);

  // Tidy up for the other scenarios: inactive consents show no icon.
  await signIn(page, manager.login, manager.password);
  await page.goto('/menedzer/zgody');
  await hydrated(page);
  await setActive(page, required, false);
  await setActive(page, marketing, false);
  await signOut(page);
  await signIn(page, consultant.login, consultant.password);
  await page.goto(contactUrl);
  await hydrated(page);
  await expect(page.getByTestId('log-call')).toBeVisible();
  await expect(page.getByTestId('consent-icon')).toHaveCount(0);
});
