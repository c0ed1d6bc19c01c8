import type { Problem } from '@idp/service-spec';
import type { RJSFSchema, RJSFValidationError } from '@rjsf/utils';
import { PATTERN_TIME_LIMIT_MS, takePatternTimeouts } from './boundedRegExp.js';
import { fieldExtensionProblem, type ScmHosts } from './fieldExtensions.js';
import { type FormLibraries, formLibraries } from './formLibraries.js';
import type { FormPage } from './formPages.js';
import { isRecord } from './templateDefinition.js';

type Values = Record<string, unknown>;

/**
 * What the portal's form submits when a person gives these answers and accepts every other
 * default: each page in turn fills its defaults in with rjsf's getDefaultFormState, merged over
 * what came before, as the Stepper does. An answer given stays as given even where rjsf would
 * swap a value outside an enum for the default: a person cannot pick such a value in the form,
 * so here it is reported, not silently replaced.
 */
export async function formValues(pages: readonly FormPage[], given: Values): Promise<Values> {
  const { getDefaultFormState } = await formLibraries();
  let state: Values = { ...given };
  for (const page of pages) {
    // The form computes defaults again whenever its data changes, so a default that makes a
    // dependency apply brings that dependency's defaults in too: repeat until nothing changes.
    for (let round = 0; round < MAX_DEFAULT_ROUNDS; round += 1) {
      const filled = getDefaultFormState(page.schema as RJSFSchema, state);
      const next = overlay({ ...state, ...(isRecord(filled) ? filled : {}) }, given) as Values;
      if (JSON.stringify(next) === JSON.stringify(state)) break;
      state = next;
    }
  }
  return state;
}

const MAX_DEFAULT_ROUNDS = 8;

/** `given` over `filled`: objects key by key, lists item by item (keeping the given length), anything else as given. */
function overlay(filled: unknown, given: unknown): unknown {
  if (isRecord(filled) && isRecord(given)) {
    const result: Values = { ...filled };
    for (const [key, value] of Object.entries(given)) result[key] = overlay(filled[key], value);
    return result;
  }
  if (Array.isArray(filled) && Array.isArray(given)) return given.map((item, index) => overlay(filled[index], item));
  return given === undefined ? filled : given;
}

/**
 * Every reason the form would refuse these values, each naming its parameter: each page's JSON
 * Schema (ajv, as the form validates it), the field extensions' rules, and parameters no page
 * declares (a typo in --set would otherwise be silently ignored).
 */
export async function formProblems(pages: readonly FormPage[], values: Values, scmHosts: ScmHosts): Promise<Problem[]> {
  return formProblemsWith(await formLibraries(), pages, values, scmHosts);
}

/** formProblems with the form's libraries already loaded: synchronous, for checking each answer as it is typed. */
export function formProblemsWith(libraries: FormLibraries, pages: readonly FormPage[], values: Values, scmHosts: ScmHosts): Problem[] {
  const { validator, retrieveSchema } = libraries;
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (problem: Problem) => {
    const key = `${problem.field}\0${problem.message}`;
    if (!seen.has(key)) problems.push(problem);
    seen.add(key);
  };
  takePatternTimeouts();
  for (const page of pages) {
    const schema = retrieveSchema(page.schema as RJSFSchema, values);
    const errors = validator.validateFormData(values, schema).errors;
    const timedOut = takePatternTimeouts();
    for (const pattern of timedOut) {
      for (const field of fieldsWithPattern(schema, pattern, '')) {
        add({
          field,
          message: `could not be checked: the template's pattern ${pattern} took over ${PATTERN_TIME_LIMIT_MS / 1000} s on this value (it backtracks catastrophically); fix the pattern in template.yaml (e.g. ^[a-z0-9-]+$)`,
        });
      }
    }
    // A pattern out of time did not match: the lines above say why, instead of "must match pattern".
    for (const error of errors) {
      if (!(error.name === 'pattern' && timedOut.includes(String(error.params?.pattern)))) add(problemOf(error, schema, page.uiSchema));
    }
    walkFields(schema, page.uiSchema, values, '', (field, uiNode, value) => {
      const message = fieldExtensionProblem(uiNode['ui:field'], uiNode['ui:options'], value, scmHosts);
      if (message) add({ field, message });
    });
  }
  for (const name of undeclared(pages, values, retrieveSchema)) {
    add({ field: name, message: `is not a parameter of this template; its parameters: ${declaredNames(pages).join(', ')}` });
  }
  return problems;
}

/** Calls `visit` for every property the resolved schema declares, nested objects included. */
export function walkFields(
  schema: unknown,
  uiSchema: unknown,
  value: unknown,
  prefix: string,
  visit: (field: string, uiNode: Record<string, unknown>, value: unknown) => void,
): void {
  if (!isRecord(schema) || !isRecord(schema.properties)) return;
  const ui = isRecord(uiSchema) ? uiSchema : {};
  const data = isRecord(value) ? value : {};
  for (const [name, node] of Object.entries(schema.properties)) {
    const field = prefix ? `${prefix}.${name}` : name;
    const uiNode = isRecord(ui[name]) ? (ui[name] as Record<string, unknown>) : {};
    visit(field, uiNode, data[name]);
    walkFields(node, uiNode, data[name], field, visit);
  }
}

/** Every field whose schema (properties, list items, nested) carries this pattern; the whole input when none does. */
function fieldsWithPattern(schema: unknown, pattern: string, prefix: string): string[] {
  const found: string[] = [];
  const visit = (node: unknown, field: string) => {
    if (!isRecord(node)) return;
    if (node.pattern === pattern) found.push(field || '(input)');
    if (isRecord(node.properties))
      for (const [name, child] of Object.entries(node.properties)) visit(child, field ? `${field}.${name}` : name);
    if (isRecord(node.items)) visit(node.items, field);
    if (isRecord(node.patternProperties) && pattern in node.patternProperties) found.push(field || '(input)');
  };
  visit(schema, prefix);
  return found.length ? found : ['(input)'];
}

function problemOf(error: RJSFValidationError, schema: RJSFSchema, uiSchema: Record<string, unknown>): Problem {
  const field = (error.property ?? '').replace(/^\./, '') || '(input)';
  const node = nodeAt(schema, uiSchema, field);
  const rule = error.name === 'required' ? 'is required' : (error.message ?? 'is invalid');
  const allowed =
    error.name === 'enum' && Array.isArray(node.schema.enum) ? `: ${node.schema.enum.map((v) => JSON.stringify(v)).join(', ')}` : '';
  return { field, message: `${rule}${allowed}${hint(node.schema, node.ui)}` };
}

/** The parameter's own words, so the message says what is wanted: its title, help text and an example. */
function hint(schema: Record<string, unknown>, ui: Record<string, unknown>): string {
  const parts: string[] = [];
  const about = [schema.title, schema.description].filter((s) => typeof s === 'string' && s).join(': ');
  if (about) parts.push(about);
  if (typeof ui['ui:help'] === 'string') parts.push(ui['ui:help']);
  const example = Array.isArray(schema.examples) ? schema.examples[0] : schema.default;
  if (example !== undefined && typeof example !== 'object') parts.push(`e.g. ${String(example)}`);
  return parts.length ? ` (${parts.join('; ')})` : '';
}

function nodeAt(schema: RJSFSchema, uiSchema: Record<string, unknown>, field: string) {
  let node: unknown = schema;
  let ui: unknown = uiSchema;
  for (const part of field.split('.')) {
    const props = isRecord(node) && isRecord(node.properties) ? node.properties : undefined;
    const items = isRecord(node) && isRecord(node.items) ? node.items : undefined;
    node = props ? props[part] : /^\d+$/.test(part) ? items : undefined;
    ui = isRecord(ui) ? (props ? ui[part] : ui.items) : undefined;
  }
  return { schema: isRecord(node) ? node : {}, ui: isRecord(ui) ? ui : {} };
}

/** Top-level names in the values that no page declares, when every page lists its properties. */
function undeclared(
  pages: readonly FormPage[],
  values: Values,
  retrieveSchema: (schema: RJSFSchema, formData: unknown) => RJSFSchema,
): string[] {
  if (pages.some((page) => page.schema.additionalProperties !== undefined || page.schema.patternProperties !== undefined)) return [];
  const declared = new Set(declaredNames(pages));
  for (const page of pages) {
    const resolved = retrieveSchema(page.schema as RJSFSchema, values);
    if (isRecord(resolved.properties)) for (const name of Object.keys(resolved.properties)) declared.add(name);
  }
  return Object.keys(values).filter((name) => !declared.has(name));
}

/** Every parameter name a page may ask for: its properties and those its dependencies, oneOf, anyOf, allOf and if/then/else add. */
export function declaredNames(pages: readonly FormPage[]): string[] {
  const names = new Set<string>();
  const collect = (schema: unknown) => {
    if (!isRecord(schema)) return;
    if (isRecord(schema.properties)) for (const name of Object.keys(schema.properties)) names.add(name);
    for (const list of [schema.oneOf, schema.anyOf, schema.allOf]) if (Array.isArray(list)) list.forEach(collect);
    if (isRecord(schema.dependencies)) Object.values(schema.dependencies).forEach(collect);
    collect(schema.then);
    collect(schema.else);
  };
  for (const page of pages) collect(page.schema);
  return [...names];
}
