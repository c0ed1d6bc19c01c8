import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseYaml } from './parseYaml.js';
import { InvalidInputError, parsePlatformContract, type PlatformContract } from '@idp/service-spec';

import { findUp } from './findUp.js';
import { statIfAny } from './statIfAny.js';

/** The contract shipped in the repository (platform/contracts/default.yaml), used when no other is named. */
export const DEFAULT_CONTRACT_FILE = findUp('platform/contracts/default.yaml', import.meta.url) ?? 'platform/contracts/default.yaml';
export const CONTRACT_ENV_VAR = 'IDP_PLATFORM_CONTRACT';

/** Which contract file applies: the one named, else $IDP_PLATFORM_CONTRACT, else the default. */
export function contractFileFor(file?: string, env: NodeJS.ProcessEnv = process.env): string {
  return file || env[CONTRACT_ENV_VAR] || DEFAULT_CONTRACT_FILE;
}

// The portal reads the contract on every task: parsed once per version of the file (its size and
// change time), each caller gets its own copy. Copied through JSON (the contract is plain data),
// not structuredClone, whose objects come from the outer realm under jest's vm and so are not
// "plain records" to Backstage's template engine.
const parsed = new Map<string, { version: string; contract: PlatformContract }>();
const copy = (contract: PlatformContract): PlatformContract => JSON.parse(JSON.stringify(contract)) as PlatformContract;

/**
 * Reads and validates a platform contract (YAML or JSON, e.g. `pulumi stack output
 * platformContract --json`). The CLI and the portal's idp:platform:contract action both call this.
 */
export async function loadPlatformContract(file?: string, env: NodeJS.ProcessEnv = process.env): Promise<PlatformContract> {
  const source = contractFileFor(file, env);
  const version = contractVersion(source);
  const cached = parsed.get(source);
  if (version !== undefined && cached?.version === version) return copy(cached.contract);
  const contract = await readPlatformContract(source);
  if (version !== undefined) parsed.set(source, { version, contract: copy(contract) });
  return contract;
}

/** Size and times of the contract file, which change when it does; undefined when it cannot be read. */
function contractVersion(source: string): string | undefined {
  const s = statIfAny(source);
  return s && `${s.size}:${s.ctimeMs}:${s.mtimeMs}`;
}

async function readPlatformContract(source: string): Promise<PlatformContract> {
  let text: string;
  try {
    text = await readFile(source, 'utf-8');
  } catch (error) {
    throw new Error(`Cannot read the platform contract ${source}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new InvalidInputError(`The platform contract ${source}`, [
      {
        field: source,
        message: `must be YAML or JSON, but ${(error as Error).message.split('\n')[0]} (e.g. pulumi stack output platformContract --json)`,
      },
    ]);
  }
  return parsePlatformContract(data, `The platform contract ${source}`);
}

/** Where a template's `file` input may point: the platform's contracts directory. */
export const DEFAULT_CONTRACTS_DIR = path.dirname(DEFAULT_CONTRACT_FILE);

/**
 * The contract file a template's `file` input names, inside the contracts directory: a template
 * may not name files elsewhere on the machine that runs it (the operator chooses those through
 * IDP_PLATFORM_CONTRACT or --contract). Bad input (exit 2, InputError in the portal) otherwise.
 */
export function contractFileIn(file: string, contractsDir: string = DEFAULT_CONTRACTS_DIR): string {
  const resolved = path.resolve(contractsDir, file);
  if (!resolved.startsWith(path.resolve(contractsDir) + path.sep)) {
    throw new InvalidInputError('The template', [
      {
        field: 'file',
        message: `must name a contract inside ${contractsDir}, but ${file} is outside it (e.g. default.yaml; set IDP_PLATFORM_CONTRACT on the portal for other locations)`,
      },
    ]);
  }
  return resolved;
}
