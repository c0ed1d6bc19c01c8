import type { Page } from 'playwright-core';

/** Opens a portal path, signing in as the guest user when the sign-in page asks. */
export async function openSignedIn(page: Page, url: string): Promise<void> {
  await page.goto(url);
  const enter = page.getByRole('button', { name: 'Enter' });
  // The sidebar's links render once the app is past sign-in.
  const signedIn = page.getByRole('link', { name: 'Catalog' }).first();
  await Promise.race([enter.waitFor({ timeout: 60_000 }), signedIn.waitFor({ timeout: 60_000 })]);
  if (await enter.isVisible()) {
    await enter.click();
    await signedIn.waitFor({ timeout: 60_000 });
  }
}
