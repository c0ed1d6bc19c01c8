import type { ResourceProps } from './resourceProps.js';
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { GPU_TAINT, GPU_TYPE_LABEL } from '../../components/gpuScheduling.js';

// Without the taint, any pod can land on a GPU node and hold it: the most expensive node in the
// cluster ends up running log shippers.

const hasGpuTaint = (taints: unknown, effect: string): boolean =>
  Array.isArray(taints) && taints.some((t: { key?: string; effect?: string }) => t?.key === GPU_TAINT.key && t?.effect === effect);

/** Is this a GPU node pool, and does it carry nvidia.com/gpu:NoSchedule? */
export function gpuPoolTaintProblem(type: string, props: ResourceProps): string | undefined {
  switch (type) {
    case 'aws:eks/nodeGroup:NodeGroup': {
      const gpu = Boolean(props.labels?.[GPU_TYPE_LABEL]) || /NVIDIA|GPU/.test(String(props.amiType ?? ''));
      return gpu && !hasGpuTaint(props.taints, 'NO_SCHEDULE')
        ? `EKS GPU node group needs taint {key: ${GPU_TAINT.key}, effect: NO_SCHEDULE}`
        : undefined;
    }
    case 'gcp:container/nodePool:NodePool': {
      const gpu = (props.nodeConfig?.guestAccelerators ?? []).length > 0;
      return gpu && !hasGpuTaint(props.nodeConfig?.taints, 'NO_SCHEDULE')
        ? `GKE GPU node pool needs nodeConfig.taints {key: ${GPU_TAINT.key}, effect: NO_SCHEDULE}`
        : undefined;
    }
    case 'kubernetes:core/v1:NodePatch': {
      const gpu = Boolean(props.metadata?.labels?.[GPU_TYPE_LABEL]);
      return gpu && !hasGpuTaint(props.spec?.taints, 'NoSchedule')
        ? `GPU node needs spec.taints {key: ${GPU_TAINT.key}, effect: NoSchedule}`
        : undefined;
    }
    default:
      return undefined;
  }
}

export const gpuPoolsTainted: ResourceValidationPolicy = {
  name: 'gpu-pools-tainted',
  description: `GPU node pools carry the ${GPU_TAINT.key} NoSchedule taint, so only pods that ask for GPUs run there.`,
  enforcementLevel: 'mandatory',
  validateResource: (args, reportViolation) => {
    const problem = gpuPoolTaintProblem(args.type, args.props);
    if (problem) reportViolation(problem);
  },
};
