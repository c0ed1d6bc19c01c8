import { createTemplateRenderer, type PreparedTemplateContext, type TemplateRenderer, type TemplateValue } from 'nunjitsu';
import { createDefaultFilters, DEFAULT_SCM_HOSTS } from '../filters.js';
import { isPlainText } from '../renderTemplate.js';
import type { ScmHosts } from './fieldExtensions.js';

/**
 * How the scaffolder's workflow runner (NunjucksWorkflowRunner) evaluates a step's `input`, `if`
 * and `each`: nunjitsu with the default filters and the always()/failure() status globals.
 */
export interface StepExpressions {
  prepare(context: Record<string, unknown>): PreparedTemplateContext;
  /**
   * Renders every string in a JSON value. A string that is one `${{ }}` expression keeps the
   * expression's type (a number, a list, an object); a string that fails to render stays as
   * written; a value that renders to undefined drops its key — all as the runner's JSON.parse
   * reviver does, which is why this is one too.
   */
  render(value: unknown, context: PreparedTemplateContext): unknown;
}

// One evaluator per set of hosts, for the life of the process: a fleet run or the installed CLI's
// startup snapshot builds it once (the renderer keeps no state between renders).
const evaluators = new Map<string, StepExpressions>();

export function stepExpressions(scmHosts: ScmHosts = {}): StepExpressions {
  const key = JSON.stringify(scmHosts);
  let evaluator = evaluators.get(key);
  if (!evaluator) {
    evaluator = createStepExpressions(scmHosts);
    evaluators.set(key, evaluator);
  }
  return evaluator;
}

function createStepExpressions(scmHosts: ScmHosts): StepExpressions {
  const renderer: TemplateRenderer = createTemplateRenderer({
    allowRegexExecution: true,
    filters: createDefaultFilters({ ...DEFAULT_SCM_HOSTS, ...scmHosts }),
    // A run that reaches a step has not failed: idp stops at the first failing step.
    globals: { always: () => true, failure: () => false },
  });
  return {
    prepare: (context) => renderer.prepareContext(context as Record<string, TemplateValue>),
    render: (value, context) => {
      if (value === undefined) return undefined;
      return JSON.parse(JSON.stringify(value), (_key, item) => {
        // Text without a tag opener renders to itself (renderTemplate.plainText.test.ts): most
        // inputs (branch names, urls, topics) never reach the engine, which keeps a cold run fast.
        if (typeof item !== 'string' || isPlainText(item)) return item;
        try {
          return renderer.renderValue(item, context);
        } catch {
          return item;
        }
      });
    },
  };
}

/** The runner's truthiness for `if`: an empty list is false, otherwise JavaScript's. */
export function isTruthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}
