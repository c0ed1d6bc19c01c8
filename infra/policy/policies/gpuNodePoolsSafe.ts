import type { ResourceProps } from './resourceProps.js';
import type { ResourceValidationPolicy } from '@pulumi/policy';
import { GPU_TAINT } from '../../components/gpuScheduling.js';

// Karpenter creates GPU nodes on demand (docs/adr/0008). Three things make that safe: the GPU taint
// on every node it creates (or log shippers take the most expensive node), a GPU limit (or one
// burst of pending pods buys without bound), and consolidation of empty nodes only (or Karpenter
// evicts a pod that is loading its model, just to pack the nodes tighter).

const NODE_POOL = 'kubernetes:karpenter.sh/v1:NodePool';

/** Every way this Karpenter NodePool (if it makes GPU nodes) is unsafe. */
export function gpuNodePoolProblems(type: string, props: ResourceProps): string[] {
  if (type !== NODE_POOL) return [];
  const spec = props.spec ?? {};
  const template = spec.template?.spec ?? {};
  const labels: Record<string, string> = spec.template?.metadata?.labels ?? {};
  const requirements: { key?: string }[] = template.requirements ?? [];
  const gpu =
    Object.keys(labels).some((k) => k === 'idp.dev/gpu-type' || k.startsWith('nvidia.com/')) ||
    requirements.some((r) => String(r.key).startsWith('karpenter.k8s.aws/instance-gpu'));
  if (!gpu) return [];
  const name = props.metadata?.name ?? '(unnamed)';
  const problems: string[] = [];
  const tainted = (template.taints ?? []).some(
    (t: { key?: string; effect?: string }) => t.key === GPU_TAINT.key && t.effect === 'NoSchedule',
  );
  if (!tainted) problems.push(`GPU NodePool ${name} needs spec.template.spec.taints {key: ${GPU_TAINT.key}, effect: NoSchedule}`);
  const limit = spec.limits?.['nvidia.com/gpu'];
  if (limit === undefined || !/^\d+$/.test(String(limit)))
    problems.push(`GPU NodePool ${name} needs a whole-number spec.limits["nvidia.com/gpu"] (e.g. "8")`);
  if (spec.disruption?.consolidationPolicy !== 'WhenEmpty') {
    problems.push(
      `GPU NodePool ${name} must consolidate only empty nodes (spec.disruption.consolidationPolicy: WhenEmpty), not ${spec.disruption?.consolidationPolicy ?? 'the default WhenEmptyOrUnderutilized'}`,
    );
  }
  return problems;
}

export const gpuNodePoolsSafe: ResourceValidationPolicy = {
  name: 'gpu-node-pools-safe',
  description: 'Karpenter GPU NodePools are tainted, bounded by a GPU limit and consolidate only empty nodes.',
  enforcementLevel: 'mandatory',
  validateResource: (args, reportViolation) => {
    for (const problem of gpuNodePoolProblems(args.type, args.props)) reportViolation(problem);
  },
};
