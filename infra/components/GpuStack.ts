import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { CHARTS } from './charts.js';
import type { ClusterFacts } from './clusterFacts.js';
import { dcgmExporterValues, gpuOperatorValues, TIME_SLICING_CONFIG_MAP, timeSlicingConfigs } from './gpuOperatorValues.js';
import { pinnedRelease } from './pinnedRelease.js';

export interface GpuStackArgs {
  /** The cluster layer's facts: the pools' sharing and whether the provider owns driver and device plugin. */
  facts: Pick<ClusterFacts, 'gpuPools' | 'nodeImageShipsDriver' | 'providerManagesDevicePlugin'>;
  /** Labels the DCGM exporter's ServiceMonitor carries so Prometheus selects it. */
  serviceMonitorLabels: Record<string, string>;
  /** The Observability release: the ServiceMonitor CRD must exist first. */
  dependsOn: pulumi.Resource[];
}

export const GPU_NAMESPACE = 'gpu-operator';

/**
 * Makes GPUs schedulable and observable: the NVIDIA GPU Operator (device plugin, time-slicing, MIG
 * manager, DCGM exporter), or on GKE, which runs driver and device plugin itself, the DCGM exporter alone.
 */
export class GpuStack extends pulumi.ComponentResource {
  readonly mode: 'gpu-operator' | 'dcgm-exporter';

  constructor(name: string, args: GpuStackArgs, opts: pulumi.ComponentResourceOptions & { provider: k8s.Provider }) {
    super('idp:platform:GpuStack', name, {}, opts);
    const childOpts = { parent: this, provider: opts.provider };
    // The operator's pods need privileges the restricted Pod Security level forbids.
    const ns = new k8s.core.v1.Namespace(
      GPU_NAMESPACE,
      { metadata: { name: GPU_NAMESPACE, labels: { 'pod-security.kubernetes.io/enforce': 'privileged' } } },
      childOpts,
    );
    const after = { ...childOpts, dependsOn: args.dependsOn };
    if (args.facts.providerManagesDevicePlugin) {
      this.mode = 'dcgm-exporter';
      pinnedRelease(
        'dcgm-exporter',
        {
          chart: CHARTS.dcgmExporter,
          name: 'dcgm-exporter',
          namespace: ns.metadata.name,
          values: dcgmExporterValues(args.serviceMonitorLabels),
        },
        after,
      );
    } else {
      this.mode = 'gpu-operator';
      const configs = timeSlicingConfigs(args.facts.gpuPools);
      const dependsOn = [...args.dependsOn];
      if (Object.keys(configs).length > 0) {
        dependsOn.push(
          new k8s.core.v1.ConfigMap(
            TIME_SLICING_CONFIG_MAP,
            { metadata: { name: TIME_SLICING_CONFIG_MAP, namespace: ns.metadata.name }, data: configs },
            childOpts,
          ),
        );
      }
      pinnedRelease(
        'gpu-operator',
        {
          chart: CHARTS.gpuOperator,
          name: 'gpu-operator',
          namespace: ns.metadata.name,
          values: gpuOperatorValues(args.facts, args.serviceMonitorLabels),
        },
        { ...childOpts, dependsOn },
      );
    }
    this.registerOutputs({ mode: this.mode });
  }
}
