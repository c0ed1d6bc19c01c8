import http from 'node:http';
import path from 'node:path';
import { createBackendPlugin, coreServices } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { startPortalBackend, type PortalBackend } from '../__testUtils__/startPortalBackend';

// The portal's real root router, listening on a real port, with a plugin whose routes fail.
// Requests are sent with node:http, which (unlike fetch) lets a test choose the Host header.

const failingPlugin = createBackendPlugin({
  pluginId: 'failing',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        // A bare handler (the backend does not depend on express): errors go to next(), as from a route.
        httpRouter.use((req: any, res: any, next: (error?: Error) => void) => {
          if (req.path === '/crash') next(new Error('crashed'));
          else if (req.path === '/input') next(new InputError('name: must be lower-case, e.g. fraud-detector'));
          else if (req.path === '/ok') res.json({ ok: true });
          else next();
        });
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
      },
    });
  },
});

describe('the portal root router', () => {
  let backend: PortalBackend;
  let port: number;
  const nodeEnv = process.env.NODE_ENV;

  beforeAll(async () => {
    // What `backstage-cli package start` sets, and what made Backstage include stack traces.
    process.env.NODE_ENV = 'development';
    backend = await startPortalBackend({ config: { app: { baseUrl: 'https://portal.example.com' } }, features: [failingPlugin] });
    port = backend.port;
  });

  afterAll(async () => {
    await backend?.stop();
    process.env.NODE_ENV = nodeEnv;
  });

  const get = (url: string, host: string) => request(port, url, host);

  describe('Host header', () => {
    it.each(['evil.example:7007', 'rebind.localhost', 'portal.example.com.evil.example'])('refuses %s with 403, naming the rule', async host => {
      const response = await get('/api/failing/ok', host);
      expect(response.status).toBe(403);
      expect(response.json.error).toMatchObject({ name: 'NotAllowedError', message: expect.stringMatching(/^Host: .*backend\.baseUrl and app\.baseUrl.*e\.g\. Host: localhost:7007/) });
      expect(response.json.error).not.toHaveProperty('stack');
    });

    it('refuses a hostile Host on the health endpoints and the index too', async () => {
      expect((await get('/.backstage/health/v1/readiness', 'evil.example')).status).toBe(403);
      expect((await get('/', 'evil.example')).status).toBe(403);
    });

    it.each(['localhost', '127.0.0.1', '[::1]', 'portal.example.com', 'PORTAL.example.com:443'])('answers %s', async host => {
      const response = await get('/api/failing/ok', host.includes(':') || host.startsWith('[') || host.startsWith('PORTAL') ? host : `${host}:${port}`);
      expect(response.status).toBe(200);
      expect(response.json).toEqual({ ok: true });
    });
  });

  describe('error responses', () => {
    it('carry the error without a stack trace or a file path on a crash', async () => {
      const response = await get('/api/failing/crash', `localhost:${port}`);
      expect(response.status).toBe(500);
      expect(response.json.error.name).toBe('Error');
      expect(response.json.error).not.toHaveProperty('stack');
      expect(response.json.error.message).toBe('crashed');
      expect(response.text).not.toContain(path.resolve(__dirname, '../../../../..'));
      expect(response.text).not.toMatch(/\bat .*\.[jt]s:\d+/);
    });

    it('keep the message of an input error, without a stack trace', async () => {
      const response = await get('/api/failing/input', `localhost:${port}`);
      expect(response.status).toBe(400);
      expect(response.json.error).toEqual({ name: 'InputError', message: 'name: must be lower-case, e.g. fraud-detector' });
    });
  });
});

function request(port: number, url: string, host: string): Promise<{ status: number; text: string; json: any }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: url, headers: { host } }, res => {
      let text = '';
      res.setEncoding('utf-8');
      res.on('data', chunk => (text += chunk));
      res.on('end', () => {
        let json: any;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, text, json });
      });
    });
    req.on('error', reject);
  });
}
