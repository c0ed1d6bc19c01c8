import path from 'node:path';
import { InputError } from '@backstage/errors';
import { contractFileFor, DEFAULT_CONTRACT_FILE } from '@idp/scaffold';

/** Where a template's `file` input may point: the platform's contracts directory. */
export const DEFAULT_CONTRACTS_DIR = path.dirname(DEFAULT_CONTRACT_FILE);

/**
 * The contract file an action reads: the template's `file` (a name inside the contracts
 * directory), else what the CLI would read ($IDP_PLATFORM_CONTRACT, else the default).
 * A template may not name files elsewhere on the portal host: the operator chooses those
 * through IDP_PLATFORM_CONTRACT.
 */
export function resolveContractFile(file: string | undefined, contractsDir: string = DEFAULT_CONTRACTS_DIR): string {
  if (!file) return contractFileFor();
  const resolved = path.resolve(contractsDir, file);
  if (!resolved.startsWith(path.resolve(contractsDir) + path.sep)) {
    throw new InputError(
      `file: must name a contract inside ${contractsDir}, but ${file} is outside it (e.g. default.yaml; set IDP_PLATFORM_CONTRACT on the portal for other locations)`,
    );
  }
  return resolved;
}
