import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { CHARTS } from './charts.js';
import { controllerNamespace } from './controllerNamespace.js';
import { pinnedRelease } from './pinnedRelease.js';

export interface RolloutControllerArgs {
  /** Labels the controller's ServiceMonitor carries so the platform's Prometheus scrapes it. */
  serviceMonitorLabels: Record<string, string>;
  /** The Observability release: the ServiceMonitor CRD must exist first. */
  dependsOn: pulumi.Resource[];
}

export const ROLLOUTS_NAMESPACE = 'argo-rollouts';

/** Argo Rollouts chart values: CRDs, a highly available controller, metrics, no dashboard. */
export function argoRolloutsValues(serviceMonitorLabels: Record<string, string>): Record<string, unknown> {
  return {
    installCRDs: true,
    // Leader election keeps one active controller; the second takes over within seconds.
    controller: { replicas: 2, metrics: { enabled: true, serviceMonitor: { enabled: true, additionalLabels: serviceMonitorLabels } } },
    // The UI has no authentication of its own; `kubectl argo rollouts` and CD cover operations.
    dashboard: { enabled: false },
  };
}

/**
 * Canary releases with automatic analysis and rollback (Argo Rollouts, docs/adr/0007). The
 * contract advertises `rollouts.controller: argo-rollouts` when this runs.
 */
export class RolloutController extends pulumi.ComponentResource {
  readonly controller = 'argo-rollouts' as const;
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: RolloutControllerArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
    super('idp:platform:RolloutController', name, {}, opts);
    const childOpts = { parent: this, provider: opts.provider };
    const ns = controllerNamespace(ROLLOUTS_NAMESPACE, childOpts);
    this.release = pinnedRelease(
      'argo-rollouts',
      {
        chart: CHARTS.argoRollouts,
        name: 'argo-rollouts',
        namespace: ns.metadata.name,
        values: argoRolloutsValues(args.serviceMonitorLabels),
      },
      { ...childOpts, dependsOn: args.dependsOn },
    );
    this.registerOutputs({ controller: this.controller });
  }
}
