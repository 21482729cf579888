/**
 * The main navigation of every role, in Chromium: at 1280 px the header (name, navigation, the person and "Sign
 * out") is one row, however many places the role has (an admin has ten); places that do not fit sit under "More",
 * a disclosure that opens without JavaScript. On a 390 px phone nothing overflows the screen, and every place can
 * be reached and opened with the keyboard alone.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { demo, DEMO_PASSWORD } from '../helpers/e2e-world';

const people = [
  { role: 'admin', email: demo.admin, home: '/admin/overview' },
  { role: 'trainer', email: demo.trainer, home: '/trainer' },
  { role: 'manager', email: demo.managerA, home: '/team' },
  { role: 'learner', email: 'rep1@demo.test', home: '/learn' },
] as const;

async function signedInPage(
  browser: Browser,
  baseURL: string,
  email: string,
  width: number,
  javaScriptEnabled = true,
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 800 }, javaScriptEnabled });
  const res = await context.request.post('/login', {
    form: { email, password: DEMO_PASSWORD },
    headers: { origin: baseURL },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(303);
  return context.newPage();
}

/** Every link of the main navigation, whether shown at once or under "More". */
async function navTargets(page: Page): Promise<{ label: string; href: string }[]> {
  return page
    .locator('nav[aria-label="Main"] a')
    .evaluateAll((links) =>
      links.map((a) => ({ label: (a.firstChild?.textContent ?? '').trim(), href: a.getAttribute('href') ?? '' })),
    );
}

for (const person of people) {
  test(`${person.role}: the header is one row at 1280 px`, async ({ browser, baseURL }) => {
    const page = await signedInPage(browser, baseURL!, person.email, 1280);
    await page.goto(person.home);
    const nav = page.getByRole('navigation', { name: 'Main' });
    // The top-level entries: links, and the "More" button when there is one.
    const entries = nav.locator(':scope > ul > li > a, :scope > ul > li > details > summary');
    const boxes = await entries.evaluateAll((els) =>
      els.map((el) => ({ text: el.textContent?.trim(), ...el.getBoundingClientRect().toJSON() })),
    );
    expect(boxes.length).toBeGreaterThan(1);
    const rowTop = boxes[0]!.top;
    for (const b of boxes)
      expect(
        Math.abs(b.top - rowTop),
        `"${b.text}" on the first row (${JSON.stringify(boxes.map((x) => [x.text, x.top]))})`,
      ).toBeLessThan(4);
    // Name, navigation and the person's sign-out share that row: the header is as tall as one line of it.
    const brand = (await page.locator('.site-header .brand').boundingBox())!;
    const signOut = (await page.getByRole('button', { name: 'Sign out' }).boundingBox())!;
    const navBox = (await nav.boundingBox())!;
    for (const [what, box] of [
      ['brand', brand],
      ['sign out', signOut],
    ] as const) {
      expect(box.y, `${what} beside the navigation`).toBeLessThan(navBox.y + navBox.height);
      expect(box.y + box.height, `${what} beside the navigation`).toBeGreaterThan(navBox.y);
    }
    const header = (await page.locator('.site-header').boundingBox())!;
    expect(header.height, 'header height').toBeLessThan(80);
    await page.context().close();
  });
}

test('admin, without JavaScript: "More" opens and its places work; the current page is marked even when under it', async ({
  browser,
  baseURL,
}) => {
  const page = await signedInPage(browser, baseURL!, demo.admin, 1280, false);
  await page.goto('/admin/lrs-credentials');
  const nav = page.getByRole('navigation', { name: 'Main' });
  const lrs = nav.getByRole('link', { name: 'LRS' });
  await expect(lrs).toBeHidden();
  const more = nav.locator('summary', { hasText: 'More' });
  // It says that it holds the page shown, to screen readers too.
  await expect(more).toContainText('holds the current page');
  await more.click();
  await expect(lrs).toBeVisible();
  await expect(lrs).toHaveAttribute('aria-current', 'page');
  await nav.getByRole('link', { name: 'Certificates' }).click();
  await expect(page).toHaveURL(/\/admin\/certificates$/);
  await page.context().close();
});

for (const person of people) {
  test(`${person.role}: on a 390 px phone nothing overflows and the keyboard reaches every place`, async ({
    browser,
    baseURL,
  }) => {
    const page = await signedInPage(browser, baseURL!, person.email, 390);
    await page.goto(person.home);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), 'page width').toBeLessThanOrEqual(390);
    const targets = await navTargets(page);
    const reached = new Set<string>();
    // Tab through the header; open "More" with Enter when it has focus, as a keyboard user would.
    for (let i = 0; i < 40 && reached.size < targets.length; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return {
          tag: el?.tagName ?? '',
          href: el?.getAttribute('href') ?? '',
          open: el?.parentElement?.hasAttribute('open') ?? false,
        };
      });
      if (focused.tag === 'SUMMARY' && !focused.open) await page.keyboard.press('Enter');
      if (focused.tag === 'A' && targets.some((t) => t.href === focused.href)) {
        const box = (await page.locator(':focus').boundingBox())!;
        expect(box.x, `${focused.href} on screen`).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width, `${focused.href} on screen`).toBeLessThanOrEqual(390);
        reached.add(focused.href);
      }
    }
    expect([...reached].sort()).toEqual(targets.map((t) => t.href).sort());
    // And a place under "More" opens with Enter.
    const last = targets.at(-1)!;
    await page.locator(`nav[aria-label="Main"] a[href="${last.href}"]`).focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`${last.href.replace(/\//g, '\\/')}$`));
    await page.context().close();
  });
}
