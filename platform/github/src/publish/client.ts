import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { withoutUrlCredentials } from '@idp/scaffold';

// Typed as the plain REST client: the plugins only change how requests are sent.
const GithubClient: typeof Octokit = Octokit.plugin(retry, throttling);
export type GithubClient = Octokit;

export interface GithubClientOptions {
  /** https://api.github.com, or a GitHub Enterprise base URL (https://HOST/api/v3). */
  baseUrl: string;
  token: string;
  /** Called when GitHub asks us to wait; the message names the wait. */
  onWait?: (message: string) => void;
  /** How many times a rate-limited request is retried before giving up. Default 4. */
  rateLimitRetries?: number;
  /**
   * Milliseconds one unit of backoff lasts: GitHub's Retry-After is in seconds, so 1000 in
   * production. Tests pass 1 so a Retry-After of 2 waits 2 ms.
   */
  backoffUnitMs?: number;
  /**
   * GitHub asks integrations to space writes about a second apart (the throttling plugin's
   * default). Tests against the emulator turn the spacing off.
   */
  paceWrites?: boolean;
}

// The throttling plugin schedules writes through Bottleneck groups; this stand-in has the one
// method it calls and runs every job at once.
const UNPACED = {
  key: () => ({ schedule: (_options: unknown, job: (...args: unknown[]) => unknown, ...args: unknown[]) => Promise.resolve(job(...args)) }),
};

function reportingFetch(onWait: GithubClientOptions['onWait']): typeof fetch {
  return async (input, init) => {
    const what = `${init?.method ?? 'GET'} ${typeof input === 'string' ? input : input instanceof URL ? input.href : input.url}`;
    try {
      const response = await fetch(input, init);
      if (response.status === 429 || response.status >= 500) {
        const retryAfter = response.headers.get('retry-after');
        onWait?.(
          `GitHub answered ${response.status} on ${what}${retryAfter ? ` (Retry-After ${retryAfter}s)` : ''}; waiting, then retrying`,
        );
      }
      return response;
    } catch (error) {
      onWait?.(`The connection to GitHub failed on ${what} (${(error as Error).message}); waiting, then retrying`);
      throw error;
    }
  };
}

/** Octokit with retries (5xx, dropped connections) and GitHub's rate-limit handling. */
export function createGithubClient(options: GithubClientOptions): GithubClient {
  const retries = options.rateLimitRetries ?? 4;
  const unit = options.backoffUnitMs ?? 1000;
  const onLimit =
    (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      if (retryCount >= retries) {
        options.onWait?.(`GitHub ${kind} on ${request.method} ${request.url} persisted after ${retries} retries; giving up`);
        return false;
      }
      options.onWait?.(
        `GitHub ${kind} on ${request.method} ${request.url}: waiting ${retryAfter}s before retry ${retryCount + 1}/${retries}`,
      );
      return true;
    };
  const client = new GithubClient({
    // fetch refuses a URL with userinfo, and the token is what authenticates: a --github-url typed
    // with a user and password loses them here, before any message could quote them.
    baseUrl: withoutUrlCredentials(options.baseUrl).replace(/\/+$/, ''),
    auth: options.token,
    userAgent: 'idp-publish',
    // Octokit's default logger would print request URLs on warnings; the publisher reports itself.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    retry: { retryAfterBaseValue: unit, retries: 3 },
    // The retry plugin backs off on 5xx, 429 and lost connections without a word: say so. This
    // sits under the plugins, so it sees every attempt.
    request: { fetch: reportingFetch(options.onWait) },
    throttle: {
      onRateLimit: onLimit('rate limit'),
      onSecondaryRateLimit: onLimit('secondary rate limit'),
      retryAfterBaseValue: unit,
      fallbackSecondaryRateRetryAfter: 60,
      ...(options.paceWrites === false ? { write: UNPACED, notifications: UNPACED } : {}),
    } as never,
  });
  return client;
}
