import { PlatformContract } from '@idp/service-spec';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHARTS } from '../components/charts.js';
import type { ClusterConfigInput } from '../config/clusterConfig.js';
import type { PlatformConfigInput } from '../config/platformConfig.js';
import { AWS_CLUSTER, EXISTING_CLUSTER, GCP_CLUSTER } from '../test/clusterConfigs.js';
import { validateCustomResource } from '../../test/crdValidate.js';
import { loadDefaultContract } from '../../test/defaultContract.js';
import { type MockRun, runUnderMocks } from '../test/mocks.js';
import { CLUSTER_STACK, clusterStackOutputs, PLATFORM, parsePlatform } from '../test/platformConfigs.js';
import { platformProgram } from './platformProgram.js';

const CLUSTERS = { aws: AWS_CLUSTER, gcp: GCP_CLUSTER, existing: EXISTING_CLUSTER } satisfies Record<string, ClusterConfigInput>;
type Provider = keyof typeof CLUSTERS;
const PEER = 'acme/idp-platform/production';

// The default contract the CLI ships: the platform must advertise the same observability labels and
// the same GPU placement convention, or services scaffolded against one break on the other.
const DEFAULT_CONTRACT = loadDefaultContract();

const stacks: Partial<Record<Provider, Record<string, unknown>>> = {};
beforeAll(async () => {
  for (const provider of Object.keys(CLUSTERS) as Provider[]) stacks[provider] = await clusterStackOutputs(CLUSTERS[provider]);
});

async function run(
  provider: Provider,
  config: Partial<PlatformConfigInput> = {},
  extraStacks: Record<string, Record<string, unknown>> = {},
) {
  // The existing cluster serves staging only; production comes from a peer stack.
  const served: PlatformConfigInput =
    provider === 'existing' ? { ...PLATFORM, environments: ['staging'], peerPlatformStack: PEER } : PLATFORM;
  const peer: Record<string, Record<string, unknown>> = provider === 'existing'
    ? { [PEER]: { platformEnvironments: { production: DEFAULT_CONTRACT.environments.production } } }
    : {};
  return runUnderMocks(() => platformProgram(parsePlatform({ ...served, ...config })), {
    [CLUSTER_STACK]: stacks[provider]!,
    ...peer,
    ...extraStacks,
  });
}

const releases = (result: MockRun<unknown>): Record<string, Record<string, any>> =>
  Object.fromEntries(result.ofType('kubernetes:helm.sh/v3:Release').map((r) => [r.inputs.name, r.inputs]));

describe.each(['aws', 'gcp', 'existing'] as const)('platform layer on %s', (provider) => {
  it('exports a platformContract the PlatformContract schema accepts, matching the cluster', async () => {
    const result = await run(provider);
    const contract = result.outputs.platformContract;
    expect(PlatformContract.safeParse(contract).success).toBe(true);
    const staging = contract!.environments.staging;
    expect(staging.cluster.provider).toBe(provider);
    expect(staging.mesh).toBe('istio-ambient');
    expect(staging.observability).toEqual(DEFAULT_CONTRACT.environments.staging.observability);
    // Prometheus as the Observability component installs it: the identity the mesh admits for scrapes.
    expect(staging.network).toEqual(DEFAULT_CONTRACT.environments.staging.network);
    // The placement convention is the default contract's; the memory facts are this cluster's own.
    const defaultPools: Record<string, { nodeSelector: unknown; tolerations: unknown }> = DEFAULT_CONTRACT.environments.staging.gpuPools;
    for (const [gpuType, pool] of Object.entries(staging.gpuPools)) {
      expect({ nodeSelector: pool!.nodeSelector, tolerations: pool!.tolerations }).toEqual({
        nodeSelector: defaultPools[gpuType]!.nodeSelector,
        tolerations: defaultPools[gpuType]!.tolerations,
      });
    }
    const clusterGpuTypes = (stacks[provider]!.cluster as { gpuPools: { gpuType: string }[] }).gpuPools.map((p) => p.gpuType);
    expect(Object.keys(staging.gpuPools)).toEqual(clusterGpuTypes);
  });

  it("exports each GPU pool's memory, GPUs per node and sharing, which LLM sizing reads", async () => {
    const pools = (await run(provider)).outputs.platformContract!.environments.staging.gpuPools;
    const facts = Object.fromEntries(
      Object.entries(pools).map(([gpuType, p]) => [gpuType, { memoryGiB: p!.memoryGiB, gpusPerNode: p!.gpusPerNode, sharing: p!.sharing }]),
    );
    const expected = {
      // p4d.24xlarge carries the 40 GB A100: the instance type says so, not the default.
      aws: {
        'nvidia-l4': { memoryGiB: 24, gpusPerNode: 1, sharing: { mode: 'none' } },
        'nvidia-a10g': { memoryGiB: 24, gpusPerNode: 1, sharing: { mode: 'time-slicing', replicas: 4 } },
        'nvidia-a100': { memoryGiB: 40, gpusPerNode: 8, sharing: { mode: 'mig', profile: '1g.10gb' } },
      },
      gcp: {
        'nvidia-l4': { memoryGiB: 24, gpusPerNode: 1, sharing: { mode: 'time-slicing', replicas: 2 } },
        'nvidia-h100': { memoryGiB: 80, gpusPerNode: 8, sharing: { mode: 'mig', profile: '3g.40gb' } },
      },
      existing: { 'nvidia-t4': { memoryGiB: 16, gpusPerNode: 1, sharing: { mode: 'none' } } },
    }[provider];
    expect(facts).toEqual(expected);
  });

  it('every resource is parented to a component, every chart pinned to CHARTS', async () => {
    const result = await run(provider);
    for (const r of result.resources) {
      if (r.type.startsWith('idp:platform:') || r.type === 'pulumi:pulumi:StackReference' || r.type === 'pulumi:providers:kubernetes')
        expect(r.parentType, r.name).toBeUndefined();
      else expect(r.parentType, `${r.type} ${r.name}`).toMatch(/^idp:platform:/);
    }
    const pinned = new Map(Object.values(CHARTS).map((c) => [`${c.repo}/${c.chart}`, c.version]));
    for (const release of Object.values(releases(result))) {
      // OCI charts are addressed in full (repo/chart), others through repositoryOpts.
      const address = release.repositoryOpts ? `${release.repositoryOpts.repo}/${release.chart}` : release.chart;
      expect(release.version, release.chart).toBe(pinned.get(address));
      expect(release.atomic).toBe(true);
    }
  });

  it('team namespaces: mesh enrolment, GPU quota, limits, default deny, CI deployer bound to the cluster CI identity', async () => {
    const result = await run(provider);
    const ns = result.one('kubernetes:core/v1:Namespace', 'ml-team');
    expect(ns.parentType).toBe('idp:platform:TeamNamespace');
    expect(ns.inputs.metadata.labels).toMatchObject({
      'istio.io/dataplane-mode': 'ambient',
      'idp.dev/team': 'ml-team',
      'pod-security.kubernetes.io/enforce': 'restricted',
    });
    expect(result.one('kubernetes:core/v1:ResourceQuota', 'ml-team-quota').inputs.spec.hard).toEqual({
      'requests.nvidia.com/gpu': '8',
      'requests.cpu': '64',
      'requests.memory': '256Gi',
    });
    expect(result.one('kubernetes:core/v1:ResourceQuota', 'search-quota').inputs.spec.hard['requests.nvidia.com/gpu']).toBe('4');
    expect(result.one('kubernetes:core/v1:LimitRange', 'ml-team-limits').inputs.spec.limits[0].type).toBe('Container');
    expect(result.one('kubernetes:networking.k8s.io/v1:NetworkPolicy', 'ml-team-default-deny').inputs.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress'],
    });
    const binding = result.one('kubernetes:rbac.authorization.k8s.io/v1:RoleBinding', 'ml-team-ci-deployer').inputs;
    const ci = (stacks[provider]!.cluster as { ci: Record<string, { subject: { kind: string; name: string } }> }).ci;
    const served = provider === 'existing' ? ['staging'] : ['staging', 'production'];
    expect(binding.subjects).toEqual(served.map((env) => ({ apiGroup: 'rbac.authorization.k8s.io', ...ci[env]!.subject })));
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ci-deployer' });
    const rules = result.one('kubernetes:rbac.authorization.k8s.io/v1:Role', 'ml-team-ci-deployer').inputs.rules;
    const granted = rules.flatMap((r: { resources: string[] }) => r.resources);
    expect(granted).not.toContain('roles');
    expect(granted).not.toContain('namespaces');
    // Everything the model-service template applies (deploy/ and its Istio overlay).
    for (const kind of [
      'deployments',
      'services',
      'serviceaccounts',
      'horizontalpodautoscalers',
      'poddisruptionbudgets',
      'networkpolicies',
      'servicemonitors',
      'prometheusrules',
      'peerauthentications',
      'authorizationpolicies',
      'virtualservices',
      'configmaps',
    ]) {
      expect(granted).toContain(kind);
    }
  });

  it('installs KEDA and Argo Rollouts at pinned versions and says so in the contract, with each team quota', async () => {
    const result = await run(provider);
    const all = releases(result);
    expect(all.keda).toMatchObject({ chart: CHARTS.keda.chart, version: CHARTS.keda.version, namespace: 'keda' });
    expect(all.keda!.values.prometheus.metricServer.serviceMonitor).toEqual({
      enabled: true,
      additionalLabels: { release: 'kube-prometheus-stack' },
    });
    expect(all['argo-rollouts']).toMatchObject({
      chart: CHARTS.argoRollouts.chart,
      version: CHARTS.argoRollouts.version,
      namespace: 'argo-rollouts',
    });
    expect(all['argo-rollouts']!.values).toMatchObject({ installCRDs: true, dashboard: { enabled: false } });
    // Their ServiceMonitors need the Prometheus Operator's CRDs.
    expect(result.one('kubernetes:helm.sh/v3:Release', 'keda').dependsOn).toContain('kube-prometheus-stack');
    expect(result.one('kubernetes:helm.sh/v3:Release', 'argo-rollouts').dependsOn).toContain('kube-prometheus-stack');
    const staging = result.outputs.platformContract!.environments.staging;
    expect(staging.autoscaling).toEqual({ keda: true, scaleToZero: false });
    expect(staging.rollouts).toEqual({ controller: 'argo-rollouts' });
    expect(staging.teamQuotas).toEqual({ 'ml-team': { gpus: 8 }, search: { gpus: 4 } });
    expect(staging.observability.prometheusUrl).toBe('http://kube-prometheus-stack-prometheus.monitoring.svc:9090');
    // CD applies and operates the new kinds in the team namespace.
    const granted = result
      .one('kubernetes:rbac.authorization.k8s.io/v1:Role', 'ml-team-ci-deployer')
      .inputs.rules.flatMap((r: { resources: string[] }) => r.resources);
    for (const kind of ['scaledobjects', 'rollouts', 'rollouts/status', 'analysistemplates', 'analysisruns'])
      expect(granted).toContain(kind);
  });

  it('without KEDA or a rollout controller: neither is installed and the contract keeps the CPU HPA and rolling updates', async () => {
    const result = await run(provider, { autoscaling: { keda: false }, rollouts: { controller: 'none' } });
    expect(Object.keys(releases(result))).not.toContain('keda');
    expect(Object.keys(releases(result))).not.toContain('argo-rollouts');
    const staging = result.outputs.platformContract!.environments.staging;
    expect(staging.autoscaling).toEqual({ keda: false, scaleToZero: false });
    expect(staging.rollouts).toEqual({ controller: 'none' });
  });

  it('kube-prometheus-stack selects the contract labels', async () => {
    const values = releases(await run(provider))['kube-prometheus-stack']!.values;
    expect(values.prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues).toBe(true);
    expect(values.grafana.sidecar.dashboards).toMatchObject({ label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL' });
  });
});

describe('GPU stack per provider', () => {
  it('aws: GPU Operator with driver and toolkit off (NVIDIA AMI), time-slicing ConfigMap, MIG manager, DCGM ServiceMonitor', async () => {
    const result = await run('aws');
    const values = releases(result)['gpu-operator']!.values;
    expect(values).toMatchObject({
      driver: { enabled: false },
      toolkit: { enabled: false },
      devicePlugin: { enabled: true, config: { name: 'device-plugin-config', default: '' } },
      mig: { strategy: 'single' },
      migManager: { enabled: true },
      dcgmExporter: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: { release: 'kube-prometheus-stack' } } },
    });
    const configMap = result.one('kubernetes:core/v1:ConfigMap', 'device-plugin-config').inputs;
    expect(Object.keys(configMap.data)).toEqual(['nvidia-a10g-time-sliced']);
    expect(parse(configMap.data['nvidia-a10g-time-sliced'])).toEqual({
      version: 'v1',
      sharing: {
        timeSlicing: { renameByDefault: false, failRequestsGreaterThanOne: true, resources: [{ name: 'nvidia.com/gpu', replicas: 4 }] },
      },
    });
    expect(result.ofType('kubernetes:helm.sh/v3:Release').map((r) => r.inputs.chart)).not.toContain('dcgm-exporter');
  });

  it('gcp: GKE owns driver and device plugin, so only the DCGM exporter, on GPU nodes', async () => {
    const result = await run('gcp');
    const all = releases(result);
    expect(all['gpu-operator']).toBeUndefined();
    expect(all['dcgm-exporter']!.values).toMatchObject({
      serviceMonitor: { enabled: true, additionalLabels: { release: 'kube-prometheus-stack' } },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    });
    expect(result.ofType('kubernetes:core/v1:ConfigMap')).toHaveLength(0);
  });

  it('existing: the operator installs driver and toolkit itself; no MIG manager without MIG pools', async () => {
    const values = releases(await run('existing'))['gpu-operator']!.values;
    expect(values).toMatchObject({
      driver: { enabled: true },
      toolkit: { enabled: true },
      mig: { strategy: 'none' },
      migManager: { enabled: false },
    });
  });
});

describe('GPU nodes on demand', () => {
  it('aws: Karpenter at its pinned version with the cluster layer facts; one EC2NodeClass and a NodePool per pool that may grow, valid against the CRDs', async () => {
    const result = await run('aws');
    const release = releases(result).karpenter!;
    expect(release).toMatchObject({
      chart: `${CHARTS.karpenter.repo}/${CHARTS.karpenter.chart}`,
      version: CHARTS.karpenter.version,
      namespace: 'kube-system',
    });
    expect(release.values.settings).toEqual({ clusterName: 'ml-staging', interruptionQueue: 'ml-staging-karpenter' });
    const custom = result.resources.filter((r) => r.parentType === 'idp:platform:Karpenter' && r.type.startsWith('kubernetes:karpenter'));
    for (const r of custom) expect(validateCustomResource(r.inputs), r.name).toEqual([]);
    const nodeClass = result.one('kubernetes:karpenter.k8s.aws/v1:EC2NodeClass').inputs;
    expect(nodeClass.spec).toMatchObject({
      role: 'ml-staging-nodes',
      subnetSelectorTerms: [{ id: 'subnet-0a1b2c3d4e5f60718' }, { id: 'subnet-0f1e2d3c4b5a69788' }],
      metadataOptions: { httpTokens: 'required' },
    });
    const pools = Object.fromEntries(
      result.ofType('kubernetes:karpenter.sh/v1:NodePool').map((r) => [r.inputs.metadata.name, r.inputs.spec]),
    );
    expect(Object.keys(pools).sort()).toEqual(['gpu-nvidia-a100', 'gpu-nvidia-a10g', 'gpu-nvidia-l4']);
    // The same taint and labels as the managed pools, so the contract's placement lands on both.
    expect(pools['gpu-nvidia-l4']!.template.spec.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }]);
    expect(pools['gpu-nvidia-l4']!.template.metadata.labels).toEqual(
      DEFAULT_CONTRACT.environments.staging.gpuPools['nvidia-l4']!.nodeSelector,
    );
    expect(pools['gpu-nvidia-l4']!.template.spec.requirements).toContainEqual({
      key: 'node.kubernetes.io/instance-type',
      operator: 'In',
      values: ['g6.xlarge'],
    });
    // Limits: maxSize nodes of GPUs as the nodes report them (time-sliced ×4; p4d has 8 GPUs of 7 1g.10gb slices).
    expect(pools['gpu-nvidia-l4']!.limits).toEqual({ 'nvidia.com/gpu': '4' });
    expect(pools['gpu-nvidia-a10g']!.limits).toEqual({ 'nvidia.com/gpu': '8' });
    expect(pools['gpu-nvidia-a100']!.limits).toEqual({ 'nvidia.com/gpu': '56' });
    // Never evicts a pod to consolidate: only empty nodes go, one at a time, never by age.
    expect(pools['gpu-nvidia-l4']!.disruption).toEqual({
      consolidationPolicy: 'WhenEmpty',
      consolidateAfter: '10m',
      budgets: [{ nodes: '1' }],
    });
    expect(pools['gpu-nvidia-l4']!.template.spec.expireAfter).toBe('Never');
    expect(result.one('kubernetes:karpenter.sh/v1:NodePool', 'karpenter-gpu-nvidia-l4').dependsOn).toEqual(
      expect.arrayContaining(['karpenter', 'karpenter-gpu-node-class']),
    );
  });

  it('the CRD schemas catch a wrong NodePool', () => {
    const pool = {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'x' },
      spec: {
        template: {
          spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'gpu' }, requirements: [], taint: [] },
        },
        disruption: { consolidationPolicy: 'Sometimes' },
      },
    };
    const problems = validateCustomResource(pool).join('\n');
    expect(problems).toContain('/spec/template/spec: must NOT have additional properties (taint)');
    expect(problems).toContain('/spec/disruption/consolidationPolicy: must be equal to one of the allowed values');
  });

  it.each(['gcp', 'existing'] as const)(
    '%s: no Karpenter (GKE autoscales its node pools; existing clusters have the nodes they have)',
    async (provider) => {
      const result = await run(provider);
      expect(releases(result).karpenter).toBeUndefined();
      expect(result.resources.filter((r) => r.type.startsWith('kubernetes:karpenter'))).toEqual([]);
    },
  );
});

describe('service mesh', () => {
  it('istio ambient: Gateway API CRDs, base, istiod, cni, ztunnel, mesh-wide STRICT; GKE platform profile and node-critical quota', async () => {
    const result = await run('gcp', { mesh: 'istio-ambient' });
    const all = releases(result);
    expect(Object.keys(all).sort()).toEqual([
      'argo-rollouts',
      'dcgm-exporter',
      'istio-base',
      'istio-cni',
      'istiod',
      'keda',
      'kube-prometheus-stack',
      'ztunnel',
    ]);
    expect(all.istiod!.values).toMatchObject({ profile: 'ambient', global: { platform: 'gke' } });
    expect(all['istio-cni']!.values).toMatchObject({ profile: 'ambient', global: { platform: 'gke' } });
    expect(result.one('kubernetes:yaml/v2:ConfigFile').inputs.file).toMatch(
      /gateway-api\/releases\/download\/v\d+\.\d+\.\d+\/standard-install\.yaml$/,
    );
    const peer = result.one('kubernetes:security.istio.io/v1:PeerAuthentication').inputs;
    expect(peer).toMatchObject({
      apiVersion: 'security.istio.io/v1',
      metadata: { name: 'default', namespace: 'istio-system' },
      spec: { mtls: { mode: 'STRICT' } },
    });
    expect(
      result.one('kubernetes:core/v1:ResourceQuota', 'istio-node-critical').inputs.spec.scopeSelector.matchExpressions[0].values,
    ).toEqual(['system-node-critical']);
  });

  it('installs in order: base → istiod → cni → ztunnel, STRICT after istiod, team namespaces after the mesh', async () => {
    const result = await run('aws', { mesh: 'istio-ambient' });
    const deps = (type: string, name: string) => result.one(type, name).dependsOn;
    const release = 'kubernetes:helm.sh/v3:Release';
    expect(deps(release, 'istio-base')).toContain('gateway-api-crds');
    expect(deps(release, 'istiod')).toContain('istio-base');
    expect(deps(release, 'istio-cni')).toContain('istiod');
    expect(deps(release, 'ztunnel')).toContain('istio-cni');
    expect(deps('kubernetes:security.istio.io/v1:PeerAuthentication', 'mesh-mtls-strict')).toContain('istiod');
    expect(deps('kubernetes:core/v1:Namespace', 'ml-team')).toEqual(expect.arrayContaining(['istiod', 'ztunnel', 'mesh-mtls-strict']));
    // The DCGM ServiceMonitor needs the Prometheus Operator's CRDs; time-slicing needs its ConfigMap.
    expect(deps(release, 'gpu-operator')).toEqual(expect.arrayContaining(['kube-prometheus-stack', 'device-plugin-config']));
  });

  it('istio sidecar: no cni or ztunnel; namespaces labelled for injection and allowed NET_ADMIN init containers', async () => {
    const result = await run('aws', { mesh: 'istio-sidecar' });
    expect(Object.keys(releases(result))).not.toContain('ztunnel');
    expect(Object.keys(releases(result))).not.toContain('istio-cni');
    expect(result.one('kubernetes:core/v1:Namespace', 'ml-team').inputs.metadata.labels).toMatchObject({
      'istio-injection': 'enabled',
      'pod-security.kubernetes.io/enforce': 'privileged',
    });
    expect(result.ofType('kubernetes:core/v1:ResourceQuota').map((r) => r.name)).not.toContain('istio-node-critical');
  });

  it('linkerd: CRDs then control plane, ECDSA P-256 trust anchor and issuer from @pulumi/tls, all-authenticated inbound', async () => {
    const result = await run('aws', { mesh: 'linkerd' });
    const keys = result.ofType('tls:index/privateKey:PrivateKey');
    expect(keys.map((k) => k.inputs)).toEqual(
      [
        { algorithm: 'ECDSA', ecdsaCurve: 'P256', rsaBits: 2048 },
        { algorithm: 'ECDSA', ecdsaCurve: 'P256', rsaBits: 2048 },
      ].map(({ algorithm, ecdsaCurve }) => expect.objectContaining({ algorithm, ecdsaCurve })),
    );
    expect(result.one('tls:index/selfSignedCert:SelfSignedCert').inputs).toMatchObject({
      isCaCertificate: true,
      subject: { commonName: 'root.linkerd.cluster.local' },
    });
    expect(result.one('tls:index/locallySignedCert:LocallySignedCert').inputs).toMatchObject({ isCaCertificate: true });
    expect(result.one('kubernetes:helm.sh/v3:Release', 'linkerd-control-plane').dependsOn).toContain('linkerd-crds');
    const values = releases(result)['linkerd-control-plane']!.values;
    expect(values.proxy.defaultInboundPolicy).toBe('all-authenticated');
    expect(values.identityTrustAnchorsPEM).toContain('linkerd-trust-anchor');
    expect(values.identity.issuer.tls.keyPEM).toContain('linkerd-issuer');
    expect(result.one('kubernetes:core/v1:Namespace', 'ml-team').inputs.metadata.annotations).toEqual({ 'linkerd.io/inject': 'enabled' });
    expect(result.outputs.platformContract!.environments.production.mesh).toBe('linkerd');
  });

  it('none: no mesh resources, no enrolment', async () => {
    const result = await run('aws', { mesh: 'none' });
    expect(result.resources.filter((r) => r.parentType === 'idp:platform:ServiceMesh')).toEqual([]);
    expect(result.one('kubernetes:core/v1:Namespace', 'ml-team').inputs.metadata.labels).not.toHaveProperty('istio.io/dataplane-mode');
  });
});

describe('contract across stacks', () => {
  it('merges the peer stack’s environments and still validates', async () => {
    const result = await run('existing');
    expect(result.outputs.platformContract!.environments.production).toEqual(DEFAULT_CONTRACT.environments.production);
    expect(result.outputs.platformEnvironments).not.toHaveProperty('production');
  });

  it('leaves platformContract unset until the peer has exported its environments', async () => {
    const result = await run(
      'aws',
      { environments: ['staging'], peerPlatformStack: 'acme/idp-platform/new' },
      { 'acme/idp-platform/new': {} },
    );
    expect(result.outputs.platformContract).toBeUndefined();
    expect(Object.keys(result.outputs.platformEnvironments)).toEqual(['staging']);
  });

  it('refuses a peer environment that breaks the schema, naming the field', async () => {
    const broken = { platformEnvironments: { production: { ...DEFAULT_CONTRACT.environments.production, mesh: 'consul' } } };
    await expect(run('existing', {}, { [PEER]: broken })).rejects.toThrow(/environments\.production\.mesh/);
  });

  it('refuses to serve an environment the cluster has no CI identity for', async () => {
    await expect(run('existing', { environments: ['staging', 'production'], peerPlatformStack: undefined })).rejects.toThrow(
      /has no CI identity for production/,
    );
  });

  it('refuses cluster facts from an incompatible cluster program, naming the field', async () => {
    const stale = { ...stacks.aws!, cluster: { ...(stacks.aws!.cluster as object), nodeImageShipsDriver: 'yes' } };
    await expect(runUnderMocks(() => platformProgram(parsePlatform(PLATFORM)), { [CLUSTER_STACK]: stale })).rejects.toThrow(
      /cluster\.nodeImageShipsDriver/,
    );
  });
});
