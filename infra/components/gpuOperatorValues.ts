import { stringify } from 'yaml';
import type { ClusterFacts } from './clusterFacts.js';
import { GPU_TAINT, timeSlicingConfigName } from './gpuScheduling.js';

/** The device-plugin ConfigMap the operator reads; one key per time-sliced pool. */
export const TIME_SLICING_CONFIG_MAP = 'device-plugin-config';

/** Device-plugin configs for the time-sliced pools, keyed by the name the pool's nodes select. */
export function timeSlicingConfigs(pools: ClusterFacts['gpuPools']): Record<string, string> {
  const configs: Record<string, string> = {};
  for (const pool of pools) {
    if (pool.sharing.mode !== 'time-slicing') continue;
    configs[timeSlicingConfigName(pool.gpuType)] = stringify({
      version: 'v1',
      sharing: {
        timeSlicing: {
          renameByDefault: false,
          failRequestsGreaterThanOne: true,
          resources: [{ name: 'nvidia.com/gpu', replicas: pool.sharing.replicas }],
        },
      },
    });
  }
  return configs;
}

/**
 * GPU Operator values for the cluster: driver and toolkit only where the node image lacks them,
 * time-slicing through the device-plugin ConfigMap, the MIG manager only when a pool uses MIG
 * (strategy `single`: a pool has one profile), and the DCGM exporter scraped by Prometheus.
 */
export function gpuOperatorValues(
  facts: Pick<ClusterFacts, 'gpuPools' | 'nodeImageShipsDriver'>,
  serviceMonitorLabels: Record<string, string>,
): Record<string, unknown> {
  const usesMig = facts.gpuPools.some((p) => p.sharing.mode === 'mig');
  const timeSliced = Object.keys(timeSlicingConfigs(facts.gpuPools)).length > 0;
  const gpuToleration = [{ key: GPU_TAINT.key, operator: 'Exists', effect: GPU_TAINT.effect }];
  return {
    operator: { defaultRuntime: 'containerd' },
    driver: { enabled: !facts.nodeImageShipsDriver },
    toolkit: { enabled: !facts.nodeImageShipsDriver },
    devicePlugin: timeSliced ? { enabled: true, config: { name: TIME_SLICING_CONFIG_MAP, default: '' } } : { enabled: true },
    mig: { strategy: usesMig ? 'single' : 'none' },
    migManager: { enabled: usesMig },
    daemonsets: { tolerations: gpuToleration },
    nfd: { enabled: true },
    dcgmExporter: { enabled: true, serviceMonitor: { enabled: true, interval: '15s', additionalLabels: serviceMonitorLabels } },
  };
}

/** Where GKE runs driver and device plugin itself, only the DCGM exporter is ours. */
export function dcgmExporterValues(serviceMonitorLabels: Record<string, string>): Record<string, unknown> {
  return {
    serviceMonitor: { enabled: true, interval: '15s', additionalLabels: serviceMonitorLabels },
    tolerations: [{ key: GPU_TAINT.key, operator: 'Exists', effect: GPU_TAINT.effect }],
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'cloud.google.com/gke-accelerator', operator: 'Exists' }] }],
        },
      },
    },
  };
}
