import path from 'node:path';
import type { PlatformContract, TemplateProvenance } from '@idp/service-spec';
import type { PreparedTemplateContext, TemplateValue } from 'nunjitsu';
import { contractFileIn, loadPlatformContract } from '../loadPlatformContract.js';
import { loadSkeleton, type RenderedEntry, type Skeleton, TemplateError } from '../renderTemplate.js';
import { openTemplateSource } from '../templateSource/openTemplateSource.js';
import { templateProvenance } from '../templateSource/templateProvenance.js';
import type { ModelFileAccess } from '../llm/readModelFiles.js';
import { TEMPLATE_ACTIONS } from './actions/index.js';
import { type ActionContext, type ActionOutputs, checkInput, type TemplateAction } from './actions/templateAction.js';
import type { ScmHosts } from './fieldExtensions.js';
import { isTruthy, stepExpressions } from './stepExpressions.js';
import type { TemplateDefinition, TemplateStep } from './templateDefinition.js';
import { Workspace } from './workspace.js';

/** A step `idp` does not run (it reaches another system): what it would have been given. */
export interface StepNotRun {
  id: string;
  name: string;
  action: string;
  /** The evaluated input, once per `each` item that would run; secrets shown as ***. */
  inputs: unknown[];
}

export interface TemplateRun {
  /** The workspace at the end, as the portal would publish it. */
  entries: RenderedEntry[];
  /** Steps whose `if` was false, by id. */
  skipped: string[];
  notRun: StepNotRun[];
  warnings: string[];
  /** Each step's outputs by step id, as `steps.<id>.output` held them. */
  outputs: Record<string, ActionOutputs>;
  /** spec.output, evaluated (links whose `if` is false dropped). */
  output: Record<string, unknown>;
}

/** The user the scaffolder runs a task for: `user.ref` and `user.entity` in templates. */
export interface TemplateUser {
  ref?: string;
  entity?: Record<string, unknown>;
}

export interface RunOptions {
  scmHosts?: ScmHosts;
  /** The actions by id; TEMPLATE_ACTIONS unless a host adds its own. */
  actions?: ReadonlyMap<string, TemplateAction>;
  /**
   * The platform contract for the contract actions; read at most once per run and file. Default:
   * a `file` inside the platform's contracts directory, else $IDP_PLATFORM_CONTRACT or the default.
   */
  contract?: (file?: string) => Promise<PlatformContract>;
  /** The provenance of a template folder; default: the folder beside this template, from its repository. */
  provenance?: (template: string) => Promise<TemplateProvenance>;
  user?: TemplateUser;
  /** The task's secrets (`secrets.*`), as the portal passes the user's; never printed. */
  secrets?: Record<string, string>;
  /** Where steps may read the files their parameters name (HostContext.modelFiles). */
  modelFiles?: ModelFileAccess;
}

/**
 * Runs a template's steps over its form values the way the scaffolder's workflow runner does:
 * in order, each step's `if` and `each` evaluated, its input rendered and checked, its action run
 * from the registry against an in-memory workspace, its outputs kept for later steps as
 * `steps.<id>.output`. A step no action of the registry serves is recorded with its input and
 * outputs nothing. Writes nothing to disk.
 */
export async function runTemplateSteps(
  definition: TemplateDefinition,
  parameters: Record<string, unknown>,
  options: RunOptions = {},
): Promise<TemplateRun> {
  const { scmHosts = {}, actions = TEMPLATE_ACTIONS, user = {}, secrets = {} } = options;
  const expressions = stepExpressions(scmHosts);
  const workspace = new Workspace();
  const run: TemplateRun = { entries: [], skipped: [], notRun: [], warnings: [], outputs: {}, output: {} };
  const host = hostOf(definition, options, workspace, (message) => run.warnings.push(message));
  let context = expressions.prepare({
    parameters,
    environment: { parameters: {}, secrets: {} },
    steps: {},
    user,
    context: { task: { id: 'idp-new' } },
    secrets,
  });

  for (const [index, step] of definition.steps.entries()) {
    const id = step.id ?? `step-${index + 1}`;
    const name = step.name ?? step.action;
    if (step.if === false || (typeof step.if === 'string' && step.each === undefined && !isTruthy(expressions.render(step.if, context)))) {
      run.skipped.push(id);
      continue;
    }
    const action = actions.get(step.action);
    const iterations = iterationsOf(step, id, context, expressions.render);
    const runnable = iterations.filter((iteration) => iteration.shouldRun);
    const outputs: ActionOutputs = {};
    if (!action) {
      run.notRun.push({ id, name, action: step.action, inputs: runnable.map((iteration) => redacted(iteration.input, secrets)) });
    } else {
      for (const iteration of runnable) checkInput(iteration.input, action.inputs, iteration.label(step.action));
      for (const iteration of runnable) {
        const produced = await action.run(iteration.input, { ...host, stepLabel: iteration.label(step.action) });
        // The scaffolder collects an `each` step's outputs into lists, one item per iteration.
        for (const [key, value] of Object.entries(produced)) {
          if (step.each === undefined) outputs[key] = value;
          else outputs[key] = [...((outputs[key] as unknown[] | undefined) ?? []), value];
        }
      }
    }
    run.outputs[id] = outputs;
    context = context.withValue(['steps', id], { output: outputs } as TemplateValue);
  }
  run.entries = workspace.entries();
  run.output = outputOf(expressions.render(definition.output, context));
  return run;
}

/** What every step of one run shares: the contract read once per file, skeletons read once, one workspace. */
function hostOf(
  definition: TemplateDefinition,
  options: RunOptions,
  workspace: Workspace,
  warn: (message: string) => void,
): Omit<ActionContext, 'stepLabel'> {
  const readContract = options.contract ?? ((file) => loadPlatformContract(file === undefined ? undefined : contractFileIn(file)));
  const provenance =
    options.provenance ??
    (async (template: string) => templateProvenance(await openTemplateSource(path.dirname(definition.dir)), template));
  const contracts = new Map<string, Promise<PlatformContract>>();
  const skeletons = new Map<string, Promise<Skeleton>>();
  return {
    templateDir: definition.dir,
    templateRef: `template:default/${definition.name}`,
    scmHosts: options.scmHosts ?? {},
    workspace,
    warn,
    contract(file) {
      const key = file ?? '';
      if (!contracts.has(key)) contracts.set(key, readContract(file));
      return contracts.get(key)!;
    },
    provenance,
    ...(options.modelFiles ? { modelFiles: options.modelFiles } : {}),
    loadSkeleton(dir, renderOptions) {
      const key = JSON.stringify([dir, renderOptions]);
      if (!skeletons.has(key)) skeletons.set(key, loadSkeleton(dir, renderOptions));
      return skeletons.get(key)!;
    },
  };
}

/** A step's input for the list of steps not run, each secret's value replaced by ***. */
function redacted(input: unknown, secrets: Record<string, string>): unknown {
  const values = Object.values(secrets).filter((value) => value !== '');
  if (values.length === 0) return input;
  return JSON.parse(JSON.stringify(input), (_key, item) =>
    typeof item === 'string' ? values.reduce((text, secret) => text.split(secret).join('***'), item) : item,
  );
}

interface Iteration {
  shouldRun: boolean;
  input: Record<string, unknown>;
  label(action: string): string;
}

/** One iteration per `each` item (key and value in `each`), or a single one; `if` decides per item. */
function iterationsOf(
  step: TemplateStep,
  id: string,
  context: PreparedTemplateContext,
  render: (value: unknown, context: PreparedTemplateContext) => unknown,
): Iteration[] {
  const inputIn = (ctx: PreparedTemplateContext) => (step.input ? (render(step.input, ctx) as Record<string, unknown>) : {});
  if (step.each === undefined) return [{ shouldRun: true, input: inputIn(context), label: (action) => `${id} (${action})` }];
  const each = render(step.each, context);
  if (each === undefined) {
    throw new TemplateError(`Step ${id} (${step.action}): each ${JSON.stringify(step.each)} cannot be resolved to a value`);
  }
  if (each === null || typeof each !== 'object') {
    throw new TemplateError(`Step ${id} (${step.action}): each must resolve to a list or an object, but is ${JSON.stringify(each)}`);
  }
  return Object.entries(each).map(([key, value]) => {
    const ctx = context.withValue(['each'], { key, value });
    return {
      shouldRun: !step.if || isTruthy(render(step.if, ctx)),
      input: inputIn(ctx),
      label: (action) => `${id}[${key}] (${action})`,
    };
  });
}

/** spec.output with the runner's filtering: list items whose `if` is false are dropped, the others lose their `if`. */
function outputOf(output: unknown): Record<string, unknown> {
  if (typeof output !== 'object' || output === null || Array.isArray(output)) return {};
  const result: Record<string, unknown> = { ...output };
  for (const key of ['links', 'text']) {
    const items = result[key];
    if (!Array.isArray(items)) continue;
    result[key] = items.flatMap((item) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) return [item];
      if ('if' in item && !isTruthy(item.if)) return [];
      const { if: _if, ...rest } = item as Record<string, unknown>;
      return [rest];
    });
  }
  return result;
}
