import { it } from 'vitest';
import { startGithubEmulator } from '@idp/github';
import { launchBrowser } from './support/browser';
import { startPortal } from './support/portal';
import { openSignedIn } from './support/signIn';

it('explore', async () => {
  const gh = await startGithubEmulator({ orgs: [{ login: 'acme', teams: ['ml-team', 'platform-team'] }] });
  const integ = (host: string) => ({ host, apiBaseUrl: gh.apiBaseUrl, token: gh.token });
  const portal = await startPortal({ logName: 'explore', config: { integrations: { github: [integ('github.com'), integ(gh.host)] } } });
  const b = await launchBrowser();
  const p = b.page;
  try {
    await openSignedIn(p, `${portal.baseUrl}/create`);
    await p.waitForTimeout(3000);
    await p.screenshot({ path: '/tmp/h6-create1.png' });
    await p.getByRole('button', { name: 'Choose' }).first().click();
    await p.waitForTimeout(3000);
    await p.screenshot({ path: '/tmp/h6-create2.png', fullPage: true });
    await p.getByLabel('Name').first().fill('Fraud_Detector');
    await p.getByRole('button', { name: 'Next' }).click();
    await p.waitForTimeout(1500);
    await p.screenshot({ path: '/tmp/h6-create3.png', fullPage: true });
    await p.getByLabel('Name').first().fill('fraud-detector');
    await p.getByLabel('Owner').first().click();
    await p.waitForTimeout(1500);
    await p.screenshot({ path: '/tmp/h6-create4.png', fullPage: true });
    await p.keyboard.press('Escape');
    await p.getByRole('button', { name: 'Next' }).click();
    await p.waitForTimeout(1500);
    await p.screenshot({ path: '/tmp/h6-create5.png', fullPage: true });
    require('fs').writeFileSync('/tmp/h6-create5.html', await p.content());
    await p.getByRole('button', { name: 'Next' }).click();
    await p.waitForTimeout(1500);
    await p.screenshot({ path: '/tmp/h6-create6.png', fullPage: true });
    require('fs').writeFileSync('/tmp/h6-create6.html', await p.content());
    await p.getByRole('button', { name: 'Next' }).click();
    await p.waitForTimeout(1500);
    await p.screenshot({ path: '/tmp/h6-create7.png', fullPage: true });
    require('fs').writeFileSync('/tmp/h6-create7.html', await p.content());
    console.log(b.errors.join('\n'));
  } finally {
    await b.close();
    await portal.stop();
    await gh.stop();
  }
});
