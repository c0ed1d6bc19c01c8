import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  type FormPage,
  formPages,
  isGitUrl,
  isRecord,
  listTemplateDefinitions,
  loadTemplateDefinition,
  openTemplateSource,
  parameterSchema,
  readServiceRecord,
  templatesAt,
} from '@idp/scaffold';
import { readUserConfig, resolveSettings } from '../../shared/userConfig.js';

/**
 * What `idp __complete` answers: the template names of the configured source (a local one only —
 * a <TAB> never waits on the network), or `--set` parameters (`name=`) and, after the `=`, a
 * parameter's allowed values — the parameters of the template the command names (its first
 * argument: a template for idp new, a service folder for idp upgrade, else the current folder's
 * service), or of every template when there is none.
 */
export async function completionCandidates(kind: string, partial: string, first = ''): Promise<string[]> {
  if (kind !== 'templates' && kind !== 'set') return [];
  const location = resolveSettings(readUserConfig()).templates.value;
  if (!location || isGitUrl(location)) return [];
  const checkout = await templatesAt(await openTemplateSource(location));
  try {
    const definitions = await listTemplateDefinitions(checkout.templatesRoot);
    if (kind === 'templates') return definitions.map((definition) => definition.name);
    const named = await templateNamed(first);
    const chosen = named ? definitions.filter((d) => d.name === named || path.basename(d.dir) === named) : [];
    // A template named by its folder, wherever it is (idp new ./path/to/template).
    if (named && chosen.length === 0 && existsSync(path.join(named, 'template.yaml')))
      chosen.push(await loadTemplateDefinition(path.resolve(named)));
    return setCandidates(
      partial,
      (chosen.length ? chosen : definitions).flatMap((definition) => formPages(definition.parameters)),
    );
  } finally {
    await checkout.release();
  }
}

/** The template a command line names: a service folder's recorded one, else the word itself. */
async function templateNamed(first: string): Promise<string | undefined> {
  const dir = first || '.';
  if (existsSync(path.join(dir, '.idp/answers.yaml'))) return (await readServiceRecord(dir).catch(() => undefined))?.template;
  return first || undefined;
}

function setCandidates(partial: string, pages: readonly FormPage[]): string[] {
  const equals = partial.indexOf('=');
  if (equals < 0) return [...new Set(pages.flatMap((page) => fieldsOf(page.schema, '')))].map((name) => `${name}=`);
  const name = partial.slice(0, equals);
  const schema = parameterSchema(pages, name);
  if (!schema) return [];
  const choices = Array.isArray(schema.enum) ? schema.enum : [schema.type].flat().includes('boolean') ? [true, false] : [];
  return choices.map((value) => `${name}=${String(value)}`);
}

/** Every parameter a form declares, nested ones dotted, including those its branches add. */
function fieldsOf(schema: Record<string, unknown>, prefix: string): string[] {
  const fields: string[] = [];
  for (const [name, node] of Object.entries(isRecord(schema.properties) ? schema.properties : {})) {
    fields.push(prefix + name);
    if (isRecord(node) && isRecord(node.properties)) fields.push(...fieldsOf(node, `${prefix}${name}.`));
  }
  const branches = [schema.oneOf, schema.anyOf, schema.allOf].flatMap((list) => (Array.isArray(list) ? list : []));
  if (isRecord(schema.dependencies)) branches.push(...Object.values(schema.dependencies));
  branches.push(schema.then, schema.else);
  for (const branch of branches) if (isRecord(branch)) fields.push(...fieldsOf(branch, prefix));
  return fields;
}
