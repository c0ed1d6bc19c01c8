import { PlatformConfig, type PlatformConfigInput } from '../config/platformConfig.js';
import { clusterProgram } from '../cluster/clusterProgram.js';
import type { ClusterConfigInput } from '../config/clusterConfig.js';
import { parseCluster } from './clusterConfigs.js';
import { runUnderMocks } from './mocks.js';

export const CLUSTER_STACK = 'acme/idp-cluster/staging';

export const PLATFORM: PlatformConfigInput = {
  clusterStack: CLUSTER_STACK,
  mesh: 'istio-ambient',
  teams: [{ name: 'ml-team', gpus: 8 }, { name: 'search' }],
};

export const parsePlatform = (input: PlatformConfigInput): PlatformConfig => PlatformConfig.parse(input);

/** The outputs a cluster stack with this config exports, produced by the real cluster program. */
export async function clusterStackOutputs(cluster: ClusterConfigInput): Promise<Record<string, unknown>> {
  const run = await runUnderMocks(() => clusterProgram(parseCluster(cluster)));
  return { cluster: run.outputs.cluster, kubeconfig: run.outputs.kubeconfig };
}
