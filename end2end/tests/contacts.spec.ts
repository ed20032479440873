import { expect, test } from '@playwright/test';
import { createUser, hydrated, signIn } from './helpers';

// A consultant's day with the contact card and the case card, in Polish.
test('a consultant creates a contact and a case, edits them, and finds them again after a reload', async ({ page }) => {
  const me = await createUser(page, 'kons', 'consultant', 'Karol Konsultant');
  await signIn(page, me.login, me.password);
  const digits = String(Date.now() % 1_000_000).padStart(6, '0');
  const phone = `600 ${digits.slice(0, 3)} ${digits.slice(3)}`;
  const e164 = `+48600${digits}`;
  // Phones read the way people say them; the stored value stays E.164.
  const grouped = `+48 ${phone}`;

  await page.getByRole('link', { name: 'Kontakty' }).click();
  await expect(page.getByRole('heading', { name: 'Kontakty' })).toBeVisible();
  await page.getByRole('link', { name: 'Nowy kontakt' }).click();
  await expect(page).toHaveURL(/\/kontakty\/nowy$/);
  await hydrated(page);

  // Invalid values: a message at each field, in Polish, and nothing saved.
  await page.getByLabel('Imię', { exact: true }).fill('Łucja');
  await page.getByLabel('Nazwisko', { exact: true }).fill('Wiśniewska');
  await page.getByRole('button', { name: 'Dodaj telefon' }).click();
  await page.locator('input[name="phones.0"]').fill('12 34');
  await page.getByRole('button', { name: 'Dodaj e-mail' }).click();
  await page.locator('input[name="emails.0"]').fill('lucja@');
  await page.getByLabel('PESEL').fill('44051401358');
  await page.getByLabel('NIP', { exact: true }).fill('1234567890');
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page.locator('.field-error[data-field="phones.0"]')).toHaveText('Nieprawidłowy numer telefonu.');
  await expect(page.locator('.field-error[data-field="emails.0"]')).toHaveText('Nieprawidłowy adres e-mail.');
  await expect(page.locator('.field-error[data-field="pesel"]')).toHaveText('Nieprawidłowy numer PESEL.');
  await expect(page.locator('.field-error[data-field="nip"]')).toHaveText('Nieprawidłowy numer NIP.');
  await expect(page.getByRole('alert')).toHaveText('Popraw zaznaczone pola. Nic nie zostało zapisane.');
  await expect(page).toHaveURL(/\/kontakty\/nowy$/);

  await page.locator('input[name="phones.0"]').fill(phone);
  await page.locator('input[name="emails.0"]').fill(`Lucja.${digits}@Example.PL`);
  await page.getByLabel('PESEL').fill('44051401359');
  await page.getByLabel('NIP', { exact: true }).fill('526-000-12-46');
  await page.getByLabel('Miejscowość').fill('Łódź');
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page).toHaveURL(/\/kontakty\/\d+$/);
  await expect(page.getByTestId('contact-name')).toHaveText('Łucja Wiśniewska');
  const contactUrl = page.url();

  // After a reload the values are there, normalised; an empty field reads "—".
  await page.reload();
  await hydrated(page);
  await expect(page.locator('input[name="phones.0"]')).toHaveValue(grouped);
  await expect(page.locator('input[name="emails.0"]')).toHaveValue(`lucja.${digits}@example.pl`);
  await expect(page.getByLabel('NIP', { exact: true })).toHaveValue('5260001246');
  await expect(page.getByLabel('Ulica i numer')).toHaveAttribute('placeholder', '—');

  // Edit: a second phone, a new town.
  await page.getByRole('button', { name: 'Dodaj telefon' }).click();
  await page.locator('input[name="phones.1"]').fill('+48 22 555 01 02');
  await page.getByLabel('Miejscowość').fill('Kraków');
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page.getByRole('status')).toHaveText('Zapisano.');
  await page.reload();
  await hydrated(page);
  await expect(page.locator('input[name="phones.1"]')).toHaveValue('+48 225 550 102');
  await expect(page.getByLabel('Miejscowość')).toHaveValue('Kraków');

  // The "⋮" menu beside "Zapisz" leads to a new case.
  await page.getByTestId('more-menu').click();
  await page.getByRole('menuitem', { name: 'Nowa sprawa' }).click();
  await expect(page).toHaveURL(/\/sprawy\/nowa\?kontakt=\d+$/);
  await hydrated(page);
  await expect(page.getByTestId('case-contact')).toContainText('Łucja Wiśniewska');
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page.locator('.field-error[data-field="subject"]')).toHaveText('To pole jest wymagane.');
  await page.getByLabel('Temat').fill('Reklamacja pralki');
  await page.getByLabel('Opis').fill('Pralka nie wiruje od tygodnia.');
  await page.getByLabel('Kanał zgłoszenia').selectOption('phone');
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page).toHaveURL(/\/sprawy\/\d+$/);
  await hydrated(page);
  await expect(page.getByTestId('case-contact')).toContainText(grouped);
  await expect(page.getByTestId('case-contact').locator('a.tel').first()).toHaveAttribute('href', `tel:${e164}`);
  await expect(page.getByLabel('Przypisana do')).toHaveValue(/\d+/);

  await page.getByLabel('Status').selectOption('in_progress');
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page.getByRole('status')).toHaveText('Zapisano.');
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel('Status')).toHaveValue('in_progress');
  await expect(page.getByLabel('Temat')).toHaveValue('Reklamacja pralki');

  // Found again by phone, by e-mail and by a word of the name.
  for (const q of [phone, `lucja.${digits}@example.pl`]) {
    await page.goto(`/kontakty?q=${encodeURIComponent(q)}`);
    await expect(page.getByTestId('contacts').locator('tbody tr')).toHaveCount(1);
  }
  await page.goto('/kontakty');
  await page.getByLabel('Szukaj: telefon, e-mail, PESEL, NIP albo imię i nazwisko').fill('wisniewska lucja');
  await page.getByRole('button', { name: 'Szukaj' }).click();
  await page.getByRole('link', { name: 'Łucja Wiśniewska' }).first().click();
  await expect(page).toHaveURL(contactUrl);
  await expect(page.getByTestId('contact-cases')).toContainText('Reklamacja pralki');
  await expect(page.getByTestId('contact-cases')).toContainText('w toku');
  await expect(page.getByTestId('contact-cases')).toContainText('Karol Konsultant');
});
