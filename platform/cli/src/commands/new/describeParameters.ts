import { formPages, isRecord, type TemplateDefinition } from '@idp/scaffold';

type Json = Record<string, unknown>;

/**
 * A template's parameters as `idp new TEMPLATE --help` prints them: page by page, each field
 * with its type, whether it is required, its default, choices, pattern and field extension, the
 * fields that dependencies add with the condition that adds them, nested fields dotted.
 */
export function describeParameters(definition: TemplateDefinition): string {
  const pages = formPages(definition.parameters);
  const lines = [`Parameters of ${definition.name} — ${definition.title}`];
  if (definition.description) lines.push(definition.description.trim());
  pages.forEach((page, index) => {
    lines.push('', `${page.title} (page ${index + 1} of ${pages.length})`);
    describeObject(page.schema, page.uiSchema, '', '', lines);
  });
  if (pages.length === 0) lines.push('', 'This template has no parameters.');
  lines.push(
    '',
    'Set them with --set NAME=VALUE (NAME.FIELD for a nested field, YAML for lists and objects) or --values FILE;',
    'the rest are asked for on a terminal, or take their defaults with --yes.',
  );
  return `${lines.join('\n')}\n`;
}

function describeObject(schema: Json, ui: Json, prefix: string, condition: string, lines: string[]) {
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const required = Array.isArray(schema.required) ? schema.required : [];
  for (const [name, node] of Object.entries(properties)) {
    if (!isRecord(node)) continue;
    const field = prefix + name;
    const nodeUi = isRecord(ui[name]) ? (ui[name] as Json) : {};
    if (nodeUi['ui:widget'] === 'hidden') continue;
    lines.push(`  ${field.padEnd(22)} ${facts(node, nodeUi, required.includes(name), condition)}`);
    if (node.type === 'object' || isRecord(node.properties)) describeObject(node, nodeUi, `${field}.`, condition, lines);
    if (node.type === 'array' && isRecord(node.items) && isRecord(node.items.properties)) {
      describeObject(node.items, isRecord(nodeUi.items) ? (nodeUi.items as Json) : {}, `${field}[].`, condition, lines);
    }
  }
  const dependencies = isRecord(schema.dependencies) ? schema.dependencies : {};
  for (const [on, dependency] of Object.entries(dependencies)) {
    if (!isRecord(dependency)) continue;
    const branches = Array.isArray(dependency.oneOf) ? dependency.oneOf.filter(isRecord) : [dependency];
    for (const branch of branches) {
      const when = whenOf(on, branch, prefix);
      const { properties: branchProperties, ...rest } = branch;
      const added = isRecord(branchProperties) ? Object.fromEntries(Object.entries(branchProperties).filter(([key]) => key !== on)) : {};
      describeObject({ ...rest, properties: added }, ui, prefix, when, lines);
    }
  }
  for (const branch of [schema.allOf, schema.oneOf, schema.anyOf].flatMap((list) => (Array.isArray(list) ? list.filter(isRecord) : []))) {
    describeObject(branch, ui, prefix, condition || (isRecord(branch.if) ? '' : 'in one of its variants'), lines);
  }
  if (isRecord(schema.if)) {
    const when = conditionOf(schema.if, prefix);
    if (isRecord(schema.then)) describeObject(schema.then, ui, prefix, when, lines);
    if (isRecord(schema.else)) describeObject(schema.else, ui, prefix, `unless ${when.replace(/^when /, '')}`, lines);
  }
}

/** `when a is "x" and b is "y"` for an if: of properties with const or enum. */
function conditionOf(test: Json, prefix: string): string {
  const properties = isRecord(test.properties) ? test.properties : {};
  const parts = Object.keys(properties).map((name) => whenOf(name, test, prefix).replace(/^when /, ''));
  return parts.length ? `when ${parts.join(' and ')}` : 'when its condition holds';
}

function facts(node: Json, ui: Json, required: boolean, condition: string): string {
  const parts = [String([node.type ?? 'any'].flat().join('|'))];
  if (required) parts.push('required');
  if (condition) parts.push(condition);
  if (node.default !== undefined) parts.push(`default ${JSON.stringify(node.default)}`);
  if (Array.isArray(node.enum)) {
    const names = Array.isArray(ui['ui:enumNames']) ? ui['ui:enumNames'] : [];
    parts.push(`one of ${node.enum.map((v, i) => (names[i] ? `${JSON.stringify(v)} (${names[i]})` : JSON.stringify(v))).join(', ')}`);
  }
  if (typeof node.pattern === 'string') parts.push(`pattern ${node.pattern}`);
  if (typeof ui['ui:field'] === 'string') parts.push(String(ui['ui:field']));
  const about = [node.title, node.description].filter((s) => typeof s === 'string' && s).join(': ');
  return `${parts.join(', ')}${about ? ` — ${about}` : ''}`;
}

function whenOf(on: string, branch: Json, prefix: string): string {
  const condition = isRecord(branch.properties) && isRecord(branch.properties[on]) ? branch.properties[on] : undefined;
  const values = condition?.const !== undefined ? [condition.const] : Array.isArray(condition?.enum) ? condition.enum : undefined;
  return values ? `when ${prefix}${on} is ${values.map((v) => JSON.stringify(v)).join(' or ')}` : `when ${prefix}${on} is set`;
}
