import { isGitUrl, listTemplates, openTemplateSource, templatesAt } from '@idp/scaffold';
import { specFields } from '../../shared/specFields.js';
import { readUserConfig, resolveSettings } from '../../shared/userConfig.js';

/**
 * What `idp __complete` answers: the template names of the configured source (a local one only —
 * a <TAB> never waits on the network), or `--set` fields (`name=`) and, after the `=`, a field's
 * allowed values.
 */
export async function completionCandidates(kind: string, partial: string): Promise<string[]> {
  if (kind === 'templates') return templateNames();
  if (kind === 'set') return setCandidates(partial);
  return [];
}

async function templateNames(): Promise<string[]> {
  const location = resolveSettings(readUserConfig()).templates.value;
  if (!location || isGitUrl(location)) return [];
  const checkout = await templatesAt(await openTemplateSource(location));
  try {
    return (await listTemplates(checkout.templatesRoot)).map((template) => template.name);
  } finally {
    await checkout.release();
  }
}

function setCandidates(partial: string): string[] {
  const fields = specFields();
  const equals = partial.indexOf('=');
  if (equals < 0) return Object.keys(fields).map((name) => `${name}=`);
  const name = partial.slice(0, equals);
  const field = fields[name];
  if (!field) return [];
  const type = field.type ?? field.anyOf?.[0]?.type;
  const values = field.enum ?? field.anyOf?.flatMap((option) => option.enum ?? []) ?? [];
  const choices = values.length ? values : type === 'boolean' ? [true, false] : [];
  return choices.map((value) => `${name}=${String(value)}`);
}
