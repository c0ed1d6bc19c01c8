import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it, onTestFailed } from 'vitest';
import { ARTIFACTS_DIR, REPO_ROOT } from '../support/paths';
import { type PortalWithGithub, reposMadeFromNow } from '../support/portalWithGithub';
import { cloneWithToken } from '../support/repoFiles';
import { ScaffolderForm } from '../support/scaffolderForm';
import { waitForTask } from '../support/scaffolderTask';

// The llm-service form in Chromium against the real portal: a model too big for the GPUs asked
// for is refused by the task's first step with the numbers, and one that fits is sized, rendered
// and published. The portal reads config.json from its mirror of model configs
// (idp.llm.modelConfigDir): here the sizing fixtures, as no Hugging Face is reachable.
export const LLM_CONFIG_MIRROR = join(REPO_ROOT, 'platform', 'service-spec', 'src', 'llm', 'fixtures');
const LLM = {
  name: 'support-chat',
  ownerTitle: 'ML team',
  model: 'meta-llama/Llama-3.1-8B-Instruct',
  modelRevision: '0e9e39f249a16976918f6564b8830bc894c89659',
  modelConfig: 'llama-3.1-8b.config.json',
  maxModelLen: 4096,
  maxNumSeqs: 4,
  org: 'acme',
};

/** The llm-service form in Chromium: refused at the sizing step with the numbers, then sized and published. */
export function createLlmFlow(stack: () => PortalWithGithub): void {
  describe('creating an LLM service from the portal', () => {
    /** Fills the llm-service form page by page and creates; returns the task id. */
    async function create(gpuType: string): Promise<string> {
      const { portal, browser } = stack();
      const { page } = browser;
      const form = new ScaffolderForm(page);
      await form.open(portal.baseUrl, 'LLM service', 'Model microservice');
      expect(await form.activeStep()).toBe('Service');
      await form.fill('name', LLM.name);
      await form.field('owner').click();
      await page.getByRole('option', { name: LLM.ownerTitle, exact: true }).click();
      await form.field('system').focus();
      await form.next('Model');

      // A model id the platform cannot read is refused by the form itself, with the help text.
      await form.fill('model', 'not a model');
      await page.getByRole('button', { name: 'Next' }).click();
      await page.locator('#root_model__error').waitFor({ timeout: 10_000 });
      expect(await form.activeStep()).toBe('Model');
      await form.fill('model', LLM.model);
      await form.fill('modelRevision', LLM.modelRevision);
      await form.fill('modelConfig', LLM.modelConfig);
      await form.next('Serving');

      await form.fill('maxModelLen', LLM.maxModelLen);
      await form.fill('maxNumSeqs', LLM.maxNumSeqs);
      await form.select('gpuType', gpuType);
      await form.next('Repository');

      await page.getByLabel('Owner', { exact: false }).fill(LLM.org);
      await page.keyboard.press('Tab');
      await page.getByLabel('Repository', { exact: false }).fill(LLM.name);
      await page.keyboard.press('Tab');
      await form.next('Review', 'Review');
      const review = await page.locator('table').first().innerText();
      for (const value of [LLM.name, LLM.model, LLM.modelRevision, gpuType]) expect(review).toContain(value);
      await page.getByRole('button', { name: 'Create' }).click();
      await page.waitForURL(/\/create\/tasks\//, { timeout: 30_000 });
      return page.url().split('/create/tasks/')[1]!.split(/[?#/]/)[0]!;
    }

    it('refuses a model the asked GPUs cannot hold at the sizing step, showing the numbers, and creates one that fits', async () => {
      const { github, portal, browser } = stack();
      const madeHere = reposMadeFromNow(github);
      const { page } = browser;
      onTestFailed(async () => {
        await page.screenshot({ path: join(ARTIFACTS_DIR, 'create-llm-failure.png'), fullPage: true }).catch(() => {});
        await writeFile(join(ARTIFACTS_DIR, 'create-llm-github-requests.json'), JSON.stringify(github.requests(), null, 2)).catch(() => {});
        // eslint-disable-next-line no-console -- where the browser was when the test failed
        console.log(`page at failure: ${page.url()}\nbrowser errors:\n${browser.errors.join('\n')}`);
      });

      // A T4 (16 GB) cannot hold 15 GiB of weights with the engine's overhead: the task stops at its
      // first step and the task page says why, with the numbers; nothing is published.
      const refused = await waitForTask(portal.baseUrl, await create('nvidia-t4'));
      expect(refused.status).toBe('failed');
      await page.getByText(/must fit the GPUs, but the model needs \d+\.\d GiB/).first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'llm-refused.png'), fullPage: true });
      expect(madeHere()).toEqual([]);

      // Left to sizing (auto), it fits one L4, and the repository says so.
      const taskId = await create('auto');
      const task = await waitForTask(portal.baseUrl, taskId);
      expect(task.status).toBe('completed');
      expect(task.spec.steps.map((step) => step.action)).toEqual([
        'idp:llm:size',
        'idp:platform:contract',
        'idp:template:provenance',
        'fetch:template',
        'publish:github',
        'idp:catalog:register',
      ]);
      // The output's Repository link (the task log links other URLs, the engine image among them).
      await page
        .getByRole('link', { name: 'Repository' })
        .and(page.locator(`a[href$="/${LLM.org}/${LLM.name}.git"]`))
        .first()
        .waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(ARTIFACTS_DIR, 'llm-created.png'), fullPage: true });
      expect(madeHere()).toEqual([`${LLM.org}/${LLM.name}`]);
      expect(github.violations()).toEqual([]);

      const clone = join(await mkdtemp(join(stack().workDir, 'create-llm-')), 'clone');
      await cloneWithToken(`${github.url}/${LLM.org}/${LLM.name}.git`, github.token, clone);
      const deployment = await readFile(join(clone, 'deploy/base/deployment.yaml'), 'utf8');
      expect(deployment).toContain('--tensor-parallel-size=1');
      expect(deployment).toContain('nvidia.com/gpu: 1');
      expect(JSON.parse(await readFile(join(clone, '.idp/sizing.json'), 'utf8')).choice).toMatchObject({ gpuType: 'nvidia-l4', gpuCount: 1 });
      // The answers as given: the GPUs stay left to sizing, so an upgrade that changes an answer sizes again.
      const { answers } = parse(await readFile(join(clone, '.idp/answers.yaml'), 'utf8'));
      expect(answers).toMatchObject({ gpuType: 'auto', model: LLM.model });
      expect(answers).not.toHaveProperty('gpuCount');
    });
  });
}
