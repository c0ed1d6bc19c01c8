import type { PlatformContract } from '@idp/service-spec';

/** The flags of `idp doctor`, shared by the command and its checks. */
export interface DoctorFlags {
  contract?: string;
  templates?: string;
  githubUrl?: string;
  backstageUrl?: string;
  json?: boolean;
}

/** What the checks share: the flags, and what earlier checks found (the contract names the GitHub host). */
export interface DoctorContext {
  readonly flags: DoctorFlags;
  readonly env: NodeJS.ProcessEnv;
  contract?: PlatformContract;
}

export interface CheckResult {
  /** ok; warn: works, with a caveat; fail: something idp needs is missing; skip: not configured. */
  readonly status: 'ok' | 'warn' | 'fail' | 'skip';
  readonly detail: string;
  /** What to do about a warn or fail, e.g. a command to run. */
  readonly fix?: string;
}

/** One check of `idp doctor`: looks, changes nothing, says what to do when something is off. */
export interface DoctorCheck {
  readonly id: string;
  readonly title: string;
  run(context: DoctorContext): Promise<CheckResult>;
}
