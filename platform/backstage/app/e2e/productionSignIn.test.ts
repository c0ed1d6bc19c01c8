import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { ARTIFACTS_DIR } from './support/paths';
import { startPortal } from './support/portal';

describe('the portal with production sign-in', () => {
  it('offers GitHub sign-in and no guest access when auth.environment is production', async () => {
    const portal = await startPortal({ logName: 'smoke-production-portal', config: { auth: { environment: 'production' } } });
    const browser = await launchBrowser();
    try {
      const { page } = browser;
      await page.goto(`${portal.baseUrl}/catalog`);
      await page.getByText('Sign in with your GitHub account').waitFor({ timeout: 60_000 });
      expect(await page.getByRole('button', { name: 'Enter' }).count(), 'no guest sign-in in production').toBe(0);
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'sign-in-production.png') });
    } finally {
      await browser.close();
      await portal.stop();
    }
  });
});
