import type { GithubClient } from './client.js';
import type { PublishPlan } from './readPublishPlan.js';

/** What a step reports: what it found and what it did (or, in a dry run, would do). */
export interface StepResult {
  status: 'created' | 'updated' | 'unchanged' | 'planned' | 'skipped';
  detail: string;
}

/** The repository as GitHub knows it, once the repository step has found or created it. */
export interface RepoInfo {
  cloneUrl: string;
  htmlUrl: string;
  /** false in a dry run where the repository does not exist yet. */
  exists: boolean;
}

export interface PublishContext {
  plan: PublishPlan;
  github: GithubClient;
  token: string;
  /** An App installation token cannot read /user and carries no OAuth scopes. */
  actingAs: 'token' | 'app';
  dryRun: boolean;
  /** Progress lines (already free of secrets). */
  log: (message: string) => void;
  repo?: RepoInfo;
  /** The commit this directory makes (the same on every run), once the push step has made it. */
  commit?: string;
  /** The GitHub team the owner group maps to; null when there is none (looked up once). */
  ownerTeam?: { id: number; slug: string } | null;
  backstage?: { url: string; token?: string };
  /** Backoff between git transfer attempts, in ms per attempt. Tests make it tiny. */
  gitBackoffMs: number;
}

/** One idempotent step: it looks at what exists, then does only what is missing. */
export interface PublishStep {
  id: string;
  title: string;
  run(context: PublishContext): Promise<StepResult>;
}

export function requireRepo(context: PublishContext): RepoInfo {
  if (!context.repo) throw new Error('internal: the repository step has not run');
  return context.repo;
}

/** The octokit error's HTTP status, if it is one. */
export function httpStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Runs a GitHub read that answers 404 when the thing is absent. */
export async function lookUp<T>(read: () => Promise<{ data: T }>): Promise<T | undefined> {
  try {
    return (await read()).data;
  } catch (error) {
    if (httpStatus(error) === 404) return undefined;
    throw error;
  }
}
