import { mkdtemp, rm, writeFile, mkdir, copyFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError } from '@idp/service-spec';
import { loadDefaultContract } from '../../../../test/defaultContract.js';
import { repoPath } from '../../../../test/repoRoot.js';
import { readModelFiles } from './readModelFiles.js';
import { sizeLlmStep } from './sizeLlmStep.js';

const FIXTURES = repoPath('platform/service-spec/src/llm/fixtures');
const REVISION = '0e9e39f249a16976918f6564b8830bc894c89659';
const contract = loadDefaultContract();

let dir: string;
let server: Server;
let baseUrl: string;
const requests: { url: string; authorization?: string }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'idp-llm-files-'));
  await mkdir(path.join(dir, 'llama'));
  await copyFile(path.join(FIXTURES, 'llama-3.1-8b.config.json'), path.join(dir, 'llama/config.json'));
  await copyFile(path.join(FIXTURES, 'llama-3.1-8b.index.json'), path.join(dir, 'llama/model.safetensors.index.json'));
  await mkdir(path.join(dir, 'qwen'));
  await copyFile(path.join(FIXTURES, 'qwen2.5-0.5b.config.json'), path.join(dir, 'qwen/config.json'));
  await writeFile(path.join(dir, 'secret.txt'), 'not a config');
  // A mirror of the Hub's layout on a port the OS picks: /ORG/MODEL/resolve/REVISION/FILE.
  server = createServer((request, response) => {
    requests.push({ url: request.url!, authorization: request.headers.authorization });
    const match = /^\/[^/]+\/([^/]+)\/resolve\/[0-9a-f]{40}\/(.+)$/.exec(request.url!);
    const file = match && path.join(dir, match[1]!, match[2]!);
    import('node:fs/promises')
      .then(({ readFile }) => (file ? readFile(file) : Promise.reject(new Error('no route'))))
      .then((body) => response.end(body))
      .catch(() => {
        response.statusCode = request.url!.includes('gated') ? 401 : 404;
        response.end('not found');
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(InvalidInputError);
      return (error as InvalidInputError).problems;
    },
  );

describe('readModelFiles', () => {
  it('fetches config.json and the index beside it; a model without an index has none', async () => {
    const llama = await readModelFiles(`${baseUrl}/meta-llama/llama/resolve/${REVISION}/config.json`, {});
    expect(JSON.parse(llama.config).num_hidden_layers).toBe(32);
    expect(JSON.parse(llama.index!).metadata.total_size).toBe(16_060_522_496);
    const qwen = await readModelFiles(`${baseUrl}/Qwen/qwen/resolve/${REVISION}/config.json`, {});
    expect(qwen.index).toBeUndefined();
  });

  it('sends the Hub token to huggingface.co over https only, and never puts it in a message', async () => {
    const seen: { url: string; authorization?: string }[] = [];
    const fakeFetch = (async (url: URL, init: RequestInit) => {
      seen.push({ url: String(url), authorization: (init.headers as Record<string, string>).authorization });
      return new Response('denied', { status: 403 });
    }) as typeof fetch;
    const problems = await failure(
      readModelFiles(`https://huggingface.co/meta-llama/Llama-3.1-8B/resolve/${REVISION}/config.json`, {
        hfToken: 'hf_secret',
        fetch: fakeFetch,
      }),
    );
    expect(seen[0]!.authorization).toBe('Bearer hf_secret');
    expect(problems[0]!.message).toMatch(/answered 403: a gated model needs HF_TOKEN/);
    expect(JSON.stringify(problems)).not.toContain('hf_secret');
    await readModelFiles(`${baseUrl}/meta-llama/llama/resolve/${REVISION}/config.json`, { hfToken: 'hf_secret' });
    expect(requests.at(-1)!.authorization).toBeUndefined();
  });

  it('reads local files only where the door allows, and the portal only inside its mirror', async () => {
    expect(
      JSON.parse((await readModelFiles('llama/config.json', { localFiles: { baseDir: dir, confined: true } })).config).vocab_size,
    ).toBe(128256);
    const outside = await failure(readModelFiles('../etc/passwd', { localFiles: { baseDir: dir, confined: true } }));
    expect(outside[0]).toMatchObject({ field: 'modelConfig', message: expect.stringMatching(/inside the portal's mirror/) });
    const none = await failure(readModelFiles('llama/config.json', {}));
    expect(none[0]!.message).toMatch(/must be an https URL here/);
    const missing = await failure(readModelFiles('nope/config.json', { localFiles: { baseDir: dir, confined: false } }));
    expect(missing[0]!.message).toMatch(/ENOENT/);
  });
});

describe('sizeLlmStep', () => {
  it('reads the model where modelConfig points and sizes it', async () => {
    const { spec } = await sizeLlmStep(
      {
        values: {
          name: 'chat',
          model: 'meta-llama/Llama-3.1-8B-Instruct',
          modelRevision: REVISION,
          modelConfig: `${baseUrl}/meta-llama/llama/resolve/${REVISION}/config.json`,
          maxModelLen: 4096,
          maxNumSeqs: 2,
        },
      },
      { contract },
    );
    expect(spec).toMatchObject({ gpuType: 'nvidia-l4', gpuCount: 1, sizing: { model: { weightsFrom: 'config+safetensors-index' } } });
  });

  it('reports spec problems without fetching anything', async () => {
    const before = requests.length;
    const problems = await failure(sizeLlmStep({ values: { name: 'chat', model: 'not a model' } }, { contract }));
    expect(problems.map((p) => p.field)).toEqual(['model']);
    expect(requests.length).toBe(before);
  });
});
