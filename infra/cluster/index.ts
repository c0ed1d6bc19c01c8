import { CLUSTER_CONFIG_EXAMPLES, ClusterConfig } from '../config/clusterConfig.js';
import { parseStackConfig, projectConfigValues } from '../config/readStackConfig.js';
import { clusterProgram } from './clusterProgram.js';

// Validated before anything is registered: a bad stack file stops here with key, rule and example.
const config = parseStackConfig('idp-cluster', ClusterConfig, projectConfigValues('idp-cluster'), CLUSTER_CONFIG_EXAMPLES);

export const { cluster, kubeconfig } = clusterProgram(config);
