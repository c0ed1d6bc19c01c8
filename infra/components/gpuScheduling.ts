import type { GpuSharing, GpuType } from '@idp/service-spec';

// The scheduling conventions every GPU pool carries and the platform contract advertises. One place,
// so the node pools, the GPU stack, the policies and the exported contract can never disagree.

/** The taint that keeps CPU workloads off GPU nodes; every GPU pool carries it. */
export const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' } as const;

/** The label a service's nodeSelector targets (the default contract uses it). */
export const GPU_TYPE_LABEL = 'idp.dev/gpu-type';

/** Marks a pool's nodes for the GPU Operator's device-plugin config selection (time-slicing). */
export const DEVICE_PLUGIN_CONFIG_LABEL = 'nvidia.com/device-plugin.config';

/** Tells the GPU Operator's MIG manager which MIG layout to apply to a node. */
export const MIG_CONFIG_LABEL = 'nvidia.com/mig.config';

/** The device-plugin config name a time-sliced pool selects: one entry per pool in the ConfigMap. */
export function timeSlicingConfigName(gpuType: GpuType): string {
  return `${gpuType}-time-sliced`;
}

/** Kubernetes labels a GPU pool's nodes carry: the contract label plus sharing hints. */
export function gpuPoolLabels(gpuType: Exclude<GpuType, 'none'>, sharing: GpuSharing): Record<string, string> {
  const labels: Record<string, string> = { [GPU_TYPE_LABEL]: gpuType };
  if (sharing.mode === 'time-slicing') labels[DEVICE_PLUGIN_CONFIG_LABEL] = timeSlicingConfigName(gpuType);
  if (sharing.mode === 'mig') labels[MIG_CONFIG_LABEL] = `all-${sharing.profile}`;
  return labels;
}

/** What the contract tells a service to put on its pod to land on this pool. */
export function gpuPoolPlacement(gpuType: Exclude<GpuType, 'none'>): {
  nodeSelector: Record<string, string>;
  tolerations: { key: string; operator: 'Exists'; effect: 'NoSchedule' }[];
} {
  return {
    nodeSelector: { [GPU_TYPE_LABEL]: gpuType },
    tolerations: [{ key: GPU_TAINT.key, operator: 'Exists', effect: GPU_TAINT.effect }],
  };
}
