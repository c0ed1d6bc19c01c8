import { InputError } from '@backstage/errors';
import { contractFileFor, contractFileIn, loadPlatformContract } from '@idp/scaffold';
import type { PlatformContract } from '@idp/service-spec';

/** How an idp action finds the platform contract. */
export interface ContractSourceOptions {
  /** Where the `file` input looks for contracts; the platform's contracts directory by default. */
  contractsDir?: string;
}

/** The `file` input the idp actions take. */
export const CONTRACT_FILE_INPUT_DESCRIPTION =
  'A platform contract in the contracts directory (e.g. default.yaml); by default $IDP_PLATFORM_CONTRACT or the default contract, as the CLI';

/**
 * Loads the contract with the CLI's loader, the `file` input resolved by the CLI's rule (inside the
 * contracts directory); any problem with it is the template run's input error.
 */
export async function loadContract(file: string | undefined, contractsDir?: string): Promise<PlatformContract> {
  try {
    return await loadPlatformContract(file ? contractFileIn(file, contractsDir) : contractFileFor());
  } catch (error) {
    // The loader's message names the file and every problem; a `cause` would only repeat it.
    throw new InputError((error as Error).message);
  }
}
