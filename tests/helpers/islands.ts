/**
 * Waiting for an Astro island to hydrate, the way a person waits for a control to respond rather than for a fixed
 * time. Astro renders an island's HTML on the server with an `ssr` attribute on its <astro-island> and removes that
 * attribute once the component has run in the browser; until then clicks and key presses reach only the plain HTML
 * (a form post, or nothing at all). A `client:visible` island hydrates only once it is on screen, so a scoped wait
 * first scrolls its region into view, as a reader would.
 */
import type { Locator, Page } from '@playwright/test';

export async function waitForHydration(scope: Page | Locator): Promise<void> {
  if ('scrollIntoViewIfNeeded' in scope) await scope.scrollIntoViewIfNeeded();
  await scope.locator('astro-island:not([ssr])').first().waitFor({ state: 'attached' });
}
