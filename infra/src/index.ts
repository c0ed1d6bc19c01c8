// The infra workspace as a library: the programs, components, schemas and policies, for tools that
// want to reason about the platform without running Pulumi (e.g. checking a contract offline).
export { clusterProgram, type ClusterOutputs } from '../cluster/clusterProgram.js';
export { platformProgram, type PlatformOutputs } from '../platform/platformProgram.js';
export { assembleContract, environmentEntry } from '../platform/buildContract.js';
export { ClusterConfig, CLUSTER_CONFIG_EXAMPLES, GpuPoolConfig } from '../config/clusterConfig.js';
export { PlatformConfig, PLATFORM_CONFIG_EXAMPLES, TeamConfig } from '../config/platformConfig.js';
export { parseStackConfig, projectConfigValues } from '../config/readStackConfig.js';
export { StackConfigError, type ConfigProblem } from '../config/stackConfigError.js';
export { ClusterFacts } from '../components/clusterFacts.js';
export { CHARTS, GATEWAY_API_CRDS_URL } from '../components/charts.js';
export * from '../components/gpuScheduling.js';
export { KubernetesCluster } from '../components/KubernetesCluster.js';
export { GpuNodePool } from '../components/GpuNodePool.js';
export { ContainerRegistry } from '../components/ContainerRegistry.js';
export { CiIdentity } from '../components/CiIdentity.js';
export { GpuStack } from '../components/GpuStack.js';
export { ServiceMesh, meshEnrolment } from '../components/ServiceMesh.js';
export { Observability } from '../components/Observability.js';
export { TeamNamespace } from '../components/TeamNamespace.js';
export { PLATFORM_POLICIES } from '../policy/policies/index.js';
