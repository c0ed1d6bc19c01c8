import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseYaml } from '../parseYaml.js';
import { InvalidInputError } from '@idp/service-spec';
import { readOnce } from '../keptTemplates.js';

export const TEMPLATE_API_VERSION = 'scaffolder.backstage.io/v1beta3';

/** One step of a template's spec.steps, as written. */
export interface TemplateStep {
  id?: string;
  name?: string;
  action: string;
  input?: Record<string, unknown>;
  if?: unknown;
  each?: unknown;
}

/** A Backstage software template (kind: Template, scaffolder.backstage.io/v1beta3), as its template.yaml defines it. */
export interface TemplateDefinition {
  /** The folder holding template.yaml: relative fetch urls start here. */
  dir: string;
  name: string;
  title: string;
  description: string;
  tags: string[];
  /** Our templates' idp.dev/template-version annotation; undefined for others. */
  version?: string;
  /** spec.parameters: one JSON Schema per form page (a single object is one page). */
  parameters: Array<Record<string, unknown>>;
  steps: TemplateStep[];
  output: Record<string, unknown>;
}

/**
 * Reads and checks `<dir>/template.yaml`; throws InvalidInputError naming the file and what is wrong (exit 2).
 * A template that never changes (keepSkeletonsUnder) is read once: its definition is then part of
 * the installed CLI's startup snapshot instead of being parsed again by every run.
 */
export function loadTemplateDefinition(dir: string): Promise<TemplateDefinition> {
  return readOnce(dir, 'template.yaml', () => readTemplateDefinition(dir));
}

async function readTemplateDefinition(dir: string): Promise<TemplateDefinition> {
  const file = path.join(dir, 'template.yaml');
  let doc: unknown;
  try {
    doc = parseYaml(await readFile(file, 'utf-8'));
  } catch (error) {
    throw notATemplate(file, `it cannot be read as YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  return templateDefinitionOf(doc, dir, file);
}

/** A template.yaml that is not a Backstage template idp can run: bad input, named by its file, with what one looks like. */
function notATemplate(file: string, what: string): InvalidInputError {
  return new InvalidInputError('The template', [
    {
      field: file,
      message: `must be a Backstage template idp can run (kind: Template, apiVersion: ${TEMPLATE_API_VERSION}, e.g. https://backstage.io/docs/features/software-templates/writing-templates), but ${what}`,
    },
  ]);
}

/** The definition of an already parsed template document. */
export function templateDefinitionOf(doc: unknown, dir: string, file = path.join(dir, 'template.yaml')): TemplateDefinition {
  const refuse = (what: string): never => {
    throw notATemplate(file, what);
  };
  if (!isRecord(doc))
    return refuse(`it is ${Array.isArray(doc) ? 'a list' : doc === null ? 'empty' : `a single ${typeof doc}`}, not a YAML mapping`);
  if (doc.apiVersion !== TEMPLATE_API_VERSION || doc.kind !== 'Template') {
    const said = (key: string, value: unknown) => (value === undefined ? `no ${key}` : `${key} ${JSON.stringify(value)}`);
    return refuse(`it has ${said('apiVersion', doc.apiVersion)} and ${said('kind', doc.kind)}`);
  }
  const metadata = isRecord(doc.metadata) ? doc.metadata : {};
  const spec = isRecord(doc.spec) ? doc.spec : refuse('it has no spec');
  const steps = spec.steps ?? [];
  if (!Array.isArray(steps) || !steps.every((step) => isRecord(step) && typeof step.action === 'string')) {
    return refuse('spec.steps must be a list of steps, each with an action (e.g. - action: fetch:template)');
  }
  const parameters = spec.parameters === undefined ? [] : [spec.parameters].flat();
  if (!parameters.every(isRecord)) return refuse('spec.parameters must be a JSON Schema object or a list of them, one per form page');
  const name = typeof metadata.name === 'string' ? metadata.name : path.basename(dir);
  const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
  const version = annotations['idp.dev/template-version'];
  return {
    dir,
    name,
    title: typeof metadata.title === 'string' ? metadata.title : name,
    description: typeof metadata.description === 'string' ? metadata.description : '',
    tags: Array.isArray(metadata.tags) ? metadata.tags.map(String) : [],
    version: version === undefined ? undefined : String(version),
    parameters: parameters as Array<Record<string, unknown>>,
    steps: steps as TemplateStep[],
    output: isRecord(spec.output) ? spec.output : {},
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
