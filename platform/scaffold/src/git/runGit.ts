import { spawn } from 'node:child_process';
import os from 'node:os';

export interface GitOptions {
  /** The directory git runs in (a work tree, or a bare repository). */
  cwd: string;
  /** Bytes for git's standard input. */
  input?: string | Buffer;
  /** Extra environment (e.g. GIT_INDEX_FILE for a scratch index). */
  env?: NodeJS.ProcessEnv;
  /** Exit codes that are answers rather than failures (merge-tree answers 1 for "conflicts"). */
  okCodes?: readonly number[];
  /** Set when git talks to a remote (clone, fetch, push): what it may use to reach it. */
  remote?: RemoteAccess;
}

/**
 * How git reaches a remote. The sealed environment keeps the person's configuration out, but a
 * private repository is reached the way git users expect: their proxy and CA settings always, and
 * with `userCredentials` their credential helpers, askpass program, ssh agent and url rewrites
 * (docs/adr/0019-how-git-reaches-remotes.md).
 */
export interface RemoteAccess {
  /** The person's credential helpers, askpass, ssh agent and `url.*.insteadOf` answer for the remote. */
  userCredentials: boolean;
  /** Settings of our own, applied after the person's (e.g. an Authorization header): GIT_CONFIG_* variables, never argv or a file. */
  config?: ReadonlyArray<readonly [string, string]>;
  /** Whose environment and git configuration these come from. Default: process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface GitResult {
  stdout: Buffer;
  code: number;
}

export class GitError extends Error {
  readonly code: number;
  constructor(message: string, code: number) {
    super(message);
    this.name = 'GitError';
    this.code = code;
  }
}

// What a transfer may need from the environment: a proxy and a CA always; ssh, askpass and the
// desktop keyrings credential helpers talk to only when the person's own credentials answer.
const NETWORK_ENV = [
  'http_proxy',
  'https_proxy',
  'all_proxy',
  'no_proxy',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'ALL_PROXY',
  'NO_PROXY',
  'GIT_SSL_CAINFO',
  'GIT_SSL_CAPATH',
  'GIT_SSL_CERT',
  'GIT_SSL_KEY',
  'GIT_SSL_NO_VERIFY',
  'GIT_HTTP_PROXY_AUTHMETHOD',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'CURL_CA_BUNDLE',
];
const CREDENTIAL_ENV = [
  'SSH_AUTH_SOCK',
  'GIT_SSH',
  'GIT_SSH_COMMAND',
  'GIT_SSH_VARIANT',
  'GIT_PROXY_COMMAND',
  'GIT_ASKPASS',
  'SSH_ASKPASS',
  'SSH_ASKPASS_REQUIRE',
  'DISPLAY',
  'WAYLAND_DISPLAY',
  'DBUS_SESSION_BUS_ADDRESS',
  'XDG_RUNTIME_DIR',
  'XDG_CONFIG_HOME',
  'XDG_CACHE_HOME',
  'USER',
  'LOGNAME',
];

// Which of the person's git settings come along (git lowercases section and key names).
const isNetworkKey = (key: string) => key.startsWith('http.') && !key.endsWith('.extraheader');
const isCredentialKey = (key: string) =>
  key.startsWith('credential.') ||
  key.startsWith('url.') ||
  key.endsWith('.extraheader') ||
  ['core.askpass', 'core.sshcommand', 'core.gitproxy', 'ssh.variant'].includes(key);

/**
 * The environment git runs in: no user or system configuration, so hooks, aliases, autocrlf or a
 * pager can never change what idp computes; a fixed identity and date for the same reason; and, to
 * reach a remote, only what `remote` lets through.
 */
export async function gitEnvironment(extra: NodeJS.ProcessEnv = {}, remote?: RemoteAccess): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'idp',
    GIT_AUTHOR_EMAIL: 'idp@users.noreply.github.com',
    GIT_AUTHOR_DATE: '2000-01-01T00:00:00Z',
    GIT_COMMITTER_NAME: 'idp',
    GIT_COMMITTER_EMAIL: 'idp@users.noreply.github.com',
    GIT_COMMITTER_DATE: '2000-01-01T00:00:00Z',
  };
  if (remote) {
    const from = remote.env ?? process.env;
    if (from.HOME) env.HOME = from.HOME;
    for (const name of [...NETWORK_ENV, ...(remote.userCredentials ? CREDENTIAL_ENV : [])]) {
      if (from[name] !== undefined) env[name] = from[name];
    }
    const wanted = (key: string) => isNetworkKey(key) || (remote.userCredentials && isCredentialKey(key));
    const settings = [...(await personalGitConfig(from)).filter(([key]) => wanted(key)), ...(remote.config ?? [])];
    env.GIT_CONFIG_COUNT = String(settings.length);
    settings.forEach(([key, value], i) => {
      env[`GIT_CONFIG_KEY_${i}`] = key;
      env[`GIT_CONFIG_VALUE_${i}`] = value;
    });
  }
  return { ...env, ...extra };
}

const personalConfigs = new Map<string, Promise<Array<[string, string]>>>();

/** The person's global and system git settings, in git's order (a multi-valued helper list keeps its order). */
function personalGitConfig(env: NodeJS.ProcessEnv): Promise<Array<[string, string]>> {
  const scope = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: env.HOME ?? os.homedir(),
    ...Object.fromEntries(
      ['XDG_CONFIG_HOME', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM', 'GIT_CONFIG_NOSYSTEM'].flatMap((name) =>
        env[name] !== undefined ? [[name, env[name]]] : [],
      ),
    ),
  };
  const key = JSON.stringify(scope);
  if (!personalConfigs.has(key)) {
    personalConfigs.set(
      key,
      // Read from the home folder with GIT_DIR pointing nowhere: no repository's own settings.
      spawnGit(['config', '--list', '--show-scope', '--includes', '-z'], { cwd: scope.HOME, env: { ...scope, GIT_DIR: '/nonexistent' } })
        .then(({ stdout, code }) => (code === 0 ? parseConfigList(stdout.toString('utf-8')) : []))
        .catch(() => []),
    );
  }
  return personalConfigs.get(key)!;
}

function parseConfigList(text: string): Array<[string, string]> {
  const fields = text.split('\0');
  const settings: Array<[string, string]> = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] !== 'global' && fields[i] !== 'system') continue;
    const entry = fields[i + 1]!;
    const newline = entry.indexOf('\n');
    settings.push(newline < 0 ? [entry, 'true'] : [entry.slice(0, newline), entry.slice(newline + 1)]);
  }
  return settings;
}

function spawnGit(args: readonly string[], { cwd, env, input }: { cwd: string; env: NodeJS.ProcessEnv; input?: string | Buffer }) {
  return new Promise<GitResult & { stderr: Buffer }>((resolve, reject) => {
    const child = spawn('git', args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new GitError(`git could not start: ${error.message} (install git)`, -1)));
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err), code: code ?? -1 }));
    child.stdin.on('error', () => {}); // git may exit before reading all input; its exit code tells.
    child.stdin.end(input);
  });
}

/** Runs git in the sealed environment (gitEnvironment); a failure is a GitError with git's message. */
export async function runGit(args: readonly string[], { cwd, input, env, okCodes = [0], remote }: GitOptions): Promise<GitResult> {
  const result = await spawnGit(args, { cwd, env: await gitEnvironment(env, remote), ...(input !== undefined ? { input } : {}) });
  if (okCodes.includes(result.code)) return { stdout: result.stdout, code: result.code };
  const message = result.stderr.toString('utf-8').trim() || `exit ${result.code}`;
  throw new GitError(`git ${args[0]} failed in ${cwd}: ${message}`, result.code);
}

/** git's standard output as trimmed text. */
export async function gitText(args: readonly string[], options: GitOptions): Promise<string> {
  return (await runGit(args, options)).stdout.toString('utf-8').trim();
}
