import { join } from 'node:path';
import { describe, expect, it, onTestFailed } from 'vitest';
import { platformEntities } from '../support/catalogEntities';
import { ARTIFACTS_DIR } from '../support/paths';
import type { Portal } from '../support/portal';
import type { Browser } from '../support/browser';
import { openSignedIn } from '../support/signIn';

/** The catalog a guest sees: the platform's own components and System, and the example team. */
export function catalogFlow(stack: () => { portal: Portal; browser: Browser }): void {
  describe('the portal in a real browser', () => {
    it('serves the app on the backend port, signs in as guest, lists the platform in the catalog and shows the example team', async () => {
      const { portal, browser } = stack();
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
}
