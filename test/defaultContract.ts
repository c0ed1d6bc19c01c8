import { readFileSync } from 'node:fs';
import { parsePlatformContract, type PlatformContract } from '@idp/service-spec';
import { parse } from 'yaml';
import { repoPath } from './repoRoot.js';

/** The contract the repository ships and `idp new` uses when no other is named. */
export const DEFAULT_CONTRACT_FILE = repoPath('platform/contracts/default.yaml');

/** The default contract as written (no defaults applied), a fresh copy per call to change at will. */
export function readDefaultContract(): any {
  // Through JSON, so the YAML aliases (staging and production share gpuPools) become copies.
  return JSON.parse(JSON.stringify(parse(readFileSync(DEFAULT_CONTRACT_FILE, 'utf-8'))));
}

/** The default contract, validated and with its defaults. */
export function loadDefaultContract(): PlatformContract {
  return parsePlatformContract(readDefaultContract());
}
