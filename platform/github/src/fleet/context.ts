import type { RecordedAnswers } from '@idp/service-spec';
import type { CommitUpgradeOutcome, ServiceRecord, ServiceUpgrade } from '@idp/scaffold';
import type { GithubClient } from '../publish/client.js';
import type { StepResult } from '../publish/context.js';
import type { PullData } from './pullsFromBranch.js';
import type { TemplateSources } from './templateSources.js';

/** A repository of the fleet, as GitHub lists it. */
export interface FleetRepo {
  owner: string;
  name: string;
  /** owner/name */
  fullName: string;
  defaultBranch: string;
  cloneUrl: string;
  htmlUrl: string;
}

/** A repository that holds a service made by idp: its `.idp/answers.yaml`, read through the contents API. */
export interface FleetService {
  repo: FleetRepo;
  record: RecordedAnswers;
}

/** Where a service stands against its template source. */
export interface ServiceStatus {
  /** owner/name */
  repository: string;
  service: string;
  template: string;
  version: string;
  /** The template commit the service was rendered from. */
  commit?: string;
  /** The templates source the upgrade reads: --templates, else the one the service records. */
  source?: string;
  /** The template folder in that source, e.g. templates/model-service. */
  templatePath?: string;
  /** What an upgrade moves to: the newest commit of the source (or --to) and its version. */
  target?: { commit: string; version: string };
  /** Template versions released since (newest first), and commits that touched the template. */
  behind?: { versions: string[]; commits: number };
  /**
   * `unknown`: the service cannot be upgraded as it records itself (no or uncommitted provenance,
   * an unreachable recorded source); `failed`: comparing it failed (a source that could not be
   * fetched, a --to it does not have).
   */
  state: 'behind' | 'up-to-date' | 'unknown' | 'failed';
  /** Why the state is unknown or failed: what is missing or went wrong, in full, and what to do. */
  detail?: string;
}

/** What every fleet call shares: one GitHub client (retries, rate limits) and the opened template sources. */
export interface FleetSession {
  github: GithubClient;
  token: string;
  sources: TemplateSources;
  /** Progress lines (already free of secrets). */
  log: (message: string) => void;
  /** Backoff between git transfer attempts, ms per attempt. Tests make it tiny. */
  gitBackoffMs: number;
  /** The folder this run clones into (made on first use, swept by a later run if this one is killed). */
  scratchDir(): Promise<string>;
  /** Removes what the session made (its scratch folder, the templates its readers unpacked). */
  close(): Promise<void>;
}

/** One repository's upgrade as it goes: each step reads what the ones before it found. */
export interface RepositoryUpgradeContext {
  session: FleetSession;
  repo: FleetRepo;
  status: ServiceStatus;
  contract?: string;
  dryRun: boolean;
  /** The upgrade branch: one per template, so a re-run finds it again. */
  branch: string;
  /** The clone (a bare repository, never checked out), once cloned. */
  clone?: string;
  /** The default branch's commit the upgrade starts from. */
  head?: string;
  /** The service's record at `head`, read with it. */
  record?: ServiceRecord;
  /** Where the upgrade branch is on the remote, as fetched by the clone; absent while it does not exist. */
  branchHead?: string;
  /** Pull requests from the upgrade branch, open and closed, as the look before the clone found them. */
  pulls?: PullData[];
  upgrade?: ServiceUpgrade<CommitUpgradeOutcome>;
  /** The upgrade commit (the same on every run for the same main and template commit). */
  commit?: string;
  /** Set when a step finds there is nothing (more) to do: later steps skip. */
  stop?: StepResult;
  pull?: { number: number; url: string; draft: boolean };
}

/** What the look at GitHub leaves for the steps after it: the upgrade branch's pull requests. */
export interface Looked {
  pulls: PullData[];
}

/** What the clone step leaves for the steps after it: the clone, the default branch's commit and the service's record there. */
export interface Cloned extends Looked {
  clone: string;
  head: string;
  record: ServiceRecord;
}

/** What the upgrade step leaves for the steps after it: the merged tree, in the clone. */
export interface Upgraded extends Cloned {
  upgrade: ServiceUpgrade<CommitUpgradeOutcome>;
}

/**
 * One idempotent step of a repository upgrade: it looks, then acts only on what is missing. `Has`
 * is what the steps before it have left in the context (Looked, Cloned, Upgraded), so a step reads them
 * as given rather than as optional fields it must trust are set.
 */
export interface RepositoryStep<Has extends object = object> {
  id: string;
  title: string;
  run(context: RepositoryUpgradeContext & Has): Promise<StepResult>;
}

/** The branch an upgrade of `template` is pushed to (a name RecordedAnswers accepts). */
export function upgradeBranch(template: string): string {
  return `idp/upgrade-${template}`;
}
