import { PolicyPack } from '@pulumi/policy';
import { PLATFORM_POLICIES } from './policies/index.js';

// Run with both layers: `pulumi preview --policy-pack ../policy` (see infra/README.md).
new PolicyPack('idp-platform', { policies: PLATFORM_POLICIES });
