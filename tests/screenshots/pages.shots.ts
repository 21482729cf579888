/**
 * Screenshots of the main pages, each at desktop (1280px) and phone (390px) width, as the demo people see them:
 * docs/screenshots/<name>-desktop.png and <name>-phone.png, linked from the README. Run with `npm run screenshots`
 * (builds first). Each shot is the top of the page, up to MAX_HEIGHT px, so long lessons stay small files.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { DEMO_PASSWORD, demo } from '../helpers/e2e-world';

const OUT = 'docs/screenshots';
const MAX_HEIGHT = 1800;
const widths = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

async function signIn(
  browser: Browser,
  email: string | null,
  viewport: { width: number; height: number },
): Promise<Page> {
  const page = await (await browser.newContext({ viewport, deviceScaleFactor: 1 })).newPage();
  if (email) {
    await page.goto('/login');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).not.toHaveURL(/\/login/);
  }
  return page;
}

async function shoot(page: Page, name: string, size: keyof typeof widths) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.screenshot({
    path: `${OUT}/${name}-${size}.png`,
    fullPage: true,
    clip: { x: 0, y: 0, width: widths[size].width, height: Math.min(height, MAX_HEIGHT) },
    animations: 'disabled',
  });
}

/** Who sees each page, and how to get there (a path, or steps from one). */
const shots: { name: string; who: string | null; path: string; then?: (page: Page) => Promise<void> }[] = [
  { name: 'login', who: null, path: '/login' },
  { name: 'learn', who: 'rep3@demo.test', path: '/learn' },
  { name: 'lesson', who: 'rep1@demo.test', path: '/modules/greeting-and-attitude' },
  {
    name: 'quiz',
    who: 'rep1@demo.test',
    path: '/quizzes/greeting-and-attitude-quiz',
    then: async (page) => {
      const start = page.getByRole('button', { name: /^Start/ });
      if (await start.isVisible()) await start.click();
      await expect(page.getByText(/Question 1/).first()).toBeVisible();
    },
  },
  {
    name: 'roleplay',
    who: 'rep1@demo.test',
    path: '/roleplays/late-delivery-promise',
    then: async (page) => {
      const start = page.getByRole('button', { name: /Start the conversation|Play again/ });
      if (await start.isVisible()) await start.click();
      await expect(page.getByRole('region', { name: /How .* feels/ })).toBeVisible();
    },
  },
  {
    name: 'certificate',
    who: 'rep5@demo.test',
    path: '/learn',
    then: async (page) => {
      await page.getByRole('link', { name: 'Your certificate' }).first().click();
      await expect(page.getByRole('heading', { name: 'Certificate', level: 1 })).toBeVisible();
    },
  },
  { name: 'team', who: demo.managerA, path: '/team' },
  { name: 'reviews', who: demo.managerA, path: '/team/reviews' },
  { name: 'trainer', who: demo.trainer, path: '/trainer' },
  { name: 'admin', who: demo.admin, path: '/admin/overview' },
];

for (const shot of shots) {
  for (const size of Object.keys(widths) as (keyof typeof widths)[]) {
    test(`${shot.name} at ${size} width`, async ({ browser }) => {
      const page = await signIn(browser, shot.who, widths[size]);
      await page.goto(shot.path);
      await shot.then?.(page);
      await page.evaluate(() => document.fonts.ready);
      await shoot(page, shot.name, size);
      await page.context().close();
    });
  }
}
