import { isRecord } from './templateDefinition.js';

type Json = Record<string, unknown>;

/** One page of a template's form: its JSON Schema (without `ui:` keys) and the ui schema taken out of it. */
export interface FormPage {
  title: string;
  description?: string;
  schema: Json;
  uiSchema: Json;
}

/**
 * The pages the portal's form shows for spec.parameters, built as scaffolder-react builds them:
 * `ui:*` keys moved out of the schema into a ui schema (through properties, items, anyOf, oneOf,
 * allOf, dependencies, then and else), the page title shown above the page rather than validated,
 * and pages or fields behind a feature flag left out (a terminal has no feature flags turned on).
 */
export function formPages(parameters: ReadonlyArray<Json>): FormPage[] {
  return parameters.flatMap((page): FormPage[] => {
    const schema = structuredClone(page);
    const uiSchema: Json = {};
    extractUiSchema(schema, uiSchema);
    if (featureFlag(uiSchema)) return [];
    const { title, ...withoutTitle } = schema;
    if (isRecord(withoutTitle.properties) || !withoutTitle.dependencies) {
      const properties = isRecord(withoutTitle.properties) ? withoutTitle.properties : {};
      withoutTitle.properties = Object.fromEntries(Object.entries(properties).filter(([key]) => !featureFlag(uiSchema[key])));
    }
    return [
      {
        title: typeof title === 'string' ? title : 'Please enter the following information',
        ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
        schema: withoutTitle,
        uiSchema,
      },
    ];
  });
}

function featureFlag(uiSchema: unknown): unknown {
  return isRecord(uiSchema) && isRecord(uiSchema['ui:backstage']) ? uiSchema['ui:backstage'].featureFlag : undefined;
}

function extractUiSchema(schema: unknown, uiSchema: Json): void {
  if (!isRecord(schema)) return;
  // rjsf 5 reads enumNames from the ui schema (and warns on the console when it finds it in the schema).
  if (Array.isArray(schema.enumNames)) {
    uiSchema['ui:enumNames'] ??= schema.enumNames;
    delete schema.enumNames;
  }
  for (const key of Object.keys(schema)) {
    if (key.startsWith('ui:')) {
      uiSchema[key] = schema[key];
      delete schema[key];
    }
  }
  const { properties, items, anyOf, oneOf, allOf, dependencies, then, else: otherwise } = schema;
  if (isRecord(properties)) {
    for (const [name, node] of Object.entries(properties)) {
      if (!isRecord(node)) continue;
      if (!isRecord(uiSchema[name])) uiSchema[name] = {};
      extractUiSchema(node, uiSchema[name] as Json);
    }
  }
  if (isRecord(items)) {
    uiSchema.items = {};
    extractUiSchema(items, uiSchema.items as Json);
  }
  for (const list of [anyOf, oneOf, allOf]) if (Array.isArray(list)) for (const node of list) extractUiSchema(node, uiSchema);
  if (isRecord(dependencies)) for (const node of Object.values(dependencies)) extractUiSchema(node, uiSchema);
  extractUiSchema(then, uiSchema);
  extractUiSchema(otherwise, uiSchema);
}
