import type { Policies } from '@pulumi/policy';
import { gpuNodePoolsSafe } from './gpuNodePoolsSafe.js';
import { gpuPoolsTainted } from './gpuPoolsTainted.js';
import { helmChartsPinned } from './helmChartsPinned.js';
import { meshMtlsStrict, meshWideStrictMtls } from './meshMtlsStrict.js';
import { noPublicLoadBalancer } from './noPublicLoadBalancer.js';
import { registriesImmutableAndScanned } from './registriesImmutableAndScanned.js';

/** Every policy of the pack, in one list the pack and the tests share. */
export const PLATFORM_POLICIES: Policies = [
  gpuPoolsTainted,
  gpuNodePoolsSafe,
  registriesImmutableAndScanned,
  meshMtlsStrict,
  meshWideStrictMtls,
  noPublicLoadBalancer,
  helmChartsPinned,
];
