import type { Skeleton } from '../../renderTemplate.js';
import { TemplateError } from '../../renderTemplate.js';
import type { PlatformContract, TemplateProvenance } from '@idp/service-spec';
import type { ModelFileAccess } from '../../llm/readModelFiles.js';
import type { ScmHosts } from '../fieldExtensions.js';
import type { Workspace } from '../workspace.js';

/**
 * What every action may use, whichever host runs it: the CLI's runner and the portal's
 * createTemplateAction wrappers both give it. Host-neutral: no Backstage type, no terminal.
 */
export interface HostContext {
  /** The folder holding template.yaml: relative urls start here. */
  templateDir: string;
  /** "fetch (fetch:template)", "docs[1] (fetch:plain)": how messages name the step. */
  stepLabel: string;
  warn(message: string): void;
  /** Hosts the parseRepoUrl/projectSlug filters and repoUrl inputs accept (host → type, e.g. github). */
  scmHosts: ScmHosts;
  /**
   * The platform contract: `file` names one in the platform's contracts directory, none means
   * the host's own (--contract, $IDP_PLATFORM_CONTRACT, the default). Read once per run and file.
   */
  contract(file?: string): Promise<PlatformContract>;
  /** Where a template folder of the host's templates source comes from (repository, path, commit). */
  provenance(template: string): Promise<TemplateProvenance>;
  /**
   * Where a step may read the files its parameters name (an llm-service's config.json): the CLI
   * reads the user's own paths and the Hub with $HF_TOKEN; none means URLs only.
   */
  modelFiles?: ModelFileAccess;
}

/** What a step works with when `idp` runs it: the host's context, the run's workspace and its skeletons. */
export interface ActionContext extends HostContext {
  /** The scaffolder's workspace directory, in memory: what earlier steps wrote. */
  workspace: Workspace;
  /** Skeletons read once per run and render options, however many steps or `each` items use them. */
  loadSkeleton(dir: string, options: Skeleton['renderOptions']): Promise<Skeleton>;
  /** The template's entity ref (template:default/<name>), as the scaffolder's ctx.templateInfo.entityRef. */
  templateRef: string;
}

/** A step's outputs by name, as the scaffolder's ctx.output records them: `steps.<id>.output.<name>`. */
export type ActionOutputs = Record<string, unknown>;

/**
 * One action, host-neutral: `idp`'s runner calls `run` for a step with this id, and a portal action
 * (createTemplateAction) may wrap the same object. `inputs` is checked before `run`, as the
 * scaffolder checks an action's input schema.
 */
export interface TemplateAction<Context extends HostContext = ActionContext> {
  readonly id: string;
  readonly inputs: InputShape;
  /**
   * True for an action that judges the form's answers itself, with every problem named (idp:spec:validate):
   * the runner then hands it the answers as given instead of refusing them by the form's JSON Schema first.
   */
  readonly judgesParameters?: boolean;
  run(input: Record<string, unknown>, context: Context): Promise<ActionOutputs>;
}

type InputType = 'string' | 'number' | 'boolean' | 'object' | 'string[]' | 'string|boolean' | 'object[]';
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
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
    case 'string|boolean':
      return typeof value === 'string' || typeof value === 'boolean';
    case 'object[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item));
  }
}
