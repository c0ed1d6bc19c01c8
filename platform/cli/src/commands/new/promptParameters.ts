import {
  type FormLibraries,
  type FormPage,
  formLibraries,
  formProblemsWith,
  isEntityRefField,
  isRecord,
  type ScmHosts,
  type TemplateDefinition,
} from '@idp/scaffold';
import type { Problem } from '@idp/service-spec';
import { type Catalog, catalogProblems } from './catalogEntities.js';
import { choicesOf, deletePath, fullEntityRef, message, ordered, parseRepoUrl, title, valueAt } from './formWidgets.js';
import { setPath } from '@idp/scaffold';

type Json = Record<string, unknown>;
type Inquirer = { prompt(questions: Json[]): Promise<Json> };

export interface PromptOptions {
  scmHosts: ScmHosts;
  /** Checks entity pickers' answers against this catalog (--backstage-url). */
  catalog?: Catalog;
}

/**
 * Asks for a template's parameters page by page, in the form's order, through plop's inquirer:
 * each page's title, then each field with its title, description and default (choices for
 * enums, yes/no for booleans, a checklist for lists of choices), the fields dependencies or oneOf
 * add appearing once their condition holds — the form re-reads its schema after every answer,
 * and so does this. An answer the form would refuse is asked again with the reason. Values given
 * with --set/--values are not asked.
 */
export async function promptParameters(
  definition: TemplateDefinition,
  pages: readonly FormPage[],
  given: Json,
  options: PromptOptions,
): Promise<Json> {
  const libraries = await formLibraries();
  const { default: nodePlop } = await import('node-plop');
  const plop = await nodePlop(undefined, { destBasePath: process.cwd(), force: false });
  const generator = plop.setGenerator(definition.name, {
    description: definition.description,
    prompts: (inquirer) => new FormSession(inquirer as unknown as Inquirer, libraries, given, options).askPages(pages),
    actions: [],
  });
  return (await generator.runPrompts()) as Json;
}

class FormSession {
  #state: Json;
  readonly #asked = new Set<string>();
  readonly inquirer: Inquirer;
  readonly libraries: FormLibraries;
  readonly given: Json;
  readonly options: PromptOptions;

  constructor(inquirer: Inquirer, libraries: FormLibraries, given: Json, options: PromptOptions) {
    this.inquirer = inquirer;
    this.libraries = libraries;
    this.given = given;
    this.options = options;
    this.#state = structuredClone(given);
  }

  async askPages(pages: readonly FormPage[]): Promise<Json> {
    for (const [index, page] of pages.entries()) {
      process.stderr.write(`\n${page.title} (${index + 1}/${pages.length})${page.description ? `\n${page.description}` : ''}\n`);
      const filled = this.libraries.getDefaultFormState(page.schema, this.#state);
      this.#state = { ...this.#state, ...(isRecord(filled) ? filled : {}) };
      await this.#askObject(page, page.schema, page.uiSchema, []);
    }
    return this.#state;
  }

  /** Every property of an object, re-reading the schema after each answer (dependencies add fields). */
  async #askObject(page: FormPage, schema: Json, uiSchema: Json, at: string[]): Promise<void> {
    for (;;) {
      const resolved = this.libraries.retrieveSchema(schema, valueAt(this.#state, at) ?? {}, page.schema) as Json;
      const properties = isRecord(resolved.properties) ? resolved.properties : {};
      const required = Array.isArray(resolved.required) ? resolved.required : [];
      const next = ordered(Object.keys(properties), uiSchema['ui:order']).find((name) => !this.#asked.has([...at, name].join('.')));
      if (next === undefined) return;
      const path = [...at, next];
      this.#asked.add(path.join('.'));
      const ui = isRecord(uiSchema[next]) ? (uiSchema[next] as Json) : {};
      await this.#askField(page, properties[next] as Json, ui, path, required.includes(next));
    }
  }

  async #askField(page: FormPage, schema: Json, ui: Json, path: string[], required: boolean): Promise<void> {
    if (!isRecord(schema) || ui['ui:widget'] === 'hidden' || schema.const !== undefined) return;
    const given = valueAt(this.given, path);
    const isObject = schema.type === 'object' || isRecord(schema.properties);
    if (given !== undefined && !(isObject && isRecord(given))) return;
    if (isObject) {
      process.stderr.write(`${title(schema, path)}${typeof schema.description === 'string' ? ` — ${schema.description}` : ''}\n`);
      await this.#askObject(page, schema, ui, path);
      return;
    }
    if (ui['ui:field'] === 'RepoUrlPicker') return this.#askRepoUrl(page, schema, ui, path);
    if (schema.type === 'array') return this.#askArray(page, schema, ui, path);
    const answer = await this.#ask(page, path, this.#question(schema, ui, path, required));
    this.#set(path, answer);
  }

  #question(schema: Json, ui: Json, path: string[], required: boolean): Json {
    const current = valueAt(this.#state, path);
    const choices = choicesOf(schema, ui);
    const question: Json = { message: message(schema, ui, path) };
    if (current !== undefined) question.default = current;
    if (choices) {
      const list = required || current !== undefined ? choices : [{ name: '(none)', value: undefined }, ...choices];
      return {
        ...question,
        type: 'list',
        choices: list,
        default: Math.max(
          0,
          list.findIndex((c) => c.value === current),
        ),
      };
    }
    if (schema.type === 'boolean') return { ...question, type: 'confirm', default: current === true };
    const isNumber = schema.type === 'integer' || schema.type === 'number';
    const entityRef = isEntityRefField(ui['ui:field']) ? (isRecord(ui['ui:options']) ? ui['ui:options'] : {}) : undefined;
    return {
      ...question,
      ...(current !== undefined ? { default: String(current) } : {}),
      type: ui['ui:widget'] === 'password' ? 'password' : 'input',
      convert: (text: string) => {
        if (text === '') return undefined;
        if (isNumber && /^\s*-?\d+(\.\d+)?\s*$/.test(text)) return Number(text);
        if (entityRef) return fullEntityRef(text, entityRef, ui['ui:field'] === 'EntityPicker' ? undefined : 'Group');
        return text;
      },
    };
  }

  /**
   * Asks until the answer is one the form accepts for that field. Typed text becomes a value
   * (`convert`) only to check it and once accepted: inquirer puts an answer it refused back on
   * the line, and can do that only with text.
   */
  async #ask(page: FormPage, path: string[], { convert, ...question }: Json): Promise<unknown> {
    const toValue = typeof convert === 'function' ? (convert as (answer: unknown) => unknown) : (answer: unknown) => answer;
    const validate = (answer: unknown) => this.#check(page, path, toValue(answer));
    const { value } = await this.inquirer.prompt([{ ...question, name: 'value', validate }]);
    return toValue(value);
  }

  /** The form's verdict on one answer: its page's rules and field extensions, then (with --backstage-url) the catalog. */
  #check(page: FormPage, path: string[], answer: unknown): string | true | Promise<string | true> {
    const candidate = structuredClone(this.#state);
    if (answer === undefined) deletePath(candidate, path);
    else setPath(candidate, path, answer);
    const field = path.join('.');
    const concerns = (p: Problem) => p.field === field || p.field.startsWith(`${field}.`);
    // Every message the form would list under the field: its schema's and its field extension's.
    const problems = formProblemsWith(this.libraries, [page], candidate, this.options.scmHosts).filter(concerns);
    if (problems.length) return problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ');
    const { catalog } = this.options;
    if (!catalog) return true;
    return catalogProblems([page], candidate, catalog).then((problems) => {
      const found = problems.find(concerns);
      return found ? `${found.field}: ${found.message}` : true;
    });
  }

  async #askArray(page: FormPage, schema: Json, ui: Json, path: string[]): Promise<void> {
    const items = isRecord(schema.items) ? schema.items : {};
    const itemsUi = isRecord(ui.items) ? (ui.items as Json) : {};
    const current = valueAt(this.#state, path);
    const existing = Array.isArray(current) ? current : [];
    const choices = choicesOf(items, itemsUi);
    if (choices) {
      const answer = await this.#ask(page, path, {
        type: 'checkbox',
        message: message(schema, ui, path),
        choices: choices.map((choice) => ({ ...choice, checked: existing.includes(choice.value) })),
      });
      this.#set(path, answer);
      return;
    }
    if (items.type === 'object' || isRecord(items.properties)) {
      this.#set(path, [...existing]);
      const minItems = typeof schema.minItems === 'number' ? schema.minItems : 0;
      for (let index = existing.length; ; index += 1) {
        if (index >= minItems) {
          const { more } = await this.inquirer.prompt([
            {
              type: 'confirm',
              name: 'more',
              message: `Add ${index ? 'another' : 'an'} item to ${title(schema, path)}? (${index} so far)`,
              default: false,
            },
          ]);
          if (!more) return;
        }
        const itemPath = [...path, String(index)];
        const filled = this.libraries.getDefaultFormState(items, undefined);
        setPath(this.#state, itemPath, isRecord(filled) ? filled : {});
        await this.#askObject(page, items, itemsUi, itemPath);
      }
    }
    const isNumber = items.type === 'integer' || items.type === 'number';
    const answer = await this.#ask(page, path, {
      type: 'input',
      message: `${message(schema, ui, path)} [comma-separated]`,
      ...(existing.length ? { default: existing.join(', ') } : {}),
      convert: (text: string) =>
        text
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== '')
          .map((part) => (isNumber && /^-?\d+(\.\d+)?$/.test(part) ? Number(part) : part)),
    });
    this.#set(path, answer);
  }

  /** The RepoUrlPicker's three parts — host (from allowedHosts), owner, repository — as `host?owner=o&repo=r`. */
  async #askRepoUrl(page: FormPage, schema: Json, ui: Json, path: string[]): Promise<void> {
    const options = isRecord(ui['ui:options']) ? ui['ui:options'] : {};
    const integrations = Object.keys(this.options.scmHosts);
    const hosts = Array.isArray(options.allowedHosts) ? options.allowedHosts.map(String) : integrations;
    const current = parseRepoUrl(valueAt(this.#state, path));
    const label = title(schema, path);
    for (;;) {
      const answers = await this.inquirer.prompt([
        hosts.length === 1
          ? { type: 'input', name: 'host', message: `${label}: host`, default: hosts[0], when: () => false }
          : { type: 'list', name: 'host', message: `${label}: host`, choices: hosts, default: Math.max(0, hosts.indexOf(current.host)) },
        Array.isArray(options.allowedOwners) && options.allowedOwners.length
          ? { type: 'list', name: 'owner', message: `${label}: owner`, choices: options.allowedOwners.map(String) }
          : {
              type: 'input',
              name: 'owner',
              message: `${label}: owner (organisation or user)`,
              ...(current.owner ? { default: current.owner } : {}),
            },
        Array.isArray(options.allowedRepos) && options.allowedRepos.length
          ? { type: 'list', name: 'repo', message: `${label}: repository`, choices: options.allowedRepos.map(String) }
          : {
              type: 'input',
              name: 'repo',
              message: `${label}: repository`,
              default: current.repo || (typeof this.#state.name === 'string' ? this.#state.name : undefined),
            },
      ]);
      const host = String(answers.host ?? hosts[0]);
      const params = new URLSearchParams();
      if (answers.owner) params.set('owner', String(answers.owner));
      if (answers.repo) params.set('repo', String(answers.repo));
      const value = `${host}?${params.toString()}`;
      const verdict = await this.#check(page, path, value);
      if (verdict === true) {
        this.#set(path, value);
        return;
      }
      process.stderr.write(`>> ${verdict}\n`);
    }
  }

  #set(path: string[], value: unknown) {
    if (value === undefined) deletePath(this.#state, path);
    else setPath(this.#state, path, value);
  }
}
