import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { ARTIFACTS_DIR, REPO_ROOT } from '../support/paths';
import type { PortalWithGithub } from '../support/portalWithGithub';
import { openSignedIn } from '../support/signIn';

// Day 2 in the portal: a service made a template release ago shows that it is behind on its page,
// and "Upgrade a service" opens the upgrade pull request for it — the same one `idp fleet upgrade`
// opens — on the GitHub the portal publishes to.

const run = promisify(execFile);
const SERVICE = 'legacy-scorer';
const ORG = 'acme';
const OLD_VERSION = '0.0.1';

const git = (cwd: string, ...args: string[]) =>
  run('git', args, { cwd, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });

const idp = (args: string[], env: Record<string, string> = {}) =>
  run(join(REPO_ROOT, 'node_modules', '.bin', 'node'), [join(REPO_ROOT, 'platform', 'cli', 'bin', 'idp.js'), ...args], {
    env: { ...process.env, IDP_PLATFORM_CONTRACT: '', ...env },
  });

/** The platform's model-service template, copied into a repository of its own. */
async function copyTemplate(into: string) {
  const from = join(REPO_ROOT, 'templates', 'model-service');
  await cp(join(from, 'template.yaml'), join(into, 'templates/model-service/template.yaml'));
  await rm(join(into, 'templates/model-service/skeleton'), { recursive: true, force: true });
  await cp(join(from, 'skeleton'), join(into, 'templates/model-service/skeleton'), { recursive: true });
}

/** Pretends the copy is an older release: its three statements of the version say OLD_VERSION. */
async function markOld(repo: string) {
  const template = join(repo, 'templates/model-service');
  for (const file of ['template.yaml', 'skeleton/catalog-info.yaml', 'skeleton/.idp/answers.yaml']) {
    const path = join(template, file);
    await writeFile(path, (await readFile(path, 'utf8')).replace(/(template-version: |templateVersion: )[0-9.]+/g, `$1${OLD_VERSION}`));
  }
}

/** Polls the catalog until the component is there. */
async function waitForEntity(baseUrl: string, name: string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${baseUrl}/api/catalog/entities/by-name/component/default/${name}`);
    if (response.ok) return response.json();
    await response.arrayBuffer();
    if (Date.now() > deadline) throw new Error(`component:default/${name} did not reach the catalog within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A service a template release behind: its page says so, and "Upgrade a service" opens its pull request. */
export function upgradeFlow(stack: () => PortalWithGithub): void {
  describe('upgrading a service from the portal', () => {
    let templateRepo: string;

    beforeAll(async () => {
      const { github, portal } = stack();
      const workDir = await mkdtemp(join(stack().workDir, 'upgrade-'));
      // A platform team's template repository, one release behind the platform's own template.
      templateRepo = join(workDir, 'templates-repo');
      await copyTemplate(templateRepo);
      await markOld(templateRepo);
      await git(templateRepo, 'init', '-q', '-b', 'main');
      await git(templateRepo, 'add', '-A');
      await git(templateRepo, 'commit', '-qm', `model-service ${OLD_VERSION}`);

      // The service, made from that release and published with the CLI, as a team did back then.
      const service = join(workDir, SERVICE);
      await idp(['new', 'model-service', SERVICE, '--yes', '--templates', templateRepo, '--out', service]);
      await idp(['publish', service, '--github-url', github.apiBaseUrl, '--backstage-url', portal.baseUrl], { GITHUB_TOKEN: github.token });

      // The template moves on to the platform's current release.
      await copyTemplate(templateRepo);
      await git(templateRepo, 'add', '-A');
      await git(templateRepo, 'commit', '-qm', 'model-service, the current release');
    });

    it('shows the service behind its template and opens one upgrade pull request for it', async () => {
      const { github, portal, browser } = stack();
      const { page } = browser;
      onTestFailed(async () => {
        await page.screenshot({ path: join(ARTIFACTS_DIR, 'upgrade-failure.png'), fullPage: true }).catch(() => {});
        // eslint-disable-next-line no-console -- where the browser was when the test failed
        console.log(`page at failure: ${page.url()}\nbrowser errors:\n${browser.errors.join('\n')}`);
      });
      const newest = parse(await readFile(join(REPO_ROOT, 'templates/model-service/template.yaml'), 'utf8')).metadata.annotations['idp.dev/template-version'];
      await waitForEntity(portal.baseUrl, SERVICE);

      // The entity page: the Template card says which release the service follows and that it is behind.
      await openSignedIn(page, `${portal.baseUrl}/catalog/default/component/${SERVICE}`);
      const card = page.locator('.MuiCard-root', { hasText: 'Template' }).filter({ hasText: 'model-service' }).first();
      await card.getByText(`behind: newest is ${newest}`).waitFor({ timeout: 60_000 });
      expect(await card.innerText()).toContain(OLD_VERSION);
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'upgrade-entity-card.png'), fullPage: true });

      // Its link opens "Upgrade a service" with the service chosen; review, create.
      await card.getByRole('link', { name: 'Open an upgrade pull request' }).click();
      await page.waitForURL(/\/create\/templates\/default\/upgrade-service/, { timeout: 30_000 });
      await page.locator('#root_service').waitFor({ timeout: 30_000 });
      expect(await page.locator('#root_service').inputValue()).toContain(SERVICE);
      await page.getByRole('button', { name: 'Review', exact: true }).click();
      await page.getByRole('button', { name: 'Create', exact: true }).click();
      await page.waitForURL(/\/create\/tasks\//, { timeout: 30_000 });

      // The task ends with a link to the pull request in the portal's GitHub.
      const prLink = page.getByRole('link', { name: 'Pull request' });
      await prLink.waitFor({ timeout: 180_000 });
      const href = await prLink.getAttribute('href');
      const repo = github.repos().find((r) => r.fullName === `${ORG}/${SERVICE}`)!;
      expect(repo.pulls).toHaveLength(1);
      const [pull] = repo.pulls;
      expect(href).toContain(`/${ORG}/${SERVICE}/pull/${pull!.number}`);
      expect(pull!.head).toBe('idp/upgrade-model-service');
      expect(pull!.body).toContain(`${OLD_VERSION}`);
      expect(pull!.body).toContain(newest);
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'upgrade-task.png'), fullPage: true });
      expect(github.violations()).toEqual([]);
    });
  });
}
