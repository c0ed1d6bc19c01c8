import { createGithubClient } from '../publish/client.js';
import { redact } from '../publish/redact.js';
import type { FleetSession } from './context.js';
import { openScratchFolder, type ScratchFolder } from './scratchFolder.js';
import { templateSources } from './templateSources.js';

export interface FleetSessionOptions {
  /** GITHUB_TOKEN / GH_TOKEN (or an App installation token): for the API and for git. */
  token: string;
  /** GitHub's REST base URL: https://api.github.com, or https://HOST/api/v3. */
  githubUrl: string;
  /** Templates source for every service (path or git URL); default: the one each service records. */
  templates?: string;
  /** Template commit or version to move to; default: the source's newest commit. */
  to?: string;
  /** Progress and waits, one line each (free of secrets). */
  onProgress?: (message: string) => void;
  /** Test knobs: ms per unit of Retry-After/backoff, and GitHub's write pacing. */
  timing?: { backoffUnitMs?: number; paceWrites?: boolean };
  env?: NodeJS.ProcessEnv;
  /** A folder the caller owns and removes, to clone in; default: one of the session's own (openScratchFolder). */
  scratch?: string;
}

/** One GitHub client (retry + throttling plugins) and one set of opened template sources for a whole run. */
export function openFleetSession(options: FleetSessionOptions): FleetSession {
  const log = (message: string) => options.onProgress?.(redact(message, [options.token]));
  const github = createGithubClient({
    baseUrl: options.githubUrl,
    token: options.token,
    onWait: log,
    ...(options.timing?.backoffUnitMs !== undefined ? { backoffUnitMs: options.timing.backoffUnitMs } : {}),
    ...(options.timing?.paceWrites !== undefined ? { paceWrites: options.timing.paceWrites } : {}),
  });
  let own: Promise<ScratchFolder> | undefined;
  const sources = templateSources({
    ...(options.templates ? { templates: options.templates } : {}),
    ...(options.to ? { to: options.to } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  return {
    github,
    token: options.token,
    sources,
    log,
    gitBackoffMs: options.timing?.backoffUnitMs ?? 1000,
    scratchDir: async () => {
      if (options.scratch) return options.scratch;
      own ??= openScratchFolder();
      return (await own).dir;
    },
    close: async () => {
      await sources.release();
      if (own) await (await own).release();
    },
  };
}
