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
import { readGitObjects, type GitObject } from './readBlobs.js';

/** What a generated service recorded of its render: the answers with their source, and the contract. */
export interface ServiceRecord extends RecordedAnswers {
  /** The contract of the last render; absent in services made before idp recorded it. */
  platform?: PlatformContract;
}

/** The record of the service in folder `dir`, as it is on disk. */
export function readServiceRecord(dir: string): Promise<ServiceRecord> {
  return parseServiceRecord(async (file) => {
    const full = path.join(dir, file);
    try {
      return await readFile(full, 'utf-8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw unreadable(file, `${full} could not be read: ${(error as Error).message.split('\n')[0]} (e.g. idp upgrade ./fraud-detector)`);
    }
  }, dir);
}

/** The files a service records its render in, as `<commit>:<file>` names git resolves. */
export function serviceRecordNames(commit: string): string[] {
  return RECORD_FILES.map((file) => `${commit}:${file}`);
}

/** The record of the service at the top of `commit` in the repository `gitDir` (a clone never checked out). */
export async function readServiceRecordAt(gitDir: string, commit: string): Promise<ServiceRecord> {
  return serviceRecordFrom(await readGitObjects(gitDir, serviceRecordNames(commit)), commit);
}

/**
 * The record at `commit` from objects read by their serviceRecordNames: a fleet run reads them with
 * the refs it needs in one git process, since each process costs it a start per service.
 */
export function serviceRecordFrom(
  objects: ReadonlyMap<string, GitObject | undefined>,
  commit: string,
  where = `commit ${commit.slice(0, 12)}`,
): Promise<ServiceRecord> {
  return parseServiceRecord(async (file) => {
    const object = objects.get(`${commit}:${file}`);
    return object?.type === 'blob' ? object.content.toString('utf-8') : undefined;
  }, where);
}

const RECORD_FILES = ['.idp/answers.yaml', '.idp/platform.json'];

async function parseServiceRecord(read: (file: string) => Promise<string | undefined>, where: string): Promise<ServiceRecord> {
  const parse = async (file: string, optional = false) => {
    const text = await read(file);
    if (text === undefined) {
      if (optional) return undefined;
      throw unreadable(file, `${where} has no ${file} (e.g. idp upgrade ./fraud-detector)`);
    }
    try {
      return parseYaml(text);
    } catch (error) {
      throw unreadable(file, `${file} in ${where} is not YAML: ${(error as Error).message.split('\n')[0]}`);
    }
  };
  const recorded = parseRecordedAnswers(await parse('.idp/answers.yaml'));
  const contract = await parse('.idp/platform.json', true);
  const platform =
    contract === undefined ? undefined : parsePlatformContract(contract, 'The recorded platform contract .idp/platform.json');
  return { ...recorded, platform };
}

function unreadable(file: string, why: string): InvalidInputError {
  return new InvalidInputError('The service', [{ field: 'DIR', message: `must be a service made by idp (with ${file}), but ${why}` }]);
}
