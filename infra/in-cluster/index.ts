import { PLATFORM_CONFIG_EXAMPLES, PlatformConfig } from '../config/platformConfig.js';
import { parseStackConfig, projectConfigValues } from '../config/readStackConfig.js';
import { platformProgram } from './platformProgram.js';

// Validated before anything is registered: a bad stack file stops here with key, rule and example.
const config = parseStackConfig('idp-platform', PlatformConfig, projectConfigValues('idp-platform'), PLATFORM_CONFIG_EXAMPLES);

// Pulumi's Node.js host imports this module as ESM, so top-level await works; the program awaits
// the cluster layer's outputs because they decide which resources exist.
export const { platformEnvironments, platformContract } = await platformProgram(config);
