import { installationToken, type AppInstallation } from './appInstallation.js';
import { createGithubClient } from './client.js';
import type { PublishContext, PublishStep, StepResult } from './context.js';
import { checkAccess } from './checkAccess.js';
import { configureRepository } from './configureRepository.js';
import { createEnvironments } from './createEnvironments.js';
import { createRepository } from './createRepository.js';
import { explainFailure, PublishError } from './errors.js';
import { grantOwnerAccess } from './grantOwnerAccess.js';
import { protectMain } from './protectMain.js';
import { pushInitialCommit } from './pushInitialCommit.js';
import { readPublishPlan, type PublishPlan, type Visibility } from './readPublishPlan.js';
import { redact } from './redact.js';
import { registerInCatalog } from './registerInCatalog.js';
import { setVariables } from './setVariables.js';

/**
 * In order. The content check (push) comes before anything changes an existing repository, and
 * protection after the push (GitHub protects only a branch that exists).
 */
export const PUBLISH_STEPS: readonly PublishStep[] = [
  checkAccess,
  createRepository,
  pushInitialCommit,
  configureRepository,
  protectMain,
  createEnvironments,
  setVariables,
  grantOwnerAccess,
  registerInCatalog,
];

export interface PublishOptions {
  /** The scaffolded service directory (holds .idp/answers.yaml). */
  dir: string;
  /** A token (GITHUB_TOKEN / GH_TOKEN); or else `app`. */
  token?: string;
  /** A GitHub App installation to act as: its installation token is used for the API and git. */
  app?: AppInstallation;
  /** GitHub's REST base URL: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise. */
  githubUrl?: string;
  contractFile?: string;
  visibility?: Visibility;
  dryRun?: boolean;
  backstageUrl?: string;
  backstageToken?: string;
  /** One line per step and per wait. */
  onProgress?: (event: ProgressEvent) => void;
  /** Test knobs: ms per unit of Retry-After/backoff, and GitHub's write pacing. */
  timing?: { backoffUnitMs?: number; paceWrites?: boolean };
  env?: NodeJS.ProcessEnv;
}

export type ProgressEvent = { type: 'step'; step: string; title: string; result: StepResult } | { type: 'wait'; message: string };

export interface PublishResult {
  repository: string;
  url: string;
  cloneUrl: string;
  /** The commit main holds (or would hold): the directory's content, made the same way every run. */
  commit: string;
  dryRun: boolean;
  steps: Array<{ id: string; title: string } & StepResult>;
}

/** The default API base for a host: github.com's API, or GitHub Enterprise's /api/v3. */
export function defaultGithubUrl(host: string): string {
  return host === 'github.com' ? 'https://api.github.com' : `https://${host}/api/v3`;
}

/**
 * Puts a scaffolded service on GitHub and in the catalog. Every step looks before it acts, so
 * running it again after any failure finishes the job without duplicates.
 */
export async function publishService(options: PublishOptions): Promise<PublishResult> {
  const secrets = [options.token, options.backstageToken, options.app?.privateKey];
  const clean = (text: string) => redact(text, secrets);
  const plan: PublishPlan = await readPublishPlan(options.dir, {
    ...(options.contractFile ? { contractFile: options.contractFile } : {}),
    ...(options.visibility ? { visibility: options.visibility } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const baseUrl = options.githubUrl ?? defaultGithubUrl(plan.host);
  let token = options.token;
  if (!token && options.app) {
    try {
      token = await installationToken(options.app, baseUrl);
    } catch (error) {
      throw new PublishError(
        'access',
        clean(
          `GitHub App ${options.app.appId} could not get a token for installation ${options.app.installationId}: ${explainFailure('access', error).message}`,
        ),
        { cause: error },
      );
    }
    secrets.push(token);
  }
  if (!token) throw new PublishError('access', 'No GitHub credentials: pass a token or a GitHub App installation');
  const github = createGithubClient({
    baseUrl,
    token,
    onWait: (message) => options.onProgress?.({ type: 'wait', message: clean(message) }),
    ...(options.timing?.backoffUnitMs !== undefined ? { backoffUnitMs: options.timing.backoffUnitMs } : {}),
    ...(options.timing?.paceWrites !== undefined ? { paceWrites: options.timing.paceWrites } : {}),
  });
  const context: PublishContext = {
    plan,
    github,
    token,
    actingAs: options.token ? 'token' : 'app',
    dryRun: options.dryRun ?? false,
    log: (message) => options.onProgress?.({ type: 'wait', message: clean(message) }),
    gitBackoffMs: options.timing?.backoffUnitMs ?? 1000,
    ...(options.backstageUrl
      ? { backstage: { url: options.backstageUrl, ...(options.backstageToken ? { token: options.backstageToken } : {}) } }
      : {}),
  };
  const steps: PublishResult['steps'] = [];
  for (const step of PUBLISH_STEPS) {
    let result: StepResult;
    try {
      result = await step.run(context);
    } catch (error) {
      const failure = explainFailure(step.id, error);
      throw new PublishError(failure.step, clean(`${step.title} failed: ${failure.message}`), { cause: error });
    }
    result = { status: result.status, detail: clean(result.detail) };
    steps.push({ id: step.id, title: step.title, ...result });
    options.onProgress?.({ type: 'step', step: step.id, title: step.title, result });
  }
  return {
    repository: `${plan.org}/${plan.repo}`,
    url: context.repo?.htmlUrl ?? '',
    cloneUrl: context.repo?.cloneUrl ?? '',
    commit: context.commit ?? '',
    dryRun: context.dryRun,
    steps,
  };
}
