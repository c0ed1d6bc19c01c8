import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats ships CommonJS with a default export; under NodeNext it arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (
  ajv: Ajv,
) => Ajv;

/** The GitHub Enterprise Server description the emulator speaks (its paths sit under /api/v3). */
export const OPENAPI_DESCRIPTION = 'ghes-3.19';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: unknown;
}

interface Operation {
  operationId: string;
  parameters?: Array<Parameter | { $ref: string }>;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: { parameters: Record<string, Parameter> };
}

/** One request as the description sees it: the operation it is, and its path parameters. */
export interface MatchedOperation {
  method: string;
  /** The description's path template, e.g. /repos/{owner}/{repo}. */
  template: string;
  operationId: string;
  params: Record<string, string>;
}

export interface RequestCheck {
  operation?: MatchedOperation;
  /** Empty when the request matches the description. */
  problems: string[];
}

interface Route {
  template: string;
  segments: string[];
  paramCount: number;
  /** GitHub marks some trailing parameters `x-multi-segment` (a file path): they take every remaining segment. */
  multiSegmentLast: boolean;
}

/**
 * Checks requests against GitHub's published OpenAPI description with ajv: the operation must
 * exist, and its path/query parameters and JSON body must match their schemas. Loading and
 * compiling the 11 MB description is the slow part, so one validator serves a whole process.
 */
export class OpenApiValidator {
  readonly #doc: OpenApiDocument;
  readonly #ajv: Ajv;
  readonly #routes: Route[];
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(doc: OpenApiDocument) {
    this.#doc = doc;
    // strict off: the description uses OpenAPI keywords (example, x-github, discriminator) that
    // are not JSON Schema; `nullable` is understood by ajv itself.
    this.#ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, coerceTypes: false });
    addFormats(this.#ajv);
    // GitHub's own format for "owner/name" (pulls/create's head_repo); ajv would warn on each compile.
    this.#ajv.addFormat('repo.nwo', /^[\w.-]+\/[\w.-]+$/);
    this.#ajv.addSchema(doc as object, 'gh');
    // Literal segments beat parameters (/repos/{owner}/{repo}/git/ref/{ref} vs .../git/refs).
    this.#routes = Object.keys(doc.paths)
      .map((template) => {
        const segments = template.split('/').slice(1);
        const last = segments.at(-1) ?? '';
        const multiSegmentLast = Object.values(doc.paths[template] ?? {}).some((operation) =>
          (operation.parameters ?? []).some(
            (p) =>
              'name' in p &&
              p.in === 'path' &&
              `{${p.name}}` === last &&
              (p as { 'x-multi-segment'?: boolean })['x-multi-segment'] === true,
          ),
        );
        return { template, segments, paramCount: segments.filter((s) => s.startsWith('{')).length, multiSegmentLast };
      })
      .sort((a, b) => a.paramCount - b.paramCount);
  }

  match(method: string, pathname: string): MatchedOperation | undefined {
    const lower = method.toLowerCase();
    const parts = pathname.split('/').slice(1);
    for (const route of this.#routes) {
      const operation = this.#doc.paths[route.template]?.[lower];
      if (!operation) continue;
      const params = matchSegments(route.segments, route.multiSegmentLast ? joinTail(parts, route.segments.length) : parts);
      if (params) return { method: lower, template: route.template, operationId: operation.operationId, params };
    }
    return undefined;
  }

  check(method: string, pathname: string, query: URLSearchParams, body: unknown): RequestCheck {
    const operation = this.match(method, pathname);
    if (!operation) {
      return { problems: [`${method.toUpperCase()} ${pathname} is not an operation of GitHub's ${OPENAPI_DESCRIPTION} description`] };
    }
    const spec = this.#doc.paths[operation.template]![operation.method]!;
    const problems: string[] = [];
    for (const parameter of (spec.parameters ?? []).map((p) => this.#parameter(p))) {
      if (parameter.in !== 'path' && parameter.in !== 'query') continue;
      const raw = parameter.in === 'path' ? operation.params[parameter.name] : (query.get(parameter.name) ?? undefined);
      if (raw === undefined) {
        if (parameter.required) problems.push(`${parameter.in} parameter "${parameter.name}" is required`);
        continue;
      }
      const validate = this.#compile(`param:${operation.template}:${operation.method}:${parameter.name}`, parameter.schema ?? {}, true);
      if (!validate(coerceParameter(raw, parameter.schema))) {
        problems.push(
          `${parameter.in} parameter "${parameter.name}"=${JSON.stringify(raw)} ${this.#ajv.errorsText(validate.errors, { dataVar: parameter.name })}`,
        );
      }
    }
    const content = spec.requestBody?.content?.['application/json'];
    if (body === undefined) {
      if (spec.requestBody?.required) problems.push('a JSON request body is required');
    } else if (content?.schema) {
      const pointer = `gh#/paths/${escapePointer(operation.template)}/${operation.method}/requestBody/content/application~1json/schema`;
      const validate = this.#compile(pointer, { $ref: pointer }, false);
      if (!validate(body)) problems.push(`request body ${this.#ajv.errorsText(validate.errors, { dataVar: 'body' })}`);
    }
    return { operation, problems };
  }

  #parameter(p: Parameter | { $ref: string }): Parameter {
    if ('$ref' in p) {
      const name = p.$ref.replace('#/components/parameters/', '');
      const resolved = this.#doc.components.parameters[name];
      if (!resolved) throw new Error(`the OpenAPI description has no parameter ${p.$ref}`);
      return resolved;
    }
    return p;
  }

  #compile(key: string, schema: unknown, inline: boolean): ValidateFunction {
    let validate = this.#compiled.get(key);
    if (!validate) {
      // Inline parameter schemas may $ref components, so they are compiled against the document.
      validate = this.#ajv.compile(inline ? { $id: `urn:param:${this.#compiled.size}`, ...rebase(schema) } : (schema as object));
      this.#compiled.set(key, validate);
    }
    return validate;
  }
}

/** The parts with everything from the last template segment on joined into one (a multi-segment path). */
function joinTail(parts: string[], length: number): string[] {
  return parts.length <= length ? parts : [...parts.slice(0, length - 1), parts.slice(length - 1).join('/')];
}

function matchSegments(template: string[], parts: string[]): Record<string, string> | undefined {
  if (template.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i]!;
    const p = parts[i]!;
    if (t.startsWith('{') && t.endsWith('}')) {
      if (!p) return undefined;
      params[t.slice(1, -1)] = decodeURIComponent(p);
    } else if (t !== p) {
      return undefined;
    }
  }
  return params;
}

/** Path and query values arrive as text; the schemas type them (integers, booleans). */
function coerceParameter(raw: string, schema: unknown): unknown {
  const type = (schema as { type?: string } | undefined)?.type;
  if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
  if (type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Points a schema's local refs (#/components/...) at the loaded document. */
function rebase(schema: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, '"$ref":"gh#/')) as Record<string, unknown>;
}

let shared: OpenApiValidator | undefined;

/** The process-wide validator over @octokit/openapi's GHES description. */
export function openApiValidator(): OpenApiValidator {
  if (!shared) {
    const require = createRequire(import.meta.url);
    const packageDir = dirname(require.resolve('@octokit/openapi/package.json'));
    const doc = JSON.parse(readFileSync(join(packageDir, 'generated', `${OPENAPI_DESCRIPTION}.json`), 'utf8')) as OpenApiDocument;
    shared = new OpenApiValidator(doc);
  }
  return shared;
}
