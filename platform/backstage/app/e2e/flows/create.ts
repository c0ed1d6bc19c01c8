import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it, onTestFailed } from 'vitest';
import type { Browser } from '../support/browser';
import { idpNew } from '../support/idpNew';
import { ARTIFACTS_DIR, DOCS_IMAGES_DIR, REPO_ROOT } from '../support/paths';
import { type PortalWithGithub, reposMadeFromNow } from '../support/portalWithGithub';
import { cloneWithToken, firstDifference, readTree } from '../support/repoFiles';
import { ScaffolderForm } from '../support/scaffolderForm';
import { waitForTask } from '../support/scaffolderTask';

// What a person types, chosen away from the defaults so each one is seen to reach the repository.
const SERVICE = {
  name: 'fraud-detector',
  description: 'Scores card transactions for "fraud" – naïve & {{ not a template }}',
  ownerTitle: 'ML team',
  owner: 'group:default/ml-team',
  modelName: 'fraud-classifier',
  modelVersion: '2024-06-01',
  modelUri: 's3://models/fraud/1',
  maxModelLoadSeconds: 600,
  gpuType: 'nvidia-l4',
  gpuCount: 1,
  cpu: '2',
  memory: '4Gi',
  minReplicas: 2,
  maxReplicas: 4,
  org: 'acme',
};

/** Screenshots go to test-artifacts/; with IDP_UPDATE_DOCS_IMAGES=1 also to docs/images/. */
async function screenshot(browser: Browser, name: string, docsName?: string) {
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await browser.page.screenshot({ path, fullPage: true });
  if (docsName && process.env.IDP_UPDATE_DOCS_IMAGES === '1') {
    await mkdir(DOCS_IMAGES_DIR, { recursive: true });
    await copyFile(path, join(DOCS_IMAGES_DIR, `${docsName}.png`));
  }
}

async function templateUsesServiceNameField(): Promise<boolean> {
  const template = parse(await readFile(join(REPO_ROOT, 'templates', 'model-service', 'template.yaml'), 'utf8'));
  return template.spec.parameters.some((page: { properties?: Record<string, Record<string, unknown>> }) => page.properties?.name?.['ui:field'] === 'ServiceName');
}

/** Polls the catalog until the component exists and has its providesApi relation. */
async function waitForEntityRelation(baseUrl: string, name: string, apiRef: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${baseUrl}/api/catalog/entities/by-name/component/default/${name}`);
    if (response.ok) {
      const entity = (await response.json()) as { relations?: Array<{ type: string; targetRef: string }> };
      if (entity.relations?.some((r) => r.type === 'providesApi' && r.targetRef === apiRef)) return;
    } else {
      await response.arrayBuffer();
    }
    if (Date.now() > deadline) throw new Error(`component:default/${name} did not appear in the catalog with providesApi ${apiRef} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The error messages of a task's event log. */
async function taskErrors(baseUrl: string, taskId: string): Promise<string> {
  const events = (await (await fetch(`${baseUrl}/api/scaffolder/v2/tasks/${taskId}/events`)).json()) as Array<{ body: { message?: string; error?: { message?: string } } }>;
  return events.map((e) => e.body.error?.message ?? '').filter(Boolean).join('\n') || events.slice(-5).map((e) => e.body.message).join('\n');
}

/** The model-service form, filled page by page in Chromium, through the real task to the repository it publishes. */
export function createFlow(stack: () => PortalWithGithub): void {
  describe('creating a model service from the portal', () => {
    it('fills every page, rejects a bad name, runs the real task and publishes what idp new writes', async () => {
      const { github, portal, browser } = stack();
      const workDir = await mkdtemp(join(stack().workDir, 'create-'));
      const madeHere = reposMadeFromNow(github);
      const { page } = browser;
      const form = new ScaffolderForm(page);
      onTestFailed(async () => {
        await page.screenshot({ path: join(ARTIFACTS_DIR, 'create-failure.png'), fullPage: true }).catch(() => {});
        await writeFile(join(ARTIFACTS_DIR, 'github-requests.json'), JSON.stringify(github.requests(), null, 2)).catch(() => {});
        // eslint-disable-next-line no-console -- where the browser was when the test failed
        console.log(`page at failure: ${page.url()}\nbrowser errors:\n${browser.errors.join('\n')}`);
      });

      // The Create page lists the template (its card alone: the page lists the upgrade template too).
      await form.open(portal.baseUrl, 'Model microservice', 'Upgrade a service');

      // Page 1, Service: a name the platform cannot use is refused with the rule and an example.
      expect(await form.activeStep()).toBe('Service');
      await form.fill('name', 'Fraud_Detector');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.locator('#root_name__error').waitFor({ timeout: 10_000 });
      const nameMessages = await form.messages('name');
      expect(nameMessages).toContain('must match pattern');
      expect(nameMessages).toContain('Lower-case letters, digits and "-", starting with a letter, e.g. fraud-detector');
      expect(await form.activeStep(), 'the form must not move past an invalid name').toBe('Service');
      await screenshot(browser, 'form-invalid-name', 'portal-create-form');

      // With `ui:field: ServiceName` the form also applies the spec's rules no pattern can express.
      if (await templateUsesServiceNameField()) {
        await form.fill('name', 'import');
        await page.getByRole('button', { name: 'Next' }).click();
        await page.locator('#root_name__error', { hasText: 'Python keyword' }).waitFor({ timeout: 10_000 });
        expect(await form.messages('name')).toContain('must give a usable Python package, but its Python package "import" would be a Python keyword (e.g. import-service)');
        expect(await form.activeStep()).toBe('Service');
      }

      await form.fill('name', SERVICE.name);
      await form.fill('description', SERVICE.description);
      // OwnerPicker offers the groups of the catalog (the example org).
      await form.field('owner').click();
      const owners = await page.getByRole('option').allInnerTexts();
      expect(owners.map((o) => o.trim())).toEqual(expect.arrayContaining(['ML team', 'Platform team']));
      await page.getByRole('option', { name: SERVICE.ownerTitle, exact: true }).click();
      // Leave the picker before Next: its blur handler re-renders the step and eats the click.
      await form.field('system').focus();
      await form.next('Model');

      // Page 2, Model.
      await form.fill('modelName', SERVICE.modelName);
      await form.fill('modelVersion', SERVICE.modelVersion);
      await form.fill('modelUri', SERVICE.modelUri);
      await form.fill('maxModelLoadSeconds', SERVICE.maxModelLoadSeconds);
      await form.next('Resources');

      // Page 3, Resources.
      await form.select('gpuType', SERVICE.gpuType);
      await form.fill('gpuCount', SERVICE.gpuCount);
      await form.fill('cpu', SERVICE.cpu);
      await form.fill('memory', SERVICE.memory);
      await form.fill('minReplicas', SERVICE.minReplicas);
      await form.fill('maxReplicas', SERVICE.maxReplicas);
      await form.next('Repository');

      // Page 4, Repository: the RepoUrlPicker offers only the configured GitHub host.
      const hosts = await page.getByTestId('host-select').locator('option').allInnerTexts();
      expect(hosts).toEqual(['github.com']);
      await page.getByLabel('Owner', { exact: false }).fill(SERVICE.org);
      await page.keyboard.press('Tab');
      await page.getByLabel('Repository', { exact: false }).fill(SERVICE.name);
      await page.keyboard.press('Tab');
      await form.next('Review', 'Review');

      // Page 5, Review: every value as typed.
      const review = await page.locator('table').first().innerText();
      for (const value of [SERVICE.name, SERVICE.description, SERVICE.owner, SERVICE.modelName, SERVICE.modelVersion, SERVICE.modelUri, SERVICE.gpuType, SERVICE.cpu, SERVICE.memory]) {
        expect(review, `the review step shows ${value}`).toContain(value);
      }
      await screenshot(browser, 'form-review');
      await page.getByRole('button', { name: 'Create' }).click();

      // The task page: wait for every step to finish.
      await page.waitForURL(/\/create\/tasks\//, { timeout: 30_000 });
      const taskId = page.url().split('/create/tasks/')[1]!.split(/[?#/]/)[0]!;
      const task = await waitForTask(portal.baseUrl, taskId);
      if (task.status !== 'completed') {
        await screenshot(browser, 'task-failed');
        throw new Error(`the task ended ${task.status}: ${await taskErrors(portal.baseUrl, taskId)}`);
      }
      // Completed means every step ran: our actions, Backstage's own, then our registration.
      expect(task.spec.steps.map((step) => step.action)).toEqual(['idp:spec:validate', 'idp:platform:contract', 'idp:template:provenance', 'fetch:template', 'publish:github', 'idp:catalog:register']);
      const repoLink = page.getByRole('link', { name: 'Repository' });
      const catalogLink = page.getByRole('link', { name: 'Open in catalog' });
      await catalogLink.waitFor({ timeout: 30_000 });
      await screenshot(browser, 'task-finished', 'portal-create-task');

      // The submitted values are what was typed (one source for the parity check below).
      const answers = task.spec.parameters;
      expect(answers).toMatchObject({
        name: SERVICE.name, description: SERVICE.description, owner: SERVICE.owner, modelName: SERVICE.modelName,
        modelVersion: SERVICE.modelVersion, modelUri: SERVICE.modelUri, maxModelLoadSeconds: SERVICE.maxModelLoadSeconds,
        gpuType: SERVICE.gpuType, gpuCount: SERVICE.gpuCount, cpu: SERVICE.cpu, memory: SERVICE.memory,
        minReplicas: SERVICE.minReplicas, maxReplicas: SERVICE.maxReplicas,
        repoUrl: `github.com?owner=${SERVICE.org}&repo=${SERVICE.name}`,
      });

      // The repository link leads to the repository in the emulator: clone it.
      const remoteUrl = await repoLink.getAttribute('href');
      expect(remoteUrl).toBe(`${github.url}/${SERVICE.org}/${SERVICE.name}.git`);
      const clone = join(workDir, 'clone');
      await cloneWithToken(remoteUrl!, github.token, clone);
      const published = await readTree(clone);

      // The same bytes idp new writes for the same answers.
      const expected = await readTree(await idpNew('model-service', answers, workDir));
      expect(published.length, 'the repository holds files').toBeGreaterThan(10);
      expect(firstDifference(expected, published)).toBeUndefined();

      // Exactly one repository, and every call the portal made matched GitHub's OpenAPI description.
      expect(madeHere()).toEqual([`${SERVICE.org}/${SERVICE.name}`]);
      expect(github.violations()).toEqual([]);

      // The catalog link opens the new service, with the API it provides. idp:catalog:register only
      // adds the location; the catalog ingests it a moment later, so wait for what a reload would show.
      await waitForEntityRelation(portal.baseUrl, SERVICE.name, `api:default/${SERVICE.name}-oip`);
      await catalogLink.click();
      await page.waitForURL(new RegExp(`/catalog/default/component/${SERVICE.name}`), { timeout: 30_000 });
      await page.getByRole('heading', { name: SERVICE.name }).first().waitFor({ timeout: 60_000 });
      // The catalog stitches relations after it ingests the entity, so a page rendered just before
      // that shows no API yet: reload until it does, as a person would.
      const apiLink = page.getByRole('link', { name: `${SERVICE.name}-oip` }).first();
      for (let attempt = 0; !(await apiLink.isVisible()) && attempt < 12; attempt += 1) {
        await page.waitForTimeout(2_500);
        if (!(await apiLink.isVisible())) await page.reload();
      }
      await apiLink.waitFor({ timeout: 30_000 });
      await screenshot(browser, 'entity-page');

      // The TechDocs reader lists the new service's docs, and builds and shows them (mkdocs in the
      // backend, reading the repository from the emulator); the API explorer lists its API.
      await page.getByRole('link', { name: 'Docs' }).first().click();
      await page.getByRole('link', { name: SERVICE.name, exact: true }).first().click();
      await page.waitForURL(new RegExp(`/docs/default/component/${SERVICE.name}`), { timeout: 30_000 });
      await page.getByText(SERVICE.description).first().waitFor({ timeout: 90_000 });
      await page.getByRole('link', { name: 'Runbook' }).first().waitFor({ timeout: 30_000 });
      await screenshot(browser, 'techdocs');
      await page.getByRole('link', { name: 'APIs' }).first().click();
      await page.getByRole('link', { name: `${SERVICE.name}-oip`, exact: true }).first().waitFor({ timeout: 30_000 });
    });
  });
}
