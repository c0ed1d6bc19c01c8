import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { asClient } from './asClient.js';

const scratch = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'idp-as-client-')));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const request = (extra: Partial<Parameters<typeof asClient>[0]> = {}) => ({
  kind: 'run' as const,
  argv: [],
  cwd: scratch,
  env: { PATH: process.env.PATH ?? '/usr/bin:/bin', IDP_AS_CLIENT: 'from the client' },
  umask: 0o077,
  stdoutIsTTY: true,
  stderrIsTTY: false,
  columns: 100,
  ...extra,
});

describe('running a request as the client', () => {
  it("runs in the client's folder, environment (child processes too), umask and terminals, and sends its output", async () => {
    const output: Array<[string, string]> = [];
    const seen = await asClient(
      request(),
      (stream, chunk) => output.push([stream, Buffer.from(chunk).toString('utf-8')]),
      async () => {
        writeFileSync('made-here', 'x');
        process.stdout.write('to stdout\n');
        process.stderr.write(Buffer.from('to stderr\n'));
        return {
          cwd: process.cwd(),
          env: process.env.IDP_AS_CLIENT,
          home: process.env.HOME,
          child: spawnSync('sh', ['-c', 'printf %s "$IDP_AS_CLIENT"'], { encoding: 'utf-8' }).stdout,
          stdoutIsTTY: process.stdout.isTTY,
          stderrIsTTY: process.stderr.isTTY,
          columns: process.stdout.columns,
        };
      },
    );
    expect(seen).toEqual({
      cwd: scratch,
      env: 'from the client',
      home: undefined,
      child: 'from the client',
      stdoutIsTTY: true,
      stderrIsTTY: false,
      columns: 100,
    });
    expect(statSync(path.join(scratch, 'made-here')).mode & 0o777).toBe(0o600);
    expect(output).toEqual([
      ['stdout', 'to stdout\n'],
      ['stderr', 'to stderr\n'],
    ]);
  });

  it('puts everything back afterwards, also when the body throws', async () => {
    const before = {
      cwd: process.cwd(),
      env: { ...process.env },
      umask: process.umask(),
      write: process.stdout.write,
      isTTY: process.stdout.isTTY,
    };
    await expect(
      asClient(
        request(),
        () => {},
        async () => {
          throw new Error('the command failed');
        },
      ),
    ).rejects.toThrow('the command failed');
    expect({
      cwd: process.cwd(),
      env: { ...process.env },
      umask: process.umask(),
      write: process.stdout.write,
      isTTY: process.stdout.isTTY,
    }).toEqual(before);
  });

  it("fails before running anything when the client's folder is gone", async () => {
    let ran = false;
    await expect(
      asClient(
        request({ cwd: path.join(scratch, 'gone') }),
        () => {},
        async () => {
          ran = true;
        },
      ),
    ).rejects.toThrow(/ENOENT/);
    expect(ran).toBe(false);
  });
});
