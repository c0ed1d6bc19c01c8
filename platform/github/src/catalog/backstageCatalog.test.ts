import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CatalogApi } from '@backstage/catalog-client';
import { afterEach, describe, expect, it } from 'vitest';
import { backstageCatalog } from './backstageCatalog.js';
import { CatalogError } from './catalogError.js';

const TOKEN = 'catalog-secret-token-1234';
const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A catalog on a free port that records each request (method, url, authorization). */
async function startCatalog(handle: (request: IncomingMessage, response: ServerResponse) => void) {
  const requests: Array<{ method: string; url: string; authorization: string | undefined }> = [];
  const server = createServer((request, response) => {
    requests.push({ method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization });
    handle(request, response);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests };
}

/** What a call threw (it must throw). */
async function failure(promise: Promise<unknown>): Promise<CatalogError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CatalogError);
  return error as CatalogError;
}

// Each catalog call idp makes (doctor, new, publish, fleet).
const CALLS: Array<[string, (client: CatalogApi) => Promise<unknown>]> = [
  ['getEntities (idp doctor)', (client) => client.getEntities({ limit: 1 })],
  ['getEntityByRef (idp new)', (client) => client.getEntityByRef('group:default/team-a')],
  ['getLocationByRef (idp publish)', (client) => client.getLocationByRef('url:https://github.com/acme/x/blob/main/catalog-info.yaml')],
  [
    'addLocation (idp publish)',
    (client) => client.addLocation({ type: 'url', target: 'https://github.com/acme/x/blob/main/catalog-info.yaml' }),
  ],
  ['queryEntities (idp fleet)', (client) => client.queryEntities({ filter: { kind: 'component' }, limit: 500 })],
];

describe('backstageCatalog', () => {
  it.each(CALLS)('%s: a catalog that never answers fails within the one timeout, naming it and the URL', async (_, call) => {
    const catalog = await startCatalog(() => {}); // accepts the request, never answers
    const started = performance.now();
    const error = await failure(backstageCatalog({ url: catalog.url, timeoutMs: 300 }).call(call));
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(catalog.requests).toHaveLength(1);
    expect(error.detail).toBe(`Backstage at ${catalog.url} did not answer within 0.3 s`);
    expect(error.fix).toMatch(/check that Backstage runs there.*backstageUrl.*e\.g\. https:\/\/backstage\.example\.com/);
    expect(error.status).toBeUndefined();
  });

  it('the timeout covers the answer body too: headers, then silence, is no answer', async () => {
    const catalog = await startCatalog((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      response.write('[');
    });
    const error = await failure(backstageCatalog({ url: catalog.url, timeoutMs: 300 }).call((client) => client.getEntities({ limit: 1 })));
    expect(error.detail).toBe(`Backstage at ${catalog.url} did not answer within 0.3 s`);
  });

  it('sends the token as a bearer token to <url>/api/catalog (trailing slashes and a path prefix kept right), never shows it', async () => {
    const catalog = await startCatalog((_, response) =>
      response
        .writeHead(401, { 'content-type': 'application/json' })
        .end('{"error":{"name":"AuthenticationError","message":"Illegal token"}}'),
    );
    const error = await failure(
      backstageCatalog({ url: `${catalog.url}/portal//`, token: TOKEN }).call((client) => client.getEntityByRef('group:default/team-a')),
    );
    expect(catalog.requests).toEqual([
      { method: 'GET', url: '/portal/api/catalog/entities/by-name/group/default/team-a', authorization: `Bearer ${TOKEN}` },
    ]);
    expect(error).toMatchObject({
      status: 401,
      detail: `Backstage at ${catalog.url}/portal answered 401 to the catalog API with BACKSTAGE_TOKEN`,
    });
    expect(error.fix).toContain('export BACKSTAGE_TOKEN');
    expect(JSON.stringify({ message: error.message, detail: error.detail, fix: error.fix })).not.toContain(TOKEN);
  });

  it('without a token sends no authorization header, and a 404 of getEntityByRef is "not there", not an error', async () => {
    const catalog = await startCatalog((_, response) =>
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"name":"NotFoundError","message":"no such entity"}}'),
    );
    await expect(
      backstageCatalog({ url: catalog.url }).call((client) => client.getEntityByRef('group:default/ghosts')),
    ).resolves.toBeUndefined();
    expect(catalog.requests[0]?.authorization).toBeUndefined();
  });

  it("a status the call does not expect carries the catalog's own message (Backstage's error body) and the status", async () => {
    const catalog = await startCatalog((_, response) =>
      response
        .writeHead(503, { 'content-type': 'application/json' })
        .end('{"error":{"name":"ServiceUnavailable","message":"catalog is down"},"response":{"statusCode":503}}'),
    );
    const error = await failure(backstageCatalog({ url: catalog.url }).call((client) => client.getEntities({ limit: 1 })));
    expect(error).toMatchObject({
      status: 503,
      detail: `the Backstage catalog at ${catalog.url} answered 503 Service Unavailable (catalog is down)`,
    });
    expect(error.fix).toBe('check that the catalog runs there, then try again');
  });

  it('an answer that is not the catalog API (a web page) is named as such', async () => {
    const catalog = await startCatalog((_, response) =>
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Backstage</title>'),
    );
    const error = await failure(backstageCatalog({ url: catalog.url }).call((client) => client.getEntities({ limit: 1 })));
    expect(error.detail).toMatch(new RegExp(`^the Backstage catalog at ${catalog.url} gave an answer idp cannot read \\(`));
    expect(error.fix).toContain(`check that ${catalog.url} is Backstage's backend`);
  });

  it('a port nothing listens on: cannot reach, with the reason', async () => {
    const catalog = await startCatalog(() => {});
    const [server] = servers.splice(0);
    await new Promise((resolve) => server!.close(resolve));
    const error = await failure(backstageCatalog({ url: catalog.url }).call((client) => client.getEntities({ limit: 1 })));
    expect(error.detail).toBe(`cannot reach Backstage at ${catalog.url} (ECONNREFUSED)`);
  });

  it('a URL fetch cannot call is refused before any request, naming the setting and an example', async () => {
    const error = await failure(backstageCatalog({ url: 'backstage.example.com' }).call((client) => client.getEntities({ limit: 1 })));
    expect(error.detail).toBe('"backstage.example.com" is not an http(s) URL');
    expect(error.fix).toContain('backstageUrl');
    expect(error.fix).toContain('e.g. https://backstage.example.com');
  });
});
