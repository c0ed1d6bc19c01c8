import { readFile } from 'node:fs/promises';
import { InvalidInputError, refuseReservedKeys } from '@idp/service-spec';
import { parseYaml } from '@idp/scaffold';

/** Reads a YAML or JSON file of answers: the same values a Backstage form submits. */
export async function readValuesFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf-8');
  } catch (error) {
    throw new InvalidInputError('--values', [
      {
        field: '--values',
        message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message} (e.g. --values answers.yaml)`,
      },
    ]);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new InvalidInputError('--values', [
      { field: '--values', message: `${file} is not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}` },
    ]);
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new InvalidInputError('--values', [
      { field: '--values', message: `${file} must hold a mapping of field: value (e.g. name: fraud-detector)` },
    ]);
  }
  refuseReservedKeys(data, '--values', { example: 'modelName' });
  return data as Record<string, unknown>;
}
