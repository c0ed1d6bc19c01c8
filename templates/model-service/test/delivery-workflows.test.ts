// GitHub Actions workflows of the model-service skeleton, rendered for every CI identity and
// registry kind: GitHub's parser accepts them, our rules hold, and every ${{ }} expression GitHub
// needs survives the scaffolder's rendering exactly as written.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { ENVIRONMENTS, MESH_KINDS, type MeshKind, type ServiceValues } from '@idp/service-spec';
import { specFor, variantFor } from './deliveryMatrix.js';
import { contractVariant, renderService, type RenderedService } from './deliveryRender.js';
import { checkWorkflow, expressionsIn, githubParseErrors } from './deliveryWorkflows.js';

const rendered = new Map<MeshKind, Promise<RenderedService>>();
const renderFor = (mesh: MeshKind) => {
  if (!rendered.has(mesh))
    rendered.set(
      mesh,
      contractVariant(variantFor(mesh)).then((c) => renderService(specFor('nvidia-l4'), c)),
    );
  return rendered.get(mesh)!;
};
afterAll(async () => Promise.all([...rendered.values()].map(async (r) => (await r).cleanup())));

const workflow = async (service: RenderedService, file: string) => readFile(path.join(service.dir, '.github/workflows', file), 'utf-8');

const secretsOf = (values: ServiceValues) => [
  'GITHUB_TOKEN',
  ...ENVIRONMENTS.flatMap((env) => {
    const identity = values.platform.environments[env].ciIdentity;
    return identity.kind === 'kubeconfig' ? [identity.secretName] : [];
  }),
];

/** The expressions the templates mean to hand to GitHub, for this contract. */
function expectedExpressions(file: string, values: ServiceValues): string[] {
  if (file === 'ci.yml') return ['${{ github.event.pull_request.number }}', '${{ github.sha }}'];
  const expressions = [
    '${{ steps.build.outputs.digest }}',
    '${{ github.sha }}',
    '${{ github.run_number }}',
    "${{ github.event_name == 'push' && needs.build.outputs.digest || inputs.digest }}",
    '${{ inputs.revision }}',
    '${{ github.server_url }}',
    '${{ github.repository }}',
  ];
  if (ENVIRONMENTS.some((env) => values.platform.environments[env].rollouts.controller === 'argo-rollouts'))
    expressions.push('${{ inputs.canary }}');
  for (const env of ENVIRONMENTS) {
    const { registry, ciIdentity } = values.platform.environments[env];
    if (registry.host.endsWith('-docker.pkg.dev')) expressions.push(`\${{ steps.gcp-${env}.outputs.access_token }}`);
    if (registry.host === 'ghcr.io') expressions.push('${{ github.actor }}', '${{ secrets.GITHUB_TOKEN }}');
    if (ciIdentity.kind === 'kubeconfig') expressions.push(`\${{ secrets.${ciIdentity.secretName} }}`);
  }
  return [...new Set(expressions)].sort();
}

describe.each(MESH_KINDS.map((mesh) => ({ mesh, identity: variantFor(mesh).identity })))(
  'contract with $identity.staging/$identity.production identities',
  ({ mesh }) => {
    test.each(['ci.yml', 'cd.yml'])("%s: GitHub's parser accepts it", async (file) => {
      const service = await renderFor(mesh);
      expect(await githubParseErrors(file, await workflow(service, file))).toEqual([]);
    });

    test.each(['ci.yml', 'cd.yml'])('%s: pins, permissions, OIDC and script rules hold', async (file) => {
      const service = await renderFor(mesh);
      expect(checkWorkflow(file, await workflow(service, file), { allowedSecrets: secretsOf(service.values) })).toEqual([]);
    });

    test.each(['ci.yml', 'cd.yml'])('%s: every GitHub expression survives rendering intact', async (file) => {
      const service = await renderFor(mesh);
      expect(expressionsIn(await workflow(service, file))).toEqual(expectedExpressions(file, service.values));
    });

    test('cd.yml builds once, signs, and promotes by digest through staging to a reviewed production', async () => {
      const service = await renderFor(mesh);
      const cd = parse(await workflow(service, 'cd.yml'));
      const { jobs } = cd;
      expect(Object.keys(cd.on).sort()).toEqual(['push', 'workflow_dispatch']);
      expect(cd.on.workflow_dispatch.inputs.digest.required).toBe(false);
      expect(jobs['deploy-staging'].environment).toBe('staging');
      expect(jobs['deploy-production'].environment).toBe('production');
      expect(jobs['deploy-production'].needs).toEqual(['build', 'deploy-staging']);
      const build = jobs.build.steps.find((s: { id?: string }) => s.id === 'build');
      expect(build.uses).toMatch(/^docker\/build-push-action@/);
      expect(build.with).toMatchObject({
        push: true,
        sbom: true,
        provenance: 'mode=max',
        'cache-from': 'type=gha',
        'cache-to': 'type=gha,mode=max',
      });
      expect(jobs.build.steps.some((s: { run?: string }) => s.run?.includes('cosign sign --yes "$IMAGE@$DIGEST"'))).toBe(true);
      for (const env of ENVIRONMENTS) {
        const target = service.values.platform.environments[env];
        const steps = jobs[`deploy-${env}`].steps;
        expect(jobs[`deploy-${env}`].env.IMAGE).toBe(`${target.registry.host}/${target.registry.repositoryPrefix}/${service.values.name}`);
        expect(steps.some((s: { run?: string }) => s.run?.includes('cosign verify'))).toBe(true);
        expect(steps.some((s: { run?: string }) => s.run?.includes('kustomize edit set image "$SERVICE=$IMAGE@$DIGEST"'))).toBe(true);
        const login =
          target.ciIdentity.kind === 'aws'
            ? 'aws-actions/configure-aws-credentials'
            : target.ciIdentity.kind === 'gcp'
              ? 'google-github-actions/auth'
              : undefined;
        if (login)
          expect(
            steps.some((s: { uses?: string }) => s.uses?.startsWith(`${login}@`)),
            `${env} logs in with ${login}`,
          ).toBe(true);
      }
    });
  },
);

describe('the workflow rules catch what they are for', () => {
  const base = `name: x
on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-24.04
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1
`;
  const findings = (text: string) => checkWorkflow('x.yml', text, { allowedSecrets: ['GITHUB_TOKEN'] }).join('\n');

  test('a clean workflow has no findings', () => expect(findings(base)).toBe(''));
  test('an action by tag', () =>
    expect(findings(`${base}      - uses: docker/login-action@v4\n`)).toContain('not pinned to a full commit SHA'));
  test('a well-formed pin that is no known release', () =>
    expect(findings(`${base}      - uses: docker/login-action@${'0'.repeat(40)} # v4.1.0\n`)).toContain(
      'is not a release commit in KNOWN_PINS',
    ));
  test('a SHA without its version comment', () =>
    expect(findings(`${base}      - uses: docker/login-action@4907a6ddec9925e35a0a9e82d7399ccc52663121\n`)).toContain('not pinned'));
  test('write-all at the top', () =>
    expect(findings(base.replace('permissions: {}', 'permissions: write-all'))).toContain('top-level permissions'));
  test('an unneeded write scope', () =>
    expect(findings(base.replace('contents: read', 'contents: write'))).toContain('contents: write is not needed'));
  test('a stored cloud key', () =>
    expect(
      findings(
        `${base}      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3\n        with:\n          aws-access-key-id: \${{ secrets.AWS_KEY }}\n`,
      ),
    ).toMatch(/long-lived credential[\s\S]*secrets.AWS_KEY[\s\S]*|cloud login needs id-token/));
  test('an expression spliced into a script', () =>
    expect(findings(`${base}      - run: echo "\${{ github.event.pull_request.title }}"\n`)).toContain('splices an expression'));
  test("GitHub's parser rejects a broken workflow", async () => {
    expect(
      (await githubParseErrors('x.yml', base.replace('runs-on: ubuntu-24.04', 'runs-on: ubuntu-24.04\n    timeout-minutes: soon'))).length,
    ).toBeGreaterThan(0);
    expect(await githubParseErrors('x.yml', base)).toEqual([]);
  });
});

test('a registry the CI identity cannot log in to without keys fails the run with the fix, never falls back to a stored key', async () => {
  const contract = await contractVariant({ mesh: 'none', identity: { staging: 'kubeconfig', production: 'kubeconfig' } });
  contract.environments.staging.registry = { host: '123456789012.dkr.ecr.eu-west-1.amazonaws.com', repositoryPrefix: 'ml' };
  const service = await renderService(specFor('none'), contract);
  try {
    const cd = await workflow(service, 'cd.yml');
    expect(await githubParseErrors('cd.yml', cd)).toEqual([]);
    expect(cd).toContain(
      '::error::No keyless login is known for 123456789012.dkr.ecr.eu-west-1.amazonaws.com with a kubeconfig CI identity',
    );
    expect(checkWorkflow('cd.yml', cd, { allowedSecrets: secretsOf(service.values) })).toEqual([]);
  } finally {
    await service.cleanup();
  }
});

describe.each([
  ['on', { staging: 'on', production: 'on' }],
  ['off', { staging: 'off', production: 'off' }],
  ['on in staging only', { staging: 'on', production: 'off' }],
] as const)('delivery features %s', (_label, features) => {
  let service: RenderedService;
  afterAll(async () => service?.cleanup());

  test('cd.yml parses, follows the rules, and drives a canary exactly where Argo Rollouts runs', async () => {
    const contract = await contractVariant(variantFor('istio-sidecar', 'on'));
    for (const env of ENVIRONMENTS) if (features[env] === 'off') contract.environments[env].rollouts = { controller: 'none' };
    service = await renderService(specFor('nvidia-l4'), contract);
    const text = await workflow(service, 'cd.yml');
    expect(await githubParseErrors('cd.yml', text)).toEqual([]);
    expect(checkWorkflow('cd.yml', text, { allowedSecrets: secretsOf(service.values) })).toEqual([]);
    expect(expressionsIn(text)).toEqual(expectedExpressions('cd.yml', service.values));
    const cd = parse(text);
    const anyCanary = Object.values(features).includes('on');
    expect(Boolean(cd.on.workflow_dispatch.inputs.canary), 'canary input').toBe(anyCanary);
    if (anyCanary) expect(cd.on.workflow_dispatch.inputs.canary.options).toEqual(['', 'promote', 'abort']);
    const load = service.values.maxModelLoadSeconds;
    for (const env of ENVIRONMENTS) {
      const job = cd.jobs[`deploy-${env}`];
      const runs: string[] = job.steps.map((s: { run?: string }) => s.run ?? '');
      const canary = features[env] === 'on';
      expect(
        runs.some((r) => r.includes('"status":{"promoteFull":true}')),
        `${env} promotes`,
      ).toBe(canary);
      expect(
        runs.some((r) => r.includes('"status":{"abort":true}')),
        `${env} aborts`,
      ).toBe(canary);
      expect(
        runs.some((r) => r.includes('kubectl get "rollout/$SERVICE"')),
        `${env} waits for the Rollout`,
      ).toBe(canary);
      expect(
        runs.some((r) => r.includes('kubectl rollout status "deployment/$SERVICE"')),
        `${env} waits for the Deployment`,
      ).toBe(!canary);
      // Rolling back still works: it changes the Deployment, whose template the Rollout runs.
      expect(
        runs.some((r) => r.startsWith('kubectl rollout undo "deployment/$SERVICE" -n "$NAMESPACE" ${REVISION:+')),
        `${env} rolls back`,
      ).toBe(true);
      // A canary's job outlasts its three steps (a model load and 5 minutes each) and the promotion.
      if (canary) expect(job['timeout-minutes'] * 60).toBeGreaterThan(4 * (load + 300) + 3 * 300);
      if (anyCanary && !canary)
        expect(
          runs.some((r) => r.includes(`${env} runs no canary releases`)),
          `${env} refuses canary actions`,
        ).toBe(true);
    }
  });
});
