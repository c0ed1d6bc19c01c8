import { withoutStackTraces } from './withoutStackTraces';

describe('withoutStackTraces', () => {
  it('removes the stack of the error and of its causes, keeping everything else', () => {
    const body = {
      error: {
        name: 'Error',
        message: 'failed',
        stack: 'Error: failed\n    at /home/ci/portal/src/a.ts:1:1',
        cause: { name: 'TypeError', message: 'x', stack: 'TypeError: x\n    at /home/ci/b.ts:2:2', cause: { name: 'E', message: 'y', stack: 's' } },
      },
      request: { method: 'GET', url: '/api/x' },
      response: { statusCode: 500 },
    };
    expect(withoutStackTraces(body)).toEqual({
      error: { name: 'Error', message: 'failed', cause: { name: 'TypeError', message: 'x', cause: { name: 'E', message: 'y' } } },
      request: { method: 'GET', url: '/api/x' },
      response: { statusCode: 500 },
    });
    // The original is left alone (it may still be logged).
    expect(body.error.stack).toMatch(/a\.ts/);
  });

  it.each([[{ ok: true }], [[{ error: { stack: 'kept in an array' } }]], ['text'], [null], [{ error: 'a string' }]])('leaves %j as it is', body => {
    expect(withoutStackTraces(body)).toEqual(body);
  });
});
