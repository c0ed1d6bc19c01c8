import { isRecord } from '@idp/scaffold';
import { parseEntityRef } from '@idp/service-spec';

type Json = Record<string, unknown>;

// The pieces of a question the way the portal's form widgets present a field.

/** The form's choices for an enum (labels from ui:enumNames) or a oneOf of consts. */
export function choicesOf(schema: Json, ui: Json): Array<{ name: string; value: unknown }> | undefined {
  if (Array.isArray(schema.enum)) {
    const names = Array.isArray(ui['ui:enumNames']) ? ui['ui:enumNames'] : [];
    return schema.enum.map((value, i) => ({ name: String(names[i] ?? value), value }));
  }
  const options = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  if (options?.every((option) => isRecord(option) && option.const !== undefined)) {
    return options.map((option) => ({ name: String(option.title ?? option.const), value: option.const }));
  }
  return undefined;
}

export function title(schema: Json, path: string[]): string {
  return typeof schema.title === 'string' ? schema.title : path[path.length - 1]!;
}

export function message(schema: Json, ui: Json, path: string[]): string {
  const help = [schema.description, ui['ui:help']].filter((s) => typeof s === 'string' && s).join('; ');
  return `${title(schema, path)}${help ? ` (${help})` : ''}`;
}

/** rjsf's ui:order: the listed names first, '*' standing for the rest. */
export function ordered(names: string[], order: unknown): string[] {
  if (!Array.isArray(order)) return names;
  const listed = order.filter((name) => name !== '*' && names.includes(name));
  const rest = names.filter((name) => !listed.includes(name));
  const star = order.indexOf('*');
  if (star === -1) return [...listed, ...rest];
  const before = order.slice(0, star).filter((name) => names.includes(name));
  const after = order.slice(star + 1).filter((name) => names.includes(name));
  return [...before, ...rest, ...after];
}

/** What the portal's entity pickers store for typed text: a full `kind:namespace/name`. */
export function fullEntityRef(text: string, options: Json, fallbackKind: string | undefined): string {
  try {
    const defaultKind = typeof options.defaultKind === 'string' ? options.defaultKind : fallbackKind;
    const defaultNamespace =
      typeof options.defaultNamespace === 'string' && options.defaultNamespace ? options.defaultNamespace : undefined;
    const { kind, namespace, name } = parseEntityRef(text.trim(), { defaultKind, defaultNamespace });
    return `${kind.toLocaleLowerCase('en-US')}:${namespace.toLocaleLowerCase('en-US')}/${name}`;
  } catch {
    return text;
  }
}

export function parseRepoUrl(value: unknown): { host: string; owner: string; repo: string } {
  try {
    const url = new URL(`https://${String(value ?? '')}`);
    return { host: url.host, owner: url.searchParams.get('owner') ?? '', repo: url.searchParams.get('repo') ?? '' };
  } catch {
    return { host: '', owner: '', repo: '' };
  }
}

export function valueAt(data: unknown, path: readonly string[]): unknown {
  let node = data;
  for (const part of path) node = isRecord(node) || Array.isArray(node) ? (node as Json)[part] : undefined;
  return node;
}

export function deletePath(data: Json, path: readonly string[]) {
  const parent = valueAt(data, path.slice(0, -1));
  if (isRecord(parent) || Array.isArray(parent)) delete (parent as Json)[path[path.length - 1]!];
}
