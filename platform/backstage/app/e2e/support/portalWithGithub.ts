import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGithubEmulator, type GithubEmulator } from '@idp/github-emulator';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, type Browser } from './browser';
import { ARTIFACTS_DIR } from './paths';
import { startPortal, type Portal } from './portal';

/** A portal whose GitHub is the emulator, a browser to drive it, and a scratch folder: what the flows in e2e/flows/ share. */
export interface PortalWithGithub {
  github: GithubEmulator;
  portal: Portal;
  browser: Browser;
  workDir: string;
  stop(): Promise<void>;
}

/**
 * The portal's GitHub is the emulator: github.com (the host the templates' RepoUrlPicker allows and
 * the platform contract names) is served by its API, and so is its own host, which the clone and
 * html URLs it returns point at. `config` adds to the portal's configuration (idp.llm, say).
 */
export async function startPortalWithGithub(options: { name: string; org: string; config?: Record<string, unknown> }): Promise<PortalWithGithub> {
  const workDir = await mkdtemp(join(tmpdir(), `idp-${options.name}-`));
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const github = await startGithubEmulator({ orgs: [{ login: options.org, teams: ['ml-team', 'platform-team'] }] });
  const integration = (host: string) => ({ host, apiBaseUrl: github.apiBaseUrl, token: github.token });
  const portal = await startPortal({
    logName: options.name,
    config: { integrations: { github: [integration('github.com'), integration(github.host)] }, ...options.config },
    env: { IDP_PLATFORM_CONTRACT: '' },
  });
  const browser = await launchBrowser();
  return {
    github,
    portal,
    browser,
    workDir,
    async stop() {
      await browser.close();
      await portal.stop();
      await github.stop();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}

/**
 * One portal with GitHub for every flow of a test file, started before the first and stopped after
 * the last: a portal costs about 10 s of CPU to start, and the flows touch repositories of their own.
 */
export function portalWithGithubForThisFile(options: Parameters<typeof startPortalWithGithub>[0]): () => PortalWithGithub {
  let stack: PortalWithGithub | undefined;
  beforeAll(async () => {
    stack = await startPortalWithGithub(options);
  });
  afterAll(async () => stack?.stop());
  return () => {
    if (!stack) throw new Error('the portal with GitHub has not started (its beforeAll failed: see above)');
    return stack;
  };
}

/** The names of the repositories made after this call: what a flow sharing one GitHub made itself. */
export function reposMadeFromNow(github: GithubEmulator): () => string[] {
  const before = new Set(github.repos().map((repo) => repo.fullName));
  return () =>
    github
      .repos()
      .map((repo) => repo.fullName)
      .filter((name) => !before.has(name));
}
