import { expect, test } from '@playwright/test';
import { createUser, hydrated, signIn } from './helpers';

// "Pulpit konsultanta" on a 10-inch tablet held upright: a call starts in the lookup,
// the card just opened is under "Ostatnio otwierane", phones read in groups, tables
// scroll inside their box and the channel buttons draw without an emoji font.
test.use({ viewport: { width: 768, height: 1024 } });

const EMOJI = /\p{Extended_Pictographic}/u;

test('the consultant desk: lookup focused, recent cards and cases, grouped phones, tablet tables, SVG icons', async ({ page }) => {
  const me = await createUser(page, 'pulpit', 'consultant', 'Paula Pulpitowa');
  await signIn(page, me.login, me.password);
  const digits = String(Date.now() % 1_000_000).padStart(6, '0');
  const e164 = `+48500${digits}`;
  const grouped = `+48 500 ${digits.slice(0, 3)} ${digits.slice(3)}`;
  const last = `Biurkowa${digits}`;

  // The start page: the cursor waits in the lookup.
  await page.goto('/');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Pulpit konsultanta' })).toBeVisible();
  await expect(page.getByRole('searchbox')).toBeFocused();
  await expect(page.getByTestId('desk-recent')).toContainText('Ostatnio otwierane');
  await expect(page.getByTestId('desk-cases')).toContainText('Moje otwarte sprawy');
  await expect(page.getByTestId('desk-erasures')).toContainText('Moje wnioski o usunięcie');

  // A contact with a long e-mail address, the kind that pushes a table wide.
  await page.goto('/kontakty/nowy');
  await hydrated(page);
  await page.getByLabel('Imię', { exact: true }).fill('Bożena');
  await page.getByLabel('Nazwisko', { exact: true }).fill(last);
  await page.getByRole('button', { name: 'Dodaj telefon' }).click();
  await page.locator('input[name="phones.0"]').fill(`500${digits}`);
  await page.getByRole('button', { name: 'Dodaj e-mail' }).click();
  await page.locator('input[name="emails.0"]').fill(`bozena.biurkowa.dzial.reklamacji.${digits}@przedsiebiorstwo-przykladowe.example.pl`);
  await page.getByLabel('Miejscowość').fill('Szczebrzeszyn');
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page).toHaveURL(/\/kontakty\/\d+$/);
  const contactId = page.url().split('/').pop()!;
  await hydrated(page);

  // The card: the phone grouped; the channel buttons are SVG icons with their labels.
  await expect(page.locator('input[name="phones.0"]')).toHaveValue(grouped);
  for (const [id, label] of [['log-call', 'Rozmowa telefoniczna'], ['log-email', 'E-mail'], ['log-sms', 'SMS']]) {
    const button = page.getByTestId(id);
    await expect(button).toHaveAttribute('aria-label', label);
    await expect(button.locator('svg')).toHaveCount(1);
    expect(await button.textContent()).not.toMatch(EMOJI);
  }
  await expect(page.getByRole('button', { name: 'Rozmowa telefoniczna' })).toBeVisible();

  // Back on the desk, the card just opened is the first recent item.
  await page.goto('/');
  await hydrated(page);
  const recent = page.getByTestId('recent-item').first();
  await expect(recent).toHaveAttribute('data-contact', contactId);
  await expect(recent).toContainText(`Bożena ${last}`);
  await expect(recent.locator('a.tel')).toHaveText(grouped);
  await expect(recent.locator('a.tel')).toHaveAttribute('href', `tel:${e164}`);

  // A case of the contact, assigned to me by default: on the desk as opened and as mine.
  await page.goto(`/sprawy/nowa?kontakt=${contactId}`);
  await hydrated(page);
  await expect(page.getByTestId('case-contact')).toContainText(grouped);
  await page.getByLabel('Temat').fill(`Reklamacja biurka ${digits}`);
  await page.getByRole('button', { name: 'Zapisz' }).click();
  await expect(page).toHaveURL(/\/sprawy\/\d+$/);
  const caseId = page.url().split('/').pop()!;
  await hydrated(page);
  await expect(page.getByTestId('case-contact')).toContainText(grouped);
  await page.goto('/');
  await hydrated(page);
  await expect(page.getByTestId('recent-item').first()).toHaveAttribute('data-case', caseId);
  await expect(page.getByTestId('my-case').filter({ hasText: `Reklamacja biurka ${digits}` })).toHaveCount(1);

  // The lookup on the desk, typed the way people say a number.
  await page.getByRole('searchbox').fill(`500 ${digits.slice(0, 3)} ${digits.slice(3)}`);
  await page.getByRole('searchbox').press('Enter');
  await expect(page).toHaveURL(/\/\?q=/);
  const found = page.getByTestId('contacts').locator('tbody tr');
  await expect(found).toHaveCount(1);
  await expect(found.first()).toContainText(`Bożena ${last}`);
  await expect(found.first().locator('a.tel')).toHaveText(grouped);

  // The contact list on the tablet: the page never scrolls sideways; the last column
  // is in view, or reachable by scrolling the table's own box.
  await page.goto('/kontakty');
  await hydrated(page);
  const table = page.getByTestId('contacts');
  await expect(table).toContainText(last);
  await expect(table.locator('tbody tr').filter({ hasText: last }).locator('a.tel')).toHaveText(grouped);
  await expect(table.locator('thead th').last()).toHaveText('Miejscowość');
  const layout = await table.evaluate((element) => {
    const wrap = element.closest('.table-wrap') as HTMLElement;
    const scrollable = wrap.scrollWidth > wrap.clientWidth;
    wrap.scrollLeft = wrap.scrollWidth;
    const lastHead = element.querySelector('thead th:last-child')!.getBoundingClientRect();
    const box = wrap.getBoundingClientRect();
    return {
      overflowX: getComputedStyle(wrap).overflowX,
      scrollable,
      lastLeft: lastHead.left,
      lastRight: lastHead.right,
      boxLeft: box.left,
      boxRight: box.right,
      pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    };
  });
  expect(layout.pageOverflow).toBeLessThanOrEqual(0);
  expect(layout.boxRight).toBeLessThanOrEqual(768);
  expect(layout.lastLeft).toBeGreaterThanOrEqual(layout.boxLeft - 1);
  expect(layout.lastRight).toBeLessThanOrEqual(layout.boxRight + 1);
  if (layout.scrollable) expect(['auto', 'scroll']).toContain(layout.overflowX);
  await expect(table.locator('tbody tr').filter({ hasText: last }).getByText('Szczebrzeszyn')).toBeVisible();
});
