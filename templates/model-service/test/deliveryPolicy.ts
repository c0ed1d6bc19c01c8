// Our own checks of a built overlay, in the spirit of kube-linter and Polaris, plus the rules this
// platform promises (GPU scheduling, graceful shutdown, probes that wait for the model, mesh and
// observability wiring from the contract). Each returns findings; a correct overlay has none.
import { LONGEST_NAME_SUFFIX, parseQuantity, type EnvironmentName, type ServiceValues } from '@idp/service-spec';
import type { KubeObject } from './deliveryKubeValidate.js';
import { checkScaling } from './deliveryScalingPolicy.js';

// Built objects are free-form YAML: the checks poke at them by path.
type Json = Record<string, any>;

/** JSON with sorted keys: kustomize reorders fields, the contract does not. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DIGEST_IMAGE = /^[^@:\s]+(:\d+)?\/[^@\s]+@sha256:[0-9a-f]{64}$/;

export function checkOverlay(objects: KubeObject[], values: ServiceValues, env: EnvironmentName): string[] {
  const findings: string[] = [];
  const find = (kind: string, name = values.name) => objects.find((o) => o.kind === kind && o.metadata.name === name) as Json | undefined;
  const need = (kind: string, name = values.name): Json => {
    const object = find(kind, name);
    if (!object) findings.push(`${kind}/${name} is missing`);
    return object ?? {};
  };
  const target = values.platform.environments[env];

  for (const object of objects) {
    const name = object.metadata.name;
    if (name.length > 63 || !DNS_1123_LABEL.test(name))
      findings.push(`${object.kind}/${name}: name is not a DNS label of at most 63 characters`);
    if (name !== values.name && !name.startsWith(`${values.name}-`))
      findings.push(`${object.kind}/${name}: name does not start with the service name`);
    if (name.length - values.name.length > LONGEST_NAME_SUFFIX.length)
      findings.push(`${object.kind}/${name}: suffix longer than ${LONGEST_NAME_SUFFIX}`);
    if (object.metadata.namespace !== values.namespace)
      findings.push(`${object.kind}/${name}: namespace is ${object.metadata.namespace}, not the team namespace ${values.namespace}`);
    if (object.metadata.labels?.['app.kubernetes.io/name'] !== values.name)
      findings.push(`${object.kind}/${name}: no app.kubernetes.io/name label`);
  }

  const deployment = need('Deployment');
  const pod: Json = deployment.spec?.template?.spec ?? {};
  const podLabels: Json = deployment.spec?.template?.metadata?.labels ?? {};
  const podAnnotations: Json = deployment.spec?.template?.metadata?.annotations ?? {};
  const container: Json = pod.containers?.[0] ?? {};
  const env_ = Object.fromEntries((container.env ?? []).map((e: Json) => [e.name, e.value]));
  const drain = Number(env_.DRAIN_SECONDS);
  const requestTimeout = Number(env_.REQUEST_TIMEOUT_SECONDS);
  const load = values.maxModelLoadSeconds;
  const check = (ok: unknown, message: string) => {
    if (!ok) findings.push(`Deployment/${values.name}: ${message}`);
  };

  // Workload identity and supply chain
  check(pod.containers?.length === 1, 'must run exactly one container');
  check(DIGEST_IMAGE.test(container.image ?? ''), `image ${container.image} is not pinned by digest`);
  check(
    String(container.image).startsWith(`${target.registry.host}/${target.registry.repositoryPrefix}/${values.name}@`),
    `image ${container.image} is not from ${env}'s registry`,
  );
  check(pod.serviceAccountName === values.name, 'must run as its own service account');
  check(pod.automountServiceAccountToken === false, 'must not mount a service account token');
  check(!pod.hostNetwork && !pod.hostPID && !pod.hostIPC, 'must not share host namespaces');
  check(!(pod.volumes ?? []).some((v: Json) => v.hostPath), 'must not mount host paths');

  // Pod Security Standard "restricted"
  const psc: Json = pod.securityContext ?? {};
  const csc: Json = container.securityContext ?? {};
  check(psc.runAsNonRoot === true || csc.runAsNonRoot === true, 'must run as non-root');
  check((csc.runAsUser ?? psc.runAsUser) !== 0, 'must not run as uid 0');
  check((csc.seccompProfile ?? psc.seccompProfile)?.type === 'RuntimeDefault', 'seccomp profile must be RuntimeDefault');
  check(csc.allowPrivilegeEscalation === false, 'must forbid privilege escalation');
  check(csc.privileged !== true, 'must not be privileged');
  check(csc.readOnlyRootFilesystem === true, 'root filesystem must be read-only');
  check(csc.capabilities?.drop?.includes('ALL') && !csc.capabilities?.add?.length, 'must drop ALL capabilities and add none');
  const volume = (mountPath: string) => {
    const mount = (container.volumeMounts ?? []).find((m: Json) => m.mountPath === mountPath);
    return (pod.volumes ?? []).find((v: Json) => v.name === mount?.name) as Json | undefined;
  };
  check(volume('/tmp')?.emptyDir, '/tmp must be a writable emptyDir');
  check(env_.MODEL_CACHE_DIR && volume(env_.MODEL_CACHE_DIR)?.emptyDir, 'MODEL_CACHE_DIR must be a writable emptyDir');
  check(volume('/dev/shm')?.emptyDir?.medium === 'Memory', '/dev/shm must be a memory-backed emptyDir');
  // Shared memory counts against the memory limit: as large as the limit, it alone can OOM-kill the pod.
  check(
    parseQuantity(String(volume('/dev/shm')?.emptyDir?.sizeLimit))! < parseQuantity(values.memory)!,
    `/dev/shm must be sized below the memory limit ${values.memory}`,
  );

  // Probes wait for the model; shutdown outlives drain and the longest request
  const http = (probe: Json | undefined, path: string) => probe?.httpGet?.path === path && probe.httpGet.port === 'http';
  check(http(container.startupProbe, '/v2/health/ready'), 'startup probe must GET /v2/health/ready');
  check(http(container.livenessProbe, '/v2/health/live'), 'liveness probe must GET /v2/health/live');
  check(http(container.readinessProbe, '/v2/health/ready'), 'readiness probe must GET /v2/health/ready');
  for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
    check(container[probe]?.timeoutSeconds >= 5, `${probe} timeout must be at least 5 s`);
  }
  const startup: Json = container.startupProbe ?? {};
  check(
    (startup.periodSeconds ?? 10) * (startup.failureThreshold ?? 3) >= load,
    `startup probe must wait at least maxModelLoadSeconds (${load} s)`,
  );
  check(deployment.spec?.progressDeadlineSeconds > load, `progressDeadlineSeconds must exceed maxModelLoadSeconds (${load} s)`);
  check(drain >= 1 && requestTimeout >= 1, 'DRAIN_SECONDS and REQUEST_TIMEOUT_SECONDS must be set');
  const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
  check(preStop > 0, 'must sleep in preStop so endpoints stop routing before the drain');
  check(
    pod.terminationGracePeriodSeconds >= preStop + drain + requestTimeout,
    'terminationGracePeriodSeconds must cover preStop + drain + the longest request',
  );
  check(
    deployment.spec?.strategy?.rollingUpdate?.maxUnavailable === 0,
    'rollouts must not remove serving replicas before new ones are ready',
  );
  check((pod.topologySpreadConstraints ?? []).length > 0, 'must spread replicas across zones and nodes');

  // Resources and GPU scheduling
  const requests: Json = container.resources?.requests ?? {};
  const limits: Json = container.resources?.limits ?? {};
  check(requests.cpu === values.cpu && limits.cpu === values.cpu, `cpu requests and limits must be ${values.cpu}`);
  check(requests.memory === values.memory && limits.memory === values.memory, `memory requests and limits must be ${values.memory}`);
  const gpuTolerations = (pod.tolerations ?? []).filter((t: Json) => String(t.key).startsWith('nvidia.com/'));
  if (values.gpuType === 'none') {
    check(requests['nvidia.com/gpu'] === undefined && limits['nvidia.com/gpu'] === undefined, 'a CPU service must not ask for GPUs');
    check(gpuTolerations.length === 0 && !pod.nodeSelector, 'a CPU service must not select or tolerate GPU nodes');
  } else {
    const pool = target.gpuPools[values.gpuType];
    check(
      Number.isInteger(limits['nvidia.com/gpu']) && limits['nvidia.com/gpu'] === values.gpuCount,
      `nvidia.com/gpu limit must be the integer ${values.gpuCount}`,
    );
    check(requests['nvidia.com/gpu'] === limits['nvidia.com/gpu'], 'nvidia.com/gpu requests must equal limits');
    check(canonical(pod.nodeSelector) === canonical(pool?.nodeSelector), `nodeSelector must be ${env}'s ${values.gpuType} pool`);
    check(canonical(pod.tolerations) === canonical(pool?.tolerations), `tolerations must be ${env}'s ${values.gpuType} pool taints`);
  }

  // Scaling and disruption
  findings.push(...checkScaling(objects, values, env));
  const pdb = need('PodDisruptionBudget');
  if (pdb.spec?.maxUnavailable !== 1) findings.push('PodDisruptionBudget: maxUnavailable must be 1');
  const selects = (selector: Json | undefined) =>
    !!selector && Object.entries(selector).every(([k, v]) => podLabels[k] === v) && Object.keys(selector).length > 0;
  if (!selects(pdb.spec?.selector?.matchLabels)) findings.push('PodDisruptionBudget: does not select the pods');

  // Traffic
  const service = need('Service');
  if (!selects(service.spec?.selector)) findings.push('Service: does not select the pods');
  const ports: Json[] = container.ports ?? [];
  for (const port of service.spec?.ports ?? []) {
    if (!ports.some((p) => p.name === port.targetPort || p.containerPort === port.targetPort))
      findings.push(`Service: targetPort ${port.targetPort} is no container port`);
  }
  const policy = need('NetworkPolicy');
  if (!selects(policy.spec?.podSelector?.matchLabels)) findings.push('NetworkPolicy: does not select the pods');
  if (!(policy.spec?.policyTypes ?? []).includes('Ingress')) findings.push('NetworkPolicy: does not restrict ingress');
  for (const rule of policy.spec?.ingress ?? []) {
    if (!(rule.ports ?? []).length) findings.push('NetworkPolicy: an ingress rule opens every port');
  }
  // Only the ingress gateway, Prometheus and the contract's callers: never every namespace or pod.
  const network = target.network;
  const namespacePeer = (namespace: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } });
  const expectedPeers = [
    { ...namespacePeer(network.ingressGateway.namespace), podSelector: { matchLabels: network.ingressGateway.podLabels } },
    namespacePeer(network.monitoring.namespace),
    ...[...new Set(network.callers.map((c) => c.namespace))].map(namespacePeer),
  ];
  for (const rule of policy.spec?.ingress ?? []) {
    if (canonical(rule.from) !== canonical(expectedPeers))
      findings.push(`NetworkPolicy: admits ${JSON.stringify(rule.from)}, not only ${env}'s gateway, monitoring and callers`);
  }

  // Observability wiring from the contract
  const hasLabels = (object: Json, labels: Record<string, string>) =>
    Object.entries(labels).every(([k, v]) => object.metadata?.labels?.[k] === v);
  const monitor = need('ServiceMonitor');
  if (!hasLabels(monitor, target.observability.serviceMonitorLabels)) findings.push(`ServiceMonitor: lacks ${env}'s serviceMonitorLabels`);
  if (!Object.entries(monitor.spec?.selector?.matchLabels ?? {}).every(([k, v]) => service.metadata?.labels?.[k] === v))
    findings.push('ServiceMonitor: does not select the Service');
  if (
    !(monitor.spec?.endpoints ?? []).every(
      (e: Json) => (service.spec?.ports ?? []).some((p: Json) => p.name === e.port) && e.path === '/metrics',
    )
  )
    findings.push("ServiceMonitor: endpoint is not the Service port's /metrics");
  if (!hasLabels(need('PrometheusRule'), target.observability.prometheusRuleLabels))
    findings.push(`PrometheusRule: lacks ${env}'s prometheusRuleLabels`);
  const dashboard = need('ConfigMap', `${values.name}-dashboard`);
  if (!hasLabels(dashboard, target.observability.dashboardLabels))
    findings.push(`ConfigMap/${values.name}-dashboard: lacks ${env}'s dashboardLabels`);

  // Mesh
  const mesh = target.mesh;
  const meshKinds = ['PeerAuthentication', 'AuthorizationPolicy', 'VirtualService'];
  const istio = mesh === 'istio-ambient' || mesh === 'istio-sidecar';
  if (istio) {
    if (need('PeerAuthentication').spec?.mtls?.mode !== 'STRICT') findings.push('PeerAuthentication: mTLS must be STRICT');
    const authz = need('AuthorizationPolicy');
    if (authz.spec?.action !== 'ALLOW' || !selects(authz.spec?.selector?.matchLabels))
      findings.push('AuthorizationPolicy: must ALLOW for the pods only');
    const principal = (namespace: string, serviceAccount: string) => `${network.trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
    const expectedSources = [
      {
        source: {
          principals: [
            principal(network.ingressGateway.namespace, network.ingressGateway.serviceAccount),
            principal(network.monitoring.namespace, network.monitoring.serviceAccount),
            ...network.callers.filter((c) => c.serviceAccount).map((c) => principal(c.namespace, c.serviceAccount!)),
          ],
        },
      },
      ...(network.callers.some((c) => !c.serviceAccount)
        ? [{ source: { namespaces: network.callers.filter((c) => !c.serviceAccount).map((c) => c.namespace) } }]
        : []),
    ];
    for (const rule of authz.spec?.rules ?? []) {
      if (canonical(rule.from) !== canonical(expectedSources))
        findings.push(`AuthorizationPolicy: admits ${JSON.stringify(rule.from)}, not only ${env}'s gateway, monitoring and callers`);
    }
    const timeout = parseFloat(need('VirtualService').spec?.http?.[0]?.timeout ?? '0');
    if (!(timeout > requestTimeout))
      findings.push(`VirtualService: timeout ${timeout}s must exceed REQUEST_TIMEOUT_SECONDS (${requestTimeout})`);
  } else {
    for (const kind of meshKinds) if (objects.some((o) => o.kind === kind)) findings.push(`${kind}: present, but ${env}'s mesh is ${mesh}`);
  }
  const expectLabel = (key: string, value: string | undefined) => {
    if (podLabels[key] !== value)
      findings.push(`Deployment/${values.name}: pod label ${key} must be ${value ?? 'absent'} for mesh ${mesh}`);
  };
  expectLabel('sidecar.istio.io/inject', mesh === 'istio-sidecar' ? 'true' : undefined);
  expectLabel('istio.io/dataplane-mode', mesh === 'istio-ambient' ? 'ambient' : undefined);
  if ((podAnnotations['linkerd.io/inject'] === 'enabled') !== (mesh === 'linkerd'))
    findings.push(`Deployment/${values.name}: linkerd.io/inject annotation does not match mesh ${mesh}`);
  if (mesh === 'linkerd') {
    const timeout = parseFloat(service.metadata?.annotations?.['timeout.linkerd.io/request'] ?? '0');
    if (!(timeout > requestTimeout))
      findings.push(`Service: timeout.linkerd.io/request must exceed REQUEST_TIMEOUT_SECONDS (${requestTimeout})`);
  }
  return findings;
}
