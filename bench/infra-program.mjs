// Benchmark: the whole infra program for the aws provider (cluster layer, then platform layer on its
// outputs) under Pulumi mocks, from the documented aws-staging stack files. Prints wall time and
// resource counts, with ratios measured side by side in this one run.
//   npm run bench:infra            (builds infra first; runs the compiled JavaScript)
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 7);
const dist = new URL('../infra/dist/', import.meta.url);

const t0 = performance.now();
const { runUnderMocks } = await import(new URL('test/mocks.js', dist).href);
const { clusterProgram } = await import(new URL('cluster/clusterProgram.js', dist).href);
const { platformProgram } = await import(new URL('in-cluster/platformProgram.js', dist).href);
const { ClusterConfig, CLUSTER_CONFIG_EXAMPLES } = await import(new URL('config/clusterConfig.js', dist).href);
const { PlatformConfig, PLATFORM_CONFIG_EXAMPLES } = await import(new URL('config/platformConfig.js', dist).href);
const { parseStackConfig, projectConfigValues } = await import(new URL('config/readStackConfig.js', dist).href);
const loadMs = performance.now() - t0;

const stackFile = (layer, stack) => {
  const { config } = parse(readFileSync(new URL(`../infra/${layer}/Pulumi.${stack}.yaml`, import.meta.url), 'utf8'));
  return Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]));
};
const cluster = parseStackConfig(
  'idp-cluster',
  ClusterConfig,
  projectConfigValues('idp-cluster', stackFile('cluster', 'aws-staging')),
  CLUSTER_CONFIG_EXAMPLES,
);
const platformValues = projectConfigValues('idp-platform', stackFile('in-cluster', 'aws-staging'));
const platform = parseStackConfig('idp-platform', PlatformConfig, platformValues, PLATFORM_CONFIG_EXAMPLES);
const minimalCluster = { ...cluster, gpuPools: cluster.gpuPools.slice(0, 1), registry: { ...cluster.registry, repositories: [] } };
const minimalPlatform = { ...platform, teams: platform.teams.slice(0, 1), mesh: 'none' };
// The production platform stack's output, as the peer reference would return it.
const defaultContract = parse(readFileSync(new URL('../platform/contracts/default.yaml', import.meta.url), 'utf8'));
const peer = { [platform.peerPlatformStack]: { platformEnvironments: { production: defaultContract.environments.production } } };

// The components of "operating on GPUs" (docs/adr/0006-0008), counted with their children.
const GPU_OPERATIONS = new Set([
  'idp:cluster:NodeAutoscaler',
  'idp:platform:Keda',
  'idp:platform:RolloutController',
  'idp:platform:Karpenter',
]);
const gpuOperations = (resources) => resources.filter((r) => GPU_OPERATIONS.has(r.type) || GPU_OPERATIONS.has(r.parentType)).length;

async function full(clusterConfig, platformConfig) {
  const start = performance.now();
  const c = await runUnderMocks(() => clusterProgram(clusterConfig));
  const clusterMs = performance.now() - start;
  const stacks = { [platformConfig.clusterStack]: { cluster: c.outputs.cluster, kubeconfig: c.outputs.kubeconfig }, ...peer };
  const p = await runUnderMocks(() => platformProgram(platformConfig), stacks);
  const totalMs = performance.now() - start;
  if (!p.outputs.platformContract) throw new Error('the platform layer exported no platformContract');
  return {
    clusterMs,
    platformMs: totalMs - clusterMs,
    totalMs,
    clusterResources: c.resources.length,
    platformResources: p.resources.length,
    gpuOperations: { cluster: gpuOperations(c.resources), platform: gpuOperations(p.resources) },
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function measure(label, clusterConfig, platformConfig) {
  const cold = await full(clusterConfig, platformConfig);
  const runs = [];
  for (let i = 0; i < ITERATIONS; i++) runs.push(await full(clusterConfig, platformConfig));
  return {
    label,
    cold,
    warm: {
      clusterMs: median(runs.map((r) => r.clusterMs)),
      platformMs: median(runs.map((r) => r.platformMs)),
      totalMs: median(runs.map((r) => r.totalMs)),
    },
    resources: runs[0].clusterResources + runs[0].platformResources,
    runs: runs[0],
  };
}

// Interleaved so both configurations see the same machine load.
const fullRun = await measure('aws-staging (full)', cluster, platform);
const minimalRun = await measure('aws-staging (1 pool, 1 team, no mesh)', minimalCluster, minimalPlatform);

const ms = (x) => `${x.toFixed(1)} ms`;
console.log(`infra program benchmark — aws provider under mocks, ${ITERATIONS} warm iterations (median), Node ${process.version}`);
console.log(`module load (Pulumi SDK, @pulumi/aws, @pulumi/kubernetes, @pulumi/gcp, program): ${ms(loadMs)}`);
for (const r of [fullRun, minimalRun]) {
  console.log(`\n${r.label}`);
  console.log(`  resources: ${r.resources} (cluster layer ${r.runs.clusterResources}, platform layer ${r.runs.platformResources})`);
  const ops = r.runs.gpuOperations;
  console.log(
    `  of which operating on GPUs (KEDA, Argo Rollouts, Karpenter): ${ops.cluster + ops.platform} (cluster layer ${ops.cluster}, platform layer ${ops.platform})`,
  );
  console.log(
    `  cold first run: ${ms(r.cold.totalMs)}   warm: ${ms(r.warm.totalMs)} (cluster ${ms(r.warm.clusterMs)}, platform ${ms(r.warm.platformMs)})`,
  );
  console.log(`  per resource (warm): ${(r.warm.totalMs / r.resources).toFixed(2)} ms`);
}
console.log('\nratios (same run)');
console.log(`  cold / warm, full program:           ${(fullRun.cold.totalMs / fullRun.warm.totalMs).toFixed(2)}x`);
console.log(`  platform layer / cluster layer:      ${(fullRun.warm.platformMs / fullRun.warm.clusterMs).toFixed(2)}x`);
console.log(`  full / minimal config, time:         ${(fullRun.warm.totalMs / minimalRun.warm.totalMs).toFixed(2)}x`);
console.log(`  full / minimal config, resources:    ${(fullRun.resources / minimalRun.resources).toFixed(2)}x`);
