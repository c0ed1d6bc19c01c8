import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { launchBrowser, type Browser } from './support/browser';
import { platformEntities } from './support/catalogEntities';
import { ARTIFACTS_DIR } from './support/paths';
import { startPortal, type Portal } from './support/portal';
import { openSignedIn } from './support/signIn';

describe('the portal in a real browser', () => {
  let portal: Portal;
  let browser: Browser;

  beforeAll(async () => {
    portal = await startPortal({ logName: 'smoke-portal' });
    // eslint-disable-next-line no-console -- start-up time belongs in the test log
    console.log(`portal ready in ${(portal.startupMs / 1000).toFixed(1)} s`);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  });

  it('serves the app on the backend port, signs in as guest, lists the platform in the catalog and shows the example team', async () => {
    const { page } = browser;
    onTestFailed(async () => {
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'smoke-failure.png'), fullPage: true }).catch(() => {});
    });
    const entities = await platformEntities();
    const components = entities.filter((e) => e.kind === 'Component');
    const system = entities.find((e) => e.kind === 'System');
    expect(components.length, 'catalog-info.yaml declares the platform components').toBeGreaterThan(0);
    expect(system, 'catalog-info.yaml declares the platform System').toBeDefined();

    await openSignedIn(page, `${portal.baseUrl}/`);
    await page.waitForURL(/\/catalog(\?|$)/, { timeout: 30_000 });
    await page.getByRole('heading', { name: 'IDP Catalog' }).waitFor();
    const table = page.getByRole('table');
    // The catalog loads the file in the background: allow it one processing round.
    for (const component of components) {
      await table.getByRole('link', { name: component.name, exact: true }).waitFor({ timeout: 60_000 });
    }
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'catalog.png') });

    // The example org's team page (plugin-org) lists its members.
    await page.goto(`${portal.baseUrl}/catalog/default/group/ml-team`);
    await page.getByRole('heading', { name: 'ML team' }).first().waitFor({ timeout: 30_000 });
    await page.getByText('Ada Lovelace').first().waitFor({ timeout: 30_000 });

    await page.goto(`${portal.baseUrl}/catalog/default/system/${system!.name}`);
    await page.getByRole('heading', { name: system!.title ?? system!.name }).first().waitFor({ timeout: 30_000 });
    for (const component of components) {
      await page.getByRole('link', { name: component.name, exact: true }).first().waitFor({ timeout: 30_000 });
    }
  });
});

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
