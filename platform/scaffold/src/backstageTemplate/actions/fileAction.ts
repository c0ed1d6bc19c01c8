import type { Skeleton } from '../../renderTemplate.js';
import { TemplateError } from '../../renderTemplate.js';
import type { ScmHosts } from '../fieldExtensions.js';
import type { Workspace } from '../workspace.js';

/** What a file-producing step works with: the template's folder and the run's workspace. */
export interface ActionContext {
  templateDir: string;
  workspace: Workspace;
  scmHosts: ScmHosts;
  /** "fetch (fetch:template)", "docs[1] (fetch:plain)": how messages name the step. */
  stepLabel: string;
  warn(message: string): void;
  /** Skeletons read once per run and render options, however many steps or `each` items use them. */
  loadSkeleton(dir: string, options: Skeleton['renderOptions']): Promise<Skeleton>;
}

/** One of Backstage's built-in actions that write the workspace, reproduced. */
export interface FileAction {
  readonly id: string;
  readonly inputs: InputShape;
  run(input: Record<string, unknown>, context: ActionContext): Promise<void>;
}

type InputType = 'string' | 'boolean' | 'object' | 'string[]' | 'string|boolean';
/** An action's inputs: name → type, with `?` for optional ones. */
export type InputShape = Readonly<Record<string, `${InputType}${'' | '?'}`>>;

/**
 * Checks a step's evaluated input against its action's schema as the runner does before it runs
 * the action: every required input present, each of its type, and no input the action does not
 * declare (Backstage's action schemas refuse additional properties).
 */
export function checkInput(input: Record<string, unknown>, shape: InputShape, label: string): void {
  const problems: string[] = [];
  for (const [name, declared] of Object.entries(shape)) {
    const optional = declared.endsWith('?');
    const type = declared.replace('?', '') as InputType;
    const value = input[name];
    if (value === undefined) {
      if (!optional) problems.push(`input ${name} is required`);
      continue;
    }
    if (!hasType(value, type)) problems.push(`input ${name} must be ${type.replace('|', ' or ')}, but is ${JSON.stringify(value)}`);
  }
  for (const name of Object.keys(input)) {
    if (!(name in shape)) problems.push(`input ${name} is not one the action takes (it takes ${Object.keys(shape).join(', ')})`);
  }
  if (problems.length) throw new TemplateError(`Step ${label}: ${problems.join('; ')}`);
}

function hasType(value: unknown, type: InputType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'string|boolean':
      return typeof value === 'string' || typeof value === 'boolean';
  }
}
