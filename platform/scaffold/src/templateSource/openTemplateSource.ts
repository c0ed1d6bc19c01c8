import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InvalidInputError } from '@idp/service-spec';
import { findUp } from '../findUp.js';
import { gitText, runGit } from '../git/runGit.js';
import { readPackagedSource, type PackagedSource } from './packagedTemplates.js';
import { redactUrlCredentials, splitUrlCredentials, type UrlCredentials } from './urlCredentials.js';

/** Where templates come from: a local folder or repository, or a git repository by URL. */
export interface TemplateSource {
  /** What provenance records: the git URL (never with credentials), or the absolute path of the local repository. */
  readonly repository: string;
  /** Where git reads history: the work tree's top level or a cached bare clone; undefined outside git. */
  readonly gitDir?: string;
  /** A local checkout whose files render as they are now; undefined for a URL (read at a commit). */
  readonly workTree?: string;
  /** The templates folder, relative to the repository root (posix separators). */
  readonly templatesPath: string;
  /** Set for the templates packaged with the CLI: a copy of one commit, read without git. */
  readonly packaged?: PackagedSource & { readonly templatesRoot: string };
}

export const TEMPLATES_ENV_VAR = 'IDP_TEMPLATES_DIR';

let packagedTemplates: (() => string) | undefined;

/**
 * The installed CLI's templates (unpacked from its package on first use): the default instead of
 * a repository's, where there is no repository.
 */
export function setPackagedTemplates(locate: () => string): void {
  packagedTemplates = locate;
}

/** $IDP_TEMPLATES_DIR, else the installed CLI's templates, else the platform repository's templates/ (found upwards). */
export function defaultTemplatesLocation(env: NodeJS.ProcessEnv = process.env): string {
  if (env[TEMPLATES_ENV_VAR]) return env[TEMPLATES_ENV_VAR];
  if (packagedTemplates) return packagedTemplates();
  const platformTemplates = findUp('templates/model-service/template.yaml', import.meta.url);
  return platformTemplates ? path.dirname(path.dirname(platformTemplates)) : 'templates';
}

/** A git URL (scheme://… or scp-like user@host:path) rather than a local path. */
export function isGitUrl(location: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(location) || /^[\w.-]+@[\w.-]+:/.test(location);
}

/**
 * Opens `--templates`: a git URL (cloned once into the user's cache, fetched on later runs), a
 * repository with a templates/ folder, or a templates folder itself. Default: the platform's own.
 */
export async function openTemplateSource(location: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<TemplateSource> {
  const given = location || defaultTemplatesLocation(env);
  if (isGitUrl(given)) {
    // A credential in the URL reaches git through its environment; the URL is recorded without it.
    const credentials = splitUrlCredentials(given);
    const gitDir = await cachedClone(credentials, env);
    // A repository without a templates/ folder (e.g. backstage/software-templates) is read whole.
    const hasTemplatesFolder =
      (await gitText(['ls-tree', '-d', '--name-only', 'HEAD', 'templates'], { cwd: gitDir }).catch(() => '')) !== '';
    return { repository: credentials.url, gitDir, templatesPath: hasTemplatesFolder ? 'templates' : '.' };
  }

  const resolved = path.resolve(given);
  if (!isDirectory(resolved)) {
    throw new InvalidInputError('The templates source', [
      {
        field: '--templates',
        message: `must be a folder, a repository with a templates/ folder, or a git URL, but ${resolved} is not a folder (e.g. --templates https://github.com/acme/idp-templates.git)`,
      },
    ]);
  }
  const templatesRoot = isDirectory(path.join(resolved, 'templates')) ? path.join(resolved, 'templates') : resolved;
  // The templates inside the installed package: no git (the prefix may sit in someone's dotfiles repository).
  const packaged = readPackagedSource(templatesRoot);
  if (packaged) {
    return {
      repository: packaged.repository,
      workTree: templatesRoot,
      templatesPath: packaged.templatesPath,
      packaged: { ...packaged, templatesRoot },
    };
  }
  // One git call on every `idp new`: the repository's top level, and whether it has a commit.
  const [topLevel] = (await gitText(['rev-parse', '--show-toplevel', 'HEAD'], { cwd: templatesRoot }).catch(() => '')).split('\n');
  if (!topLevel) return { repository: templatesRoot, workTree: templatesRoot, templatesPath: '.' };
  const relative = path.relative(topLevel, templatesRoot).split(path.sep).join('/') || '.';
  return { repository: topLevel, gitDir: topLevel, workTree: topLevel, templatesPath: relative };
}

function isDirectory(dir: string): boolean {
  return existsSync(dir) && statSync(dir).isDirectory();
}

/**
 * A bare clone per URL under $XDG_CACHE_HOME/idp/templates, brought up to date on each use. Its
 * remote is the URL without credentials; git reaches it with the person's credential helpers,
 * askpass, ssh agent, proxy and CA settings, and with the URL's own credential, if it had one,
 * as an Authorization header for that URL alone (docs/adr/0019-how-git-reaches-remotes.md).
 */
async function cachedClone(credentials: UrlCredentials, env: NodeJS.ProcessEnv): Promise<string> {
  const { url } = credentials;
  const cacheRoot = path.join(env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache'), 'idp', 'templates');
  const dir = path.join(cacheRoot, `${createHash('sha256').update(url).digest('hex').slice(0, 16)}.git`);
  await mkdir(cacheRoot, { recursive: true });
  const remote = { userCredentials: true, env, config: urlCredentialConfig(credentials) };
  try {
    if (existsSync(path.join(dir, 'HEAD'))) {
      // The URL, not the cached remote: a cache made before idp kept credentials out of it holds them.
      await runGit(['remote', 'set-url', 'origin', url], { cwd: dir });
      await runGit(['fetch', '--quiet', '--prune', '--force', 'origin', '+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'], {
        cwd: dir,
        remote,
      });
    } else {
      await runGit(['clone', '--quiet', '--bare', '--', url, dir], { cwd: cacheRoot, remote });
    }
  } catch (error) {
    throw new InvalidInputError('The templates source', [
      {
        field: '--templates',
        message: `must be a git repository idp can read, but ${url} could not be fetched: ${redactUrlCredentials((error as Error).message, [credentials.password])} (e.g. --templates https://github.com/acme/idp-templates.git; a private repository is reached through your git credential helper, GIT_ASKPASS or ssh agent)`,
      },
    ]);
  }
  return dir;
}

/** The URL's own credential as git settings scoped to that URL: a Basic Authorization header, or the user name alone. */
function urlCredentialConfig({ url, username, password }: UrlCredentials): Array<[string, string]> {
  if (password !== undefined)
    return [[`http.${url}.extraHeader`, `Authorization: Basic ${Buffer.from(`${username ?? ''}:${password}`).toString('base64')}`]];
  return username ? [[`credential.${url}.username`, username]] : [];
}
