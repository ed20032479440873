import { expect, Page, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createUser, hydrated, signIn } from './helpers';

/** Clicks "Eksportuj" on the export form and returns the downloaded file's bytes and name. */
async function exportFile(page: Page, purpose: string) {
  await page.getByLabel('Cel eksportu').fill(purpose);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Eksportuj', exact: true }).click(),
  ]);
  const bytes = readFileSync((await download.path())!);
  return { bytes, name: download.suggestedFilename() };
}

// The spec's scenario "Jak wyeksportować kontakty do pliku?":
// 1. Przejdź do widoku Szukaj. 2. Określ warunki wyszukiwania za pomocą filtrów i wyszukaj
// interesujące Cię kontakty. 3. Kliknij Eksportuj. 4. Kontakty zostaną wyeksportowane do
// pliku i rozpocznie się ich pobieranie.
test('a manager searches, clicks Eksportuj and downloads the file with Polish letters intact', async ({ page }) => {
  const manager = await createUser(page, 'eks', 'manager', 'Ewa Eksportująca');
  await signIn(page, manager.login, manager.password);
  const stamp = String(Date.now() % 1_000_000).padStart(6, '0');
  const last = `Gęślą${stamp}`;

  // A contact to find: "Zażółć Gęślą…" from Łódź.
  await page.goto('/kontakty/nowy');
  await hydrated(page);
  await page.getByLabel('Imię', { exact: true }).fill('Zażółć');
  await page.getByLabel('Nazwisko', { exact: true }).fill(last);
  await page.getByLabel('Miejscowość').fill('Łódź');
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page).toHaveURL(/\/kontakty\/\d+$/);

  // 1. "Szukaj", through the manager part's section "Baza danych i przydzielanie".
  await page.getByRole('link', { name: 'Część menedżerska' }).click();
  const database = page.getByRole('group', { name: 'Baza danych i przydzielanie' });
  await expect(database).toBeVisible();
  await database.getByRole('link', { name: 'Szukaj', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Szukaj', exact: true })).toBeVisible();
  await hydrated(page);

  // 2. A filter, then "Szukaj".
  await page.getByLabel('Nazwa (słowa imienia, nazwiska lub firmy)').fill(last);
  await page.getByRole('button', { name: 'Szukaj', exact: true }).click();
  const results = page.getByTestId('search-results');
  await expect(results).toContainText(last);
  await expect(page.getByTestId('search-total')).toContainText('1');

  // 3. "Eksportuj": the export form, with the number of contacts the filter finds.
  await page.getByRole('link', { name: 'Eksportuj', exact: true }).click();
  await expect(page).toHaveURL(/\/menedzer\/szukaj\/eksport\?/);
  await expect(page.getByRole('heading', { name: 'Eksport kontaktów do pliku' })).toBeVisible();
  await expect(page.getByTestId('export-count')).toHaveText('1');
  await hydrated(page);
  const exportUrl = page.url();

  // 4. The download starts: CSV in UTF-8 with BOM, ";" between fields.
  const utf8 = await exportFile(page, 'Wysyłka katalogu');
  expect(utf8.name).toMatch(/^zgoda-eksport-\d{8}-\d{4}\.csv$/);
  expect([...utf8.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder('utf-8').decode(utf8.bytes.subarray(3));
  const lines = text.split('\r\n');
  expect(lines[0]).toBe('Identyfikator;Imię;Nazwisko;Nazwa firmy;Miejscowość;Telefony;Adresy e-mail');
  expect(lines[1]).toMatch(new RegExp(`^\\d+;Zażółć;${last};;Łódź;;$`));

  // The same in Windows-1250: one byte per Polish letter, read back intact.
  await page.goto(exportUrl);
  await hydrated(page);
  await page.getByLabel('Kodowanie CSV').selectOption('cp1250');
  const cp1250 = await exportFile(page, 'Wysyłka katalogu (Windows-1250)');
  expect([...cp1250.bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
  const decoded = new TextDecoder('windows-1250').decode(cp1250.bytes);
  expect(decoded.split('\r\n')[1]).toMatch(new RegExp(`^\\d+;Zażółć;${last};;Łódź;;$`));

  // Both exports are in the disclosure log, with their purpose.
  await page.goto('/menedzer/udostepnienia');
  const log = page.getByTestId('disclosures');
  await expect(log).toContainText('Organizacja (eksport wewnętrzny)');
  await expect(log).toContainText('Wysyłka katalogu (Windows-1250)');
});
