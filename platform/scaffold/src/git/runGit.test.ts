import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitEnvironment, gitText } from './runGit.js';

// The sealed environment keeps a person's git configuration away from what idp computes; to reach
// a remote it lets through exactly what reaching it needs (docs/adr/0019-how-git-reaches-remotes.md).
const home = mkdtempSync(path.join(tmpdir(), 'idp-rungit-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));
writeFileSync(
  path.join(home, '.gitconfig'),
  [
    '[credential]',
    '\thelper = /opt/vault/git-helper',
    '\thelper = store',
    '[http]',
    '\tproxy = http://proxy.corp.example:3128',
    '\tsslCAInfo = /etc/corp/ca.pem',
    '\textraHeader = X-Corp: yes',
    '[url "ssh://git@git.corp.example/"]',
    '\tinsteadOf = https://git.corp.example/',
    '[core]',
    '\thooksPath = /opt/hooks',
    '\tautocrlf = true',
    '[alias]',
    '\tst = status',
    '',
  ].join('\n'),
);
// The machine's /etc/gitconfig is left out (GIT_CONFIG_NOSYSTEM, as a person may set it): only this home's settings count.
const person = {
  GIT_CONFIG_NOSYSTEM: '1',
  PATH: process.env.PATH,
  HOME: home,
  SSH_AUTH_SOCK: '/run/agent.sock',
  HTTPS_PROXY: 'http://proxy:3128',
  GIT_ASKPASS: '/bin/askpass',
  SECRET_THING: 'x',
};
const configOf = (env: NodeJS.ProcessEnv) =>
  Array.from({ length: Number(env.GIT_CONFIG_COUNT ?? 0) }, (_, i) => [env[`GIT_CONFIG_KEY_${i}`], env[`GIT_CONFIG_VALUE_${i}`]]);

describe('the sealed git environment', () => {
  it("runs git with none of the person's settings", async () => {
    const env = await gitEnvironment();
    expect(env).toMatchObject({ GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' });
    expect(env.GIT_CONFIG_COUNT).toBeUndefined();
    expect(await gitText(['config', '--get', 'core.hooksPath'], { cwd: home, env: { HOME: home }, okCodes: [0, 1] })).toBe('');
  });

  it("reaching a remote with the person's credentials: their helpers in order, askpass, ssh agent, url rewrites, proxy and CA; no hooks, aliases or autocrlf", async () => {
    const env = await gitEnvironment({}, { userCredentials: true, env: person, config: [['http.https://h/x.git.extraHeader', 'A: b']] });
    expect(configOf(env)).toEqual([
      ['credential.helper', '/opt/vault/git-helper'],
      ['credential.helper', 'store'],
      ['http.proxy', 'http://proxy.corp.example:3128'],
      ['http.sslcainfo', '/etc/corp/ca.pem'],
      ['http.extraheader', 'X-Corp: yes'],
      ['url.ssh://git@git.corp.example/.insteadof', 'https://git.corp.example/'],
      ['http.https://h/x.git.extraHeader', 'A: b'],
    ]);
    expect(env).toMatchObject({
      HOME: home,
      SSH_AUTH_SOCK: '/run/agent.sock',
      HTTPS_PROXY: 'http://proxy:3128',
      GIT_ASKPASS: '/bin/askpass',
    });
    expect(env.SECRET_THING).toBeUndefined();
  });

  it('reaching a remote with a token of our own: proxy and CA only, no helper, askpass or header of theirs', async () => {
    const env = await gitEnvironment({}, { userCredentials: false, env: person, config: [['credential.helper', '']] });
    expect(configOf(env)).toEqual([
      ['http.proxy', 'http://proxy.corp.example:3128'],
      ['http.sslcainfo', '/etc/corp/ca.pem'],
      ['credential.helper', ''],
    ]);
    expect(env.HTTPS_PROXY).toBe('http://proxy:3128');
    expect(env.GIT_ASKPASS).toBeUndefined();
    expect(env.SSH_AUTH_SOCK).toBeUndefined();
  });
});
