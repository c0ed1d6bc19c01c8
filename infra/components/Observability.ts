import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { CHARTS } from './charts.js';
import { pinnedRelease } from './pinnedRelease.js';

export interface ObservabilityArgs {
  /** How long Prometheus keeps samples (e.g. 15d). */
  retention: string;
  /** Prometheus volume size (e.g. 100Gi). */
  storage: string;
}

// The release name is the selector: kube-prometheus-stack's Prometheus picks up ServiceMonitors and
// PrometheusRules labelled `release: <release name>`. The contract advertises exactly these labels.
export const PROMETHEUS_RELEASE = 'kube-prometheus-stack';
export const MONITORING_NAMESPACE = 'monitoring';
export const DASHBOARD_LABEL = { grafana_dashboard: '1' } as const;
export const PROMETHEUS_URL = `http://${PROMETHEUS_RELEASE}-prometheus.${MONITORING_NAMESPACE}.svc:9090`;

/** kube-prometheus-stack values: selection by release label, Grafana dashboards from labelled ConfigMaps in any namespace. */
export function kubePrometheusStackValues(args: ObservabilityArgs): Record<string, unknown> {
  const [[dashboardKey, dashboardValue]] = Object.entries(DASHBOARD_LABEL) as [[string, string]];
  return {
    fullnameOverride: PROMETHEUS_RELEASE,
    prometheus: {
      prometheusSpec: {
        retention: args.retention,
        // Select by the release label (the chart's default) rather than everything, so the
        // contract's serviceMonitorLabels mean something.
        serviceMonitorSelectorNilUsesHelmValues: true,
        podMonitorSelectorNilUsesHelmValues: true,
        ruleSelectorNilUsesHelmValues: true,
        serviceMonitorNamespaceSelector: {},
        ruleNamespaceSelector: {},
        storageSpec: {
          volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: args.storage } } } },
        },
      },
    },
    grafana: {
      sidecar: { dashboards: { enabled: true, label: dashboardKey, labelValue: dashboardValue, searchNamespace: 'ALL' } },
    },
    alertmanager: { enabled: true },
  };
}

/** Prometheus Operator, Prometheus, Alertmanager and Grafana, wired to the labels the contract advertises. */
export class Observability extends pulumi.ComponentResource {
  readonly serviceMonitorLabels: Record<string, string> = { release: PROMETHEUS_RELEASE };
  readonly prometheusRuleLabels: Record<string, string> = { release: PROMETHEUS_RELEASE };
  readonly dashboardLabels: Record<string, string> = { ...DASHBOARD_LABEL };
  /** Where KEDA and rollout analysis query Prometheus: the chart's Service for this release. */
  readonly prometheusUrl = PROMETHEUS_URL;
  /** Depend on this before creating ServiceMonitors or PrometheusRules (their CRDs come with it). */
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: ObservabilityArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
    super('idp:platform:Observability', name, {}, opts);
    const childOpts = { parent: this, provider: opts.provider };
    const ns = new k8s.core.v1.Namespace(MONITORING_NAMESPACE, { metadata: { name: MONITORING_NAMESPACE } }, childOpts);
    this.release = pinnedRelease(
      'kube-prometheus-stack',
      { chart: CHARTS.kubePrometheusStack, name: PROMETHEUS_RELEASE, namespace: ns.metadata.name, values: kubePrometheusStackValues(args) },
      childOpts,
    );
    this.registerOutputs({
      serviceMonitorLabels: this.serviceMonitorLabels,
      prometheusRuleLabels: this.prometheusRuleLabels,
      dashboardLabels: this.dashboardLabels,
    });
  }
}
