import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { CHARTS } from './charts.js';
import { controllerNamespace } from './controllerNamespace.js';
import { pinnedRelease } from './pinnedRelease.js';

export interface KedaArgs {
  /** Labels KEDA's own ServiceMonitors carry so the platform's Prometheus scrapes them. */
  serviceMonitorLabels: Record<string, string>;
  /** The Observability release: the ServiceMonitor CRD must exist first. */
  dependsOn: pulumi.Resource[];
}

export const KEDA_NAMESPACE = 'keda';

/** KEDA chart values: the operator and metrics server, both observed by the platform's Prometheus. */
export function kedaValues(serviceMonitorLabels: Record<string, string>): Record<string, unknown> {
  const serviceMonitor = { enabled: true, additionalLabels: serviceMonitorLabels };
  return {
    prometheus: { metricServer: { enabled: true, serviceMonitor }, operator: { enabled: true, serviceMonitor } },
    // Two operators and metrics servers: scaling decisions must not stop while one node drains.
    operator: { replicaCount: 2 },
    metricsServer: { replicaCount: 2 },
    podDisruptionBudget: { operator: { minAvailable: 1 }, metricServer: { minAvailable: 1 } },
  };
}

/**
 * Event-driven autoscaling: services scale on their own load (in-flight requests, GPU
 * utilisation) from Prometheus, and may scale to zero (docs/adr/0006). The contract advertises
 * `autoscaling.keda` when this runs.
 */
export class Keda extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: KedaArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
    super('idp:platform:Keda', name, {}, opts);
    const childOpts = { parent: this, provider: opts.provider };
    const ns = controllerNamespace(KEDA_NAMESPACE, childOpts);
    this.release = pinnedRelease(
      'keda',
      { chart: CHARTS.keda, name: 'keda', namespace: ns.metadata.name, values: kedaValues(args.serviceMonitorLabels) },
      { ...childOpts, dependsOn: args.dependsOn },
    );
    this.registerOutputs({});
  }
}
