import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createUser, hydrated, signIn } from './helpers';

// Windows-1250 bytes for the Polish letters; the rest of the text is ASCII.
const CP1250: Record<string, number> = {
  'ą': 0xb9, 'ć': 0xe6, 'ę': 0xea, 'ł': 0xb3, 'ń': 0xf1, 'ó': 0xf3, 'ś': 0x9c, 'ź': 0x9f, 'ż': 0xbf,
  'Ą': 0xa5, 'Ć': 0xc6, 'Ę': 0xca, 'Ł': 0xa3, 'Ń': 0xd1, 'Ó': 0xd3, 'Ś': 0x8c, 'Ź': 0x8f, 'Ż': 0xaf,
};

function windows1250(text: string): Buffer {
  return Buffer.from([...text].map((c) => CP1250[c] ?? c.charCodeAt(0)));
}

// The spec's first scenario: "Baza danych i przydzielanie" → "Import z pliku" →
// "Importuj rekordy", a Windows-1250 file, through the report, "Edycja" and "OK".
test('a manager imports a Windows-1250 file through the wizard and reads the report', async ({ page }) => {
  const manager = await createUser(page, 'imp', 'manager', 'Irena Importująca');
  const stamp = Date.now() % 1000000;
  const last = `Żółkiewska${stamp}`;
  const phone = `69${String(stamp).padStart(7, '0')}`;
  const file = windows1250(
    'Imię;Nazwisko;Telefon;E-mail;Miasto\r\n' +
      `Łucja;${last};0048 ${phone.slice(0, 3)}-${phone.slice(3, 6)}-${phone.slice(6)};;Łódź\r\n` +
      'Ewa;=1+1;601000001;zly-mail;Gdańsk\r\n' +
      `Jan;Kowalski${stamp};;jan${stamp}@example.pl;Kraków\r\n`,
  );

  await signIn(page, manager.login, manager.password);
  await page.getByRole('link', { name: 'Część menedżerska' }).click();
  // The spec's path "Baza danych i przydzielanie → Import z pliku", as written.
  const database = page.getByRole('group', { name: 'Baza danych i przydzielanie' });
  await database.getByRole('link', { name: 'Import z pliku' }).click();
  await expect(page.getByRole('heading', { name: 'Import z pliku' })).toBeVisible();
  await expect(page.getByRole('main').getByText('Baza danych i przydzielanie')).toBeVisible();
  await hydrated(page);
  await page.getByRole('link', { name: 'Importuj rekordy' }).click();
  await expect(page.getByRole('heading', { name: 'Importuj rekordy' })).toBeVisible();
  await hydrated(page);

  // 3–5. Choose the file, "Wczytaj dane": the code page is told and Polish letters read.
  await page.getByTestId('import-file').setInputFiles({ name: 'targi.csv', mimeType: 'text/csv', buffer: file });
  await page.getByRole('button', { name: 'Wczytaj dane' }).click();
  const preview = page.getByTestId('import-preview');
  await expect(preview).toContainText(last);
  await expect(preview).toContainText('Łódź');
  await expect(page.getByTestId('import-encoding')).toHaveValue('windows-1250');
  // Read as another code page, the letters change; back to Windows-1250.
  await page.getByTestId('import-encoding').selectOption('cp852');
  await expect(preview).not.toContainText('Łódź');
  await page.getByTestId('import-encoding').selectOption('windows-1250');
  await expect(preview).toContainText('Łódź');
  await page.getByTestId('import-file-name').fill('targi-jesien.csv');
  await page.getByRole('button', { name: 'Dalej' }).click();

  // 7–9. The required fields, a new source added on the spot.
  const details = page.getByTestId('import-step-details');
  await expect(details).toBeVisible();
  await page.getByTestId('import-next-2').click();
  await expect(details).toContainText('To pole jest wymagane.');
  await page.getByTestId('import-name').fill(`Targi jesień ${stamp}`);
  await page.getByTestId('import-add-source').click();
  const sourceForm = page.getByTestId('import-source-form');
  await sourceForm.locator('input[name="name"]').fill(`Targi ${stamp}`);
  await page.getByTestId('import-source-save').click();
  await expect(page.getByTestId('import-source').locator('option:checked')).toHaveText(`Targi ${stamp}`);
  await page.getByTestId('import-next-2').click();

  // 11. Mapping suggested from the Polish headers; options; a template saved.
  const mapping = page.getByTestId('import-mapping');
  await expect(mapping).toBeVisible();
  await expect(page.locator('[data-testid="import-mapping-row"][data-column="Telefon"] select')).toHaveValue('phone');
  await expect(page.locator('[data-testid="import-mapping-row"][data-column="Imię"] select')).toHaveValue('first_name');
  await expect(page.getByTestId('import-delimiter')).toHaveValue(';');
  await page.getByTestId('import-template-name').fill(`Szablon ${stamp}`);
  await page.getByTestId('import-template-save').click();
  await expect(page.getByText('Szablon zapisany.')).toBeVisible();

  // 12–13. "Importuj": the report, which a reload keeps.
  await page.getByRole('button', { name: 'Importuj', exact: true }).click();
  await expect(page).toHaveURL(/\/menedzer\/import\/\d+$/);
  const report = page.getByTestId('import-report');
  await expect(report).toHaveAttribute('data-status', 'done', { timeout: 30000 });
  await page.reload();
  await hydrated(page);
  await expect(report).toHaveAttribute('data-status', 'done');
  await expect(page.getByTestId('count-rows_read')).toHaveText('3');
  await expect(page.getByTestId('count-added')).toHaveText('2');
  await expect(page.getByTestId('count-rejected')).toHaveText('1');
  await expect(page.getByTestId('count-phones_repaired')).toHaveText('1');
  await expect(page.getByTestId('import-rejections')).toContainText('Nieprawidłowy adres e-mail.');
  await expect(report).toContainText('targi-jesien.csv');

  // The rejected rows, in Windows-1250, the formula neutralised.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('import-download').click(),
  ]);
  const bytes = readFileSync((await download.path())!);
  const text = new TextDecoder('windows-1250').decode(bytes);
  expect(text).toContain('Imię;Nazwisko;Telefon;E-mail;Miasto');
  expect(text).toContain("Ewa;'=1+1;601000001;zly-mail;Gdańsk");

  // 15. "Edycja" adds a description; 14. "OK" confirms.
  await page.getByRole('button', { name: 'Edycja' }).click();
  await page.getByTestId('import-description-edit').fill('Lista z jesiennych targów');
  await page.getByTestId('import-description-save').click();
  await expect(page.getByTestId('import-description')).toHaveText('Lista z jesiennych targów');
  await page.getByRole('button', { name: 'OK', exact: true }).click();
  await expect(page.getByTestId('import-confirmed')).toHaveText('Raport zatwierdzony.');

  // The imported person is on the contact list, with the letters intact.
  await page.goto('/kontakty');
  await hydrated(page);
  await page.getByRole('searchbox').fill(`+48${phone}`);
  await page.getByRole('searchbox').press('Enter');
  await expect(page.getByText(`Łucja ${last}`)).toBeVisible();

  // Past imports are listed with their reports.
  await page.goto('/menedzer/import');
  await expect(page.getByTestId('import-list')).toContainText(`Targi jesień ${stamp}`);
  await expect(page.getByTestId('import-list')).toContainText('Lista z jesiennych targów');
});
