import type { PlatformContract } from '@idp/service-spec';
import { fieldProblems, formatRepoUrl, githubHosts, repoHostProblem } from '@idp/service-spec';
import { specFields, type FieldSchema } from '../../shared/specFields.js';

type Answers = Record<string, unknown>;

export interface PromptRun {
  templateName: string;
  description: string;
  given: Answers;
  platform: PlatformContract;
  /** GitHub Enterprise hosts repoUrl may name (--github-url). */
  enterpriseHosts?: readonly string[];
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
    prompts: questionsFor(run.given, run.platform, run.enterpriseHosts),
    actions: [{ type: 'idp:scaffold' }],
  });
  const answers = await generator.runPrompts();
  const { failures } = await generator.runActions(answers);
  const failure = failures[0] as { error?: unknown } | undefined;
  if (failure) throw failure.error instanceof Error ? failure.error : new Error(String(failure.error));
  return finalAnswers;
}

function questionsFor(given: Answers, platform: PlatformContract, enterpriseHosts: readonly string[] = []) {
  return Object.entries(specFields())
    .filter(([field, schema]) => !(field in given) && !isFixed(schema))
    .map(([field, schema]) => {
      const isNumber = schema.type === 'integer' || schema.type === 'number';
      // Inquirer treats a key set to undefined as an override of its default, so absent options are left out.
      const question: Record<string, unknown> = {
        name: field,
        message: `${schema.title ?? field}${schema.description ? ` (${schema.description})` : ''}`,
        default: defaultFor(field, schema, given, platform),
        validate: (value: unknown, answers: Answers = {}) => {
          const all = { ...given, ...answers };
          const [problem] = fieldProblems(field, value, all);
          // The host is checked against the integrations here too, so a wrong one is asked again.
          const hostProblem =
            field === 'repoUrl' && typeof value === 'string'
              ? repoHostProblem(value, githubHosts(platform.github.host, enterpriseHosts), String(all.name ?? 'fraud-detector'))
              : undefined;
          return problem ?? hostProblem ?? true;
        },
      };
      if (field === 'gpuCount') question.when = (answers: Answers) => (answers.gpuType ?? given.gpuType ?? 'none') !== 'none';
      if (schema.enum) return { ...question, type: 'list', choices: schema.enum };
      if (isNumber) question.filter = (text: string) => (/^\s*-?\d+(\.\d+)?\s*$/.test(String(text)) ? Number(text) : text);
      return { ...question, type: 'input' };
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
