import type { PreparedTemplateContext } from 'nunjitsu';
import { loadSkeleton, type RenderedEntry, type Skeleton, TemplateError } from '../renderTemplate.js';
import { FILE_ACTIONS } from './actions/index.js';
import { checkInput } from './actions/fileAction.js';
import type { ScmHosts } from './fieldExtensions.js';
import { isTruthy, stepExpressions } from './stepExpressions.js';
import type { TemplateDefinition, TemplateStep } from './templateDefinition.js';
import { Workspace } from './workspace.js';

/** A step `idp new` does not run (it writes no files): what it would have been given. */
export interface StepNotRun {
  id: string;
  name: string;
  action: string;
  /** The evaluated input, once per `each` item that would run. */
  inputs: unknown[];
}

export interface TemplateRun {
  /** The workspace at the end, as the portal would publish it. */
  entries: RenderedEntry[];
  /** Steps whose `if` was false, by id. */
  skipped: string[];
  notRun: StepNotRun[];
  warnings: string[];
  /** spec.output, evaluated (links whose `if` is false dropped). */
  output: Record<string, unknown>;
}

export interface RunOptions {
  scmHosts?: ScmHosts;
}

/**
 * Runs a template's steps over its form values the way the scaffolder's workflow runner does:
 * in order, each step's `if` and `each` evaluated, its input rendered, and the steps that write
 * files (FILE_ACTIONS) run against an in-memory workspace. Other steps are recorded with their
 * input and produce an empty output. Writes nothing to disk.
 */
export async function runTemplateSteps(
  definition: TemplateDefinition,
  parameters: Record<string, unknown>,
  { scmHosts = {} }: RunOptions = {},
): Promise<TemplateRun> {
  const expressions = stepExpressions(scmHosts);
  const workspace = new Workspace();
  const run: TemplateRun = { entries: [], skipped: [], notRun: [], warnings: [], output: {} };
  const skeletons = new Map<string, Promise<Skeleton>>();
  const cachedSkeleton = (dir: string, options: Skeleton['renderOptions']) => {
    const key = JSON.stringify([dir, options]);
    if (!skeletons.has(key)) skeletons.set(key, loadSkeleton(dir, options));
    return skeletons.get(key)!;
  };
  let context = expressions.prepare({
    parameters,
    environment: { parameters: {}, secrets: {} },
    steps: {},
    user: {},
    context: { task: { id: 'idp-new' } },
    secrets: {},
  });

  for (const [index, step] of definition.steps.entries()) {
    const id = step.id ?? `step-${index + 1}`;
    const name = step.name ?? step.action;
    if (step.if === false || (typeof step.if === 'string' && step.each === undefined && !isTruthy(expressions.render(step.if, context)))) {
      run.skipped.push(id);
      continue;
    }
    const action = FILE_ACTIONS.get(step.action);
    const iterations = iterationsOf(step, id, context, expressions.render);
    const runnable = iterations.filter((iteration) => iteration.shouldRun);
    if (!action) {
      run.notRun.push({ id, name, action: step.action, inputs: runnable.map((iteration) => iteration.input) });
    } else {
      for (const iteration of runnable) checkInput(iteration.input, action.inputs, iteration.label(step.action));
      for (const iteration of runnable) {
        await action.run(iteration.input, {
          templateDir: definition.dir,
          workspace,
          scmHosts,
          stepLabel: iteration.label(step.action),
          warn: (message) => run.warnings.push(message),
          loadSkeleton: cachedSkeleton,
        });
      }
    }
    context = context.withValue(['steps', id], { output: {} });
  }
  run.entries = workspace.entries();
  run.output = outputOf(expressions.render(definition.output, context));
  return run;
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
