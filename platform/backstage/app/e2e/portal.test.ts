import { catalogFlow } from './flows/catalog';
import { createFlow } from './flows/create';
import { createLlmFlow, LLM_CONFIG_MIRROR } from './flows/createLlm';
import { upgradeFlow } from './flows/upgrade';
import { portalWithGithubForThisFile } from './support/portalWithGithub';

// The flows a person goes through in the portal, on one portal whose GitHub is the emulator:
// starting a portal costs about 10 s of CPU, and each flow makes repositories and catalog entities
// of its own. The guest's first look at the catalog comes before any flow adds a service to it.
const stack = portalWithGithubForThisFile({ name: 'portal', org: 'acme', config: { idp: { llm: { modelConfigDir: LLM_CONFIG_MIRROR } } } });

catalogFlow(stack);
createFlow(stack);
createLlmFlow(stack);
upgradeFlow(stack);
