import { contractFileFor, loadPlatformContract } from '@idp/scaffold';
import type { DoctorCheck } from '../doctorCheck.js';

/** The platform contract in effect reads and validates; later checks take the GitHub host from it. */
export const checkContract: DoctorCheck = {
  id: 'contract',
  title: 'Platform contract',
  async run(context) {
    const file = contractFileFor(context.flags.contract, context.env);
    try {
      context.contract = await loadPlatformContract(context.flags.contract, context.env);
    } catch (error) {
      return {
        status: 'fail',
        detail: (error as Error).message.split('\n').slice(0, 4).join(' '),
        fix: 'point `contract:` in the idp config file (or IDP_PLATFORM_CONTRACT, or --contract) at a valid contract, e.g. `pulumi stack output platformContract --json > contract.json`',
      };
    }
    const environments = Object.keys(context.contract.environments).join(', ');
    return {
      status: 'ok',
      detail: `${file} (GitHub ${context.contract.github.host}/${context.contract.github.org}; environments ${environments})`,
    };
  },
};
