// Kubernetes manifests of the llm-service skeleton: both overlays for every mesh kind, with the
// platform's delivery features on and off, and for each way of getting the weights (the Hub, a
// volume, object storage), built with a real kustomize and validated by the generated Kubernetes
// and CRD validators model-service's tests use (unknown fields rejected); then the rules that make
// it a vLLM deployment as the production stacks run one.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ENVIRONMENTS, type EnvironmentName, MESH_KINDS, VLLM_ENGINE } from '@idp/service-spec';
import { validateObject, type KubeObject } from '../../model-service/test/deliveryKubeValidate.js';
import { build } from '../../model-service/test/deliveryKustomize.js';
import { variantFor } from '../../model-service/test/deliveryMatrix.js';
import { contractVariant } from '../../model-service/test/deliveryRender.js';
import { LLAMA_8B, type LlmValues, type RenderedLlmService, renderLlmService, SKELETON_DIR } from './llmRender.js';

// Built objects are free-form YAML: the tests poke at them by path.
type Json = Record<string, any>;

const rendered: RenderedLlmService[] = [];
afterAll(async () => Promise.all(rendered.map((r) => r.cleanup())));

async function renderAndBuild(
  spec: Parameters<typeof renderLlmService>[0],
  mesh: (typeof MESH_KINDS)[number],
  features: 'on' | 'off' | 'scale-to-zero',
  fixture?: string,
) {
  const service = await renderLlmService(spec, await contractVariant(variantFor(mesh, features)), fixture);
  rendered.push(service);
  const overlays = {} as Record<EnvironmentName, KubeObject[]>;
  for (const env of ENVIRONMENTS) overlays[env] = await build(path.join(service.dir, 'deploy/overlays', env));
  return { service, overlays };
}

const SOURCES = {
  hf: LLAMA_8B,
  pvc: { ...LLAMA_8B, model: 'pvc://models/llama-3.1-8b', modelRevision: '', modelConfig: './config.json' },
  s3: { ...LLAMA_8B, model: 's3://models/llama-3.1-8b', modelRevision: '', modelConfig: './config.json' },
};

const CASES = MESH_KINDS.flatMap((mesh) =>
  (['on', 'off'] as const).map((features, i) => ({
    mesh,
    features,
    source: (['hf', 'pvc', 's3'] as const)[(MESH_KINDS.indexOf(mesh) + i) % 3],
  })),
);

/** JSON with sorted keys: kustomize sorts the keys it writes. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v));

/** Our rules for one built overlay; a correct one has none. */
function llmFindings(objects: KubeObject[], values: LlmValues, env: EnvironmentName): string[] {
  const findings: string[] = [];
  const check = (ok: unknown, message: string) => {
    if (!ok) findings.push(message);
  };
  const target = values.platform.environments[env];
  const deployment = objects.find((o) => o.kind === 'Deployment') as Json;
  const pod = deployment.spec.template.spec;
  const vllm = pod.containers.find((c: Json) => c.name === 'vllm');
  check(vllm.image === `${VLLM_ENGINE.image}@${VLLM_ENGINE.digest}`, `the engine image must be pinned by digest, not ${vllm.image}`);
  for (const c of [...pod.containers, ...(pod.initContainers ?? [])])
    check(/@sha256:[0-9a-f]{64}$/.test(c.image), `${c.name}: image not pinned by digest`);
  const args: string[] = vllm.args;
  for (const flag of [
    `--served-model-name=${values.servedModelName}`,
    `--max-model-len=${values.maxModelLen}`,
    `--max-num-seqs=${values.maxNumSeqs}`,
    `--tensor-parallel-size=${values.tensorParallelSize}`,
    `--gpu-memory-utilization=${values.gpuMemoryUtilization}`,
    `--max-num-batched-tokens=${values.maxNumBatchedTokens}`,
    `--dtype=${values.dtype}`,
    '--enable-prefix-caching',
  ])
    check(args.includes(flag), `vllm args lack ${flag}: ${args.join(' ')}`);
  check(vllm.resources.limits['nvidia.com/gpu'] === values.gpuCount, `nvidia.com/gpu must be ${values.gpuCount}`);
  const pool = target.gpuPools[values.gpuType]!;
  check(canonical(pod.nodeSelector) === canonical(pool.nodeSelector), `nodeSelector must be ${env}'s ${values.gpuType} pool`);
  check(canonical(pod.tolerations) === canonical(pool.tolerations), `tolerations must be ${env}'s ${values.gpuType} pool's`);
  for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'])
    check(vllm[probe]?.httpGet?.path === '/health', `${probe} must be on /health`);
  check(
    vllm.startupProbe.periodSeconds * vllm.startupProbe.failureThreshold >= values.startupSeconds,
    `the start-up window must cover ${values.startupSeconds} s`,
  );
  check(vllm.lifecycle?.preStop?.sleep?.seconds > 0, 'preStop must drain');
  check(
    pod.terminationGracePeriodSeconds > vllm.lifecycle.preStop.sleep.seconds + values.objectives.requestTimeoutSeconds,
    'the grace period must outlast preStop and the longest request',
  );
  const shm = pod.volumes.find((v: Json) => v.name === 'dshm');
  check(
    shm?.emptyDir?.medium === 'Memory' && vllm.volumeMounts.some((m: Json) => m.mountPath === '/dev/shm'),
    '/dev/shm must be memory-backed',
  );
  // Pod Security Standards "restricted", for every container.
  check(
    pod.securityContext.runAsNonRoot === true && pod.securityContext.seccompProfile.type === 'RuntimeDefault',
    'pod must be restricted',
  );
  for (const c of [...pod.containers, ...(pod.initContainers ?? [])]) {
    const sc = c.securityContext ?? {};
    check(
      sc.allowPrivilegeEscalation === false && sc.readOnlyRootFilesystem === true && sc.capabilities?.drop?.includes('ALL'),
      `${c.name}: not restricted`,
    );
  }
  check(pod.automountServiceAccountToken === false, 'no API token');
  // The Hub token only ever from a Secret, and only in the step that downloads.
  const envs = [...pod.containers, ...(pod.initContainers ?? [])].flatMap((c: Json) =>
    (c.env ?? []).map((e: Json) => ({ ...e, container: c.name })),
  );
  for (const e of envs.filter((e: Json) => /TOKEN/.test(e.name)))
    check(
      e.value === undefined && e.valueFrom?.secretKeyRef?.name === `${values.name}-hf-token` && e.container === 'model-download',
      `${e.container}: ${e.name} must come from the Secret`,
    );
  if (values.modelSource === 'hf') {
    check(pod.initContainers?.[0]?.name === 'model-download', 'a Hub model is downloaded by an init step');
    check(args.includes(`--revision=${values.modelRevision}`), 'the engine serves the pinned revision');
    check(args.includes(`--tokenizer-revision=${values.modelRevision}`), 'and its tokenizer, which offline has no branch to resolve');
    check(
      envs.some((e: Json) => e.name === 'HF_HUB_OFFLINE' && e.value === '1' && e.container === 'vllm'),
      'the engine must not reach the Hub',
    );
    const pvc = objects.find((o) => o.kind === 'PersistentVolumeClaim') as Json;
    check(pvc?.spec.resources.requests.storage === values.modelCacheSize, `the model cache must be ${values.modelCacheSize}`);
  } else {
    check(!objects.some((o) => o.kind === 'PersistentVolumeClaim'), 'no model cache for weights that are not downloaded');
  }
  const keda = target.autoscaling.keda;
  const scaler = objects.find((o) => o.kind === 'ScaledObject') as Json | undefined;
  check(!!scaler === keda, `a ScaledObject exactly where KEDA runs (${keda})`);
  if (scaler) {
    const queries = scaler.spec.triggers.map((t: Json) => t.metadata.query);
    check(
      queries.some((q: string) => q.includes('vllm:num_requests_waiting')),
      'KEDA scales on the queue',
    );
    check(
      queries.some((q: string) => q.includes('vllm:kv_cache_usage_perc')),
      'KEDA scales on the KV cache',
    );
  } else {
    const hpa = objects.find((o) => o.kind === 'HorizontalPodAutoscaler') as Json;
    check(hpa?.spec.metrics[0].pods.metric.name === 'vllm_num_requests_waiting', 'the HPA scales on the queue');
  }
  if (env === 'production') {
    const floor = scaler
      ? scaler.spec.minReplicaCount
      : (objects.find((o) => o.kind === 'HorizontalPodAutoscaler') as Json).spec.minReplicas;
    check(floor >= 2, `production keeps at least 2 replicas (a PodDisruptionBudget cannot protect one), not ${floor}`);
  }
  const rollout = target.rollouts.controller === 'argo-rollouts';
  check(!!objects.find((o) => o.kind === 'Rollout') === rollout, 'a Rollout exactly where Argo Rollouts runs');
  if (rollout) check(deployment.spec.replicas === 0, 'the Deployment runs no pods where the Rollout runs them');
  const policy = objects.find((o) => o.kind === 'NetworkPolicy') as Json;
  check(
    policy.spec.ingress[0].from[0].namespaceSelector.matchLabels['kubernetes.io/metadata.name'] === target.network.ingressGateway.namespace,
    `${env}'s gateway`,
  );
  const istio = target.mesh.startsWith('istio');
  check(objects.some((o) => o.kind === 'AuthorizationPolicy') === istio, 'mesh policy exactly where Istio runs');
  for (const o of objects)
    check(o.metadata.namespace === values.namespace || o.kind === 'Namespace', `${o.kind}/${o.metadata.name}: not in ${values.namespace}`);
  return findings;
}

describe.each(CASES)('mesh $mesh, delivery features $features, weights from $source', ({ mesh, features, source }) => {
  test('both overlays build, validate strictly and run vLLM as sized', async () => {
    const { service, overlays } = await renderAndBuild(SOURCES[source], mesh, features);
    for (const env of ENVIRONMENTS) {
      const objects = overlays[env];
      expect(objects.flatMap(validateObject), env).toEqual([]);
      expect(llmFindings(objects, service.values, env), env).toEqual([]);
    }
  });
});

test('the rules can fail: a build with the engine unpinned and the token inline is refused', async () => {
  const { service, overlays } = await renderAndBuild(LLAMA_8B, 'none', 'on');
  const objects = structuredClone(overlays.staging) as Json[];
  const pod = objects.find((o) => o.kind === 'Deployment')!.spec.template.spec;
  pod.containers[0].image = 'vllm/vllm-openai:latest';
  pod.initContainers[0].env.push({ name: 'HF_TOKEN_COPY', value: 'hf_x' });
  const findings = llmFindings(objects as KubeObject[], service.values, 'staging');
  expect(findings).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/engine image must be pinned/),
      expect.stringMatching(/HF_TOKEN_COPY must come from the Secret/),
    ]),
  );
});

test('a 70B model on four GPUs: tensor-parallel 4, a start-up window and cache sized from 131 GiB of weights', async () => {
  const { service, overlays } = await renderAndBuild(
    {
      name: 'big-chat',
      model: 'meta-llama/Llama-3.1-70B-Instruct',
      modelRevision: LLAMA_8B.modelRevision,
      maxModelLen: 8192,
      maxNumSeqs: 8,
    },
    'none',
    'off',
    'llama-3.1-70b',
  );
  expect(service.values).toMatchObject({ gpuType: 'nvidia-a100', gpuCount: 4, tensorParallelSize: 4 });
  const vllm = (overlays.production.find((o) => o.kind === 'Deployment') as Json).spec.template.spec.containers[0];
  expect(vllm.args).toContain('--tensor-parallel-size=4');
  expect(vllm.startupProbe.periodSeconds * vllm.startupProbe.failureThreshold).toBeGreaterThan(180 + 131 * 4);
  expect(llmFindings(overlays.production, service.values, 'production')).toEqual([]);
}, 120_000);

test("staging's and production's overlay templates differ only in their environment's name", async () => {
  const dir = path.join(SKELETON_DIR, 'deploy/overlays');
  const files = (await readdir(path.join(dir, 'production'))).sort();
  expect((await readdir(path.join(dir, 'staging'))).map((f) => f.replace('staging', 'production')).sort()).toEqual(files);
  for (const file of files) {
    const production = await readFile(path.join(dir, 'production', file), 'utf-8');
    const staging = await readFile(path.join(dir, 'staging', file.replace('production', 'staging')), 'utf-8');
    expect(staging.replaceAll("'staging'", "'production'"), file).toBe(production);
  }
});

test('no file of the rendered service names a deprecated or removed vLLM metric', async () => {
  const service = rendered[0] ?? (await renderLlmService(LLAMA_8B));
  const texts = await readAll(service.dir);
  for (const [file, text] of texts) {
    expect(text, file).not.toMatch(/vllm:gpu_cache_usage_perc|vllm:time_per_output_token_seconds|vllm:cpu_cache_usage_perc/);
  }
});

async function readAll(dir: string): Promise<[string, string][]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => [path.join(e.parentPath, e.name), await readFile(path.join(e.parentPath, e.name), 'utf-8')] as [string, string]),
  );
}
