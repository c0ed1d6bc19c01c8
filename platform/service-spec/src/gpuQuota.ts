import { ENVIRONMENTS, type PlatformContract } from './platformContract.js';
import type { Problem } from './problems.js';

/**
 * Pods a release adds beyond maxReplicas while it runs: the Deployment's `maxSurge: 1`, or the one
 * extra pod a canary needs (Argo Rollouts scales canary and stable by weight and rounds both up,
 * so they never hold more than maxReplicas + 1). The template's manifests use the same number.
 */
export const ROLLOUT_SURGE_PODS = 1;

export interface GpuDemand {
  gpuType: string;
  gpuCount: number;
  minReplicas: number;
  maxReplicas: number;
}

/** The most GPUs one service holds at once: every replica and the release's surge pod. */
export const peakGpus = ({ gpuCount, maxReplicas }: Pick<GpuDemand, 'gpuCount' | 'maxReplicas'>): number =>
  (maxReplicas + ROLLOUT_SURGE_PODS) * gpuCount;

/**
 * Whether a service fits its owner team's GPU quota in every cluster it deploys to, as the contract
 * states the quota (infra's team ResourceQuota). Environments on the same cluster share the team's
 * namespace and quota, so their demand adds up. A team the contract lists no quota for is not checked.
 * It checks the service alone: other services of the team use the same quota.
 */
export function gpuQuotaProblems(demand: GpuDemand, namespace: string, platform: PlatformContract): Problem[] {
  if (demand.gpuType === 'none' || demand.gpuCount === 0) return [];
  const clusters = new Map<string, { environments: string[]; quota: number | undefined }>();
  for (const env of ENVIRONMENTS) {
    const target = platform.environments[env];
    const entry = clusters.get(target.cluster.name) ?? { environments: [], quota: undefined };
    entry.environments.push(env);
    const quota = target.teamQuotas[namespace]?.gpus;
    if (quota !== undefined) entry.quota = Math.min(entry.quota ?? quota, quota);
    clusters.set(target.cluster.name, entry);
  }
  const problems: Problem[] = [];
  for (const [cluster, { environments, quota }] of clusters) {
    if (quota === undefined) continue;
    const copies = environments.length;
    const needed = peakGpus(demand) * copies;
    if (needed <= quota) continue;
    const where = `${namespace} has ${quota} in ${cluster} (${environments.join(' and ')})`;
    const shape = `(maxReplicas ${demand.maxReplicas} + ${ROLLOUT_SURGE_PODS} rollout pod) × gpuCount ${demand.gpuCount}${copies > 1 ? ` × ${copies} environments` : ''} = ${needed} GPUs`;
    problems.push({
      field: 'maxReplicas',
      message: `must fit the owner team's GPU quota: ${shape}, but ${where} (${fits(demand, quota, copies)})`,
    });
  }
  return problems;
}

/** What would fit the quota, as an example the person can type. */
function fits(demand: GpuDemand, quota: number, copies: number): string {
  const maxReplicas = Math.floor(quota / copies / demand.gpuCount) - ROLLOUT_SURGE_PODS;
  if (maxReplicas >= Math.max(demand.minReplicas, 1)) return `e.g. maxReplicas=${maxReplicas}`;
  const gpuCount = Math.floor(quota / copies / (demand.maxReplicas + ROLLOUT_SURGE_PODS));
  if (gpuCount >= 1) return `e.g. gpuCount=${gpuCount}, or ask the platform team for a larger quota`;
  const minimum = (Math.max(demand.minReplicas, 1) + ROLLOUT_SURGE_PODS) * demand.gpuCount * copies;
  return `e.g. ask the platform team to raise the quota to ${minimum} GPUs, the least minReplicas=${Math.max(demand.minReplicas, 1)} needs`;
}
