// The post-deploy smoke test (tools/smoke.sh, which cd.yml runs after each deploy) against a
// stand-in for vLLM's OpenAI-compatible server on a port the OS picks: it passes when the model is
// listed and one token comes back, and fails, saying why, when either is not so. The stand-in's
// answers follow the service's own openapi.yaml.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parse } from 'yaml';
import { LLAMA_8B, type RenderedLlmService, renderLlmService } from './llmRender.js';

const run = promisify(execFile);
type Json = Record<string, any>;

let service: RenderedLlmService;
let server: Server;
let baseUrl: string;
/** How the stand-in behaves for the current test. */
let behaviour: { listed: string; completionStatus: number; completionTokens: number } = {
  listed: '',
  completionStatus: 200,
  completionTokens: 1,
};
const requests: Json[] = [];

beforeAll(async () => {
  service = await renderLlmService(LLAMA_8B);
  const openapi = parse(await readFile(path.join(service.dir, 'openapi.yaml'), 'utf-8'));
  const ajv = new Ajv({ strict: false });
  ajv.addSchema({ ...openapi, $id: 'llm' });
  const schema = (name: string) => ajv.getSchema(`llm#/components/schemas/${name}`)!;
  const answer = (response: import('node:http').ServerResponse, status: number, body: Json, schemaName?: string) => {
    if (schemaName && !schema(schemaName)(body)) throw new Error(`the stand-in's ${schemaName} breaks openapi.yaml`);
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      if (request.url === '/v1/models')
        return answer(
          response,
          200,
          { object: 'list', data: [{ id: behaviour.listed, object: 'model', max_model_len: 4096 }] },
          'ModelList',
        );
      if (request.url === '/v1/completions' && request.method === 'POST') {
        const body = JSON.parse(text);
        requests.push(body);
        if (!schema('CompletionRequest')(body))
          return answer(response, 400, { error: { message: 'bad request', type: 'BadRequestError', code: 400 } });
        if (behaviour.completionStatus !== 200)
          return answer(response, behaviour.completionStatus, {
            error: { message: 'engine dead', type: 'InternalServerError', code: 500 },
          });
        return answer(
          response,
          200,
          {
            id: 'cmpl-1',
            object: 'text_completion',
            model: body.model,
            choices: [{ index: 0, text: ' Paris', finish_reason: 'length' }],
            usage: { prompt_tokens: 6, completion_tokens: behaviour.completionTokens, total_tokens: 6 + behaviour.completionTokens },
          },
          'Completion',
        );
      }
      response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await service?.cleanup();
});

async function smoke() {
  return run('bash', [path.join(service.dir, 'tools/smoke.sh')], {
    env: { ...process.env, BASE_URL: baseUrl, SERVED_MODEL_NAME: service.values.servedModelName },
  }).then(
    (r) => ({ ok: true, output: r.stdout + r.stderr }),
    (e: { stdout: string; stderr: string }) => ({ ok: false, output: e.stdout + e.stderr }),
  );
}

test('passes when the model is listed and answers one token, asking for exactly one', async () => {
  behaviour = { listed: service.values.servedModelName, completionStatus: 200, completionTokens: 1 };
  const result = await smoke();
  expect(result).toEqual({
    ok: true,
    output: expect.stringContaining('meta-llama/Llama-3.1-8B-Instruct answered with " Paris" (1 token)'),
  });
  expect(requests.at(-1)).toMatchObject({ model: service.values.servedModelName, max_tokens: 1 });
});

test('fails naming the cause when another model is served', async () => {
  behaviour = { listed: 'some-other-model', completionStatus: 200, completionTokens: 1 };
  expect(await smoke()).toEqual({
    ok: false,
    output: expect.stringContaining('/v1/models does not list meta-llama/Llama-3.1-8B-Instruct'),
  });
});

test('fails when the engine cannot generate, or generates nothing', async () => {
  behaviour = { listed: service.values.servedModelName, completionStatus: 500, completionTokens: 1 };
  expect((await smoke()).ok).toBe(false);
  behaviour = { ...behaviour, completionStatus: 200, completionTokens: 0 };
  expect(await smoke()).toEqual({ ok: false, output: expect.stringContaining('generated no token') });
});
