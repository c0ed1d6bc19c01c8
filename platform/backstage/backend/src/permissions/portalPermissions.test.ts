import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { parse } from 'yaml';
import { actorKeepingMockAuthServiceFactory } from '../__testUtils__/actorKeepingMockAuth';
import { startPortalBackend, type PortalBackend } from '../__testUtils__/startPortalBackend';
import { catalogFeatures, permissionFeatures, scaffolderFeatures } from '../features';
import { PARITY_CASES } from '../parity/__testUtils__/parityCases';
import { repoRoot } from '../parity/__testUtils__/repoRoot';
import { orgUserInfoServiceFactory } from './__testUtils__/orgUserInfo';
import { ownedComponents } from './ownedComponents';

// The production permission set-up on the real backend: the permission plugin with our policy,
// the real permissions client (which asks it over HTTP), the catalog and the scaffolder with our
// actions, and app-config.production.yaml's permission, idp and catalog sections. Two people from
// examples/org.yaml sign in (Backstage's mock tokens): ada (ml-team) and grace (platform-team).

const ROOT = repoRoot();
const ORG_FILE = path.join(ROOT, 'platform/backstage/examples/org.yaml');
const ADA = 'user:default/ada';
const GRACE = 'user:default/grace';

/** Answers GET /api/owned?ref=... with the policy's ownedComponents, from the real catalog. */
const ownedProbePlugin = createBackendPlugin({
  pluginId: 'owned',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter, auth: coreServices.auth, catalog: catalogServiceRef },
      async init({ httpRouter, auth, catalog }) {
        httpRouter.use(async (req: any, res: any, next: (error?: Error) => void) => {
          ownedComponents(catalog, auth, [req.query.ref].flat()).then(refs => res.json(refs), next);
        });
      },
    });
  },
});

describe('the portal with its production permissions', () => {
  let backend: PortalBackend;
  let foreignDir: string;

  beforeAll(async () => {
    foreignDir = await mkdtemp(path.join(os.tmpdir(), 'idp-foreign-template-'));
    await writeFile(
      path.join(foreignDir, 'template.yaml'),
      'apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata:\n  name: foreign\nspec:\n  owner: group:default/ml-team\n  type: service\n  steps: []\n',
    );
    backend = await startPortalBackend({
      config: await productionConfig(foreignDir),
      features: [permissionsServiceFactory, actorKeepingMockAuthServiceFactory, orgUserInfoServiceFactory(ORG_FILE), ...permissionFeatures, ...catalogFeatures, ...scaffolderFeatures, ownedProbePlugin],
    });
    // The template is in the catalog once the platform's catalog-info.yaml has been processed.
    await waitFor(async () => ((await call(GRACE, 'GET', '/api/catalog/entities/by-name/template/default/model-service')).status === 200 ? true : undefined));
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await rm(foreignDir, { recursive: true, force: true });
  });

  async function call(user: string, method: string, url: string, body?: unknown) {
    const response = await fetch(`${backend.baseUrl}${url}`, {
      method,
      headers: { authorization: mockCredentials.user.header(user), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  /** Creates a task from the catalog's model-service template and waits for it to end. */
  async function runTemplate(user: string, owner: string, template = 'model-service', formValues: Record<string, unknown> = PARITY_CASES[0]!.values) {
    const values = { ...formValues, owner };
    const created = await call(user, 'POST', '/api/scaffolder/v2/tasks', { templateRef: `template:default/${template}`, values });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const task = await waitFor(async () => {
      const { body } = await call(user, 'GET', `/api/scaffolder/v2/tasks/${id}`);
      return ['completed', 'failed', 'cancelled'].includes(body.status) ? body : undefined;
    });
    const { body: events } = await call(user, 'GET', `/api/scaffolder/v2/tasks/${id}/events`);
    const steps: Record<string, string> = {};
    const messages: string[] = [];
    for (const event of events) {
      if (event.body?.stepId && event.body?.status) steps[event.body.stepId] = event.body.status;
      if (event.body?.message) messages.push(event.body.message);
    }
    return { id, task, steps, log: messages.join('\n') };
  }

  describe('catalog locations', () => {
    const location = { type: 'url', target: 'https://github.com/acme/side-project/blob/main/catalog-info.yaml' };

    it('refuses a location registered by someone outside the platform team', async () => {
      const { status, body } = await call(ADA, 'POST', '/api/catalog/locations', location);
      expect(status).toBe(403);
      expect(body.error.name).toBe('NotAllowedError');
    });

    it('lets the platform team register one', async () => {
      const { status, body } = await call(GRACE, 'POST', '/api/catalog/locations', location);
      expect(status).toBe(201);
      expect(body.location).toMatchObject(location);
    });
  });

  describe('templates', () => {
    it('come only from the platform location: a Template anywhere else is refused by catalog.rules', async () => {
      const { body } = await call(GRACE, 'GET', '/api/catalog/entities?filter=kind=template');
      expect(body.map((e: any) => e.metadata.name).sort()).toEqual(['llm-service', 'model-service', 'upgrade-service']);
    });

    it('run for an owner the user belongs to; the task records who created it', async () => {
      const run = await runTemplate(ADA, 'group:default/ml-team');
      expect(run.task.createdBy).toBe(ADA);
      expect(run.steps).toMatchObject({ validate: 'completed', contract: 'completed', fetch: 'completed' });
      // No GitHub here: the run stops at publishing, past every permission check.
      expect(run.steps.publish).toBe('failed');
      expect(run.log).not.toMatch(/Unauthorized action/);
    });

    it.each(['group:default/platform-team', 'platform-team', 'group:platform-team', 'user:default/grace'])(
      'stop before anything is created for an owner the user does not belong to (%s)',
      async owner => {
        const run = await runTemplate(ADA, owner);
        expect(run.task.status).toBe('failed');
        expect(run.steps.validate).toBe('failed');
        expect(run.steps).toMatchObject({ contract: 'skipped', fetch: 'skipped', publish: 'skipped', register: 'skipped' });
        expect(run.log).toMatch(/Unauthorized action: idp:spec:validate/);
      },
    );

    it('stop an llm-service for another team at its sizing step, before anything is read or created', async () => {
      const llm = { name: 'support-chat', model: 'meta-llama/Llama-3.1-8B-Instruct', modelRevision: 'a'.repeat(40), repoUrl: 'github.com?owner=acme&repo=support-chat' };
      const run = await runTemplate(ADA, 'group:default/platform-team', 'llm-service', llm);
      expect(run.task.status).toBe('failed');
      expect(run.steps.size).toBe('failed');
      expect(run.steps).toMatchObject({ contract: 'skipped', fetch: 'skipped', publish: 'skipped', register: 'skipped' });
      expect(run.log).toMatch(/Unauthorized action: idp:llm:size/);
    });

    it('run for any owner when started by the platform team', async () => {
      const run = await runTemplate(GRACE, 'ml-team');
      expect(run.task.createdBy).toBe(GRACE);
      expect(run.steps).toMatchObject({ validate: 'completed', fetch: 'completed' });
    });

    it("are not dry-run by someone outside the platform team (the editor runs any template's text)", async () => {
      const { status } = await call(ADA, 'POST', '/api/scaffolder/v2/dry-run', {
        template: { apiVersion: 'scaffolder.backstage.io/v1beta3', kind: 'Template', metadata: { name: 'x' }, spec: { steps: [] } },
        values: {},
        directoryContents: [],
      });
      expect(status).toBe(403);
    });
  });

  describe('services a user owns (what idp:service:upgrade may be run on)', () => {
    it("are the Components owned by the user's groups in the catalog", async () => {
      const { body: platform } = await call(GRACE, 'GET', '/api/owned?ref=group:default/platform-team&ref=user:default/grace');
      expect(platform).toEqual(expect.arrayContaining(['component:default/idp-cli', 'component:default/idp-portal-backend']));
      expect(platform.every((ref: string) => ref.startsWith('component:'))).toBe(true);
      const { body: ml } = await call(ADA, 'GET', '/api/owned?ref=group:default/ml-team&ref=user:default/ada');
      expect(ml).toEqual([]);
    });
  });

  describe('tasks', () => {
    it("are visible to the person who created them, not to others", async () => {
      const grace = await runTemplate(GRACE, 'ml-team');
      expect((await call(GRACE, 'GET', `/api/scaffolder/v2/tasks/${grace.id}`)).status).toBe(200);
      expect((await call(ADA, 'GET', `/api/scaffolder/v2/tasks/${grace.id}`)).status).toBe(403);
      const { body } = await call(ADA, 'GET', '/api/scaffolder/v2/tasks');
      expect(body.tasks.map((t: any) => t.createdBy)).not.toContain(GRACE);
    });
  });
});

/**
 * app-config.production.yaml's permission, idp and catalog sections (its other sections need the
 * production environment), its file locations made absolute, plus the example org (production
 * ingests people from GitHub instead) and a Template outside the platform's location.
 */
async function productionConfig(foreignDir: string) {
  const production = parse(await readFile(path.join(ROOT, 'platform/backstage/app-config.production.yaml'), 'utf-8'));
  const catalog = structuredClone(production.catalog);
  for (const location of catalog.locations) {
    if (location.type === 'file') location.target = path.join(ROOT, location.target);
  }
  catalog.locations.push(
    { type: 'file', target: ORG_FILE, rules: [{ allow: ['User', 'Group'] }] },
    { type: 'file', target: path.join(foreignDir, 'template.yaml') },
  );
  return { permission: production.permission, idp: production.idp, catalog };
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await probe();
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`Gave up after ${timeoutMs} ms`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}
