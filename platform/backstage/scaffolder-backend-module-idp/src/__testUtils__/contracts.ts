import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_CONTRACT_FILE } from '@idp/scaffold';
import { parse, stringify } from 'yaml';

/** A directory of contract variants derived from the default contract, for one test file. */
export async function createContractsDir(): Promise<{
  dir: string;
  write(name: string, change: (contract: any) => void): Promise<string>;
  remove(): Promise<void>;
}> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'idp-contracts-'));
  const base = await readFile(DEFAULT_CONTRACT_FILE, 'utf-8');
  return {
    dir,
    async write(name, change) {
      // Through JSON, so the YAML aliases (staging and production share gpuPools) become copies.
      const contract = JSON.parse(JSON.stringify(parse(base)));
      change(contract);
      const file = path.join(dir, name);
      await writeFile(file, stringify(contract));
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Runs `fn` with IDP_PLATFORM_CONTRACT set, restoring the previous value afterwards. */
export async function withContractEnv<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const previous = process.env.IDP_PLATFORM_CONTRACT;
  process.env.IDP_PLATFORM_CONTRACT = file;
  try {
    return await fn();
  } finally {
    if (previous === undefined) delete process.env.IDP_PLATFORM_CONTRACT;
    else process.env.IDP_PLATFORM_CONTRACT = previous;
  }
}
