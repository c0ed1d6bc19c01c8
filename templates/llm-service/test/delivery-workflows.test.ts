// GitHub Actions workflows of the llm-service skeleton, rendered for every CI identity kind: GitHub's
// own parser accepts them, model-service's workflow rules hold (SHA pins, least permissions, OIDC,
// no expressions spliced into scripts), CD deploys through staging to an approved production with a
// smoke test after each deploy, and the cloud and cluster logins are model-service's, byte for byte.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { ENVIRONMENTS, MESH_KINDS, type MeshKind } from '@idp/service-spec';
import { variantFor } from '../../model-service/test/deliveryMatrix.js';
import { contractVariant, SKELETON_DIR as MODEL_SERVICE_SKELETON } from '../../model-service/test/deliveryRender.js';
import { checkWorkflow, githubParseErrors } from '../../model-service/test/deliveryWorkflows.js';
import { LLAMA_8B, type LlmValues, type RenderedLlmService, renderLlmService, SKELETON_DIR, TEMPLATE_DIR } from './llmRender.js';

type Json = Record<string, any>;
const rendered = new Map<MeshKind, Promise<RenderedLlmService>>();
const renderFor = (mesh: MeshKind) => {
  if (!rendered.has(mesh))
    rendered.set(
      mesh,
      contractVariant(variantFor(mesh)).then((c) => renderLlmService(LLAMA_8B, c)),
    );
  return rendered.get(mesh)!;
};
afterAll(async () => Promise.all([...rendered.values()].map(async (r) => (await r).cleanup())));

const workflow = async (service: RenderedLlmService, file: string) => readFile(path.join(service.dir, '.github/workflows', file), 'utf-8');
const secretsOf = (values: LlmValues) => [
  'GITHUB_TOKEN',
  ...ENVIRONMENTS.flatMap((env) => {
    const identity = values.platform.environments[env].ciIdentity;
    return identity.kind === 'kubeconfig' ? [identity.secretName] : [];
  }),
];

describe.each(MESH_KINDS.map((mesh) => ({ mesh, identity: variantFor(mesh).identity })))(
  'contract with $identity.staging/$identity.production identities',
  ({ mesh }) => {
    test.each(['ci.yml', 'cd.yml'])("%s: GitHub's parser accepts it", async (file) => {
      expect(await githubParseErrors(file, await workflow(await renderFor(mesh), file))).toEqual([]);
    });

    test.each(['ci.yml', 'cd.yml'])('%s: pins, permissions, OIDC and script rules hold', async (file) => {
      const service = await renderFor(mesh);
      expect(checkWorkflow(file, await workflow(service, file), { allowedSecrets: secretsOf(service.values) })).toEqual([]);
    });

    test('cd.yml checks, deploys to staging, then to an approved production, each followed by the smoke test', async () => {
      const service = await renderFor(mesh);
      const { jobs, on } = parse(await workflow(service, 'cd.yml')) as Json;
      expect(Object.keys(on).sort()).toEqual(['push', 'workflow_dispatch']);
      expect(jobs.checks.steps.map((s: Json) => s.run).filter(Boolean)).toEqual(['make manifests', 'make alerts-test']);
      expect(jobs['deploy-staging'].needs).toBe('checks');
      expect(jobs['deploy-production'].needs).toBe('deploy-staging');
      for (const env of ENVIRONMENTS) {
        const job = jobs[`deploy-${env}`];
        expect(job.environment).toBe(env);
        const smoke = job.steps.find((s: Json) => s.id === 'smoke');
        expect(smoke.env.SERVED_MODEL_NAME).toBe(service.values.servedModelName);
        expect(smoke.run).toMatch(/kubectl port-forward[\s\S]*bash tools\/smoke\.sh/);
        const identity = service.values.platform.environments[env].ciIdentity.kind;
        const login = { aws: 'aws-actions/configure-aws-credentials', gcp: 'google-github-actions/auth', kubeconfig: undefined }[identity];
        if (login) expect(job.steps.some((s: Json) => String(s.uses).startsWith(`${login}@`))).toBe(true);
      }
    });
  },
);

test("ci.yml's job names are exactly the status checks template.yaml's publish step requires", async () => {
  const service = await renderFor('none');
  const ci = parse(await workflow(service, 'ci.yml')) as { jobs: Record<string, { name?: string }> };
  const template = parse(await readFile(path.join(TEMPLATE_DIR, 'template.yaml'), 'utf-8'));
  const publish = template.spec.steps.find((s: Json) => s.action === 'publish:github');
  expect([...publish.input.requiredStatusCheckContexts].sort()).toEqual(
    Object.entries(ci.jobs)
      .map(([id, job]) => job.name ?? id)
      .sort(),
  );
});

test("cd.yml's cloud and cluster logins are model-service's macros, unchanged (one login for every template)", async () => {
  const macro = (text: string, name: string) => {
    const start = text.indexOf(`{%- macro ${name}(`);
    return text.slice(start, text.indexOf('{%- endmacro -%}', start));
  };
  const ours = await readFile(path.join(SKELETON_DIR, '.github/workflows/cd.yml'), 'utf-8');
  const theirs = await readFile(path.join(MODEL_SERVICE_SKELETON, '.github/workflows/cd.yml'), 'utf-8');
  for (const name of ['cloudLogin', 'clusterLogin']) {
    expect(macro(ours, name).length, name).toBeGreaterThan(100);
    expect(macro(ours, name), name).toBe(macro(theirs, name));
  }
});
