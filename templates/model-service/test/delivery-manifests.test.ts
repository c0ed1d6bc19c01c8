// Kubernetes manifests of the model-service skeleton: every overlay of every GPU type × mesh kind,
// built with a real kustomize, validated by generated Kubernetes and CRD validators (unknown fields
// rejected) and by our own security, GPU, rollout and wiring rules.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ENVIRONMENTS, MAX_SERVICE_NAME_LENGTH } from '@idp/service-spec';
import { build, kustomize, pinDigest } from './deliveryKustomize.js';
import { validateObject, type KubeObject } from './deliveryKubeValidate.js';
import { FAKE_DIGEST, MATRIX, specFor, variantFor } from './deliveryMatrix.js';
import { checkOverlay } from './deliveryPolicy.js';
import { contractVariant, renderService, SKELETON_DIR, type RenderedService } from './deliveryRender.js';

// Built objects are free-form YAML: the tests poke at them by path.
type Json = Record<string, any>;

const rendered: RenderedService[] = [];
afterAll(async () => Promise.all(rendered.map((r) => r.cleanup())));

async function renderAndBuild(
  spec: Parameters<typeof renderService>[0],
  mesh: Parameters<typeof variantFor>[0],
  features?: Parameters<typeof variantFor>[1],
) {
  const service = await renderService(spec, await contractVariant(variantFor(mesh, features)));
  rendered.push(service);
  const overlays = Object.fromEntries(
    await Promise.all(
      ENVIRONMENTS.map(async (env) => {
        const dir = path.join(service.dir, 'deploy/overlays', env);
        pinDigest(dir, service.values.name, FAKE_DIGEST);
        return [env, await build(dir)] as const;
      }),
    ),
  ) as Record<(typeof ENVIRONMENTS)[number], KubeObject[]>;
  return { service, overlays };
}

test('a kustomize new enough for the overlays is available', () => {
  expect(kustomize().version).toMatch(/v?[5-9]\./);
});

describe.each(MATRIX)('gpuType $gpuType, mesh $mesh, delivery features $features', ({ gpuType, mesh, features }) => {
  test('both overlays build, validate strictly and pass every policy check', async () => {
    const { service, overlays } = await renderAndBuild(specFor(gpuType), mesh, features);
    const on = features === 'on';
    for (const env of ENVIRONMENTS) {
      const objects = overlays[env];
      expect(objects.map((o) => o.kind).sort(), env).toEqual(
        [
          'ConfigMap',
          'Deployment',
          'NetworkPolicy',
          'PodDisruptionBudget',
          'PrometheusRule',
          'Service',
          'ServiceAccount',
          'ServiceMonitor',
          ...(on ? ['ScaledObject', 'Rollout', 'AnalysisTemplate'] : ['HorizontalPodAutoscaler']),
          ...(on && mesh === 'istio-sidecar' ? ['Service', 'Service'] : []),
          ...(mesh.startsWith('istio') ? ['AuthorizationPolicy', 'PeerAuthentication', 'VirtualService'] : []),
        ].sort(),
      );
      expect(objects.flatMap(validateObject), `${env}: schema problems`).toEqual([]);
      expect(checkOverlay(objects, service.values, env), `${env}: policy findings`).toEqual([]);
    }
  });
});

describe.each(['istio-sidecar', 'linkerd'] as const)('scale to zero on mesh %s', (mesh) => {
  test("a service with minReplicas 0 gets a KEDA trigger that wakes it on its callers' requests, and validates", async () => {
    const { service, overlays } = await renderAndBuild({ ...specFor('nvidia-l4'), minReplicas: 0 }, mesh, 'scale-to-zero');
    for (const env of ENVIRONMENTS) {
      const objects = overlays[env];
      expect(objects.flatMap(validateObject), `${env}: schema problems`).toEqual([]);
      expect(checkOverlay(objects, service.values, env), `${env}: policy findings`).toEqual([]);
      const scaled = objects.find((o) => o.kind === 'ScaledObject') as KubeObject & Json;
      expect(scaled.spec.minReplicaCount).toBe(0);
      expect(scaled.spec.cooldownPeriod).toBeGreaterThanOrEqual(service.values.maxModelLoadSeconds);
      const wake = scaled.spec.triggers.find((t: Json) => t.name === 'wake-on-requests');
      expect(wake.metadata.activationThreshold).toBe('0');
      expect(wake.metadata.query).toContain(
        mesh === 'linkerd'
          ? 'response_total{direction="outbound", dst_service="fraud-detector"'
          : 'istio_requests_total{reporter="source", destination_service_name="fraud-detector"',
      );
    }
  });
});

test(`a ${MAX_SERVICE_NAME_LENGTH}-character name keeps every object name within 63 characters`, async () => {
  const name = `m${'x'.repeat(MAX_SERVICE_NAME_LENGTH - 2)}1`;
  const { overlays } = await renderAndBuild({ ...specFor('nvidia-h100'), name }, 'istio-sidecar');
  const names = ENVIRONMENTS.flatMap((env) => overlays[env].map((o) => o.metadata.name));
  expect(names).toContain(`${name}-dashboard`);
  for (const objectName of names) expect(objectName.length).toBeLessThanOrEqual(63);
});

test('the gRPC port is exposed, allowed and routed, while the probes stay on HTTP', async () => {
  const { overlays } = await renderAndBuild(specFor('none'), 'istio-sidecar');
  const objects = overlays.staging as Json[];
  const of = (kind: string) => objects.find((o) => o.kind === kind)!;
  const container = of('Deployment').spec.template.spec.containers[0];
  expect(container.ports).toContainEqual({ name: 'grpc', containerPort: 8081, protocol: 'TCP' });
  expect(container.env).toContainEqual({ name: 'GRPC_PORT', value: '8081' });
  for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) expect(container[probe].httpGet.port).toBe('http');
  expect(of('Service').spec.ports).toContainEqual({ name: 'grpc', port: 8081, targetPort: 'grpc', protocol: 'TCP', appProtocol: 'grpc' });
  expect(of('NetworkPolicy').spec.ingress[0].ports).toContainEqual({ port: 'grpc', protocol: 'TCP' });
  expect(of('AuthorizationPolicy').spec.rules[0].to[0].operation.ports).toContain('8081');
  const routes = of('VirtualService').spec.http.map((r: Json) => [r.match[0].port, r.route[0].destination.port.number]);
  expect(routes).toEqual([
    [80, 80],
    [8081, 8081],
  ]);
});

describe('the checks catch what they are for', () => {
  let good: { objects: KubeObject[]; service: RenderedService } | undefined;
  const fresh = async () => {
    if (!good) {
      const { service, overlays } = await renderAndBuild(specFor('nvidia-l4'), 'istio-sidecar');
      good = { objects: overlays.staging, service };
    }
    return { objects: structuredClone(good.objects), values: good.service.values };
  };
  const deploymentOf = (objects: KubeObject[]) => objects.find((o) => o.kind === 'Deployment') as KubeObject & Json;

  test.each([
    [
      'a writable root filesystem',
      (d: Json) => void (d.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false),
      'root filesystem must be read-only',
    ],
    [
      'an image by tag',
      (d: Json) => void (d.spec.template.spec.containers[0].image = 'registry.example/ml/x:latest'),
      'is not pinned by digest',
    ],
    [
      'a startup probe shorter than the model load',
      (d: Json) => void (d.spec.template.spec.containers[0].startupProbe.failureThreshold = 3),
      'startup probe must wait',
    ],
    [
      'GPUs as a string',
      (d: Json) => void (d.spec.template.spec.containers[0].resources.limits['nvidia.com/gpu'] = '1'),
      'nvidia.com/gpu limit must be the integer',
    ],
    ['a missing GPU toleration', (d: Json) => void (d.spec.template.spec.tolerations = []), 'tolerations must be'],
    [
      'a short grace period',
      (d: Json) => void (d.spec.template.spec.terminationGracePeriodSeconds = 30),
      'terminationGracePeriodSeconds must cover',
    ],
    [
      'kept capabilities',
      (d: Json) => void (d.spec.template.spec.containers[0].securityContext.capabilities = { add: ['NET_ADMIN'] }),
      'must drop ALL capabilities',
    ],
    [
      '/dev/shm as large as the memory limit',
      (d: Json) => void (d.spec.template.spec.volumes.find((v: Json) => v.name === 'dshm').emptyDir.sizeLimit = '16Gi'),
      '/dev/shm must be sized below the memory limit',
    ],
  ])('policy: %s', async (_label, mutate, finding) => {
    const { objects, values } = await fresh();
    mutate(deploymentOf(objects));
    expect(checkOverlay(objects, values, 'staging').join('\n')).toContain(finding);
  });

  test.each([
    [
      'a NetworkPolicy open to every namespace',
      'NetworkPolicy',
      (o: Json) => void (o.spec.ingress[0].from = [{ namespaceSelector: {} }]),
      'NetworkPolicy: admits [{"namespaceSelector":{}}]',
    ],
    [
      "a NetworkPolicy with another environment's peers",
      'NetworkPolicy',
      (o: Json) => void o.spec.ingress[0].from.pop(),
      'NetworkPolicy: admits',
    ],
    [
      'an AuthorizationPolicy for any principal',
      'AuthorizationPolicy',
      (o: Json) => void (o.spec.rules[0].from = [{ source: { principals: ['*'] } }]),
      'AuthorizationPolicy: admits [{"source":{"principals":["*"]}}]',
    ],
  ])('policy: %s', async (_label, kind, mutate, finding) => {
    const { objects, values } = await fresh();
    mutate(objects.find((o) => o.kind === kind) as Json);
    expect(checkOverlay(objects, values, 'staging').join('\n')).toContain(finding);
  });

  test('policy: a single replica in production', async () => {
    const { objects, values } = await fresh();
    // The default platform scales with KEDA: its ScaledObject holds the replica floor.
    (objects.find((o) => o.kind === 'ScaledObject') as Json).spec.minReplicaCount = 1;
    expect(checkOverlay(objects, values, 'production').join('\n')).toContain(
      'ScaledObject: production must keep at least 2 replicas, not 1',
    );
  });

  test('policy: a mesh timeout below the longest request', async () => {
    const { objects, values } = await fresh();
    (objects.find((o) => o.kind === 'VirtualService') as Json).spec.http[0].timeout = '30s';
    expect(checkOverlay(objects, values, 'staging').join('\n')).toContain('VirtualService: timeout 30s must exceed');
  });

  test('schema: an unknown field and a wrongly typed one', async () => {
    const { objects } = await fresh();
    const deployment = deploymentOf(objects);
    deployment.spec.template.spec.containers[0].readinessProbe.timeoutSecond = 5;
    deployment.spec.template.spec.containers[0].ports[0].containerPort = '8080';
    const problems = validateObject(deployment).join('\n');
    expect(problems).toContain('/spec/template/spec/containers/0/readinessProbe/timeoutSecond: unknown field of V1Probe');
    expect(problems).toContain('/spec/template/spec/containers/0/ports/0/containerPort: must be integer');
  });

  const objectOf = (objects: KubeObject[], kind: string) => objects.find((o) => o.kind === kind) as KubeObject & Json;

  test.each([
    [
      'a ScaledObject that scales the Deployment under a Rollout',
      'ScaledObject',
      (o: Json) => void (o.spec.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: o.metadata.name }),
      'ScaledObject: does not scale the Rollout',
    ],
    [
      'a scale-up faster than a model load',
      'ScaledObject',
      (o: Json) => void (o.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.policies[0].periodSeconds = 15),
      'scale-up policies must wait a model load',
    ],
    [
      'a GPU service without the DCGM trigger',
      'ScaledObject',
      (o: Json) => void o.spec.triggers.pop(),
      'gpu-utilisation trigger must exist exactly for GPU services',
    ],
    ['a canary without analysis', 'Rollout', (o: Json) => void delete o.spec.strategy.canary.analysis, 'Rollout: runs no analysis'],
    ['a canary surging by two pods', 'Rollout', (o: Json) => void (o.spec.strategy.canary.maxSurge = 2), 'canary must surge by 1 pod'],
    [
      'analysis of every pod, not the canary',
      'AnalysisTemplate',
      (o: Json) => void (o.spec.metrics[0].provider.prometheus.query = 'sum(rate(inference_requests_total{namespace="ml-team"}[2m]))'),
      "error-ratio does not select the canary's own series",
    ],
  ])('policy: %s', async (_label, kind, mutate, finding) => {
    const { objects, values } = await fresh();
    mutate(objectOf(objects, kind));
    expect(checkOverlay(objects, values, 'staging').join('\n')).toContain(finding);
  });

  test('schema: KEDA and Argo Rollouts objects against their CRD schemas', async () => {
    const { objects } = await fresh();
    const scaled = objectOf(objects, 'ScaledObject');
    scaled.spec.minReplicaCount = '1';
    scaled.spec.triggers[0].metricTyp = 'Value';
    const rollout = objectOf(objects, 'Rollout');
    rollout.spec.strategy.canary.steps[0].setWeight = 'ten';
    rollout.status = {};
    rollout.spek = {};
    const problems = [...validateObject(scaled), ...validateObject(rollout)].join('\n');
    expect(problems).toContain('ScaledObject/fraud-detector /spec/minReplicaCount: must be integer');
    expect(problems).toContain('/spec/triggers/0: must NOT have additional properties (metricTyp)');
    expect(problems).toContain('Rollout/fraud-detector /spec/strategy/canary/steps/0/setWeight: must be integer');
    expect(problems).toContain('Rollout/fraud-detector /spek: unknown top-level field');
  });

  test('schema: a CRD field with a wrong value', async () => {
    const { objects } = await fresh();
    const peer = objects.find((o) => o.kind === 'PeerAuthentication') as KubeObject & Json;
    peer.spec.mtls.mode = 'STRICTEST';
    expect(validateObject(peer).join('\n')).toContain('/spec/mtls/mode');
  });
});

test('an overlay CD has not pinned yet names an explicit placeholder tag, never an implicit :latest', async () => {
  const service = await renderService(specFor('none'), await contractVariant(variantFor('none')));
  rendered.push(service);
  for (const env of ENVIRONMENTS) {
    const deployment = (await build(path.join(service.dir, 'deploy/overlays', env))).find((o) => o.kind === 'Deployment') as KubeObject &
      Json;
    const { registry } = service.values.platform.environments[env];
    expect(deployment.spec.template.spec.containers[0].image).toBe(
      `${registry.host}/${registry.repositoryPrefix}/${service.values.name}:unpinned`,
    );
  }
});

test('the staging and production overlay templates differ only in their environment', async () => {
  const files = async (env: string) => (await readdir(path.join(SKELETON_DIR, 'deploy/overlays', env))).sort();
  const staging = await files('staging');
  const production = await files('production');
  expect(production).toEqual(staging.map((f) => f.replaceAll('staging', 'production')));
  for (const file of staging) {
    const text = await readFile(path.join(SKELETON_DIR, 'deploy/overlays/staging', file), 'utf-8');
    const other = await readFile(path.join(SKELETON_DIR, 'deploy/overlays/production', file.replaceAll('staging', 'production')), 'utf-8');
    expect(other, file).toBe(text.replaceAll("set env = 'staging'", "set env = 'production'"));
  }
});
