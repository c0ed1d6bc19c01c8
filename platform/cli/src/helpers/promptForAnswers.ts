import type { PlatformContract } from '@idp/spec';
import { formatRepoUrl } from '@idp/spec';
import { fieldProblem, specFields, type FieldSchema } from './specFields.js';

type Answers = Record<string, unknown>;

export interface PromptRun {
  templateName: string;
  description: string;
  given: Answers;
  platform: PlatformContract;
  /** Called by plop's custom action with the complete answers; does the real work. */
  create: (answers: Answers) => Promise<string>;
}

/**
 * Asks for every field not given, through plop (node-plop + inquirer). Plop renders nothing: its
 * only action is a custom type that hands the answers to the same code path `--yes` uses.
 */
export async function promptAndCreate(run: PromptRun): Promise<Answers> {
  const { default: nodePlop } = await import('node-plop');
  const plop = await nodePlop(undefined, { destBasePath: process.cwd(), force: false });
  let finalAnswers: Answers = {};
  plop.setActionType('idp:scaffold', async (answers) => {
    finalAnswers = { ...run.given, ...answers };
    return run.create(finalAnswers);
  });
  const generator = plop.setGenerator(run.templateName, {
    description: run.description,
    prompts: questionsFor(run.given, run.platform),
    actions: [{ type: 'idp:scaffold' }],
  });
  const answers = await generator.runPrompts();
  const { failures } = await generator.runActions(answers);
  const failure = failures[0] as { error?: unknown } | undefined;
  if (failure) throw failure.error instanceof Error ? failure.error : new Error(String(failure.error));
  return finalAnswers;
}

function questionsFor(given: Answers, platform: PlatformContract) {
  return Object.entries(specFields())
    .filter(([field, schema]) => !(field in given) && !isFixed(schema))
    .map(([field, schema]) => {
      const isNumber = schema.type === 'integer' || schema.type === 'number';
      const validate = (value: unknown, answers: Answers = {}) => fieldProblem(field, value, { ...given, ...answers }) ?? true;
      const base = {
        name: field,
        message: `${schema.title ?? field}${schema.description ? ` (${schema.description})` : ''}`,
        default: defaultFor(field, schema, given, platform),
        when: field === 'gpuCount' ? (answers: Answers) => (answers.gpuType ?? given.gpuType ?? 'none') !== 'none' : undefined,
      };
      if (schema.enum) return { ...base, type: 'list', choices: schema.enum };
      return {
        ...base,
        type: 'input',
        filter: isNumber ? (text: string) => (/^\s*-?\d+(\.\d+)?\s*$/.test(text) ? Number(text) : text) : undefined,
        validate,
      };
    });
}

/** A field with a single allowed value needs no question. */
function isFixed(schema: FieldSchema) {
  return Array.isArray(schema.enum) && schema.enum.length === 1;
}

function defaultFor(field: string, schema: FieldSchema, given: Answers, platform: PlatformContract) {
  if (field === 'gpuCount') return 1;
  if (field === 'repoUrl') {
    return (answers: Answers) =>
      formatRepoUrl({ host: platform.github.host, owner: platform.github.org, repo: String(answers.name ?? given.name ?? '') });
  }
  return schema.default;
}
