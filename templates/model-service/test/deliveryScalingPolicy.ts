// Our checks of how a built overlay scales and releases, by what the environment's platform runs:
// KEDA on the service's own load or the CPU HPA; an Argo Rollouts canary with analysis or a
// rolling update. Each returns findings; a correct overlay has none.
import { ROLLOUT_SURGE_PODS, type EnvironmentName, type ServiceValues } from '@idp/service-spec';
import type { KubeObject } from './deliveryKubeValidate.js';

// Built objects are free-form YAML: the checks poke at them by path.
type Json = Record<string, any>;

const HPA_MAX_PERIOD = 1800;

export function checkScaling(objects: KubeObject[], values: ServiceValues, env: EnvironmentName): string[] {
  const findings: string[] = [];
  const target = values.platform.environments[env];
  const keda = target.autoscaling.keda;
  const rollout = target.rollouts.controller === 'argo-rollouts';
  const find = (kind: string, name = values.name) => objects.find((o) => o.kind === kind && o.metadata.name === name) as Json | undefined;
  const need = (kind: string, name = values.name): Json => {
    const object = find(kind, name);
    if (!object) findings.push(`${kind}/${name} is missing`);
    return object ?? {};
  };
  const deployment = need('Deployment');
  const workload = rollout
    ? { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: values.name }
    : { apiVersion: 'apps/v1', kind: 'Deployment', name: values.name };
  const scalesWorkload = (ref: Json | undefined) =>
    ref?.apiVersion === workload.apiVersion && ref?.kind === workload.kind && ref?.name === workload.name;

  // With one replica a PodDisruptionBudget protects nothing: production keeps two or more, unless
  // the service chose to scale to zero where the platform allows it.
  const floor = env === 'production' && values.minReplicas > 0 ? 2 : 0;
  const replicas = { min: Math.max(values.minReplicas, floor), max: Math.max(values.maxReplicas, floor) };
  if (keda) {
    if (find('HorizontalPodAutoscaler')) findings.push('HorizontalPodAutoscaler: present beside the ScaledObject, which manages its own');
    const scaled = need('ScaledObject');
    const spec: Json = scaled.spec ?? {};
    if (spec.minReplicaCount !== replicas.min || spec.maxReplicaCount !== replicas.max)
      findings.push('ScaledObject: replicas do not match the spec');
    if (floor && !(spec.minReplicaCount >= 2))
      findings.push(`ScaledObject: production must keep at least 2 replicas, not ${spec.minReplicaCount}`);
    if (!scalesWorkload(spec.scaleTargetRef)) findings.push(`ScaledObject: does not scale the ${workload.kind}`);
    const triggers: Json[] = spec.triggers ?? [];
    const byName = Object.fromEntries(triggers.map((t) => [t.name, t]));
    for (const trigger of triggers) {
      if (trigger.type !== 'prometheus' || trigger.metadata?.serverAddress !== target.observability.prometheusUrl)
        findings.push(`ScaledObject: trigger ${trigger.name} does not query ${env}'s Prometheus`);
      if (!String(trigger.metadata?.query).includes(`namespace="${values.namespace}"`))
        findings.push(`ScaledObject: trigger ${trigger.name} is not scoped to the team namespace`);
    }
    if (
      !/inference_requests_in_flight/.test(byName['in-flight-requests']?.metadata?.query ?? '') ||
      byName['in-flight-requests']?.metricType !== 'AverageValue'
    ) {
      findings.push('ScaledObject: needs an in-flight-requests trigger averaged per replica');
    }
    if ((values.gpuType !== 'none') !== Boolean(byName['gpu-utilisation']))
      findings.push('ScaledObject: a gpu-utilisation trigger must exist exactly for GPU services');
    const behavior: Json = spec.advanced?.horizontalPodAutoscalerConfig?.behavior ?? {};
    const budget = Math.min(values.maxModelLoadSeconds, HPA_MAX_PERIOD);
    if (!(behavior.scaleUp?.policies ?? []).length || !(behavior.scaleUp.policies as Json[]).every((p) => p.periodSeconds >= budget)) {
      findings.push(`ScaledObject: scale-up policies must wait a model load (${budget} s) between steps`);
    }
    if (!(behavior.scaleDown?.stabilizationWindowSeconds >= Math.min(values.maxModelLoadSeconds, 3600)))
      findings.push('ScaledObject: scale-down must be stabilised for at least a model load');
    if (values.minReplicas === 0 && !triggers.some((t) => t.metadata?.activationThreshold !== undefined))
      findings.push('ScaledObject: scaling to zero needs an activation trigger');
  } else {
    if (find('ScaledObject')) findings.push(`ScaledObject: present, but ${env} runs no KEDA`);
    const hpa = need('HorizontalPodAutoscaler');
    if (hpa.spec?.minReplicas !== replicas.min || hpa.spec?.maxReplicas !== replicas.max)
      findings.push('HorizontalPodAutoscaler: replicas do not match the spec');
    if (floor && !(hpa.spec?.minReplicas >= 2))
      findings.push(`HorizontalPodAutoscaler: production must keep at least 2 replicas, not ${hpa.spec?.minReplicas}`);
    if (hpa.spec?.minReplicas > hpa.spec?.maxReplicas) findings.push('HorizontalPodAutoscaler: minReplicas above maxReplicas');
    if (!scalesWorkload(hpa.spec?.scaleTargetRef)) findings.push(`HorizontalPodAutoscaler: does not scale the ${workload.kind}`);
  }

  if (rollout) {
    const ro = need('Rollout');
    const spec: Json = ro.spec ?? {};
    const canary: Json = spec.strategy?.canary ?? {};
    if (deployment.spec?.replicas !== 0) findings.push('Deployment: must run no pods (replicas 0) when the Rollout runs its template');
    if (spec.replicas !== undefined) findings.push('Rollout: sets replicas, which fights the autoscaler');
    const ref: Json = spec.workloadRef ?? {};
    if (ref.kind !== 'Deployment' || ref.name !== values.name || ref.apiVersion !== 'apps/v1')
      findings.push('Rollout: must take its template from the Deployment (workloadRef)');
    if (!(spec.progressDeadlineSeconds > values.maxModelLoadSeconds) || spec.progressDeadlineAbort !== true)
      findings.push('Rollout: must abort when a step takes longer than a model load');
    if (canary.maxSurge !== ROLLOUT_SURGE_PODS || canary.maxUnavailable !== 0)
      findings.push(`Rollout: canary must surge by ${ROLLOUT_SURGE_PODS} pod (the quota check counts it) and keep every replica`);
    if (canary.canaryMetadata?.labels?.['idp.dev/track'] !== 'canary')
      findings.push('Rollout: canary pods must carry idp.dev/track=canary for the analysis');
    const template = canary.analysis?.templates?.[0]?.templateName;
    const analysis = template ? need('AnalysisTemplate', template) : undefined;
    if (!analysis) findings.push('Rollout: runs no analysis');
    for (const metric of (analysis?.spec?.metrics ?? []) as Json[]) {
      const query = String(metric.provider?.prometheus?.query ?? '');
      if (metric.provider?.prometheus?.address !== target.observability.prometheusUrl)
        findings.push(`AnalysisTemplate: ${metric.name} does not query ${env}'s Prometheus`);
      if (!query.includes('idp_dev_track="canary"') || !query.includes(`namespace="${values.namespace}"`))
        findings.push(`AnalysisTemplate: ${metric.name} does not select the canary's own series`);
    }
    const steps: Json[] = canary.steps ?? [];
    if (!steps.some((s) => s.setWeight !== undefined) || steps.some((s) => s.setWeight >= 100))
      findings.push('Rollout: needs traffic steps below 100 %');
    if (target.mesh === 'istio-sidecar') {
      const vs = find('VirtualService');
      const route: Json | undefined = (vs?.spec?.http ?? []).find((r: Json) => r.name === 'primary');
      const hosts = (route?.route ?? []).map((d: Json) => d.destination?.host);
      if (canary.trafficRouting?.istio?.virtualService?.name !== values.name || !route)
        findings.push('Rollout: Istio sidecars must route the canary by weight through the VirtualService route primary');
      for (const service of [canary.stableService, canary.canaryService]) {
        if (!service || !find('Service', service) || !hosts.includes(service))
          findings.push(`Rollout: route service ${service} must exist and be a destination of the VirtualService`);
      }
    } else if (canary.trafficRouting) {
      findings.push(`Rollout: traffic routing configured, but mesh ${target.mesh} offers none the Rollout can drive`);
    }
  } else {
    for (const kind of ['Rollout', 'AnalysisTemplate'])
      if (find(kind)) findings.push(`${kind}: present, but ${env} runs no rollout controller`);
    if (deployment.spec?.replicas !== undefined) findings.push('Deployment: sets replicas, which fights the autoscaler');
    if (deployment.spec?.strategy?.rollingUpdate?.maxSurge !== ROLLOUT_SURGE_PODS)
      findings.push(`Deployment: maxSurge must be ${ROLLOUT_SURGE_PODS} (the quota check counts it)`);
  }
  return findings;
}
