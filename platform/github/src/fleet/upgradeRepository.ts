import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { UpgradePlan } from '@idp/scaffold';
import type { StepResult } from '../publish/context.js';
import { redact } from '../publish/redact.js';
import { cloneService } from './cloneService.js';
import { findEarlierUpgrade } from './findEarlierUpgrade.js';
import {
  upgradeBranch,
  type FleetRepo,
  type FleetSession,
  type RepositoryStep,
  type RepositoryUpgradeContext,
  type ServiceStatus,
  type Cloned,
  type Upgraded,
} from './context.js';
import { serviceStatus } from './fleetStatus.js';
import { listFleet } from './listFleet.js';
import { openFleetSession, type FleetSessionOptions } from './openFleetSession.js';
import { openPullRequest } from './openPullRequest.js';
import { pushBranch } from './pushBranch.js';
import { upgradeClone } from './upgradeClone.js';

/**
 * In order: the look at GitHub first, because a pull request holding this very upgrade makes every
 * other step unnecessary; the clone before the merge, which needs the service's files; the push
 * before the pull request, because GitHub opens one only from a branch that exists. A step that
 * finds nothing (more) to do sets `stop`, and the rest are skipped.
 */
export const REPOSITORY_STEPS = [findEarlierUpgrade, cloneService, upgradeClone, pushBranch, openPullRequest] as const satisfies readonly [
  RepositoryStep,
  RepositoryStep,
  RepositoryStep<Cloned>,
  RepositoryStep<Upgraded>,
  RepositoryStep<Upgraded>,
];

/** How one repository's upgrade ended, for a person (one line) and for --json. */
export type RepositoryOutcome = 'opened' | 'updated' | 'unchanged' | 'up-to-date' | 'planned' | 'skipped' | 'failed';

export interface RepositoryUpgradeResult {
  repository: string;
  service: string;
  template: string;
  from: string;
  to?: string;
  outcome: RepositoryOutcome;
  pull?: { number: number; url: string; draft: boolean };
  /** The upgrade commit on the branch. */
  commit?: string;
  plan?: UpgradePlan;
  conflicts: string[];
  /** Each step with what it found or did, and how long it took (ms). */
  steps: Array<{ id: string; title: string; ms: number } & StepResult>;
  error?: string;
}

export interface RepositoryUpgradeOptions {
  contract?: string;
  dryRun?: boolean;
}

/** The steps over one service of the fleet, whose status is known; a failure is reported, never thrown. */
export async function upgradeFleetRepository(
  session: FleetSession,
  repo: FleetRepo,
  status: ServiceStatus,
  options: RepositoryUpgradeOptions = {},
): Promise<RepositoryUpgradeResult> {
  const context: RepositoryUpgradeContext = {
    session,
    repo,
    status,
    dryRun: options.dryRun ?? false,
    branch: upgradeBranch(status.template),
    ...(options.contract ? { contract: options.contract } : {}),
  };
  const steps: RepositoryUpgradeResult['steps'] = [];
  let error: string | undefined;
  try {
    for (const step of REPOSITORY_STEPS) {
      if (context.stop) {
        steps.push({ id: step.id, title: step.title, status: 'skipped', detail: 'nothing to do', ms: 0 });
        continue;
      }
      const started = performance.now();
      try {
        // The order above gives each step what its type says it has: a step that leaves less stops the run.
        const result = await (step as RepositoryStep<Upgraded>).run(context as RepositoryUpgradeContext & Upgraded);
        steps.push({
          id: step.id,
          title: step.title,
          status: result.status,
          detail: redact(result.detail, [session.token]),
          ms: Math.round(performance.now() - started),
        });
      } catch (failure) {
        error = redact(`${step.title} failed: ${(failure as Error).message ?? String(failure)}`, [session.token]);
        break;
      }
    }
  } finally {
    if (context.clone) await rm(dirname(context.clone), { recursive: true, force: true });
  }
  const plan = context.upgrade?.outcome.plan;
  return {
    repository: repo.fullName,
    service: status.service,
    template: status.template,
    from: status.version,
    ...(status.target ? { to: context.upgrade?.version ?? status.target.version } : {}),
    outcome: error ? 'failed' : outcomeOf(steps, context),
    ...(context.pull ? { pull: context.pull } : {}),
    ...(context.commit ? { commit: context.commit } : {}),
    ...(plan ? { plan } : {}),
    conflicts: plan?.conflicts.map((c) => c.path) ?? [],
    steps,
    ...(error ? { error } : {}),
  };
}

function outcomeOf(steps: RepositoryUpgradeResult['steps'], context: RepositoryUpgradeContext): RepositoryOutcome {
  const of = (id: string) => steps.find((s) => s.id === id)?.status;
  if (of('clone') === 'skipped') return 'unchanged';
  if (of('upgrade') === 'unchanged') return 'up-to-date';
  // Before `planned`: a dry run skips what the real run would skip (someone else's branch, a protected one).
  if (context.stop?.status === 'skipped' || of('pull-request') === 'skipped') return 'skipped';
  if (context.dryRun) return 'planned';
  if (of('pull-request') === 'created') return 'opened';
  if ([of('push'), of('pull-request')].some((s) => s === 'created' || s === 'updated')) return 'updated';
  return 'unchanged';
}

export interface UpgradeRepositoryOptions extends FleetSessionOptions, RepositoryUpgradeOptions {
  /** owner/name of the service's repository. */
  repository: string;
}

/**
 * One repository, on its own: clone → upgrade → push → pull request, the same steps a fleet run
 * takes for each service (the portal's "upgrade this service" calls this).
 */
export async function upgradeRepository(options: UpgradeRepositoryOptions): Promise<RepositoryUpgradeResult> {
  const [owner, name] = options.repository.split('/');
  if (!owner || !name) throw new Error(`repository must be owner/name, but is "${options.repository}" (e.g. acme/fraud-detector)`);
  const session = openFleetSession(options);
  try {
    const { data } = await session.github.rest.repos.get({ owner, repo: name });
    const repo: FleetRepo = {
      owner: data.owner.login,
      name: data.name,
      fullName: data.full_name,
      defaultBranch: data.default_branch,
      cloneUrl: data.clone_url,
      htmlUrl: data.html_url,
    };
    const listing = await listFleet(session.github, { repositories: [repo] });
    const [service] = listing.services;
    if (!service) {
      const reason = listing.skipped[0]?.reason;
      throw new Error(
        reason?.startsWith('no ') || !reason
          ? `${repo.fullName} has no readable .idp/answers.yaml on ${repo.defaultBranch}: it was not made by idp`
          : `${repo.fullName} cannot be upgraded: ${reason}`,
      );
    }
    return await upgradeFleetRepository(session, repo, await serviceStatus(session, service), options);
  } finally {
    await session.close();
  }
}
