// Checks HTTP answers against JSON Schemas: the Open Inference Protocol's own components
// (service-oip-schemas.json, transcribed from the spec) and the generated service's openapi.yaml.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';

const OIP_ID = 'https://idp.internal/schemas/open-inference-protocol-rest.json';
const OWN_ID = 'https://idp.internal/schemas/service-openapi.json';

export type OipComponent =
  | 'metadata_server_response'
  | 'metadata_model_response'
  | 'inference_request'
  | 'inference_response'
  | 'inference_error_response'
  | 'live_server_response'
  | 'ready_server_response'
  | 'ready_model_response'
  | 'metadata_server_error_response'
  | 'metadata_model_error_response'
  | 'metadata_tensor';

interface Operation {
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }>;
}

export class ResponseChecker {
  private readonly ajv = new Ajv({ strict: false, allErrors: true });
  private readonly openapi: {
    paths: Record<string, Record<string, Operation>>;
    components: { responses: Record<string, Operation['responses'][string]> };
  };
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(serviceDir: string) {
    this.ajv.addSchema(JSON.parse(readFileSync(new URL('./service-oip-schemas.json', import.meta.url), 'utf-8')));
    this.openapi = parse(readFileSync(path.join(serviceDir, 'openapi.yaml'), 'utf-8'));
    // OpenAPI 3.0 schema objects are JSON Schema enough for ajv once the document has an $id.
    this.ajv.addSchema({ ...this.openapi, $id: OWN_ID });
  }

  /** Errors of `body` against an Open Inference Protocol component, or [] when it conforms. */
  oip(component: OipComponent, body: unknown): string[] {
    return this.run(`${OIP_ID}#/definitions/${component}`, body);
  }

  /** The documented paths, as the service's openapi.yaml lists them. */
  documentedPaths(): string[] {
    return Object.keys(this.openapi.paths);
  }

  /** Errors of an answer against what openapi.yaml documents for this method, path and status. */
  documented(method: string, urlPath: string, status: number, body: unknown): string[] {
    // `/v2/` is served as an alias of `/v2` (the spec's own file writes it with the slash).
    const normalised = urlPath.length > 1 ? urlPath.replace(/\/$/, '') : urlPath;
    const template = Object.keys(this.openapi.paths).find((candidate) =>
      new RegExp(`^${candidate.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(normalised),
    );
    if (!template) return [`${urlPath} is not documented in openapi.yaml`];
    const operation = this.openapi.paths[template]![method.toLowerCase()];
    if (!operation) return [`${method} ${template} is not documented in openapi.yaml`];
    let response = operation.responses[String(status)];
    if (!response) return [`${method} ${template} does not document status ${status}`];
    let pointer = `/paths/${escapePointer(template)}/${method.toLowerCase()}/responses/${status}`;
    if (response.$ref) {
      pointer = response.$ref.slice(1);
      response = this.openapi.components.responses[response.$ref.split('/').pop()!]!;
    }
    if (!response.content?.['application/json']) return body === undefined ? [] : [`${pointer} documents no JSON body`];
    return this.run(`${OWN_ID}#${pointer}/content/application~1json/schema`, body);
  }

  private run(ref: string, body: unknown): string[] {
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.getSchema(ref);
      if (!validate) throw new Error(`no schema at ${ref}`);
      this.compiled.set(ref, validate);
    }
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${ref} ${e.instancePath} ${e.message}`);
  }
}

function escapePointer(segment: string): string {
  return encodeURIComponent(segment.replace(/~/g, '~0').replace(/\//g, '~1'));
}
