import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  InvalidInputError,
  parsePlatformContract,
  parseRecordedAnswers,
  type PlatformContract,
  type RecordedAnswers,
} from '@idp/service-spec';
import { parseYaml } from '../parseYaml.js';

/** What a generated service recorded of its render: the answers with their source, and the contract. */
export interface ServiceRecord extends RecordedAnswers {
  /** The contract of the last render; absent in services made before idp recorded it. */
  platform?: PlatformContract;
}

export async function readServiceRecord(dir: string): Promise<ServiceRecord> {
  const read = async (file: string, optional = false) => {
    const full = path.join(dir, file);
    try {
      return parseYaml(await readFile(full, 'utf-8'));
    } catch (error) {
      if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new InvalidInputError('The service', [
        {
          field: 'DIR',
          message: `must be a service made by idp (with ${file}), but ${full} could not be read: ${(error as Error).message.split('\n')[0]} (e.g. idp upgrade ./fraud-detector)`,
        },
      ]);
    }
  };
  const recorded = parseRecordedAnswers(await read('.idp/answers.yaml'));
  const contract = await read('.idp/platform.json', true);
  const platform =
    contract === undefined ? undefined : parsePlatformContract(contract, 'The recorded platform contract .idp/platform.json');
  return { ...recorded, platform };
}
